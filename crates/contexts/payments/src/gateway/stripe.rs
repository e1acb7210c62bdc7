//! Stripe's PaymentIntents API, spoken directly: form-encoded requests, `Idempotency-Key` on
//! every mutating call, `Stripe-Version` pinned, manual capture. Transient failures
//! (connection errors, 409, 429, 5xx, or `Stripe-Should-Retry: true`) are retried with the
//! same key, with exponential backoff and jitter; a run of them opens a circuit breaker that
//! fails fast until the provider has had time to recover.

use super::{AuthorizeCall, Gateway, GatewayError, GatewayResult, Money, Outcome};
use bytes::Bytes;
use http_body_util::Full;
use hyper::Request;
use kernel::BoxFuture;
use outbound::{Answer, Client, Endpoint};
use serde::Deserialize;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::Duration;

/// The API version every request pins, so that Stripe's changes reach us only when we move.
pub const STRIPE_VERSION: &str = "2024-06-20";

#[derive(Clone)]
pub struct StripeConfig {
    /// `https://api.stripe.com`, or `http://127.0.0.1:8420` for a local fake.
    pub api_base: String,
    /// Authorities to trust besides the Mozilla roots (a TLS-inspecting proxy's, a test's).
    pub ca_file: Option<std::path::PathBuf>,
    pub secret_key: String,
    pub connect_timeout: Duration,
    /// The longest one call may take, answer included.
    pub timeout: Duration,
    /// Retries after the first try of a transient failure.
    pub retries: u32,
    pub backoff: Duration,
    /// Consecutive failed calls that open the breaker, and how long it stays open.
    pub breaker_after: u32,
    pub breaker_open: Duration,
}

impl std::fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret key never reaches a log line.
        f.debug_struct("StripeConfig")
            .field("api_base", &self.api_base)
            .field("secret_key", &"…")
            .finish_non_exhaustive()
    }
}

impl StripeConfig {
    pub fn new(api_base: &str, secret_key: &str) -> Self {
        Self {
            api_base: api_base.to_owned(),
            ca_file: None,
            secret_key: secret_key.to_owned(),
            connect_timeout: Duration::from_secs(3),
            timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_millis(200),
            breaker_after: 5,
            breaker_open: Duration::from_secs(30),
        }
    }
}

pub struct Stripe {
    client: Client,
    config: StripeConfig,
    failures: AtomicU32,
    /// Microseconds since the epoch until which calls fail fast.
    open_until: AtomicI64,
}

#[derive(Debug, Deserialize)]
struct Intent {
    id: String,
    status: String,
    #[serde(default)]
    client_secret: Option<String>,
    #[serde(default)]
    next_action: Option<serde_json::Value>,
    #[serde(default)]
    last_payment_error: Option<StripeError>,
}

#[derive(Debug, Deserialize)]
struct StripeError {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    decline_code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: StripeError,
}

#[derive(Debug, Deserialize)]
struct Created {
    id: String,
}

#[derive(Debug, Deserialize)]
struct SetupIntent {
    client_secret: String,
}

fn now_micros() -> i64 {
    kernel::time::Timestamp::now().as_micros()
}

/// Our stable code for a card's refusal.
fn decline_code(e: &StripeError) -> &'static str {
    match (e.decline_code.as_deref(), e.code.as_deref()) {
        (Some("insufficient_funds"), _) => "insufficient_funds",
        (_, Some("payment_intent_authentication_failure")) => "authentication_failed",
        (_, Some("expired_card")) => "expired_card",
        _ => "card_declined",
    }
}

impl Stripe {
    pub fn new(config: StripeConfig) -> Result<Self, String> {
        let client = Client::new(Endpoint::parse(&config.api_base)?, config.ca_file.as_deref())?;
        if config.secret_key.trim().is_empty() {
            return Err("payments.stripe.secret_key is required".into());
        }
        Ok(Self { client, config, failures: AtomicU32::new(0), open_until: AtomicI64::new(0) })
    }

    fn request(&self, method: &str, path: &str, form: &[(&str, String)], key: Option<&str>) -> Request<Full<Bytes>> {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.client.endpoint().host_header())
            .header("authorization", format!("Bearer {}", self.config.secret_key))
            .header("stripe-version", STRIPE_VERSION)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(key) = key {
            builder = builder.header("idempotency-key", key);
        }
        builder.body(Full::new(Bytes::from(body))).unwrap_or_default()
    }

    /// One API call with Stripe's retry rules; the answer is a 2xx or a 4xx worth reading.
    async fn call(
        &self,
        method: &str,
        path: &str,
        form: &[(&str, String)],
        key: Option<&str>,
    ) -> GatewayResult<Answer> {
        if now_micros() < self.open_until.load(Ordering::Relaxed) {
            return Err(GatewayError::Transient("Stripe is failing; the circuit breaker is open".into()));
        }
        let mut last = String::new();
        for attempt in 0..=self.config.retries {
            if attempt > 0 {
                tokio::time::sleep(crate::domain::backoff(self.config.backoff, attempt)).await;
            }
            let request = self.request(method, path, form, key);
            match self.client.send(request, self.config.connect_timeout, self.config.timeout).await {
                Ok(answer) => {
                    // Stripe's header, when sent, overrides what the status suggests.
                    let transient = matches!(answer.status, 409 | 429 | 500..=599);
                    if !answer
                        .header("stripe-should-retry")
                        .map(|v| v.eq_ignore_ascii_case("true"))
                        .unwrap_or(transient)
                    {
                        self.failures.store(0, Ordering::Relaxed);
                        return Ok(answer);
                    }
                    last = format!("Stripe answered {}", answer.status);
                }
                Err(e) => last = e,
            }
        }
        if self.failures.fetch_add(1, Ordering::Relaxed) + 1 >= self.config.breaker_after {
            let until = now_micros() + self.config.breaker_open.as_micros() as i64;
            self.open_until.store(until, Ordering::Relaxed);
            tracing::warn!(open_secs = self.config.breaker_open.as_secs(), "Stripe circuit breaker opened");
        }
        Err(GatewayError::Transient(last))
    }

    fn refused(answer: &Answer) -> GatewayError {
        let parsed: Option<ErrorBody> = serde_json::from_slice(&answer.body).ok();
        let message =
            parsed.as_ref().and_then(|b| b.error.message.clone()).unwrap_or_else(|| format!("HTTP {}", answer.status));
        let code = match answer.status {
            401 | 403 => "provider_auth",
            404 => "provider_not_found",
            _ => "provider_invalid_request",
        };
        GatewayError::Refused { code, message }
    }

    fn outcome(answer: &Answer) -> GatewayResult<Outcome> {
        if answer.status == 402 {
            let body: Option<ErrorBody> = serde_json::from_slice(&answer.body).ok();
            let error = body.map(|b| b.error).unwrap_or(StripeError { code: None, decline_code: None, message: None });
            let message = error.message.clone().unwrap_or_else(|| "The card was declined.".into());
            return Ok(Outcome::Declined { code: decline_code(&error), message });
        }
        if !(200..300).contains(&answer.status) {
            return Err(Self::refused(answer));
        }
        let intent: Intent = serde_json::from_slice(&answer.body)
            .map_err(|e| GatewayError::Transient(format!("unreadable PaymentIntent: {e}")))?;
        Self::intent_outcome(intent)
    }

    fn intent_outcome(intent: Intent) -> GatewayResult<Outcome> {
        match intent.status.as_str() {
            "requires_capture" | "succeeded" => Ok(Outcome::Authorized { provider_ref: intent.id }),
            "requires_action" => Ok(Outcome::RequiresAction {
                next_action: serde_json::json!({
                    "type": "stripe",
                    "client_secret": intent.client_secret,
                    "stripe": intent.next_action,
                }),
                provider_ref: intent.id,
            }),
            "requires_payment_method" | "canceled" => {
                let error =
                    intent.last_payment_error.unwrap_or(StripeError { code: None, decline_code: None, message: None });
                let message = error.message.clone().unwrap_or_else(|| "The payment was not completed.".into());
                Ok(Outcome::Declined { code: decline_code(&error), message })
            }
            other => Err(GatewayError::Transient(format!("PaymentIntent is {other}"))),
        }
    }

    fn ok(answer: Answer) -> GatewayResult<Answer> {
        if (200..300).contains(&answer.status) { Ok(answer) } else { Err(Self::refused(&answer)) }
    }

    fn create_form(call: &AuthorizeCall<'_>) -> Vec<(&'static str, String)> {
        vec![
            ("amount", call.amount.to_string()),
            ("currency", call.currency.to_ascii_lowercase()),
            ("payment_method", call.token.to_owned()),
            ("capture_method", "manual".into()),
            ("confirm", "true".into()),
            ("metadata[oxcart_payment]", call.key.to_owned()),
        ]
    }
}

impl Gateway for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn accepts(&self, token: &str) -> bool {
        token.starts_with("pm_") && token.len() <= 255 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    }

    fn authorize<'a>(&'a self, call: AuthorizeCall<'a>) -> BoxFuture<'a, GatewayResult<Outcome>> {
        Box::pin(async move {
            let answer = self.call("POST", "/v1/payment_intents", &Self::create_form(&call), Some(call.key)).await?;
            Self::outcome(&answer)
        })
    }

    fn confirm<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, GatewayResult<Outcome>> {
        Box::pin(async move {
            let answer = self.call("GET", &format!("/v1/payment_intents/{provider_ref}"), &[], None).await?;
            Self::outcome(&answer)
        })
    }

    /// Stripe keeps the answer to an idempotency key for a day: asking again with the same key
    /// and body is how a lost answer is recovered.
    fn lookup<'a>(&'a self, call: AuthorizeCall<'a>) -> BoxFuture<'a, GatewayResult<Option<Outcome>>> {
        Box::pin(async move { self.authorize(call).await.map(Some) })
    }

    /// Stripe refunds name the PaymentIntent, so that is what refunds are made against.
    fn capture<'a>(
        &'a self,
        provider_ref: &'a str,
        money: Money<'a>,
        key: &'a str,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        Box::pin(async move {
            let form = [("amount_to_capture", money.amount.to_string())];
            let path = format!("/v1/payment_intents/{provider_ref}/capture");
            Self::ok(self.call("POST", &path, &form, Some(key)).await?).map(|_| provider_ref.to_owned())
        })
    }

    fn cancel<'a>(&'a self, provider_ref: &'a str, key: &'a str) -> BoxFuture<'a, GatewayResult<()>> {
        Box::pin(async move {
            let path = format!("/v1/payment_intents/{provider_ref}/cancel");
            Self::ok(self.call("POST", &path, &[], Some(key)).await?).map(drop)
        })
    }

    /// A SetupIntent for use while the customer is at the page: Stripe.js confirms the card
    /// typed into Stripe's own field against it (3-D Secure included when the bank asks) and
    /// hands the page the resulting payment method, which the checkout then authorizes.
    fn card_setup<'a>(&'a self, key: &'a str) -> BoxFuture<'a, GatewayResult<String>> {
        Box::pin(async move {
            let form = [("usage", "on_session".to_owned())];
            let answer = Self::ok(self.call("POST", "/v1/setup_intents", &form, Some(key)).await?)?;
            let intent: SetupIntent = serde_json::from_slice(&answer.body)
                .map_err(|e| GatewayError::Transient(format!("unreadable SetupIntent: {e}")))?;
            Ok(intent.client_secret)
        })
    }

    fn refund<'a>(
        &'a self,
        provider_ref: &'a str,
        money: Money<'a>,
        key: &'a str,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        Box::pin(async move {
            let form = [("payment_intent", provider_ref.to_owned()), ("amount", money.amount.to_string())];
            let answer = Self::ok(self.call("POST", "/v1/refunds", &form, Some(key)).await?)?;
            let created: Created = serde_json::from_slice(&answer.body)
                .map_err(|e| GatewayError::Transient(format!("unreadable refund: {e}")))?;
            Ok(created.id)
        })
    }
}
