//! Walks every operation in the OpenAPI document: each one that needs credentials answers 401
//! without them, and each admin one answers 403 to a customer.

use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::{TestApp, TestBackend};

#[tokio::test]
async fn every_protected_route_needs_credentials_and_the_right_role() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let (customer, _) = app.user_with_role("walker@example.com", Role::Customer).await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let concrete = path
            .replace("{id}", "usr_01JD3S0000000000000000000A")
            .replace("{user_id}", "usr_01JD3S0000000000000000000A");
        for (method, op) in item.as_object().expect("item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else { continue };
            let secured = op.get("security").and_then(|s| s.as_array()).is_some_and(|s| !s.is_empty());
            let body = matches!(method, Method::POST | Method::PUT | Method::PATCH).then(|| json!({}));
            let anonymous = app.call(method.clone(), &concrete, body.clone(), None).await;
            if secured {
                assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{method} {path} without credentials");
                assert_eq!(anonymous.code(), "unauthenticated");
            } else {
                assert_ne!(anonymous.status, StatusCode::UNAUTHORIZED, "{method} {path} is public");
            }
            if path.starts_with("/api/v1/admin/") {
                let r = app.call(method.clone(), &concrete, body, Some(&customer)).await;
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path} as a customer");
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "walked {checked} operations");
}
