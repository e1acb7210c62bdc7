//! Deliveries: an endpoint's, one with its attempts, and replays.

use super::Svc;
use crate::dto::*;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;
use kernel::query::Query;

/// An endpoint's deliveries, newest first, optionally in one state.
#[utoipa::path(get, path = "/webhook-endpoints/{id}/deliveries", tag = "webhooks",
    params(("id" = String, Path), DeliveryQuery),
    security(("bearer" = ["webhooks:read"]), ("api_key" = ["webhooks:read"])),
    responses((status = 200, body = Page<DeliveryDto>),
    (status = 404, description = "`webhook_endpoint_not_found`", body = Problem)))]
pub async fn delivery_list(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Query(q): Query<DeliveryQuery>,
) -> Result<Json<Page<DeliveryDto>>> {
    Ok(Json(svc.delivery_list(&p, &id, q).await?))
}

/// One delivery with what it sends and every attempt.
#[utoipa::path(get, path = "/webhook-deliveries/{id}", tag = "webhooks", params(("id" = String, Path)),
    security(("bearer" = ["webhooks:read"]), ("api_key" = ["webhooks:read"])),
    responses((status = 200, body = DeliveryDetailDto),
    (status = 404, description = "`webhook_delivery_not_found`", body = Problem)))]
pub async fn delivery_get(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<DeliveryDetailDto>> {
    Ok(Json(svc.delivery_get(&p, &id).await?))
}

/// Send a delivered or failed delivery again: it is queued now with a new day of retries,
/// its attempts kept.
#[utoipa::path(post, path = "/webhook-deliveries/{id}/replay", tag = "webhooks", params(("id" = String, Path)),
    security(("bearer" = ["webhooks:write"]), ("api_key" = ["webhooks:write"])),
    responses((status = 202, body = DeliveryDto),
    (status = 404, description = "`webhook_delivery_not_found`", body = Problem),
    (status = 409, description = "`webhook_delivery_pending`", body = Problem)))]
pub async fn delivery_replay(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<DeliveryDto>)> {
    Ok((StatusCode::ACCEPTED, Json(svc.delivery_replay(&p, &id).await?)))
}
