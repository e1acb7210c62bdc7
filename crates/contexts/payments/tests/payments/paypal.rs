//! The PayPal adapter against a scripted server speaking the Orders v2 wire format: the OAuth2
//! token is fetched once and renewed on a 401, the authorization must be for what is owed,
//! PayPal's refusals map to our outcomes, and captures and refunds name the right objects.

use crate::scripted::{self, Reply};
use payments::gateway::{
    AuthorizeCall, Gateway, GatewayError, Money, Outcome, Paypal, PaypalConfig, paypal_amount, paypal_minor,
};
use std::time::Duration;

const TOKEN: &str = r#"{"access_token":"A21AA-token","token_type":"Bearer","expires_in":32400}"#;
const AUTHORIZED: &str = r#"{"id":"5O190127TN364715T","status":"COMPLETED","purchase_units":[{"payments":{"authorizations":[{"id":"0VF52814937998046","status":"CREATED","amount":{"currency_code":"USD","value":"19.99"}}]}}]}"#;

fn config(base: &str) -> PaypalConfig {
    let mut c = PaypalConfig::new(base, "client-id", "client-secret");
    c.backoff = Duration::from_millis(10);
    c.timeout = Duration::from_millis(500);
    c
}

fn call(amount: i64) -> AuthorizeCall<'static> {
    AuthorizeCall { amount, currency: "USD", token: "5O190127TN364715T", key: "pay_pp1" }
}

#[test]
fn amounts_are_written_in_the_currency_s_decimals() {
    assert_eq!(paypal_amount(1999, "USD"), "19.99");
    assert_eq!(paypal_amount(5, "EUR"), "0.05");
    assert_eq!(paypal_amount(100, "USD"), "1.00");
    assert_eq!(paypal_amount(1999, "JPY"), "1999");
    for (value, currency, minor) in
        [("19.99", "USD", Some(1999)), ("0.05", "EUR", Some(5)), ("1999", "JPY", Some(1999))]
    {
        assert_eq!(paypal_minor(value, currency), minor, "{value}");
    }
    assert_eq!(paypal_minor("19.9", "USD"), None, "PayPal always writes two decimals");
    assert_eq!(paypal_minor("x", "USD"), None);
}

#[tokio::test]
async fn authorize_capture_refund_and_void_name_the_right_objects() {
    let fake = scripted::start(vec![
        Reply::Status(200, TOKEN),
        Reply::Status(201, AUTHORIZED),
        Reply::Status(201, r#"{"id":"2GG279541U471931P","status":"COMPLETED"}"#),
        Reply::Status(201, r#"{"id":"1JU08902781691411","status":"COMPLETED"}"#),
        Reply::Status(204, ""),
    ])
    .await;
    let paypal = Paypal::new(config(&fake.base)).expect("config");
    let outcome = paypal.authorize(call(1999)).await.expect("authorized");
    assert_eq!(outcome, Outcome::Authorized { provider_ref: "0VF52814937998046".into() });
    let usd = |amount| Money { amount, currency: "USD" };
    let capture = paypal.capture("0VF52814937998046", usd(1500), "pay_pp1:capture").await.expect("captured");
    assert_eq!(capture, "2GG279541U471931P", "refunds are made against the capture");
    let refund = paypal.refund(&capture, usd(500), "pay_pp1:refund:r1").await.expect("refunded");
    assert_eq!(refund, "1JU08902781691411");
    paypal.cancel("0VF52814937998046", "pay_pp1:cancel").await.expect("voided");

    let seen = fake.seen.lock().expect("seen").clone();
    let paths: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/v1/oauth2/token",
            "/v2/checkout/orders/5O190127TN364715T/authorize",
            "/v2/payments/authorizations/0VF52814937998046/capture",
            "/v2/payments/captures/2GG279541U471931P/refund",
            "/v2/payments/authorizations/0VF52814937998046/void",
        ],
        "one token for every call"
    );
    assert!(seen[0].authorization.as_deref().is_some_and(|a| a.starts_with("Basic ")));
    assert!(seen[1..].iter().all(|s| s.authorization.as_deref() == Some("Bearer A21AA-token")));
    assert_eq!(seen[1].idempotency_key.as_deref(), Some("pay_pp1"), "PayPal-Request-Id");
    assert!(
        seen[2].body.contains(r#""value":"15.00""#) && seen[2].body.contains(r#""currency_code":"USD""#),
        "{}",
        seen[2].body
    );
    assert!(seen[3].body.contains(r#""value":"5.00""#), "{}", seen[3].body);
}

#[tokio::test]
async fn an_order_for_another_amount_is_not_taken() {
    let fake = scripted::start(vec![Reply::Status(200, TOKEN), Reply::Status(201, AUTHORIZED)]).await;
    let paypal = Paypal::new(config(&fake.base)).expect("config");
    let outcome = paypal.authorize(call(2999)).await.expect("a decision");
    assert!(matches!(outcome, Outcome::Declined { code: "amount_mismatch", .. }), "{outcome:?}");
}

#[tokio::test]
async fn refusals_map_to_outcomes_and_an_expired_token_is_renewed() {
    let declined = r#"{"name":"UNPROCESSABLE_ENTITY","details":[{"issue":"INSTRUMENT_DECLINED"}]}"#;
    let unapproved = r#"{"name":"UNPROCESSABLE_ENTITY","details":[{"issue":"ORDER_NOT_APPROVED"}]}"#;
    let fake = scripted::start(vec![
        Reply::Status(200, TOKEN),
        Reply::Status(422, declined),
        Reply::Status(422, unapproved),
        Reply::Status(401, r#"{"error":"invalid_token"}"#),
        Reply::Status(200, TOKEN),
        Reply::Status(503, "{}"),
        Reply::Status(201, AUTHORIZED),
    ])
    .await;
    let paypal = Paypal::new(config(&fake.base)).expect("config");
    assert!(matches!(paypal.authorize(call(1999)).await, Ok(Outcome::Declined { code: "card_declined", .. })));
    let action = paypal.authorize(call(1999)).await.expect("a decision");
    assert!(
        matches!(&action, Outcome::RequiresAction { next_action, .. } if next_action["type"] == "paypal_approve"),
        "{action:?}"
    );
    // 401: a new token, then a 503 retried with the same request id, then the answer.
    assert!(matches!(paypal.authorize(call(1999)).await, Ok(Outcome::Authorized { .. })));
    let seen = fake.seen.lock().expect("seen").clone();
    assert_eq!(seen.iter().filter(|s| s.path == "/v1/oauth2/token").count(), 2, "renewed once");
    assert!(seen[5..].iter().all(|s| s.idempotency_key.as_deref() == Some("pay_pp1")));

    let down = scripted::start(vec![Reply::Status(200, TOKEN), Reply::Status(500, "{}")]).await;
    let paypal = Paypal::new(config(&down.base)).expect("config");
    let err = paypal.capture("0VF5", Money { amount: 1, currency: "USD" }, "k").await.expect_err("down");
    assert!(matches!(err, GatewayError::Transient(_)), "{err:?}");
    assert_eq!(down.seen.lock().expect("seen").len(), 4, "a token and three tries");
}

/// The whole payment through the service with PayPal behind it: the refund goes to the
/// capture PayPal named, and the ledger keeps each object's reference.
#[tokio::test]
async fn a_paypal_payment_through_the_service() {
    let fake = scripted::start(vec![
        Reply::Status(200, TOKEN),
        Reply::Status(201, AUTHORIZED),
        Reply::Status(201, r#"{"id":"2GG279541U471931P","status":"COMPLETED"}"#),
        Reply::Status(201, r#"{"id":"1JU08902781691411","status":"COMPLETED"}"#),
    ])
    .await;
    let base = fake.base.clone();
    let app = testkit::TestApp::spawn_with(&testkit::TestBackend::Sqlite, move |c| {
        c.set("payments.provider", "paypal");
        c.set("payments.paypal", serde_json::json!({"client_id": "id", "client_secret": "secret", "api_base": base}));
    })
    .await;
    use payments::api::{AuthorizeRequest, PaymentState, Payments};
    let request = AuthorizeRequest {
        reference: "ord_pp".into(),
        customer_id: Some("usr_c".into()),
        seller_ids: vec![],
        amount: 1999,
        currency: "USD".into(),
        token: "5O190127TN364715T".into(),
        idempotency_key: "k".into(),
        capture: true,
    };
    let paid = app.app.payments.payment_authorize(&request).await.expect("paid");
    assert_eq!((paid.state, paid.provider.as_str(), paid.amounts.captured), (PaymentState::Captured, "paypal", 1999));
    let refunded = app.app.payments.payment_refund(&paid.id, 500, "", "r1", "usr_admin").await.expect("refunded");
    assert_eq!((refunded.state, refunded.amounts.refunded), (PaymentState::PartiallyRefunded, 500));
    let seen = fake.seen.lock().expect("seen").clone();
    assert_eq!(seen.last().map(|s| s.path.as_str()), Some("/v2/payments/captures/2GG279541U471931P/refund"));
    let mut db = app.app.db.clone();
    let ledger = payments::audit::entry_list(&mut db, &paid.id).await.expect("ledger");
    let refs: Vec<_> = ledger.iter().map(|e| (e.kind.as_str(), e.provider_ref.clone().unwrap_or_default())).collect();
    assert_eq!(refs[1], ("capture", "2GG279541U471931P".to_owned()), "{refs:?}");
    assert_eq!(refs[2], ("refund", "1JU08902781691411".to_owned()), "{refs:?}");
}

/// PayPal's webhook: PayPal vouches for each delivery; a capture made at PayPal then makes the
/// payment captured here, once, however often it is delivered; a delivery PayPal disowns or
/// one without its headers changes nothing.
#[tokio::test]
async fn paypal_events_apply_once_when_paypal_vouches_for_them() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use payments::api::{AuthorizeRequest, PaymentState, Payments};
    let fake = scripted::start(vec![
        Reply::Status(200, TOKEN),
        Reply::Status(201, AUTHORIZED),
        Reply::Status(200, r#"{"verification_status":"SUCCESS"}"#),
        Reply::Status(200, r#"{"verification_status":"SUCCESS"}"#),
        Reply::Status(200, r#"{"verification_status":"FAILURE"}"#),
    ])
    .await;
    let base = fake.base.clone();
    let app = testkit::TestApp::spawn_with(&testkit::TestBackend::Sqlite, move |c| {
        c.set("payments.provider", "paypal");
        c.set(
            "payments.paypal",
            serde_json::json!({"client_id": "id", "client_secret": "secret", "api_base": base, "webhook_id": "WH-ID"}),
        );
    })
    .await;
    let request = AuthorizeRequest {
        reference: "ord_ppw".into(),
        customer_id: None,
        seller_ids: vec![],
        amount: 1999,
        currency: "USD".into(),
        token: "5O190127TN364715T".into(),
        idempotency_key: "k".into(),
        capture: false,
    };
    let paid = app.app.payments.payment_authorize(&request).await.expect("authorized");
    assert_eq!(paid.state, PaymentState::Authorized);
    let event = serde_json::json!({
        "id": "WH-58D329510W468432D-8HN650336L201105X",
        "event_type": "PAYMENT.CAPTURE.COMPLETED",
        "resource": {"id": "2GG279541U471931P", "status": "COMPLETED", "amount": {"currency_code": "USD", "value": "19.99"},
            "supplementary_data": {"related_ids": {"authorization_id": "0VF52814937998046"}}}
    })
    .to_string();
    let deliver = |signed: bool| {
        let mut builder = Request::post("/api/v1/webhooks/paypal").header("content-type", "application/json");
        if signed {
            for (name, value) in [
                ("paypal-auth-algo", "SHA256withRSA"),
                ("paypal-cert-url", "https://api.paypal.com/v1/notifications/certs/CERT"),
                ("paypal-transmission-id", "69cd13f0-d67a-11e5-baa3-778b53f4ae55"),
                (
                    "paypal-transmission-sig",
                    "lmI95Jx3Y9nhR5SJWlHVIWpg4AgFk7n9bCHSRxbrd8A9zrhdu2rMyFrmz+Zjh3s3boXB07VXCXUZy/UFzUlnGJn0wDugt7FlSvdKeIJenLRemUxYCPVoEZzg9VFNqOa48gMkvF+XTpxBeUx/kWy6B5cp7GkT2+pOowfRK7OaynuxUoKW3JcMWw272VKjLTtTAShncla7tGF+55rxyt2KNZIIqxNMJ48RDZheGU5w1npu9dZHnPgTXB9iomeVRoD8O/jhRpnKsGrDschyNdkeh81BJJMH4Ctc6lnCCquoP/GzCzz33MMsNdid7vL/NIWaCsekQpW26FpWPi/tfj8nLA==",
                ),
                ("paypal-transmission-time", "2026-12-02T04:00:00Z"),
            ] {
                builder = builder.header(name, value);
            }
        }
        builder.body(Body::from(event.clone())).expect("request")
    };
    let first = app.send(deliver(true)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    app.settle().await;
    let now = app.app.payments.payment_status(&paid.id).await.expect("status");
    assert_eq!((now.state, now.amounts.captured), (PaymentState::Captured, 1999));
    let again = app.send(deliver(true)).await;
    assert_eq!((again.status, again.json()["duplicate"].clone()), (StatusCode::OK, serde_json::json!(true)));
    let disowned = app.send(deliver(true)).await;
    assert_eq!((disowned.status, disowned.code()), (StatusCode::BAD_REQUEST, "webhook_signature_invalid".into()));
    let bare = app.send(deliver(false)).await;
    assert_eq!((bare.status, bare.code()), (StatusCode::BAD_REQUEST, "webhook_signature_invalid".into()));
    let seen = fake.seen.lock().expect("seen").clone();
    let verify = seen.iter().find(|s| s.path == "/v1/notifications/verify-webhook-signature").expect("asked PayPal");
    assert!(
        verify.body.contains(r#""webhook_id":"WH-ID""#) && verify.body.contains("PAYMENT.CAPTURE.COMPLETED"),
        "{}",
        verify.body
    );
    let mut db = app.app.db.clone();
    let ledger = payments::audit::entry_list(&mut db, &paid.id).await.expect("ledger");
    assert_eq!(ledger.iter().filter(|e| e.kind == "capture").count(), 1);
}
