use super::Svc;
use crate::dto::{ProductCreate, ProductDto, ProductSummary, ProductUpdate, SellerProductQuery, VariantInput};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kernel::Result;
use kernel::auth::{Principal, Role};
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;
use kernel::query::Query;

/// Create a product with its variants (seller: in their store; admin: for `seller_id`).
#[utoipa::path(post, path = "/products", tag = "catalog", request_body = ProductCreate, security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])), responses(
    (status = 201, body = ProductDto), (status = 409, description = "`slug_taken`, `sku_taken`", body = Problem),
    (status = 422, description = "`validation_failed`, `unknown_category`, `unknown_brand`, `currency_mismatch`", body = Problem),
))]
pub async fn product_create(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<ProductCreate>,
) -> Result<(StatusCode, Json<ProductDto>)> {
    Ok((StatusCode::CREATED, Json(svc.product_create(&p, body).await?)))
}

/// A product by id or slug. Customers see active products of approved sellers; the owner and
/// admins see any status.
#[utoipa::path(get, path = "/products/{id}", tag = "catalog", security((), ("bearer" = []), ("api_key" = ["catalog:write"])), params(("id" = String, Path, description = "Id or slug")), responses(
    (status = 200, body = ProductDto), (status = 404, description = "`product_not_found`", body = Problem),
))]
pub async fn product_get(p: Option<Principal>, State(svc): Svc, Path(id): Path<String>) -> Result<Response> {
    match p {
        Some(p) if p.role != Role::Customer => Ok(Json(svc.product_get(Some(&p), &id).await?).into_response()),
        _ => {
            let body = svc.product_public_json(&id).await?;
            Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
        }
    }
}

/// Change a product's fields; those left out stay.
#[utoipa::path(patch, path = "/products/{id}", tag = "catalog", request_body = ProductUpdate, params(("id" = String, Path)),
    security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])), responses(
    (status = 200, body = ProductDto), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
))]
pub async fn product_update(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<ProductUpdate>,
) -> Result<Json<ProductDto>> {
    Ok(Json(svc.product_update(&p, &id, body).await?))
}

/// Archive a product: customers no longer see it.
#[utoipa::path(delete, path = "/products/{id}", tag = "catalog", params(("id" = String, Path)), security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])),
    responses((status = 200, body = ProductDto), (status = 404, body = Problem)))]
pub async fn product_archive(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<ProductDto>> {
    Ok(Json(svc.product_archive(&p, &id).await?))
}

/// Add a variant.
#[utoipa::path(post, path = "/products/{id}/variants", tag = "catalog", request_body = VariantInput, params(("id" = String, Path)),
    security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])), responses(
    (status = 201, body = ProductDto), (status = 404, body = Problem), (status = 409, description = "`sku_taken`", body = Problem), (status = 422, body = Problem),
))]
pub async fn variant_add(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<VariantInput>,
) -> Result<(StatusCode, Json<ProductDto>)> {
    Ok((StatusCode::CREATED, Json(svc.variant_add(&p, &id, body).await?)))
}

/// Replace a variant.
#[utoipa::path(put, path = "/products/{id}/variants/{variant_id}", tag = "catalog", request_body = VariantInput,
    params(("id" = String, Path), ("variant_id" = String, Path)), security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])), responses(
    (status = 200, body = ProductDto), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
))]
pub async fn variant_update(
    p: Principal,
    State(svc): Svc,
    Path((id, variant_id)): Path<(String, String)>,
    Json(body): Json<VariantInput>,
) -> Result<Json<ProductDto>> {
    Ok(Json(svc.variant_update(&p, &id, &variant_id, body).await?))
}

/// Remove a variant (not the last one).
#[utoipa::path(delete, path = "/products/{id}/variants/{variant_id}", tag = "catalog", params(("id" = String, Path), ("variant_id" = String, Path)),
    security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])), responses(
    (status = 200, body = ProductDto), (status = 404, body = Problem), (status = 409, description = "`last_variant`", body = Problem),
))]
pub async fn variant_delete(
    p: Principal,
    State(svc): Svc,
    Path((id, variant_id)): Path<(String, String)>,
) -> Result<Json<ProductDto>> {
    Ok(Json(svc.variant_delete(&p, &id, &variant_id).await?))
}

/// The caller's own products, every status, newest first (admins: anyone's, or `seller_id`'s).
#[utoipa::path(get, path = "/seller/products", tag = "catalog", params(SellerProductQuery), security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])),
    responses((status = 200, body = Page<ProductSummary>), (status = 403, body = Problem)))]
pub async fn product_list_own(
    p: Principal,
    State(svc): Svc,
    Query(q): Query<SellerProductQuery>,
) -> Result<Json<Page<ProductSummary>>> {
    Ok(Json(svc.product_list_own(&p, q).await?))
}
