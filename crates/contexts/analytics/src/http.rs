//! HTTP face of analytics: the sales report for sellers and admins.

use crate::AnalyticsService;
use crate::dto::{SalesQuery, SalesReportDto};
use axum::extract::State;
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::query::Query;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router(service: Arc<AnalyticsService>) -> OpenApiRouter {
    OpenApiRouter::new().routes(routes!(sales_report)).with_state(service)
}

/// Sales by the hour or the day, read from aggregates kept as orders are confirmed, cancelled
/// and refunded: the whole shop's for an admin (or one seller's with `seller_id`), a seller's
/// own for a seller.
#[utoipa::path(get, path = "/analytics/sales", tag = "analytics", params(SalesQuery),
    security(("bearer" = ["analytics:read"]), ("api_key" = ["analytics:read"])),
    responses((status = 200, body = SalesReportDto),
    (status = 400, description = "`analytics_range_invalid`", body = Problem), (status = 403, body = Problem)))]
pub async fn sales_report(
    p: Principal,
    State(svc): State<Arc<AnalyticsService>>,
    Query(q): Query<SalesQuery>,
) -> Result<Json<SalesReportDto>> {
    Ok(Json(svc.sales_report(&p, &q).await?))
}
