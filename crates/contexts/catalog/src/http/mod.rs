//! HTTP face of the catalog: thin handlers that extract, call the service, and answer.

mod files;
mod products;
mod reviews;
mod taxonomy;

use crate::CatalogService;
use axum::Extension;
use axum::extract::DefaultBodyLimit;
use kernel::body::BodyLimit;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use files::media_get;

type Svc = axum::extract::State<Arc<CatalogService>>;

/// The catalog's API routes, to nest under `/api/v1`.
pub fn router(service: Arc<CatalogService>) -> OpenApiRouter {
    let upload_limit = service.config().max_upload_bytes + 64 * 1024;
    let uploads = OpenApiRouter::new()
        .routes(routes!(files::image_upload))
        .layer(DefaultBodyLimit::max(upload_limit))
        .layer(Extension(BodyLimit(upload_limit)));
    let imports = OpenApiRouter::new()
        .routes(routes!(files::product_import))
        .layer(DefaultBodyLimit::max(crate::IMPORT_BODY_LIMIT))
        .layer(Extension(BodyLimit(crate::IMPORT_BODY_LIMIT)));
    OpenApiRouter::new()
        .merge(uploads)
        .merge(imports)
        .routes(routes!(taxonomy::category_list, taxonomy::category_create))
        .routes(routes!(taxonomy::category_get, taxonomy::category_update, taxonomy::category_delete))
        .routes(routes!(taxonomy::brand_list, taxonomy::brand_create))
        .routes(routes!(taxonomy::brand_get, taxonomy::brand_update, taxonomy::brand_delete))
        .routes(routes!(products::product_create))
        .routes(routes!(products::product_get, products::product_update, products::product_archive))
        .routes(routes!(products::variant_add))
        .routes(routes!(products::variant_update, products::variant_delete))
        .routes(routes!(products::product_list_own))
        .routes(routes!(files::product_export))
        .routes(routes!(files::image_delete))
        .routes(routes!(files::image_reorder))
        .routes(routes!(reviews::review_list, reviews::review_create))
        .routes(routes!(reviews::review_update))
        .routes(routes!(reviews::review_hide))
        .routes(routes!(reviews::review_unhide))
        .with_state(service)
}
