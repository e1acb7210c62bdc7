//! HTTP face of search: product listing with filters and facets, and type-ahead suggestions.

use crate::SearchService;
use crate::dto::{SearchPage, SearchParams, SuggestParams, SuggestionDto};
use axum::extract::{OriginalUri, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kernel::Result;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::query::Query;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<SearchService>>;

pub fn router(service: Arc<SearchService>) -> OpenApiRouter {
    OpenApiRouter::new().routes(routes!(product_search)).routes(routes!(product_suggest)).with_state(service)
}

/// List and search products customers can see: full text with typo tolerance, filters,
/// sorting, facet counts and cursor pagination.
#[utoipa::path(get, path = "/products", tag = "search", params(SearchParams), responses(
    (status = 200, body = SearchPage),
    (status = 400, description = "`invalid_query`, `invalid_limit`, `invalid_cursor`", body = Problem),
    (status = 404, description = "`category_not_found`, `brand_not_found`", body = Problem),
))]
pub async fn product_search(State(svc): Svc, uri: OriginalUri, Query(params): Query<SearchParams>) -> Result<Response> {
    let body = svc.search_json(uri.query().unwrap_or(""), params).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Type-ahead: products whose titles start with the words typed.
#[utoipa::path(get, path = "/products/suggest", tag = "search", params(SuggestParams), responses(
    (status = 200, body = Vec<SuggestionDto>), (status = 400, body = Problem),
))]
pub async fn product_suggest(State(svc): Svc, Query(params): Query<SuggestParams>) -> Result<Json<Vec<SuggestionDto>>> {
    Ok(Json(svc.suggest(params).await?))
}
