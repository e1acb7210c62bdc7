//! SendGrid and Twilio adapters against local fakes speaking their wire formats: the
//! requests they take, their error bodies and their 429s.

use crate::common::*;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::{Arc, Mutex};
use testkit::{TestApp, backends};

/// One scripted answer: status, extra headers, body.
type Answer = (u16, Vec<(&'static str, &'static str)>, String);

/// A provider's fake: answers the scripted responses in turn (then the last again) and keeps
/// every request.
#[derive(Clone, Default)]
struct Fake {
    script: Arc<Mutex<Vec<Answer>>>,
    seen: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
}

impl Fake {
    async fn start(script: Vec<Answer>) -> (Self, String) {
        let fake = Self { script: Arc::new(Mutex::new(script)), ..Self::default() };
        let state = fake.clone();
        let app = axum::Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
            let state = state.clone();
            async move { state.answer(headers, body) }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        (fake, format!("http://{addr}"))
    }

    fn answer(&self, headers: HeaderMap, body: Bytes) -> Response {
        self.seen.lock().expect("lock").push((headers, body));
        let mut script = self.script.lock().expect("lock");
        let (status, extra, body) = if script.len() > 1 { script.remove(0) } else { script[0].clone() };
        let mut response = (StatusCode::from_u16(status).expect("status"), body).into_response();
        for (name, value) in extra {
            response.headers_mut().insert(name, value.parse().expect("header"));
        }
        response.headers_mut().insert("content-type", "application/json".parse().expect("ct"));
        response
    }

    fn requests(&self) -> Vec<(HeaderMap, Bytes)> {
        self.seen.lock().expect("lock").clone()
    }
}

#[tokio::test]
async fn sendgrid_takes_the_message_after_a_429_and_refusals_park_it() {
    for backend in backends() {
        let limited = r#"{"errors":[{"message":"too many requests","field":null,"help":null}]}"#;
        let refused = r#"{"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email","help":null}]}"#;
        let (fake, base) = Fake::start(vec![
            (429, vec![("retry-after", "1")], limited.into()),
            (202, vec![("x-message-id", "sg-abc123")], String::new()),
            (400, vec![], refused.into()),
        ])
        .await;
        let app = TestApp::spawn_with(&backend, |c| {
            c.set("notifications.email", json!({"provider": "sendgrid", "from": "Tidy Shop <shop@tidy.example>"}));
            c.set("notifications.sendgrid", json!({"api_key": "SG.test-key", "api_base": base}));
        })
        .await;
        let shop = shop(&app).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        kept_n(&app, "email_verification", 1).await;
        buy(&app, &shop, &ann, 1).await;
        app.app
            .db
            .execute("DELETE FROM notifications_messages WHERE kind <> 'order_confirmed'", vec![])
            .await
            .expect("rm");

        deliver(&app).await;
        let m = &kept(&app, "order_confirmed").await[0];
        assert_eq!((m.state.as_str(), m.attempts), ("queued", 1), "a 429 is tried again: {m:?}");
        assert!(m.last_error.as_deref().is_some_and(|e| e.contains("429") && e.contains("too many requests")));
        due_now(&app).await;
        deliver(&app).await;
        let m = &kept(&app, "order_confirmed").await[0];
        assert_eq!((m.state.as_str(), m.provider_id.as_deref()), ("sent", Some("sg-abc123")), "{m:?}");

        let (headers, body) = fake.requests().remove(1);
        assert_eq!(headers["authorization"], "Bearer SG.test-key");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(body["personalizations"][0]["to"][0]["email"], "ann@example.com");
        assert_eq!(body["from"], json!({"email": "shop@tidy.example", "name": "Tidy Shop"}));
        assert_eq!(body["content"][0]["type"], "text/plain");
        assert_eq!(body["content"][1]["type"], "text/html");
        assert!(body["subject"].as_str().is_some_and(|s| s.contains("confirmed")));

        // A refusal that asking again cannot heal parks the message at once; an admin may
        // queue it again.
        buy(&app, &shop, &ann, 1).await;
        app.app
            .db
            .execute("DELETE FROM notifications_messages WHERE kind <> 'order_confirmed'", vec![])
            .await
            .expect("rm");
        deliver(&app).await;
        let m = kept(&app, "order_confirmed").await.pop().expect("second");
        assert_eq!((m.state.as_str(), m.attempts), ("parked", 1), "{m:?}");
        assert!(m.last_error.as_deref().is_some_and(|e| e.contains("valid address")), "{m:?}");
        let (admin, _) = app.user_with_role("admin2@example.com", kernel::auth::Role::Admin).await;
        let r = app.post(&format!("/api/v1/notifications/messages/{}/retry", m.id), json!({}), Some(&admin)).await;
        assert_eq!((r.status, r.json()["state"].as_str()), (StatusCode::OK, Some("queued")), "{}", r.text);
    }
}

#[tokio::test]
async fn twilio_sends_texts_and_a_bad_number_is_parked() {
    for backend in backends() {
        let sid = r#"{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}"#;
        let bad = r#"{"code":21211,"message":"The 'To' number +14155550100 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}"#;
        let (fake, base) = Fake::start(vec![(201, vec![], sid.into()), (400, vec![], bad.into())]).await;
        let app = TestApp::spawn_with(&backend, |c| {
            c.set("notifications.sms", json!({"provider": "twilio", "per_second": 1}));
            c.set(
                "notifications.twilio",
                json!({"account_sid": "AC0123456789abcdef0123456789abcdef",
                "auth_token": "secret-token", "from": "+15005550006", "api_base": base}),
            );
        })
        .await;
        let shop = shop(&app).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let body = json!({"phone": "+14155550100"});
        let r = app.call(axum::http::Method::PUT, "/api/v1/notifications/preferences", Some(body), Some(&ann)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        buy(&app, &shop, &ann, 1).await;
        deliver(&app).await;
        let sms: Vec<_> = kept(&app, "order_confirmed").await.into_iter().filter(|m| m.channel == "sms").collect();
        assert_eq!(
            (sms[0].state.as_str(), sms[0].provider_id.as_deref()),
            ("sent", Some("SM0123456789abcdef0123456789abcdef"))
        );
        let (headers, body) = fake.requests().remove(0);
        let expected = format!("Basic {}", base64_of("AC0123456789abcdef0123456789abcdef:secret-token"));
        assert_eq!(headers["authorization"], expected.as_str());
        let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
        assert!(
            form.contains(&("To".into(), "+14155550100".into()))
                && form.contains(&("From".into(), "+15005550006".into()))
        );

        // One text a second (`sms.per_second`): the next waits for the rate, not for a retry.
        buy(&app, &shop, &ann, 1).await;
        deliver(&app).await;
        let sms: Vec<_> = kept(&app, "order_confirmed").await.into_iter().filter(|m| m.channel == "sms").collect();
        assert_eq!((sms[1].state.as_str(), sms[1].attempts), ("queued", 0), "held back by the rate: {:?}", sms[1]);
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        deliver(&app).await;
        let sms: Vec<_> = kept(&app, "order_confirmed").await.into_iter().filter(|m| m.channel == "sms").collect();
        assert_eq!(sms[1].state, "parked", "{:?}", sms[1]);
        assert!(sms[1].last_error.as_deref().is_some_and(|e| e.contains("code 21211")), "{:?}", sms[1]);
    }
}

fn base64_of(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}
