//! HTTP face of tax: the rules for admins, and the public quote a storefront shows tax with.

use crate::TaxService;
use crate::dto::*;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::Admin;
use kernel::error::Problem;
use kernel::json::Json;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<TaxService>>;

/// The tax API's routes, to nest under `/api/v1`.
pub fn router(service: Arc<TaxService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(rule_list, rule_create))
        .routes(routes!(rule_get, rule_update, rule_delete))
        .routes(routes!(tax_quote))
        .with_state(service)
}

/// Every tax rule, by country and region (admin).
#[utoipa::path(get, path = "/tax/rules", tag = "tax",
    security(("bearer" = ["tax:write"]), ("api_key" = ["tax:write"])),
    responses((status = 200, body = Vec<TaxRuleDto>), (status = 403, body = Problem)))]
pub async fn rule_list(Admin(p): Admin, State(svc): Svc) -> Result<Json<Vec<TaxRuleDto>>> {
    Ok(Json(svc.rule_list(&p).await?))
}

/// Create a tax rule for a country or one of its regions (admin).
#[utoipa::path(post, path = "/tax/rules", tag = "tax", request_body = TaxRuleInput,
    security(("bearer" = ["tax:write"]), ("api_key" = ["tax:write"])),
    responses((status = 201, body = TaxRuleDto), (status = 403, body = Problem),
    (status = 409, description = "`tax_rule_exists`", body = Problem), (status = 422, body = Problem)))]
pub async fn rule_create(
    Admin(p): Admin,
    State(svc): Svc,
    Json(body): Json<TaxRuleInput>,
) -> Result<(StatusCode, Json<TaxRuleDto>)> {
    Ok((StatusCode::CREATED, Json(svc.rule_create(&p, body).await?)))
}

/// One tax rule (admin).
#[utoipa::path(get, path = "/tax/rules/{id}", tag = "tax", params(("id" = String, Path)),
    security(("bearer" = ["tax:write"]), ("api_key" = ["tax:write"])),
    responses((status = 200, body = TaxRuleDto), (status = 404, description = "`tax_rule_not_found`", body = Problem)))]
pub async fn rule_get(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<Json<TaxRuleDto>> {
    Ok(Json(svc.rule_get(&p, &id).await?))
}

/// Change a tax rule; fields left out stay, `region: null` makes it country-wide (admin).
#[utoipa::path(patch, path = "/tax/rules/{id}", tag = "tax", request_body = TaxRuleUpdate,
    params(("id" = String, Path)), security(("bearer" = ["tax:write"]), ("api_key" = ["tax:write"])),
    responses((status = 200, body = TaxRuleDto), (status = 404, description = "`tax_rule_not_found`", body = Problem),
    (status = 409, description = "`tax_rule_exists`", body = Problem), (status = 422, body = Problem)))]
pub async fn rule_update(
    Admin(p): Admin,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<TaxRuleUpdate>,
) -> Result<Json<TaxRuleDto>> {
    Ok(Json(svc.rule_update(&p, &id, body).await?))
}

/// Delete a tax rule (admin).
#[utoipa::path(delete, path = "/tax/rules/{id}", tag = "tax", params(("id" = String, Path)),
    security(("bearer" = ["tax:write"]), ("api_key" = ["tax:write"])),
    responses((status = 204, description = "Deleted"), (status = 404, description = "`tax_rule_not_found`", body = Problem)))]
pub async fn rule_delete(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<StatusCode> {
    svc.rule_delete(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The tax on a basket sent to a destination: per line (rounded half away from zero, line by
/// line) and on shipping, and whether it is within the prices or added on top.
#[utoipa::path(post, path = "/tax/quotes", tag = "tax", request_body = TaxQuoteInput,
    responses((status = 200, body = TaxQuoteDto), (status = 422, description = "`invalid_destination`", body = Problem)))]
pub async fn tax_quote(State(svc): Svc, Json(body): Json<TaxQuoteInput>) -> Result<Json<TaxQuoteDto>> {
    Ok(Json(svc.tax_quote_public(body).await?))
}
