//! The Stripe adapter: its faults against a scripted fake (retries with the same key, the
//! deadline, the circuit breaker), then every flow against localstripe, a real stateful fake
//! of Stripe (`OXCART_TEST_STRIPE_URL`; skipped, and said so, without it).

use crate::scripted::{self, Reply};
use payments::gateway::{AuthorizeCall, Gateway, GatewayError, Money, Outcome, STRIPE_VERSION, Stripe, StripeConfig};
use std::time::{Duration, Instant};

const INTENT: &str = r#"{"id":"pi_fake1","object":"payment_intent","status":"requires_capture"}"#;

fn call(key: &str) -> AuthorizeCall<'_> {
    AuthorizeCall { amount: 1999, currency: "USD", token: "pm_card_visa", key }
}

fn usd(amount: i64) -> Money<'static> {
    Money { amount, currency: "USD" }
}

fn fast(base: &str) -> StripeConfig {
    let mut c = StripeConfig::new(base, "sk_test_oxcart");
    c.backoff = Duration::from_millis(10);
    c.timeout = Duration::from_millis(500);
    c
}

#[tokio::test]
async fn transient_failures_are_retried_with_the_same_key() {
    let fake = scripted::start(vec![
        Reply::Status(500, r#"{"error":{"type":"api_error"}}"#),
        Reply::Status(429, r#"{"error":{"type":"rate_limit_error"}}"#),
        Reply::Status(200, INTENT),
    ])
    .await;
    let stripe = Stripe::new(fast(&fake.base)).expect("config");
    let outcome = stripe.authorize(call("pay_1")).await.expect("third try answers");
    assert_eq!(outcome, Outcome::Authorized { provider_ref: "pi_fake1".into() });
    let seen = fake.seen.lock().expect("seen").clone();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|s| s.idempotency_key.as_deref() == Some("pay_1")), "one key for every try");
    assert!(seen.iter().all(|s| s.stripe_version.as_deref() == Some(STRIPE_VERSION)));
    assert!(seen[0].body.contains("capture_method=manual") && seen[0].body.contains("amount=1999"), "{}", seen[0].body);
    assert!(seen[0].body.contains("currency=usd"));
    assert_eq!((seen[0].method.as_str(), seen[0].path.as_str()), ("POST", "/v1/payment_intents"));
}

#[tokio::test]
async fn refusals_are_not_retried_and_declines_are_answers() {
    let fake = scripted::start(vec![Reply::Status(
        402,
        r#"{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds."}}"#,
    )])
    .await;
    let stripe = Stripe::new(fast(&fake.base)).expect("config");
    let outcome = stripe.authorize(call("pay_2")).await.expect("a decision");
    assert!(matches!(outcome, Outcome::Declined { code: "insufficient_funds", .. }), "{outcome:?}");
    let bad = scripted::start(vec![Reply::Status(
        400,
        r#"{"error":{"type":"invalid_request_error","message":"No such payment_intent"}}"#,
    )])
    .await;
    let stripe = Stripe::new(fast(&bad.base)).expect("config");
    let err = stripe.capture("pi_x", usd(100), "k").await.expect_err("refused");
    assert!(matches!(err, GatewayError::Refused { code: "provider_invalid_request", .. }), "{err:?}");
    assert_eq!(bad.seen.lock().expect("seen").len(), 1, "a 400 is not retried");
}

#[tokio::test]
async fn a_silent_provider_times_out_and_then_the_breaker_fails_fast() {
    let fake = scripted::start(vec![Reply::Hang]).await;
    let mut config = fast(&fake.base);
    config.timeout = Duration::from_millis(200);
    config.retries = 0;
    config.breaker_after = 3;
    let stripe = Stripe::new(config).expect("config");
    for _ in 0..3 {
        let started = Instant::now();
        let err = stripe.capture("pi_x", usd(100), "k").await.expect_err("no answer");
        assert!(matches!(err, GatewayError::Transient(_)));
        assert!(started.elapsed() < Duration::from_secs(2), "the deadline fired");
    }
    let calls = fake.seen.lock().expect("seen").len();
    let err = stripe.capture("pi_x", usd(100), "k").await.expect_err("open");
    assert!(matches!(&err, GatewayError::Transient(why) if why.contains("circuit breaker")), "{err:?}");
    assert_eq!(fake.seen.lock().expect("seen").len(), calls, "an open breaker sends nothing");
}

use testkit::localstripe::{call as raw, url as localstripe};

/// What the customer's browser does with Stripe.js: makes a payment method from a test card.
async fn payment_method(base: &str, number: &str) -> String {
    let body = format!("type=card&card[number]={number}&card[exp_month]=12&card[exp_year]=2030&card[cvc]=123");
    let answer = raw(base, "POST", "/v1/payment_methods", &body).await;
    answer["id"].as_str().expect("pm id").to_owned()
}

#[tokio::test]
async fn every_flow_against_localstripe() {
    let Some(base) = localstripe() else { return };
    let stripe = Stripe::new(StripeConfig::new(&base, "sk_test_oxcart")).expect("config");
    let key = format!("pay_{}", kernel::id::new_id("t"));
    // Authorize, capture part, refund part.
    let visa = payment_method(&base, "4242424242424242").await;
    let call = AuthorizeCall { amount: 5000, currency: "USD", token: &visa, key: &key };
    let Outcome::Authorized { provider_ref } = stripe.authorize(call).await.expect("authorized") else {
        panic!("not authorized")
    };
    let intent = raw(&base, "GET", &format!("/v1/payment_intents/{provider_ref}"), "").await;
    assert_eq!(intent["status"], "requires_capture", "{intent}");
    assert_eq!(intent["capture_method"], "manual");
    stripe.capture(&provider_ref, usd(3000), &format!("{key}:capture")).await.expect("captured");
    let intent = raw(&base, "GET", &format!("/v1/payment_intents/{provider_ref}"), "").await;
    assert_eq!(intent["status"], "succeeded", "{intent}");
    let refund = stripe.refund(&provider_ref, usd(1000), &format!("{key}:refund")).await.expect("refunded");
    assert!(refund.starts_with("re_"), "{refund}");

    // Declined.
    let declined = payment_method(&base, "4000000000000341").await;
    let call = AuthorizeCall { amount: 5000, currency: "USD", token: &declined, key: "pay_declined" };
    let outcome = stripe.authorize(call).await.expect("a decision");
    assert!(matches!(outcome, Outcome::Declined { .. }), "{outcome:?}");

    // 3-D Secure: the customer's action, then the provider's decision.
    let secure = payment_method(&base, "4000000000003220").await;
    let call = AuthorizeCall { amount: 700, currency: "USD", token: &secure, key: "pay_3ds" };
    let Outcome::RequiresAction { provider_ref, next_action } = stripe.authorize(call).await.expect("answer") else {
        panic!("no action asked")
    };
    let secret = next_action["client_secret"].as_str().expect("client secret").to_owned();
    raw(
        &base,
        "POST",
        &format!("/v1/payment_intents/{provider_ref}/_authenticate"),
        &format!("client_secret={secret}&success=true"),
    )
    .await;
    assert_eq!(
        stripe.confirm(&provider_ref).await.expect("decided"),
        Outcome::Authorized { provider_ref: provider_ref.clone() }
    );

    // Cancel an authorization.
    let again = payment_method(&base, "4242424242424242").await;
    let call = AuthorizeCall { amount: 100, currency: "USD", token: &again, key: "pay_void" };
    let Outcome::Authorized { provider_ref } = stripe.authorize(call).await.expect("authorized") else { panic!() };
    stripe.cancel(&provider_ref, "pay_void:cancel").await.expect("cancelled");
    let intent = raw(&base, "GET", &format!("/v1/payment_intents/{provider_ref}"), "").await;
    assert_eq!(intent["status"], "canceled");
}

/// The client speaks TLS: against a local TLS server whose certificate a test authority signed,
/// the call goes through when that authority is trusted, and fails when only the public roots
/// are (so an impostor cannot answer for Stripe).
#[tokio::test]
async fn the_client_speaks_tls_and_checks_the_certificate() {
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/payments/tls");
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(dir.join("server.pem")).expect("cert").map(|c| c.expect("pem")).collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).expect("key");
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                let mut buf = vec![0u8; 16 * 1024];
                let _ = tls.read(&mut buf).await;
                let body = INTENT;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });

    let base = format!("https://localhost:{port}");
    let mut trusted = fast(&base);
    trusted.ca_file = Some(dir.join("ca.pem"));
    let stripe = Stripe::new(trusted).expect("config");
    assert_eq!(
        stripe.authorize(call("pay_tls")).await.expect("over TLS"),
        Outcome::Authorized { provider_ref: "pi_fake1".into() }
    );

    let mut untrusted = fast(&base);
    untrusted.retries = 0;
    let stripe = Stripe::new(untrusted).expect("config");
    let err = stripe.authorize(call("pay_tls")).await.expect_err("unknown authority");
    assert!(matches!(&err, GatewayError::Transient(why) if why.contains("TLS")), "{err:?}");
}
