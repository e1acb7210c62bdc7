//! Administration: search, roles, disabling; and that only admins may do it.

use axum::http::StatusCode;
use kernel::auth::Role;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn admins_search_and_page_through_users() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("root@example.com", Role::Admin).await;
        for i in 0..5 {
            app.register(&format!("buyer{i}@example.com")).await;
        }
        let page1 = app.get("/api/v1/admin/users?q=BUYER&limit=3", Some(&admin)).await.json();
        assert_eq!(page1["items"].as_array().expect("items").len(), 3, "{}", backend.name());
        let cursor = page1["next_cursor"].as_str().expect("more pages");
        let page2 = app.get(&format!("/api/v1/admin/users?q=buyer&limit=3&cursor={cursor}"), Some(&admin)).await.json();
        assert_eq!(page2["items"].as_array().expect("items").len(), 2);
        assert!(page2.get("next_cursor").is_none());
        let admins = app.get("/api/v1/admin/users?role=admin", Some(&admin)).await.json();
        assert_eq!(admins["items"].as_array().expect("items").len(), 1);
        // LIKE wildcards in the query are taken literally.
        assert_eq!(app.get("/api/v1/admin/users?q=%25", Some(&admin)).await.json()["items"], json!([]));

        assert_eq!(app.get("/api/v1/admin/users?limit=1000", Some(&admin)).await.code(), "invalid_limit");
        assert_eq!(app.get("/api/v1/admin/users?role=king", Some(&admin)).await.code(), "invalid_query");
        assert_eq!(app.get("/api/v1/admin/users?cursor=%%%", Some(&admin)).await.status, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn role_changes_and_disabling_apply_at_once() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, admin_id) = app.user_with_role("root@example.com", Role::Admin).await;
        let (token, _, id) = app.register("user@example.com").await;

        let r = app
            .call(
                axum::http::Method::PUT,
                &format!("/api/v1/admin/users/{id}/role"),
                Some(json!({"role": "admin"})),
                Some(&admin),
            )
            .await;
        assert_eq!(r.json()["role"], "admin", "{}", r.text);
        assert_eq!(app.get("/api/v1/admin/users", Some(&token)).await.status, StatusCode::OK, "promoted at once");
        let back = app
            .call(
                axum::http::Method::PUT,
                &format!("/api/v1/admin/users/{id}/role"),
                Some(json!({"role": "customer"})),
                Some(&admin),
            )
            .await;
        assert_eq!(back.status, StatusCode::OK);
        assert_eq!(app.get("/api/v1/admin/users", Some(&token)).await.status, StatusCode::FORBIDDEN, "demoted at once");

        let disabled = app.post(&format!("/api/v1/admin/users/{id}/disable"), json!({}), Some(&admin)).await;
        assert_eq!(disabled.json()["disabled"], true);
        assert_eq!(app.get("/api/v1/me", Some(&token)).await.code(), "session_ended");
        let login = app
            .post("/api/v1/auth/login", json!({"email": "user@example.com", "password": "correct horse battery"}), None)
            .await;
        assert_eq!(login.code(), "invalid_login");
        app.post(&format!("/api/v1/admin/users/{id}/enable"), json!({}), Some(&admin)).await;
        let login = app
            .post("/api/v1/auth/login", json!({"email": "user@example.com", "password": "correct horse battery"}), None)
            .await;
        assert_eq!(login.status, StatusCode::OK);

        let own = app.post(&format!("/api/v1/admin/users/{admin_id}/disable"), json!({}), Some(&admin)).await;
        assert_eq!((own.status, own.code()), (StatusCode::CONFLICT, "cannot_change_self".into()));
        let missing = app.get("/api/v1/admin/users/usr_01JD3S0000000000000000000A", Some(&admin)).await;
        assert_eq!(missing.code(), "user_not_found");
    }
}
