use super::Svc;
use crate::dto::{BrandDto, BrandInput, CategoryDto, CategoryInput};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::Admin;
use kernel::error::Problem;
use kernel::json::Json;

/// Every category, in tree order, each with its breadcrumbs and children.
#[utoipa::path(get, path = "/categories", tag = "catalog", responses((status = 200, body = Vec<CategoryDto>)))]
pub async fn category_list(State(svc): Svc) -> Result<Json<Vec<CategoryDto>>> {
    Ok(Json(svc.category_list().await?))
}

/// One category by id or slug.
#[utoipa::path(get, path = "/categories/{id}", tag = "catalog", params(("id" = String, Path, description = "Id or slug")),
    responses((status = 200, body = CategoryDto), (status = 404, body = Problem)))]
pub async fn category_get(State(svc): Svc, Path(id): Path<String>) -> Result<Json<CategoryDto>> {
    Ok(Json(svc.category_get(&id).await?))
}

/// Create a category (admin).
#[utoipa::path(post, path = "/categories", tag = "catalog", request_body = CategoryInput, security(("bearer" = ["taxonomy:write"]), ("api_key" = ["taxonomy:write"])),
    responses((status = 201, body = CategoryDto), (status = 409, description = "`category_slug_taken`", body = Problem), (status = 422, body = Problem)))]
pub async fn category_create(
    Admin(p): Admin,
    State(svc): Svc,
    Json(body): Json<CategoryInput>,
) -> Result<(StatusCode, Json<CategoryDto>)> {
    Ok((StatusCode::CREATED, Json(svc.category_save(&p, None, body).await?)))
}

/// Replace a category: name, slug, parent, position (admin).
#[utoipa::path(put, path = "/categories/{id}", tag = "catalog", request_body = CategoryInput, params(("id" = String, Path)),
    security(("bearer" = ["taxonomy:write"]), ("api_key" = ["taxonomy:write"])), responses((status = 200, body = CategoryDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn category_update(
    Admin(p): Admin,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<CategoryInput>,
) -> Result<Json<CategoryDto>> {
    Ok(Json(svc.category_save(&p, Some(&id), body).await?))
}

/// Delete a category no product or subcategory uses (admin).
#[utoipa::path(delete, path = "/categories/{id}", tag = "catalog", params(("id" = String, Path)), security(("bearer" = ["taxonomy:write"]), ("api_key" = ["taxonomy:write"])),
    responses((status = 204, description = "Deleted"), (status = 409, description = "`category_in_use`", body = Problem)))]
pub async fn category_delete(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<StatusCode> {
    svc.category_delete(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every brand, by name.
#[utoipa::path(get, path = "/brands", tag = "catalog", responses((status = 200, body = Vec<BrandDto>)))]
pub async fn brand_list(State(svc): Svc) -> Result<Json<Vec<BrandDto>>> {
    Ok(Json(svc.brand_list().await?))
}

/// One brand by id or slug.
#[utoipa::path(get, path = "/brands/{id}", tag = "catalog", params(("id" = String, Path, description = "Id or slug")),
    responses((status = 200, body = BrandDto), (status = 404, body = Problem)))]
pub async fn brand_get(State(svc): Svc, Path(id): Path<String>) -> Result<Json<BrandDto>> {
    Ok(Json(svc.brand_get(&id).await?))
}

/// Create a brand (admin).
#[utoipa::path(post, path = "/brands", tag = "catalog", request_body = BrandInput, security(("bearer" = ["taxonomy:write"]), ("api_key" = ["taxonomy:write"])),
    responses((status = 201, body = BrandDto), (status = 409, description = "`brand_slug_taken`", body = Problem), (status = 422, body = Problem)))]
pub async fn brand_create(
    Admin(p): Admin,
    State(svc): Svc,
    Json(body): Json<BrandInput>,
) -> Result<(StatusCode, Json<BrandDto>)> {
    Ok((StatusCode::CREATED, Json(svc.brand_save(&p, None, body).await?)))
}

/// Replace a brand (admin).
#[utoipa::path(put, path = "/brands/{id}", tag = "catalog", request_body = BrandInput, params(("id" = String, Path)),
    security(("bearer" = ["taxonomy:write"]), ("api_key" = ["taxonomy:write"])), responses((status = 200, body = BrandDto), (status = 404, body = Problem)))]
pub async fn brand_update(
    Admin(p): Admin,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<BrandInput>,
) -> Result<Json<BrandDto>> {
    Ok(Json(svc.brand_save(&p, Some(&id), body).await?))
}

/// Delete a brand no product uses (admin).
#[utoipa::path(delete, path = "/brands/{id}", tag = "catalog", params(("id" = String, Path)), security(("bearer" = ["taxonomy:write"]), ("api_key" = ["taxonomy:write"])),
    responses((status = 204, description = "Deleted"), (status = 409, description = "`brand_in_use`", body = Problem)))]
pub async fn brand_delete(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<StatusCode> {
    svc.brand_delete(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
