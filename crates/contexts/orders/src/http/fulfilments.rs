//! Sellers' parts of orders: the seller's list (their orders), one part, moving it on,
//! shipping it, and its label.

use super::Svc;
use crate::dto::{FulfilmentDto, FulfilmentQuery, FulfilmentSummaryDto, PartMoveInput, ShipInput};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;

/// The caller's parts of orders, newest first: a seller's orders as they pack and ship them
/// (admin: every seller's, or one's with `seller_id`).
#[utoipa::path(get, path = "/fulfilments", tag = "fulfilment", params(FulfilmentQuery),
    security(("bearer" = ["fulfilments:read"]), ("api_key" = ["fulfilments:read"])),
    responses((status = 200, body = Page<FulfilmentSummaryDto>), (status = 403, body = Problem)))]
pub async fn fulfilment_list(
    p: Principal,
    State(svc): Svc,
    Query(q): Query<FulfilmentQuery>,
) -> Result<Json<Page<FulfilmentSummaryDto>>> {
    Ok(Json(svc.fulfilment_list(&p, q).await?))
}

/// One part: the seller's lines, where they go, tracking and history.
#[utoipa::path(get, path = "/fulfilments/{id}", tag = "fulfilment", params(("id" = String, Path)),
    security(("bearer" = ["fulfilments:read"]), ("api_key" = ["fulfilments:read"])),
    responses((status = 200, body = FulfilmentDto),
        (status = 404, description = "`fulfilment_not_found`", body = Problem)))]
pub async fn fulfilment_get(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<FulfilmentDto>> {
    Ok(Json(svc.fulfilment_get(&p, &id).await?))
}

/// Moves a part on: `processing`, `packed`; after shipping, `in_transit`, `out_for_delivery`
/// and `delivered` as the seller learns of them (a carrier's webhook does the same).
#[utoipa::path(post, path = "/fulfilments/{id}/state", tag = "fulfilment", params(("id" = String, Path)),
    request_body = PartMoveInput,
    security(("bearer" = ["fulfilments:write"]), ("api_key" = ["fulfilments:write"])),
    responses((status = 200, body = FulfilmentDto),
        (status = 404, description = "`fulfilment_not_found`", body = Problem),
        (status = 409, description = "`fulfilment_state`", body = Problem)))]
pub async fn fulfilment_move(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(input): Json<PartMoveInput>,
) -> Result<Json<FulfilmentDto>> {
    Ok(Json(svc.fulfilment_move(&p, &id, input).await?))
}

/// Ships a packed part, with the carrier's tracking number or a label from the built-in
/// provider (`{"label": true}`; asking again makes no second label).
#[utoipa::path(post, path = "/fulfilments/{id}/ship", tag = "fulfilment", params(("id" = String, Path)),
    request_body = ShipInput,
    security(("bearer" = ["fulfilments:write"]), ("api_key" = ["fulfilments:write"])),
    responses((status = 200, body = FulfilmentDto),
        (status = 404, description = "`fulfilment_not_found`", body = Problem),
        (status = 409, description = "`fulfilment_state`: the part is not packed", body = Problem)))]
pub async fn fulfilment_ship(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(input): Json<ShipInput>,
) -> Result<Json<FulfilmentDto>> {
    Ok(Json(svc.fulfilment_ship(&p, &id, input).await?))
}

/// The printable shipping label (PDF, 4×6 in) of a part shipped with a built-in label.
#[utoipa::path(get, path = "/fulfilments/{id}/label", tag = "fulfilment", params(("id" = String, Path)),
    security(("bearer" = ["fulfilments:read"]), ("api_key" = ["fulfilments:read"])),
    responses((status = 200, description = "The label", content_type = "application/pdf", body = Vec<u8>),
        (status = 404, description = "`fulfilment_not_found`, `label_not_found`", body = Problem)))]
pub async fn fulfilment_label(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<impl IntoResponse> {
    let pdf = svc.fulfilment_label(&p, &id).await?;
    let name = format!("attachment; filename=\"label-{id}.pdf\"");
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, name)], pdf))
}
