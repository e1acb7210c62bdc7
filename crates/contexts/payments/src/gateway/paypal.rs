//! PayPal's Orders v2 API. The buyer approves an order on PayPal's side (its JavaScript SDK);
//! the token we are given is that order's id. Authorizing it holds the money; the
//! authorization is captured or voided, and a capture is refunded. Every mutating call carries
//! `PayPal-Request-Id` (PayPal's idempotency key); the OAuth2 access token is fetched with the
//! client credentials, kept until shortly before it expires, and fetched again on a 401.
//! Transient failures (connection errors, 429, 5xx) are retried with the same request id.

use super::{AuthorizeCall, Gateway, GatewayError, GatewayResult, Money, Outcome, WebhookHeaders};
use bytes::Bytes;
use http_body_util::Full;
use hyper::Request;
use kernel::BoxFuture;
use outbound::{Answer, Client, Endpoint};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

#[derive(Clone)]
pub struct PaypalConfig {
    /// `https://api-m.paypal.com` (live) or `https://api-m.sandbox.paypal.com`.
    pub api_base: String,
    pub client_id: String,
    pub client_secret: String,
    pub ca_file: Option<std::path::PathBuf>,
    /// The id PayPal gave the webhook endpoint; deliveries are verified against it.
    pub webhook_id: Option<String>,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub retries: u32,
    pub backoff: Duration,
}

impl std::fmt::Debug for PaypalConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The client secret never reaches a log line.
        f.debug_struct("PaypalConfig")
            .field("api_base", &self.api_base)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl PaypalConfig {
    pub fn new(api_base: &str, client_id: &str, client_secret: &str) -> Self {
        Self {
            api_base: api_base.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            ca_file: None,
            webhook_id: None,
            connect_timeout: Duration::from_secs(3),
            timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_millis(200),
        }
    }
}

pub struct Paypal {
    client: Client,
    config: PaypalConfig,
    token: Mutex<Option<(String, Instant)>>,
}

#[derive(Deserialize)]
struct Token {
    access_token: String,
    expires_in: u64,
}

#[derive(Deserialize)]
struct Created {
    id: String,
}

/// Minor units as PayPal's decimal string (currencies without a minor unit have no decimals).
pub fn paypal_amount(amount: i64, currency: &str) -> String {
    if matches!(currency, "JPY" | "HUF" | "TWD") {
        amount.to_string()
    } else {
        format!("{}{}.{:02}", if amount < 0 { "-" } else { "" }, amount.abs() / 100, amount.abs() % 100)
    }
}

/// PayPal's decimal string back in minor units (`None` when it is not one).
pub fn paypal_minor(value: &str, currency: &str) -> Option<i64> {
    if matches!(currency, "JPY" | "HUF" | "TWD") {
        return value.parse().ok();
    }
    let (units, cents) = value.split_once('.').unwrap_or((value, "00"));
    if cents.len() != 2 {
        return None;
    }
    units.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents.parse::<i64>().ok()?)
}

/// PayPal's money object.
fn wire(money: Money<'_>) -> Value {
    json!({ "currency_code": money.currency, "value": paypal_amount(money.amount, money.currency) })
}

/// PayPal's first error issue (`INSTRUMENT_DECLINED`, `ORDER_NOT_APPROVED`…).
fn issue(answer: &Answer) -> String {
    let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    body.pointer("/details/0/issue").or_else(|| body.get("name")).and_then(Value::as_str).unwrap_or("").to_owned()
}

impl Paypal {
    pub fn new(config: PaypalConfig) -> Result<Self, String> {
        let client = Client::new(Endpoint::parse(&config.api_base)?, config.ca_file.as_deref())?;
        if config.client_id.trim().is_empty() || config.client_secret.trim().is_empty() {
            return Err("payments.paypal.client_id and client_secret are required".into());
        }
        Ok(Self { client, config, token: Mutex::new(None) })
    }

    async fn send(&self, request: Request<Full<Bytes>>) -> GatewayResult<Answer> {
        self.client
            .send(request, self.config.connect_timeout, self.config.timeout)
            .await
            .map_err(GatewayError::Transient)
    }

    /// The access token, fetched with the client credentials when there is none fresh.
    async fn access_token(&self, renew: bool) -> GatewayResult<String> {
        let mut held = self.token.lock().await;
        if let Some((token, until)) = held.as_ref()
            && !renew
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.config.client_id, self.config.client_secret));
        let request = Request::post("/v1/oauth2/token")
            .header("host", self.client.endpoint().host_header())
            .header("authorization", format!("Basic {basic}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from_static(b"grant_type=client_credentials")))
            .unwrap_or_default();
        let answer = self.send(request).await?;
        if !(200..300).contains(&answer.status) {
            return Err(if answer.status >= 500 {
                GatewayError::Transient(format!("PayPal token endpoint answered {}", answer.status))
            } else {
                GatewayError::Refused {
                    code: "provider_auth",
                    message: "PayPal refused the client credentials.".into(),
                }
            });
        }
        let token: Token = serde_json::from_slice(&answer.body)
            .map_err(|e| GatewayError::Transient(format!("unreadable PayPal token: {e}")))?;
        // A minute early, so that no call leaves with a token about to lapse.
        let until = Instant::now() + Duration::from_secs(token.expires_in.saturating_sub(60));
        *held = Some((token.access_token.clone(), until));
        Ok(token.access_token)
    }

    /// One API call with retries of transient failures (same request id) and one token renewal.
    async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        request_id: Option<&str>,
    ) -> GatewayResult<Answer> {
        let mut renewed = false;
        let mut last = String::new();
        let mut attempt = 0;
        while attempt <= self.config.retries {
            if attempt > 0 {
                tokio::time::sleep(crate::domain::backoff(self.config.backoff, attempt)).await;
            }
            let token = self.access_token(false).await?;
            let mut builder = Request::builder()
                .method(method)
                .uri(path)
                .header("host", self.client.endpoint().host_header())
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .header("prefer", "return=representation");
            if let Some(id) = request_id {
                builder = builder.header("paypal-request-id", id);
            }
            let body = body.as_ref().map(Value::to_string).unwrap_or_default();
            let request = builder.body(Full::new(Bytes::from(body))).unwrap_or_default();
            match self.send(request).await {
                Ok(answer) if answer.status == 401 && !renewed => {
                    renewed = true;
                    self.access_token(true).await?;
                    continue; // the same attempt, with a fresh token
                }
                Ok(answer) if answer.status == 429 || answer.status >= 500 => {
                    last = format!("PayPal answered {}", answer.status)
                }
                Ok(answer) => return Ok(answer),
                Err(GatewayError::Transient(e)) => last = e,
                Err(e) => return Err(e),
            }
            attempt += 1;
        }
        Err(GatewayError::Transient(last))
    }

    fn refused(answer: &Answer) -> GatewayError {
        let issue = issue(answer);
        let code = match answer.status {
            401 | 403 => "provider_auth",
            404 => "provider_not_found",
            _ => "provider_invalid_request",
        };
        GatewayError::Refused { code, message: format!("PayPal answered {} {issue}", answer.status) }
    }

    /// The authorization in an authorize answer, checked against what we meant to hold.
    fn authorized(answer: &Answer, call: &AuthorizeCall<'_>) -> GatewayResult<Outcome> {
        let body: Value = serde_json::from_slice(&answer.body)
            .map_err(|e| GatewayError::Transient(format!("unreadable PayPal order: {e}")))?;
        let auth = body.pointer("/purchase_units/0/payments/authorizations/0").cloned().unwrap_or(Value::Null);
        let (Some(id), Some(value), Some(currency)) = (
            auth.get("id").and_then(Value::as_str),
            auth.pointer("/amount/value").and_then(Value::as_str),
            auth.pointer("/amount/currency_code").and_then(Value::as_str),
        ) else {
            return Err(GatewayError::Transient("PayPal's answer holds no authorization".into()));
        };
        // The buyer approved an order made on the client; it must be for what is owed.
        if value != paypal_amount(call.amount, call.currency) || currency != call.currency {
            return Ok(Outcome::Declined {
                code: "amount_mismatch",
                message: format!("The PayPal order is for {value} {currency}, not what is owed."),
            });
        }
        match auth.get("status").and_then(Value::as_str) {
            Some("CREATED" | "CAPTURED" | "PENDING") => Ok(Outcome::Authorized { provider_ref: id.to_owned() }),
            other => Ok(Outcome::Declined {
                code: "card_declined",
                message: format!("PayPal's authorization is {}.", other.unwrap_or("unknown")),
            }),
        }
    }

    async fn authorize_order(&self, call: AuthorizeCall<'_>, request_id: &str) -> GatewayResult<Outcome> {
        let path = format!("/v2/checkout/orders/{}/authorize", call.token);
        let answer = self.call("POST", &path, Some(json!({})), Some(request_id)).await?;
        match answer.status {
            200..=299 => Self::authorized(&answer, &call),
            422 => match issue(&answer).as_str() {
                "ORDER_NOT_APPROVED" | "PAYER_ACTION_REQUIRED" => Ok(Outcome::RequiresAction {
                    provider_ref: call.token.to_owned(),
                    next_action: json!({ "type": "paypal_approve", "order_id": call.token }),
                }),
                "INSTRUMENT_DECLINED" | "PAYER_CANNOT_PAY" | "TRANSACTION_REFUSED" => {
                    Ok(Outcome::Declined { code: "card_declined", message: "PayPal declined the payment.".into() })
                }
                _ => Err(Self::refused(&answer)),
            },
            _ => Err(Self::refused(&answer)),
        }
    }

    fn ok(answer: Answer) -> GatewayResult<Answer> {
        if (200..300).contains(&answer.status) { Ok(answer) } else { Err(Self::refused(&answer)) }
    }

    fn created_id(answer: &Answer) -> GatewayResult<String> {
        let created: Created = serde_json::from_slice(&answer.body)
            .map_err(|e| GatewayError::Transient(format!("unreadable PayPal answer: {e}")))?;
        Ok(created.id)
    }
}

impl Gateway for Paypal {
    fn name(&self) -> &'static str {
        "paypal"
    }

    /// PayPal order ids: upper-case letters and digits.
    fn accepts(&self, token: &str) -> bool {
        (10..=36).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    }

    fn authorize<'a>(&'a self, call: AuthorizeCall<'a>) -> BoxFuture<'a, GatewayResult<Outcome>> {
        Box::pin(async move {
            let request_id = call.key.to_owned();
            self.authorize_order(call, &request_id).await
        })
    }

    /// After the buyer approved on PayPal: authorize the order now (`provider_ref` is its id).
    fn confirm<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, GatewayResult<Outcome>> {
        Box::pin(async move {
            let path = format!("/v2/checkout/orders/{provider_ref}");
            let order: Value = serde_json::from_slice(&Self::ok(self.call("GET", &path, None, None).await?)?.body)
                .map_err(|e| GatewayError::Transient(format!("unreadable PayPal order: {e}")))?;
            let value = order.pointer("/purchase_units/0/amount/value").and_then(Value::as_str).unwrap_or("0");
            let currency =
                order.pointer("/purchase_units/0/amount/currency_code").and_then(Value::as_str).unwrap_or("");
            let minor = paypal_minor(value, currency).unwrap_or(0);
            let call = AuthorizeCall { amount: minor, currency, token: provider_ref, key: provider_ref };
            self.authorize_order(call, &format!("{provider_ref}:confirm")).await
        })
    }

    /// PayPal replays the answer to a `PayPal-Request-Id`: asking again is the lookup.
    fn lookup<'a>(&'a self, call: AuthorizeCall<'a>) -> BoxFuture<'a, GatewayResult<Option<Outcome>>> {
        Box::pin(async move { self.authorize(call).await.map(Some) })
    }

    fn capture<'a>(
        &'a self,
        provider_ref: &'a str,
        money: Money<'a>,
        key: &'a str,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        Box::pin(async move {
            let path = format!("/v2/payments/authorizations/{provider_ref}/capture");
            // The rest of the hold is released: one capture per authorization.
            let body = json!({ "final_capture": true, "amount": wire(money) });
            let answer = Self::ok(self.call("POST", &path, Some(body), Some(key)).await?)?;
            Self::created_id(&answer)
        })
    }

    fn cancel<'a>(&'a self, provider_ref: &'a str, key: &'a str) -> BoxFuture<'a, GatewayResult<()>> {
        Box::pin(async move {
            let path = format!("/v2/payments/authorizations/{provider_ref}/void");
            Self::ok(self.call("POST", &path, None, Some(key)).await?).map(drop)
        })
    }

    /// PayPal's own check of a delivery: `verify-webhook-signature` answers SUCCESS or FAILURE.
    fn webhook_verify<'a>(
        &'a self,
        headers: &'a WebhookHeaders,
        event: &'a Value,
    ) -> BoxFuture<'a, GatewayResult<bool>> {
        Box::pin(async move {
            let Some(webhook_id) = &self.config.webhook_id else { return Ok(false) };
            let body = json!({
                "auth_algo": headers.auth_algo,
                "cert_url": headers.cert_url,
                "transmission_id": headers.transmission_id,
                "transmission_sig": headers.transmission_sig,
                "transmission_time": headers.transmission_time,
                "webhook_id": webhook_id,
                "webhook_event": event,
            });
            let path = "/v1/notifications/verify-webhook-signature";
            let answer = Self::ok(self.call("POST", path, Some(body), None).await?)?;
            let verdict: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
            Ok(verdict.get("verification_status").and_then(Value::as_str) == Some("SUCCESS"))
        })
    }

    fn refund<'a>(
        &'a self,
        provider_ref: &'a str,
        money: Money<'a>,
        key: &'a str,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        Box::pin(async move {
            let path = format!("/v2/payments/captures/{provider_ref}/refund");
            let body = json!({ "amount": wire(money) });
            let answer = Self::ok(self.call("POST", &path, Some(body), Some(key)).await?)?;
            Self::created_id(&answer)
        })
    }
}
