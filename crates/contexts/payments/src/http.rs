//! HTTP face of payments: reading for customers, sellers and admins; capture, cancel and
//! refunds for admins; the customer's confirmation after a challenge. Money-moving routes
//! require an `Idempotency-Key` (the edge replays their first answer) and refuse any body that
//! carries something shaped like a card number.

use crate::PaymentsService;
use crate::domain::json_has_card_number;
use crate::dto::{CaptureInput, PaymentDetailDto, PaymentDto, PaymentInput, RefundInput};
use crate::service::card_number;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::{Page, PageParams};
use kernel::query::Query;
use kernel::{Error, Result};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<PaymentsService>>;

pub fn router(service: Arc<PaymentsService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(payment_list, payment_create))
        .routes(routes!(payment_get))
        .routes(routes!(payment_capture))
        .routes(routes!(payment_cancel))
        .routes(routes!(refund_create))
        .routes(routes!(payment_confirm))
        .routes(routes!(stripe_webhook))
        .routes(routes!(paypal_webhook))
        .with_state(service)
}

/// The body as `T`, refused whole when any value in it looks like a card number: the value is
/// neither stored nor logged, and the client learns to send the provider's token instead.
fn guarded<T: DeserializeOwned>(body: serde_json::Value) -> Result<T> {
    if json_has_card_number(&body) {
        return Err(card_number());
    }
    kernel::json::parse(&serde_json::to_vec(&body).map_err(Error::internal)?)
}

/// The key the ledger records the movement under; a card-shaped one is refused like a body.
fn idempotency_key(headers: &HeaderMap) -> Result<&str> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            Error::bad_request("idempotency_key_missing", "This route needs an `Idempotency-Key` header.")
        })?;
    if crate::domain::looks_like_card_number(key) {
        return Err(card_number());
    }
    Ok(key)
}

/// Payments the caller may see, newest first: a customer's own, a seller's sales, or (admin) all.
#[utoipa::path(get, path = "/payments", tag = "payments", params(PageParams),
    security(("bearer" = ["payments:read"]), ("api_key" = ["payments:read"])),
    responses((status = 200, body = Page<PaymentDto>)))]
pub async fn payment_list(
    p: Principal,
    State(svc): Svc,
    Query(page): Query<PageParams>,
) -> Result<Json<Page<PaymentDto>>> {
    Ok(Json(svc.payment_list(&p, page).await?))
}

/// Pay for a reference (an order made by `POST /orders`) with a payment-method token: the
/// payment is authorized and the order confirmed and charged, or the answer says what the
/// customer must do (`next_action`). A guest names the order's e-mail address.
#[utoipa::path(post, path = "/payments", tag = "payments", request_body = PaymentInput,
    params(("Idempotency-Key" = String, Header, description = "Replays the first answer for the same key")),
    security((), ("bearer" = ["payments:confirm"]), ("api_key" = ["payments:confirm"])),
    responses((status = 201, body = PaymentDetailDto), (status = 404, description = "`payable_not_found`", body = Problem),
    (status = 409, description = "`payable_not_due`", body = Problem),
    (status = 422, description = "`unknown_payment_method`, `card_number_refused`", body = Problem)))]
pub async fn payment_create(
    p: Option<Principal>,
    State(svc): Svc,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Result<(StatusCode, Json<PaymentDetailDto>)> {
    let input: PaymentInput = guarded(body)?;
    let key = idempotency_key(&headers)?;
    Ok((StatusCode::CREATED, Json(svc.payment_create(p.as_ref(), &input, key).await?)))
}

/// One payment with its ledger (every money movement) and its history (every change of state).
#[utoipa::path(get, path = "/payments/{id}", tag = "payments", params(("id" = String, Path)),
    security(("bearer" = ["payments:read"]), ("api_key" = ["payments:read"])),
    responses((status = 200, body = PaymentDetailDto), (status = 404, description = "`payment_not_found`", body = Problem)))]
pub async fn payment_get(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<PaymentDetailDto>> {
    Ok(Json(svc.payment_get(&p, &id).await?))
}

/// Take the money of an authorized payment: all of it, or part (the rest of the hold is released).
#[utoipa::path(post, path = "/payments/{id}/capture", tag = "payments", request_body = CaptureInput,
    params(("id" = String, Path), ("Idempotency-Key" = String, Header, description = "Replays the first answer for the same key")),
    security(("bearer" = ["payments:write"]), ("api_key" = ["payments:write"])),
    responses((status = 200, body = PaymentDetailDto), (status = 404, description = "`payment_not_found`", body = Problem),
    (status = 409, description = "`payment_state`", body = Problem), (status = 422, body = Problem)))]
pub async fn payment_capture(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Result<Json<PaymentDetailDto>> {
    let input: CaptureInput = guarded(body)?;
    let key = idempotency_key(&headers)?;
    svc.payment_capture_as(&p, &id, input.amount, key).await?;
    Ok(Json(svc.payment_get(&p, &id).await?))
}

/// Release an authorization that was not captured.
#[utoipa::path(post, path = "/payments/{id}/cancel", tag = "payments", params(("id" = String, Path)),
    security(("bearer" = ["payments:write"]), ("api_key" = ["payments:write"])),
    responses((status = 200, body = PaymentDetailDto), (status = 404, description = "`payment_not_found`", body = Problem),
    (status = 409, description = "`payment_state`", body = Problem)))]
pub async fn payment_cancel(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<PaymentDetailDto>> {
    svc.payment_cancel_as(&p, &id).await?;
    Ok(Json(svc.payment_get(&p, &id).await?))
}

/// Give back all or part of what was captured, with a reason.
#[utoipa::path(post, path = "/payments/{id}/refunds", tag = "payments", request_body = RefundInput,
    params(("id" = String, Path), ("Idempotency-Key" = String, Header, description = "Replays the first answer for the same key")),
    security(("bearer" = ["payments:write"]), ("api_key" = ["payments:write"])),
    responses((status = 201, body = PaymentDetailDto), (status = 404, description = "`payment_not_found`", body = Problem),
    (status = 409, description = "`payment_state`", body = Problem),
    (status = 422, description = "`refund_exceeds_captured`, `card_number_refused`", body = Problem)))]
pub async fn refund_create(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Result<(StatusCode, Json<PaymentDetailDto>)> {
    let input: RefundInput = guarded(body)?;
    let key = idempotency_key(&headers)?;
    svc.refund_create_as(&p, &id, input.amount, &input.reason, key).await?;
    Ok((StatusCode::CREATED, Json(svc.payment_get(&p, &id).await?)))
}

/// The customer finished the provider's challenge (`next_action`): the provider decides now.
#[utoipa::path(post, path = "/payments/{id}/confirm", tag = "payments", params(("id" = String, Path)),
    security(("bearer" = ["payments:confirm"])),
    responses((status = 200, body = PaymentDetailDto), (status = 404, description = "`payment_not_found`", body = Problem),
    (status = 409, description = "`payment_state`", body = Problem)))]
pub async fn payment_confirm(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<PaymentDetailDto>> {
    svc.payment_confirm_as(&p, &id).await?;
    Ok(Json(svc.payment_get(&p, &id).await?))
}

/// The largest Stripe event taken; Stripe's are a few KiB.
const WEBHOOK_LIMIT: usize = 256 * 1024;

/// Stripe's events (`Stripe-Signature` checked over the raw body). Answered 200 as soon as the
/// event is recorded; the payment changes right after, through the outbox. A repeated event is
/// 200 too and changes nothing; an unsigned, stale or tampered one is 400.
#[utoipa::path(post, path = "/webhooks/stripe", tag = "payments",
    params(("Stripe-Signature" = String, Header, description = "`t=<unix time>,v1=<HMAC-SHA256 hex>`")),
    request_body(content = serde_json::Value, content_type = "application/json", description = "A Stripe event"),
    responses((status = 200, body = WebhookAck),
    (status = 400, description = "`webhook_signature_invalid`, `webhook_payload_invalid`", body = Problem),
    (status = 404, description = "`webhook_not_configured`", body = Problem),
    (status = 413, body = Problem)))]
pub async fn stripe_webhook(State(svc): Svc, headers: HeaderMap, body: axum::body::Bytes) -> Result<Json<WebhookAck>> {
    if body.len() > WEBHOOK_LIMIT {
        return Err(Error::new(kernel::ErrorKind::PayloadTooLarge, "payload_too_large", "The event is too large."));
    }
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok());
    let new = svc.stripe_webhook(signature, &body).await?;
    Ok(Json(WebhookAck { received: true, duplicate: !new }))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct WebhookAck {
    pub received: bool,
    /// The event was received before; nothing changed.
    pub duplicate: bool,
}

/// PayPal's events. Each delivery is checked by PayPal itself (`verify-webhook-signature`,
/// against `payments.paypal.webhook_id`), then recorded once and applied like Stripe's.
#[utoipa::path(post, path = "/webhooks/paypal", tag = "payments",
    params(
        ("PAYPAL-TRANSMISSION-ID" = String, Header), ("PAYPAL-TRANSMISSION-TIME" = String, Header),
        ("PAYPAL-TRANSMISSION-SIG" = String, Header), ("PAYPAL-CERT-URL" = String, Header),
        ("PAYPAL-AUTH-ALGO" = String, Header),
    ),
    request_body(content = serde_json::Value, content_type = "application/json", description = "A PayPal event"),
    responses((status = 200, body = WebhookAck),
    (status = 400, description = "`webhook_signature_invalid`, `webhook_payload_invalid`", body = Problem),
    (status = 404, description = "`webhook_not_configured`", body = Problem),
    (status = 413, body = Problem), (status = 503, description = "`payment_provider_unavailable`", body = Problem)))]
pub async fn paypal_webhook(State(svc): Svc, headers: HeaderMap, body: axum::body::Bytes) -> Result<Json<WebhookAck>> {
    if body.len() > WEBHOOK_LIMIT {
        return Err(Error::new(kernel::ErrorKind::PayloadTooLarge, "payload_too_large", "The event is too large."));
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let transmission = (|| {
        Some(crate::gateway::WebhookHeaders {
            auth_algo: header("paypal-auth-algo")?,
            cert_url: header("paypal-cert-url")?,
            transmission_id: header("paypal-transmission-id")?,
            transmission_sig: header("paypal-transmission-sig")?,
            transmission_time: header("paypal-transmission-time")?,
        })
    })();
    let new = svc.paypal_webhook(transmission, &body).await?;
    Ok(Json(WebhookAck { received: true, duplicate: !new }))
}
