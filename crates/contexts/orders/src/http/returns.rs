//! Returns: the customer's request, the lists, and the seller's (or an admin's) decision,
//! receipt and refund.

use super::Svc;
use crate::dto::{ApproveInput, ReceiveInput, RejectInput, ReturnDto, ReturnInput, ReturnQuery, ReturnsDto};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;

/// Asks to send back delivered lines of the caller's order (which, how many, why), within
/// the return window: one return per seller of the lines named.
#[utoipa::path(post, path = "/orders/{id}/returns", tag = "returns", params(("id" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for the same key")),
    request_body = ReturnInput,
    security(("bearer" = ["orders:write"]), ("api_key" = ["orders:write"])),
    responses((status = 201, body = ReturnsDto), (status = 404, description = "`order_not_found`", body = Problem),
        (status = 422, description = "`return_exceeds_delivered`, `return_window_closed`", body = Problem)))]
pub async fn return_request(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(input): Json<ReturnInput>,
) -> Result<(StatusCode, Json<ReturnsDto>)> {
    Ok((StatusCode::CREATED, Json(svc.return_request(&p, &id, input).await?)))
}

/// The caller's returns, newest first: a customer's own, a seller's of their lines, an
/// admin's every one.
#[utoipa::path(get, path = "/returns", tag = "returns", params(ReturnQuery),
    security(("bearer" = ["orders:read"]), ("api_key" = ["orders:read"])),
    responses((status = 200, body = Page<ReturnDto>)))]
pub async fn return_list(p: Principal, State(svc): Svc, Query(q): Query<ReturnQuery>) -> Result<Json<Page<ReturnDto>>> {
    Ok(Json(svc.return_list(&p, q).await?))
}

#[utoipa::path(get, path = "/returns/{id}", tag = "returns", params(("id" = String, Path)),
    security(("bearer" = ["orders:read"]), ("api_key" = ["orders:read"])),
    responses((status = 200, body = ReturnDto), (status = 404, description = "`return_not_found`", body = Problem)))]
pub async fn return_get(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<ReturnDto>> {
    Ok(Json(svc.return_get(&p, &id).await?))
}

/// Approves a requested return (the seller of its lines, or an admin), for its full share or
/// a smaller `amount`.
#[utoipa::path(post, path = "/returns/{id}/approve", tag = "returns", params(("id" = String, Path)),
    request_body = ApproveInput,
    security(("bearer" = ["fulfilments:write"]), ("api_key" = ["fulfilments:write"])),
    responses((status = 200, body = ReturnDto), (status = 404, description = "`return_not_found`", body = Problem),
        (status = 409, description = "`return_state`", body = Problem),
        (status = 422, description = "`refund_exceeds_return`", body = Problem)))]
pub async fn return_approve(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(input): Json<ApproveInput>,
) -> Result<Json<ReturnDto>> {
    Ok(Json(svc.return_approve(&p, &id, input).await?))
}

/// Rejects a requested return, saying why.
#[utoipa::path(post, path = "/returns/{id}/reject", tag = "returns", params(("id" = String, Path)),
    request_body = RejectInput,
    security(("bearer" = ["fulfilments:write"]), ("api_key" = ["fulfilments:write"])),
    responses((status = 200, body = ReturnDto), (status = 404, description = "`return_not_found`", body = Problem),
        (status = 409, description = "`return_state`", body = Problem)))]
pub async fn return_reject(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(input): Json<RejectInput>,
) -> Result<Json<ReturnDto>> {
    Ok(Json(svc.return_reject(&p, &id, input).await?))
}

/// The goods of an approved return arrived: restock them (when asked) and refund what was
/// granted to the order's payment. The return answers `refunded`, or `received` with
/// `refund_error` while the provider is away (the refund is tried again).
#[utoipa::path(post, path = "/returns/{id}/receive", tag = "returns", params(("id" = String, Path),
        ("Idempotency-Key" = String, Header, description = "Replays the first answer for the same key")),
    request_body = ReceiveInput,
    security(("bearer" = ["fulfilments:write"]), ("api_key" = ["fulfilments:write"])),
    responses((status = 200, body = ReturnDto), (status = 404, description = "`return_not_found`, `location_not_found`", body = Problem),
        (status = 409, description = "`return_state`", body = Problem),
        (status = 422, description = "`refund_exceeds_captured`", body = Problem)))]
pub async fn return_receive(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(input): Json<ReceiveInput>,
) -> Result<Json<ReturnDto>> {
    Ok(Json(svc.return_receive(&p, &id, input).await?))
}
