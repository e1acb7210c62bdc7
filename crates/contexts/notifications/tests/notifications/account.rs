//! Account messages from the users context: the verification link on sign-up and the reset
//! link, whose secret only the recipient can read back.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;
use testkit::{TestApp, backends};

#[tokio::test]
async fn a_new_account_gets_a_verification_link_that_verifies_it() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", kernel::auth::Role::Admin).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let m = kept_n(&app, "email_verification", 1).await.remove(0);
        assert_eq!(m.address, "ann@example.com");
        assert!(m.body_text.contains("/account/verify?token="), "{}", m.body_text);

        // The admin sees that it went, not the link in it; its recipient sees it whole.
        let all = app.get("/api/v1/notifications/messages?kind=email_verification", Some(&admin)).await.json();
        let seen = &all["items"][0];
        assert_eq!((seen["redacted"].as_bool(), seen["body_text"].is_null()), (Some(true), true), "{seen}");
        assert!(!all.to_string().contains(&token_in(&m.body_text)), "the token never reaches the admin");
        let long = format!("/api/v1/notifications/messages?reference={}", "0".repeat(65));
        let r = app.get(&long, Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into()), "{}", r.text);
        let own = app.get(&format!("/api/v1/notifications/messages/{}", m.id), Some(&ann)).await.json();
        assert_eq!(own["redacted"], false);

        let r = app.post("/api/v1/auth/email/verify", json!({"token": token_in(&m.body_text)}), None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        assert_eq!(app.get("/api/v1/me", Some(&ann)).await.json()["email_verified"], true);
    }
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_says_so() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        app.register("ann@example.com").await;
        let r = app.post("/api/v1/auth/password/forgot", json!({"email": "ann@example.com"}), None).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        let unknown = app.post("/api/v1/auth/password/forgot", json!({"email": "nobody@example.com"}), None).await;
        assert_eq!((unknown.status, unknown.text.clone()), (r.status, r.text.clone()), "the same answer either way");
        let m = kept_n(&app, "password_reset", 1).await.remove(0);
        assert_eq!(m.unsubscribe_url, None, "a reset cannot be unsubscribed from");
        let token = token_in(&m.body_text);
        let body = json!({"token": token, "password": "a brand new passphrase"});
        let r = app.post("/api/v1/auth/password/reset", body.clone(), None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        let again = app.post("/api/v1/auth/password/reset", body, None).await;
        assert_eq!((again.status, again.code()), (StatusCode::BAD_REQUEST, "reset_token_invalid".into()));
        let login = json!({"email": "ann@example.com", "password": "a brand new passphrase"});
        assert_eq!(app.post("/api/v1/auth/login", login, None).await.status, StatusCode::OK);
        let changed = kept_n(&app, "password_changed", 1).await;
        assert_eq!(changed[0].address, "ann@example.com");
        assert_eq!(kept(&app, "password_reset").await.len(), 1, "nobody else was written to");
    }
}
