//! Web Push: subscriptions judged (HTTPS, public addresses, real keys) and kept per account;
//! pushes made for the kinds that may go by push; and sent to a push service that decrypts
//! and checks them with Mozilla's `http_ece` and `cryptography` (`tests/fake_push.py`, the
//! Python with both in `OXCART_TEST_PUSH`, as `.ci/run` sets it).

use crate::common::*;
use axum::http::{Method, StatusCode};
use bytes::Bytes;
use http_body_util::Full;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use testkit::{TestApp, backends};

/// A subscription as a browser sends it, with the shop's own public key standing in for the
/// browser's (a valid P-256 point is all the shop can check).
async fn browser(app: &TestApp, endpoint: &str) -> Value {
    let key = app.get("/api/v1/notifications/push/key", None).await.json();
    json!({"endpoint": endpoint, "expirationTime": null, "keys": {"p256dh": key["public_key"], "auth": "AAECAwQFBgcICQoLDA0ODw"}})
}

#[tokio::test]
async fn subscriptions_are_judged_kept_and_their_owners_alone() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let (bob, _, _) = app.register("bob@example.com").await;
        let key = app.get("/api/v1/notifications/push/key", None).await.json();
        assert_eq!(key["public_key"].as_str().map(str::len), Some(87), "65 bytes, base64url: {key}");

        for (endpoint, code) in [
            ("http://8.8.8.8/push/ann", "push_endpoint_invalid"),
            ("https://127.0.0.1/push/ann", "push_endpoint_forbidden"),
            ("https://169.254.169.254/latest", "push_endpoint_forbidden"),
        ] {
            let r =
                app.post("/api/v1/notifications/push/subscriptions", browser(&app, endpoint).await, Some(&ann)).await;
            assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, code.into()), "{endpoint}: {}", r.text);
        }
        let mut bad = browser(&app, "https://8.8.8.8/push/ann").await;
        bad["keys"]["p256dh"] = json!("BAAA");
        let r = app.post("/api/v1/notifications/push/subscriptions", bad, Some(&ann)).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "push_keys_invalid".into()), "{}", r.text);

        let r = app
            .post(
                "/api/v1/notifications/push/subscriptions",
                browser(&app, "https://8.8.8.8/push/ann").await,
                Some(&ann),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let sub = r.json();
        assert_eq!(sub["push_service"], "8.8.8.8");
        assert!(!r.text.contains("/push/ann"), "the endpoint is a secret: {}", r.text);
        let id = sub["id"].as_str().expect("id").to_owned();
        let again = app
            .post(
                "/api/v1/notifications/push/subscriptions",
                browser(&app, "https://8.8.8.8/push/ann").await,
                Some(&ann),
            )
            .await;
        assert_eq!(again.status, StatusCode::CREATED);
        let mine = app.get("/api/v1/notifications/push/subscriptions", Some(&ann)).await.json();
        assert_eq!(mine.as_array().map(Vec::len), Some(1), "the same browser again replaces it: {mine}");
        let id = mine[0]["id"].as_str().unwrap_or(&id).to_owned();

        let path = format!("/api/v1/notifications/push/subscriptions/{id}");
        assert_eq!(app.get("/api/v1/notifications/push/subscriptions", Some(&bob)).await.json(), json!([]));
        let r = app.call(Method::DELETE, &path, None, Some(&bob)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "push_subscription_not_found".into()));
        assert_eq!(app.call(Method::DELETE, &path, None, Some(&ann)).await.status, StatusCode::NO_CONTENT);
        assert_eq!(app.call(Method::DELETE, &path, None, Some(&ann)).await.status, StatusCode::NOT_FOUND);

        for n in 0..10 {
            let body = browser(&app, &format!("https://8.8.8.8/push/{n}")).await;
            assert_eq!(
                app.post("/api/v1/notifications/push/subscriptions", body, Some(&ann)).await.status,
                StatusCode::CREATED
            );
        }
        let r = app
            .post(
                "/api/v1/notifications/push/subscriptions",
                browser(&app, "https://8.8.8.8/push/11").await,
                Some(&ann),
            )
            .await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "push_subscription_limit".into()), "{}", r.text);
    }
}

#[tokio::test]
async fn each_subscribed_browser_gets_its_push_but_never_a_secret_link() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        for endpoint in ["https://8.8.8.8/push/phone", "https://8.8.4.4/push/laptop"] {
            let r =
                app.post("/api/v1/notifications/push/subscriptions", browser(&app, endpoint).await, Some(&ann)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
        let order = buy(&app, &shop, &ann, 1).await;
        let pushes: Vec<Kept> =
            kept(&app, "order_confirmed").await.into_iter().filter(|m| m.channel == "push").collect();
        assert_eq!(pushes.len(), 2, "one per browser: {pushes:?}");
        let payload: Value = serde_json::from_str(&pushes[0].body_text).expect("a JSON payload");
        assert!(payload["title"].as_str().is_some_and(|t| t.contains("confirmed")), "{payload}");
        assert!(payload["url"].as_str().is_some_and(|u| u.ends_with(&format!("/orders/{order}"))), "{payload}");
        assert_eq!(payload["tag"], "order_confirmed");

        let body = json!({"kinds": [{"kind": "order_shipped", "push": false}]});
        let r = app.call(Method::PUT, "/api/v1/notifications/preferences", Some(body), Some(&ann)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let reset =
            r.json()["kinds"].as_array().expect("kinds").iter().find(|k| k["kind"] == "password_reset").cloned();
        assert_eq!(reset.map(|k| k["push"].clone()), Some(json!(false)), "a secret link never goes by push");
        ship(&app, &shop, &order).await;
        assert!(kept(&app, "order_shipped").await.iter().all(|m| m.channel != "push"), "turned off");
        app.post("/api/v1/auth/password/forgot", json!({"email": "ann@example.com"}), None).await;
        assert!(kept_n(&app, "password_reset", 1).await.iter().all(|m| m.channel == "email"));
        deliver(&app).await;
        let sent = kept(&app, "order_confirmed").await.into_iter().find(|m| m.channel == "push").expect("push");
        assert_eq!((sent.state.as_str(), sent.provider.as_deref()), ("sent", Some("outbox")), "kept: {sent:?}");
    }
}

/// `tests/fake_push.py` on a free port; stopped when dropped.
struct PushService {
    child: Child,
    port: u16,
}

impl PushService {
    fn start() -> Option<Self> {
        let Ok(python) = std::env::var("OXCART_TEST_PUSH") else {
            eprintln!("skipped: set OXCART_TEST_PUSH to a Python with http_ece and cryptography (.ci/run does)");
            return None;
        };
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fake_push.py");
        let mut child =
            Command::new(python).arg(script).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("a line");
        let port = line.trim().strip_prefix("READY ").and_then(|p| p.parse().ok()).expect("READY <port>");
        Some(Self { child, port })
    }

    async fn get(&self, path: &str) -> Value {
        let client = outbound::Client::new(
            outbound::Endpoint::parse(&format!("http://127.0.0.1:{}", self.port)).expect("url"),
            None,
        )
        .expect("client");
        let request = hyper::Request::get(path)
            .header("host", client.endpoint().host_header())
            .body(Full::new(Bytes::new()))
            .expect("request");
        let answer = client.send(request, Duration::from_secs(2), Duration::from_secs(5)).await.expect("answer");
        serde_json::from_slice(&answer.body).expect("JSON")
    }
}

impl Drop for PushService {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn pushes_reach_the_push_service_encrypted_and_signed() {
    let Some(service) = PushService::start() else { return };
    for backend in backends() {
        let app = TestApp::spawn_with(&backend, |c| {
            c.set(
                "notifications.push",
                json!({"provider": "webpush", "subject": "mailto:ops@tidy.example",
                "allow_http": true, "allow_private": true, "ttl_seconds": 3600}),
            );
        })
        .await;
        let shop = shop(&app).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let run = kernel::id::new_id("run");
        for name in [format!("ok-{run}"), "gone".to_owned(), format!("busy-{run}")] {
            let sub = service.get(&format!("/subscription/{name}")).await;
            let r = app.post("/api/v1/notifications/push/subscriptions", sub, Some(&ann)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
        let order = buy(&app, &shop, &ann, 1).await;
        deliver(&app).await;
        let pushes: Vec<Kept> =
            kept(&app, "order_confirmed").await.into_iter().filter(|m| m.channel == "push").collect();
        assert_eq!(pushes.len(), 3, "{pushes:?}");
        let states: Vec<(&str, i64)> = pushes.iter().map(|m| (m.state.as_str(), m.attempts)).collect();
        assert!(
            states.contains(&("sent", 1)) && states.contains(&("parked", 1)) && states.contains(&("queued", 1)),
            "{states:?}"
        );

        let received = service.get("/received").await;
        let ours: Vec<&Value> =
            received.as_array().expect("list").iter().filter(|m| m["name"] == format!("ok-{run}")).collect();
        assert_eq!(ours.len(), 1, "{received}");
        let payload: Value = serde_json::from_str(ours[0]["payload"].as_str().expect("decrypted")).expect("JSON");
        assert!(payload["title"].as_str().is_some_and(|t| t.contains("confirmed")), "{payload}");
        assert!(payload["url"].as_str().is_some_and(|u| u.ends_with(&order)), "{payload}");
        assert_eq!((ours[0]["ttl"].as_str(), ours[0]["sub"].as_str()), (Some("3600"), Some("mailto:ops@tidy.example")));
        assert_eq!(ours[0]["aud"], format!("http://127.0.0.1:{}", service.port));

        let gone = pushes.iter().find(|m| m.state == "parked").expect("parked");
        assert!(gone.last_error.as_deref().is_some_and(|e| e.contains("410")), "{gone:?}");
        let left = app.get("/api/v1/notifications/push/subscriptions", Some(&ann)).await.json();
        assert_eq!(left.as_array().map(Vec::len), Some(2), "the unsubscribed browser is forgotten: {left}");

        due_now(&app).await;
        deliver(&app).await;
        let busy = kept(&app, "order_confirmed")
            .await
            .into_iter()
            .find(|m| m.address == pushes.iter().find(|m| m.state == "queued").expect("queued").address)
            .expect("busy");
        assert_eq!((busy.state.as_str(), busy.attempts), ("sent", 2), "sent after the 429: {busy:?}");
    }
}
