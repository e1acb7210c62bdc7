//! HTTP face of pricing: thin handlers for sellers (their own promotions) and admins (any).

use crate::PricingService;
use crate::dto::*;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::{Page, PageParams};
use kernel::query::Query;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<PricingService>>;

/// The pricing API's routes, to nest under `/api/v1`.
pub fn router(service: Arc<PricingService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(promotion_list, promotion_create))
        .routes(routes!(promotion_get, promotion_update, promotion_delete))
        .with_state(service)
}

/// The caller's promotions, newest first (admin: every seller's and the platform-wide ones).
#[utoipa::path(get, path = "/promotions", tag = "pricing", params(PageParams),
    security(("bearer" = ["promotions:write"]), ("api_key" = ["promotions:write"])),
    responses((status = 200, body = Page<PromotionDto>), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn promotion_list(
    p: Principal,
    State(svc): Svc,
    Query(page): Query<PageParams>,
) -> Result<Json<Page<PromotionDto>>> {
    Ok(Json(svc.promotion_list(&p, page).await?))
}

/// Create a promotion: automatic, or behind a discount code. A seller's discounts only their own
/// items; an admin's is platform-wide.
#[utoipa::path(post, path = "/promotions", tag = "pricing", request_body = PromotionInput,
    security(("bearer" = ["promotions:write"]), ("api_key" = ["promotions:write"])), responses(
    (status = 201, body = PromotionDto), (status = 403, body = Problem),
    (status = 409, description = "`code_taken`", body = Problem), (status = 422, body = Problem)))]
pub async fn promotion_create(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<PromotionInput>,
) -> Result<(StatusCode, Json<PromotionDto>)> {
    Ok((StatusCode::CREATED, Json(svc.promotion_create(&p, body).await?)))
}

/// One promotion, with how often orders used it.
#[utoipa::path(get, path = "/promotions/{id}", tag = "pricing", params(("id" = String, Path)),
    security(("bearer" = ["promotions:write"]), ("api_key" = ["promotions:write"])),
    responses((status = 200, body = PromotionDto), (status = 404, description = "`promotion_not_found`", body = Problem)))]
pub async fn promotion_get(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<PromotionDto>> {
    Ok(Json(svc.promotion_get(&p, &id).await?))
}

/// Replace a promotion's editable fields (all of them; the uses counted stay).
#[utoipa::path(put, path = "/promotions/{id}", tag = "pricing", request_body = PromotionInput,
    params(("id" = String, Path)), security(("bearer" = ["promotions:write"]), ("api_key" = ["promotions:write"])), responses(
    (status = 200, body = PromotionDto), (status = 404, description = "`promotion_not_found`", body = Problem),
    (status = 409, description = "`code_taken`", body = Problem), (status = 422, body = Problem)))]
pub async fn promotion_update(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<PromotionInput>,
) -> Result<Json<PromotionDto>> {
    Ok(Json(svc.promotion_update(&p, &id, body).await?))
}

/// Delete a promotion. One that orders already used is kept for their record: it is switched
/// off instead and returned with `active: false`.
#[utoipa::path(delete, path = "/promotions/{id}", tag = "pricing", params(("id" = String, Path)),
    security(("bearer" = ["promotions:write"]), ("api_key" = ["promotions:write"])), responses(
    (status = 204, description = "Deleted"),
    (status = 200, description = "Used by orders, so switched off instead of deleted", body = PromotionDto),
    (status = 404, description = "`promotion_not_found`", body = Problem)))]
pub async fn promotion_delete(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Response> {
    Ok(match svc.promotion_delete(&p, &id).await? {
        None => StatusCode::NO_CONTENT.into_response(),
        Some(kept) => Json(kept).into_response(),
    })
}
