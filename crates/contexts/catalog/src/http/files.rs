//! Handlers that move files: image uploads, the media they produce, CSV import and export.

use super::Svc;
use crate::CatalogService;
use crate::dto::{ImageOrder, ImportReport, ProductDto};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kernel::auth::Principal;
use kernel::body::{Body, LengthChecked};
use kernel::error::Problem;
use kernel::json::Json;
use kernel::query::Query;
use kernel::{Error, ErrorKind, Result};
use serde::Deserialize;
use std::sync::Arc;
use utoipa::IntoParams;

fn multipart_error(status: StatusCode, detail: String) -> Error {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Error::new(ErrorKind::PayloadTooLarge, "image_too_large", "The upload is larger than allowed.")
    } else {
        Error::bad_request("invalid_multipart", detail)
    }
}

/// Upload an image (multipart field `file`, optional field `alt`). JPEG, PNG or WebP, checked
/// by content; resized copies of 600 and 200 px are made once.
#[utoipa::path(post, path = "/products/{id}/images", tag = "catalog", params(("id" = String, Path)),
    request_body(content = String, content_type = "multipart/form-data", description = "Fields `file` (the picture) and `alt` (optional text)"),
    security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])), responses(
    (status = 201, body = ProductDto), (status = 404, body = Problem),
    (status = 409, description = "`image_limit`", body = Problem),
    (status = 413, description = "`image_too_large`", body = Problem),
    (status = 422, description = "`unsupported_image`, `image_dimensions`", body = Problem),
))]
pub async fn image_upload(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    declared: std::result::Result<LengthChecked, Error>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<ProductDto>)> {
    declared.map_err(|_| multipart_error(StatusCode::PAYLOAD_TOO_LARGE, String::new()))?;
    let mut multipart = multipart.map_err(|e| multipart_error(e.status(), e.body_text()))?;
    let mut file: Option<Vec<u8>> = None;
    let mut alt: Option<String> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| multipart_error(e.status(), e.body_text()))? {
        match field.name() {
            Some("file") => {
                file = Some(field.bytes().await.map_err(|e| multipart_error(e.status(), e.body_text()))?.to_vec())
            }
            Some("alt") => alt = Some(field.text().await.map_err(|e| multipart_error(e.status(), e.body_text()))?),
            _ => {}
        }
    }
    let file = file.ok_or_else(|| Error::invalid_field("file", "is required"))?;
    Ok((StatusCode::CREATED, Json(svc.image_upload(&p, &id, file, alt).await?)))
}

/// Delete an image and its files.
#[utoipa::path(delete, path = "/products/{id}/images/{image_id}", tag = "catalog", params(("id" = String, Path), ("image_id" = String, Path)),
    security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])), responses((status = 200, body = ProductDto), (status = 404, body = Problem)))]
pub async fn image_delete(
    p: Principal,
    State(svc): Svc,
    Path((id, image_id)): Path<(String, String)>,
) -> Result<Json<ProductDto>> {
    Ok(Json(svc.image_delete(&p, &id, &image_id).await?))
}

/// Put the product's images in a new order.
#[utoipa::path(put, path = "/products/{id}/images/order", tag = "catalog", request_body = ImageOrder, params(("id" = String, Path)),
    security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])), responses((status = 200, body = ProductDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn image_reorder(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<ImageOrder>,
) -> Result<Json<ProductDto>> {
    Ok(Json(svc.image_reorder(&p, &id, &body.image_ids).await?))
}

/// A stored picture. Keys never change content, so answers are cacheable for a year.
pub async fn media_get(
    State(svc): axum::extract::State<Arc<CatalogService>>,
    Path(key): Path<String>,
) -> Result<Response> {
    let object = svc
        .objects()
        .get(&key)
        .await
        .map_err(|e| match e {
            media::StoreError::InvalidKey { .. } => Error::not_found("media_not_found", "No such file."),
            other => other.into(),
        })?
        .ok_or_else(|| Error::not_found("media_not_found", "No such file."))?;
    let mut headers = HeaderMap::new();
    let content_type =
        HeaderValue::from_str(&object.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok((headers, object.bytes).into_response())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SellerParam {
    /// Admins only: whose products.
    pub seller_id: Option<String>,
}

/// Export the caller's products and variants as CSV, one row per variant.
#[utoipa::path(get, path = "/seller/products/export", tag = "catalog", params(SellerParam), security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
pub async fn product_export(p: Principal, State(svc): Svc, Query(q): Query<SellerParam>) -> Result<Response> {
    let csv = svc.product_export(&p, q.seller_id.as_deref()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"products.csv\""),
        ],
        csv,
    )
        .into_response())
}

/// Import products and variants from CSV (the export's columns). Every row is checked first;
/// on any error nothing is written and each faulty line is reported.
#[utoipa::path(post, path = "/seller/products/import", tag = "catalog", params(SellerParam),
    request_body(content = String, content_type = "text/csv"), security(("bearer" = ["catalog:write"]), ("api_key" = ["catalog:write"])), responses(
    (status = 200, body = ImportReport), (status = 415, body = Problem),
    (status = 422, description = "`import_invalid`: `errors` names each line and column", body = Problem),
))]
pub async fn product_import(
    p: Principal,
    State(svc): Svc,
    Query(q): Query<SellerParam>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Json<ImportReport>> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.starts_with("text/csv") {
        return Err(Error::new(
            ErrorKind::UnsupportedMediaType,
            "unsupported_media_type",
            "Send the file as `text/csv`.",
        ));
    }
    Ok(Json(svc.product_import(&p, q.seller_id.as_deref(), &body).await?))
}
