//! Registering and keeping endpoints: the secret shown only when made or rotated, event types
//! checked against what the platform publishes and what a seller may hear, the per-owner
//! limit, and who sees what (a seller only their own, 404 for another's; customers 403).

use crate::common::*;
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::{TestApp, backends};

#[tokio::test]
async fn an_endpoint_is_made_read_changed_rotated_and_deleted() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let (admin, admin_id) = app.user_with_role("admin@example.com", Role::Admin).await;
        let made =
            endpoint(&app, &admin, "http://127.0.0.1:9/hook#frag", &["order.*", "payment.captured", "order.*"]).await;
        let id = made["id"].as_str().expect("id").to_owned();
        assert!(id.starts_with("hook_"), "{id}");
        let secret = made["secret"].as_str().expect("secret").to_owned();
        assert!(secret.starts_with("whsec_") && secret.len() == 49, "{secret}");
        assert_eq!(made["event_types"], json!(["order.*", "payment.captured"]), "repeats dropped");
        assert_eq!((made["owner_id"].as_str(), made["owner_role"].as_str()), (Some(admin_id.as_str()), Some("admin")));
        assert_eq!((made["url"].as_str(), made["enabled"].as_bool()), (Some("http://127.0.0.1:9/hook"), Some(true)));

        let path = format!("/api/v1/webhook-endpoints/{id}");
        let got = expect(&app, Method::GET, &path, None, &admin, StatusCode::OK).await;
        assert!(got.get("secret").is_none(), "the secret is shown only when made: {got}");
        let list = expect(&app, Method::GET, "/api/v1/webhook-endpoints", None, &admin, StatusCode::OK).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
        assert!(!list.to_string().contains(&secret), "no listing shows the secret");

        let body = json!({"enabled": false, "description": "paused", "event_types": ["fulfilment.shipped"]});
        let changed = expect(&app, Method::PATCH, &path, Some(body), &admin, StatusCode::OK).await;
        assert_eq!((changed["enabled"].as_bool(), changed["description"].as_str()), (Some(false), Some("paused")));
        assert_eq!(changed["event_types"], json!(["fulfilment.shipped"]));
        assert_eq!(changed["url"], made["url"], "left out, left alone");

        let rotated = expect(&app, Method::POST, &format!("{path}/secret"), None, &admin, StatusCode::OK).await;
        let new_secret = rotated["secret"].as_str().expect("new secret");
        assert!(new_secret.starts_with("whsec_") && new_secret != secret);

        expect(&app, Method::DELETE, &path, None, &admin, StatusCode::NO_CONTENT).await;
        let r = app.get(&path, Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "webhook_endpoint_not_found".into()));
    }
}

#[tokio::test]
async fn event_types_must_be_published_ones_and_a_sellers_must_name_the_seller() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (seller, _) = app.seller("seller@example.com").await;
        let url = "http://127.0.0.1:9/hook";

        let r = register(&app, &admin, url, &["order.created", "order.exploded"]).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "webhook_event_type_unknown".into()));
        assert_eq!(r.json()["errors"][0]["field"], "event_types[1]");
        for bad in ["*", "orders.*", "order", ""] {
            let r = register(&app, &admin, url, &[bad]).await;
            assert_eq!(r.code(), "webhook_event_type_unknown", "{bad}: {}", r.text);
        }
        let r = register(&app, &admin, url, &[]).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into()));

        for refused in ["order.*", "payment.captured", "refund.completed", "user.registered"] {
            let r = register(&app, &seller, url, &["fulfilment.*", refused]).await;
            assert_eq!(r.code(), "webhook_event_type_not_allowed", "{refused}: {}", r.text);
        }
        let ok = ["fulfilment.*", "return.*", "order.created", "order.confirmed", "inventory.low_stock"];
        let made = endpoint(&app, &seller, url, &ok).await;
        assert_eq!(made["owner_role"], "seller");
        // Changing a seller's endpoint keeps the seller's rules, whoever changes it.
        let path = format!("/api/v1/webhook-endpoints/{}", made["id"].as_str().expect("id"));
        let r = app.call(Method::PATCH, &path, Some(json!({"event_types": ["payment.captured"]})), Some(&admin)).await;
        assert_eq!(r.code(), "webhook_event_type_not_allowed", "{}", r.text);
    }
}

#[tokio::test]
async fn sellers_see_only_their_own_endpoints_admins_all_customers_none() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (ann, ann_id) = app.seller("ann@example.com").await;
        let (bob, _) = app.seller("bob@example.com").await;
        let (carol, _) = app.user_with_role("carol@example.com", Role::Customer).await;
        let url = "http://127.0.0.1:9/hook";
        let anns = endpoint(&app, &ann, url, &["fulfilment.*"]).await;
        endpoint(&app, &bob, url, &["fulfilment.*"]).await;
        endpoint(&app, &admin, url, &["order.*"]).await;
        let path = format!("/api/v1/webhook-endpoints/{}", anns["id"].as_str().expect("id"));

        for (method, p, body) in [
            (Method::GET, path.clone(), None),
            (Method::PATCH, path.clone(), Some(json!({"enabled": false}))),
            (Method::DELETE, path.clone(), None),
            (Method::POST, format!("{path}/secret"), None),
            (Method::GET, format!("{path}/deliveries"), None),
        ] {
            let r = app.call(method.clone(), &p, body, Some(&bob)).await;
            assert_eq!(
                (r.status, r.code()),
                (StatusCode::NOT_FOUND, "webhook_endpoint_not_found".into()),
                "{method} {p}"
            );
        }
        let mine = expect(&app, Method::GET, "/api/v1/webhook-endpoints", None, &bob, StatusCode::OK).await;
        assert_eq!(mine["items"].as_array().map(Vec::len), Some(1), "{mine}");
        let all = expect(&app, Method::GET, "/api/v1/webhook-endpoints?limit=2", None, &admin, StatusCode::OK).await;
        assert_eq!(all["items"].as_array().map(Vec::len), Some(2));
        let cursor = all["next_cursor"].as_str().expect("a second page");
        let rest = format!("/api/v1/webhook-endpoints?limit=2&cursor={cursor}");
        let rest = expect(&app, Method::GET, &rest, None, &admin, StatusCode::OK).await;
        assert_eq!(rest["items"].as_array().map(Vec::len), Some(1));
        let by_owner = format!("/api/v1/webhook-endpoints?owner_id={ann_id}");
        let anns_only = expect(&app, Method::GET, &by_owner, None, &admin, StatusCode::OK).await;
        assert_eq!(anns_only["items"][0]["id"], anns["id"]);
        assert_eq!(anns_only["items"].as_array().map(Vec::len), Some(1));
        expect(&app, Method::GET, &path, None, &admin, StatusCode::OK).await;

        let r = app.get("/api/v1/webhook-endpoints", Some(&carol)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        let r = register(&app, &carol, url, &["fulfilment.*"]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    }
}

#[tokio::test]
async fn an_owner_keeps_at_most_the_configured_number_of_endpoints() {
    for backend in backends() {
        let app = TestApp::spawn_with(&backend, |c| {
            c.set("webhooks.allow_http", true);
            c.set("webhooks.allow_private", true);
            c.set("webhooks.max_endpoints_per_owner", 2);
        })
        .await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        for _ in 0..2 {
            endpoint(&app, &admin, "http://127.0.0.1:9/", &["order.created"]).await;
        }
        let r = register(&app, &admin, "http://127.0.0.1:9/", &["order.created"]).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "webhook_endpoint_limit".into()));
    }
}

#[tokio::test]
async fn a_demoted_owner_loses_their_endpoints() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let (root, _) = app.user_with_role("root@example.com", Role::Admin).await;
        let (admin, admin_id) = app.user_with_role("admin@example.com", Role::Admin).await;
        let made = endpoint(&app, &admin, "http://127.0.0.1:9/", &["order.*"]).await;
        let body = json!({"role": "seller"});
        let role = format!("/api/v1/admin/users/{admin_id}/role");
        expect(&app, Method::PUT, &role, Some(body), &root, StatusCode::OK).await;
        app.settle().await;
        let path = format!("/api/v1/webhook-endpoints/{}", made["id"].as_str().expect("id"));
        let got = expect(&app, Method::GET, &path, None, &root, StatusCode::OK).await;
        assert_eq!(got["enabled"], false, "an admin's endpoint stops when its owner is no admin");
        // As a seller now, the old admin endpoint is not theirs to see or switch back on.
        let (demoted, _) = login(&app, "admin@example.com").await;
        let r = app.call(Method::PATCH, &path, Some(json!({"enabled": true})), Some(&demoted)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "webhook_endpoint_not_found".into()));
    }
}

async fn login(app: &TestApp, email: &str) -> (String, serde_json::Value) {
    let body = json!({"email": email, "password": "correct horse battery"});
    let r = app.post("/api/v1/auth/login", body, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    (v["tokens"]["access_token"].as_str().expect("access").to_owned(), v)
}
