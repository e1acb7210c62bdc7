//! The routes are in the API document with the scopes they need, and the access layer holds
//! them to it: no credentials 401, a customer 403, an API key only within its scopes.

use crate::common::*;
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::backends;

const ROUTES: [(&str, &str, &str); 9] = [
    ("post", "/api/v1/webhook-endpoints", "webhooks:write"),
    ("get", "/api/v1/webhook-endpoints", "webhooks:read"),
    ("get", "/api/v1/webhook-endpoints/{id}", "webhooks:read"),
    ("patch", "/api/v1/webhook-endpoints/{id}", "webhooks:write"),
    ("delete", "/api/v1/webhook-endpoints/{id}", "webhooks:write"),
    ("post", "/api/v1/webhook-endpoints/{id}/secret", "webhooks:write"),
    ("get", "/api/v1/webhook-endpoints/{id}/deliveries", "webhooks:read"),
    ("get", "/api/v1/webhook-deliveries/{id}", "webhooks:read"),
    ("post", "/api/v1/webhook-deliveries/{id}/replay", "webhooks:write"),
];

#[tokio::test]
async fn every_route_is_documented_and_guarded_by_its_scope() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let (customer, _) = app.user_with_role("carol@example.com", Role::Customer).await;
        let doc = app.get("/api/v1/openapi.json", None).await.json();
        for (method, path, scope) in ROUTES {
            let op = &doc["paths"][path][method];
            assert_eq!(op["security"][0]["bearer"], json!([scope]), "{method} {path}: {op}");
            assert_eq!(op["security"][1]["api_key"], json!([scope]), "{method} {path}");
            let concrete = path.replace("{id}", "hook_01JD3S0000000000000000000A");
            let method: Method = method.to_uppercase().parse().expect("method");
            let body = matches!(method, Method::POST | Method::PATCH).then(|| json!({}));
            let r = app.call(method.clone(), &concrete, body.clone(), None).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            let r = app.call(method.clone(), &concrete, body, Some(&customer)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path} as a customer");
        }
    }
}

#[tokio::test]
async fn a_sellers_key_works_within_its_scopes() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let (seller, _) = app.seller("seller@example.com").await;
        let made = endpoint(&app, &seller, "http://127.0.0.1:9/", &["fulfilment.*"]).await;
        let read = app.api_key(&seller, &["webhooks:read"]).await;
        let r = app.call_with_key(Method::GET, "/api/v1/webhook-endpoints", None, &read).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["items"][0]["id"], made["id"]);
        let body = json!({"url": "http://127.0.0.1:9/", "event_types": ["return.*"]});
        let r = app.call_with_key(Method::POST, "/api/v1/webhook-endpoints", Some(body.clone()), &read).await;
        assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "insufficient_scope".into()));
        let write = app.api_key(&seller, &["webhooks:write"]).await;
        let r = app.call_with_key(Method::POST, "/api/v1/webhook-endpoints", Some(body), &write).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["owner_role"], "seller");
    }
}
