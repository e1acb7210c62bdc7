//! With the default settings an endpoint can only be a public https:// URL: plain HTTP, user
//! information and internal addresses (literal or behind a name) are refused at
//! registration, and an address that turned internal since (DNS rebinding) fails the attempt
//! without a byte sent.

use crate::common::*;
use axum::http::StatusCode;
use kernel::auth::Role;
use kernel::time::Timestamp;
use testkit::{TestApp, backends};

#[tokio::test]
async fn internal_and_malformed_urls_are_refused_by_default() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let long = format!("https://example.com/{}", "a".repeat(2048));
        for (url, code) in [
            ("http://example.com/hook", "webhook_url_invalid"),
            ("ftp://example.com/hook", "webhook_url_invalid"),
            ("https://user:secret@example.com/hook", "webhook_url_invalid"),
            ("not a url", "webhook_url_invalid"),
            (long.as_str(), "webhook_url_invalid"),
            ("https://127.0.0.1/hook", "webhook_url_forbidden"),
            ("https://127.1.2.3:8443/hook", "webhook_url_forbidden"),
            ("https://2130706433/hook", "webhook_url_forbidden"),
            ("https://10.0.0.1/hook", "webhook_url_forbidden"),
            ("https://172.16.5.4/hook", "webhook_url_forbidden"),
            ("https://192.168.1.1/hook", "webhook_url_forbidden"),
            ("https://100.64.0.1/hook", "webhook_url_forbidden"),
            ("https://169.254.169.254/latest/meta-data/", "webhook_url_forbidden"),
            ("https://0.0.0.0/hook", "webhook_url_forbidden"),
            ("https://[::1]/hook", "webhook_url_forbidden"),
            ("https://[::ffff:127.0.0.1]/hook", "webhook_url_forbidden"),
            ("https://[fd00::1]/hook", "webhook_url_forbidden"),
            ("https://[fe80::1]/hook", "webhook_url_forbidden"),
            ("https://224.0.0.1/hook", "webhook_url_forbidden"),
            ("https://localhost/hook", "webhook_url_forbidden"),
        ] {
            let r = register(&app, &admin, url, &["order.created"]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {}", r.text);
            assert_eq!(r.code(), code, "{url}: {}", r.text);
            assert_eq!(r.json()["errors"][0]["field"], "url", "{url}");
        }
        let list = app.get("/api/v1/webhook-endpoints", Some(&admin)).await.json();
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0), "nothing was registered");
    }
}

#[tokio::test]
async fn an_address_that_turned_internal_fails_the_attempt_unsent() {
    for backend in backends() {
        // Plain HTTP allowed, internal addresses not: as if the host had resolved to a public
        // address at registration and to 127.0.0.1 now.
        let app = TestApp::spawn_with(&backend, |c| c.set("webhooks.allow_http", true)).await;
        let receiver = Receiver::start(200).await;
        let (admin, admin_id) = app.user_with_role("admin@example.com", Role::Admin).await;
        app.settle().await;
        let now = Timestamp::now();
        app.app
            .db
            .execute(
                "INSERT INTO webhooks_endpoints (id, owner_id, owner_role, url, description, event_types, secret,
                     enabled, created_at, updated_at)
                 VALUES ('hook_01JD3S0000000000000000000A', $1, 'admin', $2, '', '[\"user.registered\"]',
                     'whsec_x', TRUE, $3, $3)",
                store::args![admin_id.as_str(), receiver.url("/hook"), now],
            )
            .await
            .expect("endpoint row");
        app.register("newcomer@example.com").await;
        app.settle().await;
        assert_eq!(send(&app, Timestamp::now()).await, 1);
        assert!(receiver.received().is_empty(), "nothing reached the internal address");
        let d = deliveries(&app, &admin, "hook_01JD3S0000000000000000000A").await;
        let detail = delivery(&app, &admin, d[0]["id"].as_str().expect("id")).await;
        assert_eq!(detail["state"], "pending", "tried again later");
        let error = detail["attempts"][0]["error"].as_str().unwrap_or_default();
        assert!(error.starts_with("webhook_url_forbidden: 127.0.0.1 is a loopback address"), "{detail}");
        assert!(detail["attempts"][0]["status_code"].is_null());
    }
}
