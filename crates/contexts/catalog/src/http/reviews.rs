use super::Svc;
use crate::dto::{ReviewDto, ReviewInput};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::{Admin, Principal};
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::{Page, PageParams};
use kernel::query::Query;

/// A product's reviews, newest first (admins also see hidden ones).
#[utoipa::path(get, path = "/products/{id}/reviews", tag = "reviews", security((), ("bearer" = []), ("api_key" = ["reviews:moderate"])), params(("id" = String, Path), PageParams),
    responses((status = 200, body = Page<ReviewDto>), (status = 404, body = Problem)))]
pub async fn review_list(
    p: Option<Principal>,
    State(svc): Svc,
    Path(id): Path<String>,
    Query(page): Query<PageParams>,
) -> Result<Json<Page<ReviewDto>>> {
    Ok(Json(svc.review_list(p.as_ref(), &id, page).await?))
}

/// Review a product: 1–5 stars, one review per customer and product.
#[utoipa::path(post, path = "/products/{id}/reviews", tag = "reviews", request_body = ReviewInput, params(("id" = String, Path)),
    security(("bearer" = ["reviews:write"]), ("api_key" = ["reviews:write"])), responses(
    (status = 201, body = ReviewDto), (status = 404, body = Problem), (status = 409, description = "`review_exists`", body = Problem), (status = 422, body = Problem),
))]
pub async fn review_create(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<ReviewInput>,
) -> Result<(StatusCode, Json<ReviewDto>)> {
    Ok((StatusCode::CREATED, Json(svc.review_create(&p, &id, body).await?)))
}

/// Edit one's own review.
#[utoipa::path(put, path = "/reviews/{id}", tag = "reviews", request_body = ReviewInput, params(("id" = String, Path)),
    security(("bearer" = ["reviews:write"]), ("api_key" = ["reviews:write"])), responses((status = 200, body = ReviewDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn review_update(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<ReviewInput>,
) -> Result<Json<ReviewDto>> {
    Ok(Json(svc.review_update(&p, &id, body).await?))
}

/// Hide a review from customers and from the rating (admin).
#[utoipa::path(post, path = "/admin/reviews/{id}/hide", tag = "reviews", params(("id" = String, Path)), security(("bearer" = ["reviews:moderate"]), ("api_key" = ["reviews:moderate"])),
    responses((status = 200, body = ReviewDto), (status = 404, body = Problem)))]
pub async fn review_hide(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<Json<ReviewDto>> {
    Ok(Json(svc.review_hide(&p, &id, true).await?))
}

/// Show a hidden review again (admin).
#[utoipa::path(post, path = "/admin/reviews/{id}/unhide", tag = "reviews", params(("id" = String, Path)), security(("bearer" = ["reviews:moderate"]), ("api_key" = ["reviews:moderate"])),
    responses((status = 200, body = ReviewDto), (status = 404, body = Problem)))]
pub async fn review_unhide(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<Json<ReviewDto>> {
    Ok(Json(svc.review_hide(&p, &id, false).await?))
}
