//! Only admins read the log, through a session or a key holding `audit:read`; nothing in the
//! API changes it; malformed filters are 400 with a stable code; the export is CSV.

use crate::common::*;
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::{TestApp, backends};

#[tokio::test]
async fn only_admins_read_the_log_and_nobody_changes_it() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (customer, _) = app.user_with_role("carol@example.com", Role::Customer).await;
        let (seller, _) = app.seller("sam@example.com").await;
        let doc = app.get("/api/v1/openapi.json", None).await.json();
        for path in ["/api/v1/admin/audit", "/api/v1/admin/audit/export"] {
            assert_eq!(doc["paths"][path]["get"]["security"][0]["bearer"], json!(["audit:read"]), "{path}");
            assert_eq!(app.get(path, None).await.status, StatusCode::UNAUTHORIZED, "{path}");
            assert_eq!(app.get(path, Some(&customer)).await.status, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(app.get(path, Some(&seller)).await.status, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(app.get(path, Some(&admin)).await.status, StatusCode::OK, "{path}");
            for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
                let r = app.call(method.clone(), path, Some(json!({})), Some(&admin)).await;
                assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            }
        }
        let key = app.api_key(&admin, &["audit:read"]).await;
        let r = app.call_with_key(Method::GET, "/api/v1/admin/audit", None, &key).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let other = app.api_key(&admin, &["users:read"]).await;
        let r = app.call_with_key(Method::GET, "/api/v1/admin/audit", None, &other).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "a key without the scope");
    }
}

#[tokio::test]
async fn filters_are_checked_and_the_export_is_csv() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        for bad in ["?action=Payment", "?action=payment.", "?since=yesterday", "?until=2026-13-01T00:00:00Z"] {
            let r = app.get(&format!("/api/v1/admin/audit{bad}"), Some(&admin)).await;
            assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "audit_filter_invalid".into()), "{bad}");
        }
        let r = app.get("/api/v1/admin/audit?cursor=aud_01JD3S0000000000000000000A", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "a cursor naming no entry is past the end");
        assert_eq!(r.json()["items"], json!([]));
        let r = app.get("/api/v1/admin/audit?cursor=nope", Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "invalid_cursor".into()));

        let (_, _, ann) = app.register("ann@example.com").await;
        for role in ["seller", "customer", "seller"] {
            let path = format!("/api/v1/admin/users/{ann}/role");
            let r = app.call(Method::PUT, &path, Some(json!({"role": role})), Some(&admin)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        app.settle().await;
        let r = app.get("/api/v1/admin/audit?limit=2", Some(&admin)).await;
        let page = r.json();
        assert_eq!(page["items"].as_array().map(Vec::len), Some(2));
        let cursor = page["next_cursor"].as_str().expect("more");
        let rest = entries(&app, &admin, &format!("?limit=2&cursor={cursor}")).await;
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0]["seq"], 1, "the oldest last");
        assert!(entries(&app, &admin, "?since=2999-01-01T00:00:00Z").await.is_empty());
        assert_eq!(entries(&app, &admin, "?until=2999-01-01T00:00:00Z&action=user.*").await.len(), 3);

        let r = app.get("/api/v1/admin/audit/export?action=user.role_changed", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.header("content-type").is_some_and(|c| c.starts_with("text/csv")));
        let lines: Vec<&str> = r.text.lines().collect();
        assert_eq!(lines.len(), 4, "a header and three entries: {}", r.text);
        assert!(lines[0].starts_with("seq,id,at,action,actor_id"), "{}", lines[0]);
        assert!(lines[1].starts_with("3,aud_") && lines[1].contains("user.role_changed"), "{}", lines[1]);
    }
}
