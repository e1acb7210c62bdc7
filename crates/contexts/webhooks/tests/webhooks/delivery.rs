//! Deliveries against a real receiver: what is sent and how it is signed, retries on the
//! backoff schedule (the sender driven with a moved clock, not by sleeping), parking after a
//! day of failures, replays, and one delivery per event however often it comes.

use crate::common::*;
use axum::http::{Method, StatusCode};
use hmac::{Hmac, Mac};
use kernel::auth::Role;
use kernel::time::Timestamp;
use serde_json::Value;
use sha2::Sha256;
use std::time::Duration;
use testkit::{TestApp, backends};

/// An admin with an endpoint on `receiver` for `user.registered`; answers
/// `(admin token, endpoint id, secret)`.
async fn listening(app: &TestApp, receiver: &Receiver) -> (String, String, String) {
    let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
    app.settle().await;
    let made = endpoint(app, &admin, &receiver.url("/hook?src=oxcart"), &["user.*"]).await;
    let id = made["id"].as_str().expect("id").to_owned();
    (admin, id, made["secret"].as_str().expect("secret").to_owned())
}

/// A customer registers: one `user.registered` event, delivered to the bus.
async fn event(app: &TestApp, email: &str) {
    app.register(email).await;
    app.settle().await;
}

/// Checks `Oxcart-Signature` the way a receiver would.
fn verify(secret: &str, header: &str, body: &[u8]) -> i64 {
    let (t, v1) = header.split_once(",v1=").expect("t=…,v1=…");
    let t = t.strip_prefix("t=").expect("t=").to_owned();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(v1, expected, "the signature verifies");
    t.parse().expect("unix seconds")
}

#[tokio::test]
async fn a_delivery_is_signed_and_carries_the_event() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let receiver = Receiver::start(204).await;
        let (admin, endpoint_id, secret) = listening(&app, &receiver).await;
        event(&app, "ann@example.com").await;
        let now = Timestamp::now();
        assert_eq!(send(&app, now).await, 1);
        let got = receiver.received();
        assert_eq!(got.len(), 1);
        let r = &got[0];
        let t = verify(&secret, r.header("oxcart-signature"), &r.body);
        assert!((now.as_secs()..=now.as_secs() + 5).contains(&t), "signed when sent: {t}");
        assert_eq!(r.header("content-type"), "application/json");
        assert_eq!(r.header("user-agent"), "Oxcart-Webhooks/1");
        assert_eq!(r.header("oxcart-event-type"), "user.registered");
        let body = r.json();
        assert_eq!(body.as_object().map(|o| o.len()), Some(4), "{body}");
        assert_eq!(body["id"].as_str(), Some(r.header("oxcart-event-id")));
        assert_eq!(body["type"], "user.registered");
        assert!(Timestamp::parse_rfc3339(body["created_at"].as_str().unwrap_or_default()).is_some());
        assert_eq!(body["data"]["role"], "customer");

        let d = deliveries(&app, &admin, &endpoint_id).await;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0]["id"].as_str(), Some(r.header("oxcart-delivery-id")));
        assert_eq!((d[0]["state"].as_str(), d[0]["attempt_count"].as_i64()), (Some("delivered"), Some(1)));
        let detail = delivery(&app, &admin, d[0]["id"].as_str().expect("id")).await;
        assert_eq!(detail["payload"], body["data"]);
        assert_eq!(detail["attempts"][0]["status_code"], 204);
        assert!(detail["next_attempt_at"].is_null());
        assert_eq!(send(&app, now.plus(Duration::from_secs(3600))).await, 0, "delivered once");

        // After a rotation the next delivery is signed with the new secret alone.
        let path = format!("/api/v1/webhook-endpoints/{endpoint_id}/secret");
        let rotated = expect(&app, Method::POST, &path, None, &admin, StatusCode::OK).await;
        event(&app, "bob@example.com").await;
        send(&app, Timestamp::now()).await;
        let last = receiver.received().pop().expect("second delivery");
        verify(rotated["secret"].as_str().expect("secret"), last.header("oxcart-signature"), &last.body);
    }
}

#[tokio::test]
async fn a_failure_is_tried_again_after_its_backoff_then_delivered() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let receiver = Receiver::start(200).await;
        receiver.script(&[500, 302]);
        let (admin, endpoint_id, _) = listening(&app, &receiver).await;
        event(&app, "ann@example.com").await;
        let t0 = Timestamp::now();
        assert_eq!(send(&app, t0).await, 1);
        let d = deliveries(&app, &admin, &endpoint_id).await;
        let id = d[0]["id"].as_str().expect("id").to_owned();
        let first = delivery(&app, &admin, &id).await;
        assert_eq!((first["state"].as_str(), first["last_status"].as_i64()), (Some("pending"), Some(500)));
        assert_eq!(first["last_error"], "answered 500");
        let wait = at(&first["next_attempt_at"]).as_secs() - t0.as_secs();
        assert!((24..=36).contains(&wait), "30 s ± 20 %: {wait}");
        assert_eq!(send(&app, t0.plus(Duration::from_secs(20))).await, 0, "not due yet");

        // A redirect is not followed: it is a failure like any other.
        let t1 = at(&first["next_attempt_at"]);
        assert_eq!(send(&app, t1).await, 1);
        let second = delivery(&app, &admin, &id).await;
        assert_eq!((second["state"].as_str(), second["last_status"].as_i64()), (Some("pending"), Some(302)));
        let wait = at(&second["next_attempt_at"]).as_secs() - t1.as_secs();
        assert!((48..=72).contains(&wait), "60 s ± 20 %: {wait}");

        assert_eq!(send(&app, at(&second["next_attempt_at"])).await, 1);
        let done = delivery(&app, &admin, &id).await;
        assert_eq!((done["state"].as_str(), done["attempt_count"].as_i64()), (Some("delivered"), Some(3)));
        let statuses: Vec<i64> = done["attempts"]
            .as_array()
            .expect("attempts")
            .iter()
            .map(|a| a["status_code"].as_i64().unwrap_or(0))
            .collect();
        assert_eq!(statuses, [500, 302, 200]);
        assert_eq!(done["attempts"][0]["response_excerpt"], "answer 500");
        assert!(done["last_error"].is_null());
        assert_eq!(receiver.received().len(), 3);
    }
}

#[tokio::test]
async fn a_day_of_failures_parks_it_and_a_replay_sends_it_again() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let receiver = Receiver::start(503).await;
        let (admin, endpoint_id, _) = listening(&app, &receiver).await;
        event(&app, "ann@example.com").await;
        let id = deliveries(&app, &admin, &endpoint_id).await[0]["id"].as_str().expect("id").to_owned();
        let created = at(&delivery(&app, &admin, &id).await["created_at"]);
        let mut clock = Timestamp::now();
        let mut detail = Value::Null;
        for _ in 0..40 {
            assert_eq!(send(&app, clock).await, 1);
            detail = delivery(&app, &admin, &id).await;
            if detail["state"] != "pending" {
                break;
            }
            clock = at(&detail["next_attempt_at"]);
        }
        assert_eq!(detail["state"], "failed", "{detail}");
        let attempts = detail["attempts"].as_array().cloned().expect("attempts");
        assert!((15..=25).contains(&attempts.len()), "{} attempts in a day", attempts.len());
        let last = at(&attempts[attempts.len() - 1]["at"]);
        assert!(last <= created.plus(Duration::from_secs(24 * 3600)), "no attempt past the day");
        assert!(last >= created.plus(Duration::from_secs(20 * 3600)), "retried for most of the day");
        assert_eq!(send(&app, clock.plus(Duration::from_secs(86_400))).await, 0, "parked is not retried");

        // A pending delivery is not replayed; a failed one is, at once, its attempts kept.
        let replay = format!("/api/v1/webhook-deliveries/{id}/replay");
        receiver.answer(200);
        let queued = expect(&app, Method::POST, &replay, None, &admin, StatusCode::ACCEPTED).await;
        assert_eq!(
            (queued["state"].as_str(), queued["attempt_count"].as_u64()),
            (Some("pending"), Some(attempts.len() as u64))
        );
        let r = app.post(&replay, serde_json::json!({}), Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "webhook_delivery_pending".into()));
        assert_eq!(send(&app, Timestamp::now()).await, 1);
        let done = delivery(&app, &admin, &id).await;
        assert_eq!(done["state"], "delivered");
        assert_eq!(done["attempts"].as_array().map(Vec::len), Some(attempts.len() + 1));

        // A delivered one may be replayed too (the receiver lost it).
        expect(&app, Method::POST, &replay, None, &admin, StatusCode::ACCEPTED).await;
        assert_eq!(send(&app, Timestamp::now()).await, 1);
        let again = delivery(&app, &admin, &id).await;
        assert_eq!(
            (again["state"].as_str(), again["attempt_count"].as_u64()),
            (Some("delivered"), Some(attempts.len() as u64 + 2))
        );
        let failed = format!("/api/v1/webhook-endpoints/{endpoint_id}/deliveries?state=failed");
        let page = expect(&app, Method::GET, &failed, None, &admin, StatusCode::OK).await;
        assert_eq!(page["items"].as_array().map(Vec::len), Some(0));
    }
}

#[tokio::test]
async fn an_event_delivered_twice_makes_one_delivery() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let receiver = Receiver::start(200).await;
        let (admin, endpoint_id, _) = listening(&app, &receiver).await;
        let event = users::api::events::UserRegistered { user_id: "usr_x".into(), role: Role::Customer };
        let envelope = kernel::event::Envelope::new(&event);
        // Through the bus twice (its inbox drops the second), and past the inbox twice (the
        // delivery's key drops it).
        for _ in 0..2 {
            bus::Bus::publish(app.app.bus.as_ref(), &envelope).await.expect("published");
        }
        for _ in 0..2 {
            let mut tx = app.app.db.begin().await.expect("tx");
            let made = app.app.webhooks.event_intake(&mut tx, &envelope).await.expect("intake");
            assert_eq!(made, 0, "already there");
            tx.commit().await.expect("commit");
        }
        let d = deliveries(&app, &admin, &endpoint_id).await;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0]["event_id"].as_str(), Some(envelope.id.as_str()));
        assert_eq!(send(&app, Timestamp::now()).await, 1);
        assert_eq!(receiver.received().len(), 1);
    }
}

#[tokio::test]
async fn a_disabled_endpoint_gets_nothing_new_and_its_pending_wait() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let receiver = Receiver::start(200).await;
        let (admin, endpoint_id, _) = listening(&app, &receiver).await;
        event(&app, "ann@example.com").await;
        let path = format!("/api/v1/webhook-endpoints/{endpoint_id}");
        let off = serde_json::json!({"enabled": false});
        expect(&app, Method::PATCH, &path, Some(off), &admin, StatusCode::OK).await;
        event(&app, "bob@example.com").await;
        assert_eq!(deliveries(&app, &admin, &endpoint_id).await.len(), 1, "none made while disabled");
        assert_eq!(send(&app, Timestamp::now()).await, 0, "the pending one waits");
        let on = serde_json::json!({"enabled": true});
        expect(&app, Method::PATCH, &path, Some(on), &admin, StatusCode::OK).await;
        assert_eq!(send(&app, Timestamp::now()).await, 1);
        assert_eq!(receiver.received().len(), 1);
    }
}
