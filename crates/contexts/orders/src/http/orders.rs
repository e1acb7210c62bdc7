//! Checkout (with its quote), the customer's and the admin's orders, cancelling, and a
//! guest's lookup by number and e-mail.

use super::{Svc, caller, guarded, idempotency_key};
use crate::dto::{
    CancelInput, CheckoutInput, LookupInput, OrderDto, OrderQuery, OrderSummaryDto, QuoteDto, QuoteInput,
};
use crate::service::{CheckoutRequest, QuoteRequest};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;
use kernel::{Error, Result};

fn checkout_request(p: &Option<Principal>, headers: &HeaderMap, input: CheckoutInput) -> Result<CheckoutRequest> {
    if let Some(p) = p {
        p.require_scope(crate::api::ORDERS_WRITE)?;
    }
    Ok(CheckoutRequest {
        caller: caller(p, headers),
        address: input.address,
        email: input.email,
        shipping_method: input.shipping_method,
        payment_token: input.payment_token,
        expected_total: input.expected_total,
        idempotency_key: idempotency_key(headers)?,
    })
}

/// 201 when the order is confirmed; 202 while it waits for the customer's payment action.
fn placed(order: OrderDto) -> (StatusCode, Json<OrderDto>) {
    let status = if order.state.placed() { StatusCode::CREATED } else { StatusCode::ACCEPTED };
    (status, Json(order))
}

/// Check out the caller's cart (a guest's by `X-Cart-Token`) and pay: the order comes back
/// confirmed with its number, or waiting for the customer's payment action (202, the
/// payment's `next_action` says what to do), or a precise reason and nothing held or charged.
#[utoipa::path(post, path = "/checkout", tag = "orders", request_body = CheckoutInput,
    params(("Idempotency-Key" = String, Header, description = "Replays the first answer for the same key"),
        ("X-Cart-Token" = Option<String>, Header)),
    security((), ("bearer" = ["orders:write"]), ("api_key" = ["orders:write"])),
    responses((status = 201, body = OrderDto), (status = 202, description = "Waiting for the customer's payment action", body = OrderDto),
        (status = 402, description = "`payment_declined`", body = Problem),
        (status = 404, description = "`cart_not_found`", body = Problem),
        (status = 409, description = "`out_of_stock`, `total_changed`, `cart_unpurchasable`, `checkout_in_progress`", body = Problem),
        (status = 422, description = "`cart_empty`, `email_required`, `destination_not_served`, `unknown_shipping_method`, `unknown_payment_method`, `card_number_refused`", body = Problem),
        (status = 503, description = "`payment_failed`", body = Problem)))]
pub async fn checkout_create(
    p: Option<Principal>,
    State(svc): Svc,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Result<(StatusCode, Json<OrderDto>)> {
    let input: CheckoutInput = guarded(body)?;
    if input.payment_token.is_none() {
        return Err(Error::invalid_field("payment_token", "is required (or use POST /orders to pay later)"));
    }
    Ok(placed(svc.checkout(checkout_request(&p, &headers, input)?).await?))
}

/// What checking out would cost: the shipping methods for the address, and with one chosen,
/// the totals with tax (send `totals.total` as `expected_total`).
#[utoipa::path(post, path = "/checkout/quote", tag = "orders", request_body = QuoteInput,
    params(("X-Cart-Token" = Option<String>, Header)),
    security((), ("bearer" = ["orders:write"]), ("api_key" = ["orders:write"])),
    responses((status = 200, body = QuoteDto), (status = 404, description = "`cart_not_found`", body = Problem),
        (status = 422, description = "`destination_not_served`, `unknown_shipping_method`", body = Problem)))]
pub async fn checkout_quote(
    p: Option<Principal>,
    State(svc): Svc,
    headers: HeaderMap,
    Json(input): Json<QuoteInput>,
) -> Result<Json<QuoteDto>> {
    let req =
        QuoteRequest { caller: caller(&p, &headers), address: input.address, shipping_method: input.shipping_method };
    Ok(Json(svc.checkout_quote(req).await?))
}

/// The two-step checkout: the order is made and its stock held, and it waits (202,
/// `payment_pending`) for `POST /payments` with its id as `reference`.
#[utoipa::path(post, path = "/orders", tag = "orders", request_body = CheckoutInput,
    params(("Idempotency-Key" = String, Header, description = "Replays the first answer for the same key"),
        ("X-Cart-Token" = Option<String>, Header)),
    security((), ("bearer" = ["orders:write"]), ("api_key" = ["orders:write"])),
    responses((status = 202, body = OrderDto), (status = 404, description = "`cart_not_found`", body = Problem),
        (status = 409, description = "`out_of_stock`, `total_changed`, `cart_unpurchasable`", body = Problem),
        (status = 422, description = "`cart_empty`, `email_required`, `destination_not_served`, `unknown_shipping_method`", body = Problem)))]
pub async fn order_create(
    p: Option<Principal>,
    State(svc): Svc,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Result<(StatusCode, Json<OrderDto>)> {
    let mut input: CheckoutInput = guarded(body)?;
    if input.payment_token.is_some() {
        return Err(Error::invalid_field("payment_token", "is taken by POST /checkout; POST /orders pays later"));
    }
    input.payment_token = None;
    Ok(placed(svc.checkout(checkout_request(&p, &headers, input)?).await?))
}

/// The caller's orders, newest first (an admin: every order, searchable by number or e-mail).
#[utoipa::path(get, path = "/orders", tag = "orders", params(OrderQuery),
    security(("bearer" = ["orders:read"]), ("api_key" = ["orders:read"])),
    responses((status = 200, body = Page<OrderSummaryDto>)))]
pub async fn order_list(
    p: Principal,
    State(svc): Svc,
    Query(q): Query<OrderQuery>,
) -> Result<Json<Page<OrderSummaryDto>>> {
    Ok(Json(svc.order_list(&p, q).await?))
}

/// One order: lines, totals, address, shipping, payment and history.
#[utoipa::path(get, path = "/orders/{id}", tag = "orders", params(("id" = String, Path)),
    security(("bearer" = ["orders:read"]), ("api_key" = ["orders:read"])),
    responses((status = 200, body = OrderDto), (status = 404, description = "`order_not_found`", body = Problem)))]
pub async fn order_get(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<OrderDto>> {
    Ok(Json(svc.order_get(&p, &id).await?))
}

/// Cancel an order that has not shipped: the stock goes back and the payment is voided or
/// refunded.
#[utoipa::path(post, path = "/orders/{id}/cancel", tag = "orders", params(("id" = String, Path)), request_body = CancelInput,
    security(("bearer" = ["orders:write"]), ("api_key" = ["orders:write"])),
    responses((status = 200, body = OrderDto), (status = 404, description = "`order_not_found`", body = Problem),
        (status = 409, description = "`order_state`, `checkout_in_progress`", body = Problem)))]
pub async fn order_cancel(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(input): Json<CancelInput>,
) -> Result<Json<OrderDto>> {
    Ok(Json(svc.order_cancel(&p, &id, &input.reason).await?))
}

/// A guest's order, by its number and the e-mail address it was placed with.
#[utoipa::path(post, path = "/orders/lookup", tag = "orders", request_body = LookupInput,
    security(()),
    responses((status = 200, body = OrderDto), (status = 404, description = "`order_not_found`", body = Problem)))]
pub async fn order_lookup(State(svc): Svc, Json(input): Json<LookupInput>) -> Result<Json<OrderDto>> {
    Ok(Json(svc.order_lookup(&input).await?))
}
