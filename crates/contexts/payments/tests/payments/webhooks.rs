//! Stripe's webhooks through the real router: only signed, fresh, untampered events change a
//! payment; each once, whatever order they come in. Then, with localstripe, a real delivery.

use crate::scripted::{self, Reply};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use payments::api::{AuthorizeRequest, PaymentState, Payments};
use payments::webhook::sign;
use serde_json::{Value, json};
use testkit::{TestApp, TestBackend};

const SECRET: &str = "whsec_oxcart_test";

async fn stripe_app(backend: &TestBackend, api_base: &str) -> TestApp {
    let base = api_base.to_owned();
    TestApp::spawn_with(backend, move |c| {
        c.set("payments.provider", "stripe");
        c.set(
            "payments.stripe",
            json!({"secret_key": "sk_test_oxcart", "api_base": base, "webhook_secrets": ["whsec_old", SECRET]}),
        );
    })
    .await
}

fn request(reference: &str, token: &str) -> AuthorizeRequest {
    AuthorizeRequest {
        reference: reference.into(),
        customer_id: Some("usr_c".into()),
        seller_ids: vec![],
        amount: 1999,
        currency: "USD".into(),
        token: token.into(),
        idempotency_key: "k1".into(),
        capture: false,
    }
}

async fn deliver(app: &TestApp, body: &str, signature: Option<String>) -> testkit::TestResponse {
    let mut builder = Request::post("/api/v1/webhooks/stripe").header("content-type", "application/json");
    if let Some(s) = signature {
        builder = builder.header("stripe-signature", s);
    }
    app.send(builder.body(Body::from(body.to_owned())).expect("request")).await
}

fn event(id: &str, kind: &str, object: Value) -> String {
    json!({"id": id, "object": "event", "type": kind, "data": {"object": object}}).to_string()
}

fn now() -> i64 {
    kernel::time::Timestamp::now().as_micros() / 1_000_000
}

#[tokio::test]
async fn signed_events_apply_once_and_in_any_order() {
    for backend in testkit::backends() {
        let fake = scripted::start(vec![Reply::Status(200, r#"{"id":"pi_hook1","status":"requires_capture"}"#)]).await;
        let app = stripe_app(&backend, &fake.base).await;
        let paid = app.app.payments.payment_authorize(&request("ord_hook", "pm_card_visa")).await.expect("authorized");
        assert_eq!(paid.state, PaymentState::Authorized);

        // Captured at Stripe (say, from its dashboard): the event makes it true here too.
        let succeeded = event("evt_1", "payment_intent.succeeded", json!({"id": "pi_hook1", "amount_received": 1999}));
        let r = deliver(&app, &succeeded, Some(sign(SECRET, now(), succeeded.as_bytes()))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["duplicate"], false);
        app.settle().await;
        let now_state = app.app.payments.payment_status(&paid.id).await.expect("status");
        assert_eq!((now_state.state, now_state.amounts.captured), (PaymentState::Captured, 1999), "{}", backend.name());

        // The same event again: acknowledged, nothing changes.
        let again = deliver(&app, &succeeded, Some(sign(SECRET, now(), succeeded.as_bytes()))).await;
        assert_eq!((again.status, again.json()["duplicate"].clone()), (StatusCode::OK, json!(true)));
        // A late event of an earlier stage: nothing to do.
        let late = event("evt_0", "payment_intent.requires_action", json!({"id": "pi_hook1"}));
        assert_eq!(deliver(&app, &late, Some(sign(SECRET, now(), late.as_bytes()))).await.status, StatusCode::OK);
        // A refund made at Stripe: the ledger takes it.
        let refunded = event(
            "evt_2",
            "charge.refunded",
            json!({"id": "ch_1", "payment_intent": "pi_hook1", "amount_refunded": 500}),
        );
        assert_eq!(
            deliver(&app, &refunded, Some(sign("whsec_old", now(), refunded.as_bytes()))).await.status,
            StatusCode::OK,
            "the old secret still signs"
        );
        app.settle().await;
        let after = app.app.payments.payment_status(&paid.id).await.expect("status");
        assert_eq!(
            (after.state, after.amounts.captured, after.amounts.refunded),
            (PaymentState::PartiallyRefunded, 1999, 500)
        );
        let mut db = app.app.db.clone();
        let ledger = payments::audit::entry_list(&mut db, &paid.id).await.expect("ledger");
        assert_eq!(ledger.iter().filter(|e| e.kind == "capture").count(), 1, "captured once");

        // A chargeback: kept in the history and announced; the money stays as the ledger says.
        let dispute = event(
            "evt_3",
            "charge.dispute.created",
            json!({"id": "dp_1", "payment_intent": "pi_hook1", "amount": 1499, "reason": "fraudulent",
                "status": "needs_response"}),
        );
        assert_eq!(deliver(&app, &dispute, Some(sign(SECRET, now(), dispute.as_bytes()))).await.status, StatusCode::OK);
        app.settle().await;
        let (notes,): (i64,) = app
            .app
            .db
            .fetch_one(
                "SELECT COUNT(*) FROM payments_history WHERE payment_id = $1 AND reason LIKE '%dispute.created: fraudulent%'",
                store::args![&paid.id],
            )
            .await
            .expect("history");
        assert_eq!(notes, 1, "the dispute is in the payment's history");
        let (announced,): (i64,) = app
            .app
            .db
            .fetch_one("SELECT COUNT(*) FROM store_outbox WHERE event_type = 'payment.disputed'", vec![])
            .await
            .expect("outbox");
        assert_eq!(announced, 1);
        let disputed = app.app.payments.payment_status(&paid.id).await.expect("status");
        assert_eq!((disputed.state, disputed.amounts.refunded), (PaymentState::PartiallyRefunded, 500));
    }
}

#[tokio::test]
async fn unsigned_stale_or_tampered_events_change_nothing() {
    let fake = scripted::start(vec![Reply::Status(200, r#"{"id":"pi_hook2","status":"requires_capture"}"#)]).await;
    let app = stripe_app(&TestBackend::Sqlite, &fake.base).await;
    let paid = app.app.payments.payment_authorize(&request("ord_bad", "pm_card_visa")).await.expect("authorized");
    let body = event("evt_x", "payment_intent.canceled", json!({"id": "pi_hook2"}));
    let tampered = body.replace("canceled", "succeeded");
    let cases = [
        (None, body.clone(), "webhook_signature_invalid"),
        (Some("t=1,v1=zz".to_owned()), body.clone(), "webhook_signature_invalid"),
        (Some(sign(SECRET, now() - 301, body.as_bytes())), body.clone(), "webhook_signature_invalid"),
        (Some(sign("whsec_someone_else", now(), body.as_bytes())), body.clone(), "webhook_signature_invalid"),
        (Some(sign(SECRET, now(), body.as_bytes())), tampered, "webhook_signature_invalid"),
        (Some(sign(SECRET, now(), b"not json")), "not json".to_owned(), "webhook_payload_invalid"),
    ];
    for (signature, body, code) in cases {
        let r = deliver(&app, &body, signature.clone()).await;
        assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, code.to_owned()), "{signature:?}");
    }
    let huge = "x".repeat(300 * 1024);
    assert_eq!(
        deliver(&app, &huge, Some(sign(SECRET, now(), huge.as_bytes()))).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    app.settle().await;
    assert_eq!(app.app.payments.payment_status(&paid.id).await.expect("status").state, PaymentState::Authorized);
    let (seen,): (i64,) =
        app.app.db.fetch_one("SELECT COUNT(*) FROM payments_webhook_events", vec![]).await.expect("n");
    assert_eq!(seen, 0);
}

#[tokio::test]
async fn a_sandbox_shop_takes_no_webhooks() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let body = event("evt_1", "payment_intent.succeeded", json!({"id": "pi_1"}));
    let r = deliver(&app, &body, Some(sign(SECRET, now(), body.as_bytes()))).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "webhook_not_configured".into()));
}

/// localstripe signs and sends the events itself: a capture made at "Stripe" reaches the
/// payment through the real webhook, over a real socket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn localstripe_delivers_signed_events() {
    let Some(base) = testkit::localstripe::url() else { return };
    let app = stripe_app(&TestBackend::Sqlite, &base).await;
    let limits = oxcart::http::listener::Limits {
        header_read: std::time::Duration::from_secs(10),
        idle: std::time::Duration::from_secs(60),
        max_connections: 64,
        drain: std::time::Duration::from_secs(1),
    };
    let addr = app.listen(limits).await;
    let hook = format!("url=http://{addr}/api/v1/webhooks/stripe&secret={SECRET}");
    testkit::localstripe::call(&base, "POST", &format!("/_config/webhooks/oxcart_{}", addr.port()), &hook).await;
    let paid = app.app.payments.payment_authorize(&request("ord_live", "pm_card_visa")).await.expect("authorize");
    assert_eq!(paid.state, PaymentState::Authorized, "{paid:?}");
    let row = payments::audit::payment_get(&mut app.app.db.clone(), &paid.id).await.expect("row").expect("exists");
    let intent = row.provider_ref.expect("pi");
    // Captured at Stripe, not through Oxcart.
    testkit::localstripe::call(&base, "POST", &format!("/v1/payment_intents/{intent}/capture"), "").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        app.settle().await;
        let now = app.app.payments.payment_status(&paid.id).await.expect("status");
        if now.state == PaymentState::Captured {
            assert_eq!(now.amounts.captured, 1999);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no webhook arrived: {now:?}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
