//! HTTP face of the audit log: admins page through it and export it. There is no route that
//! changes it.

use crate::AuditService;
use crate::dto::{EntryDto, EntryFilter, EntryQuery};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;
use kernel::query::Query;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<AuditService>>;

pub fn router(service: Arc<AuditService>) -> OpenApiRouter {
    OpenApiRouter::new().routes(routes!(entry_list)).routes(routes!(entry_export)).with_state(service)
}

/// The audit log, newest first: who did what to which object, when, from which request and
/// address, with the state before and after.
#[utoipa::path(get, path = "/admin/audit", tag = "audit", params(EntryQuery),
    security(("bearer" = ["audit:read"]), ("api_key" = ["audit:read"])),
    responses((status = 200, body = Page<EntryDto>),
    (status = 400, description = "`audit_filter_invalid`, `invalid_cursor`, `invalid_limit`", body = Problem),
    (status = 403, body = Problem)))]
pub async fn entry_list(p: Principal, State(svc): Svc, Query(q): Query<EntryQuery>) -> Result<Json<Page<EntryDto>>> {
    Ok(Json(svc.entry_list(&p, q).await?))
}

/// The matching entries as CSV, newest first (at most 100,000: narrow with `since` and
/// `until` beyond that).
#[utoipa::path(get, path = "/admin/audit/export", tag = "audit", params(EntryFilter),
    security(("bearer" = ["audit:read"]), ("api_key" = ["audit:read"])),
    responses((status = 200, content_type = "text/csv", body = String),
    (status = 400, description = "`audit_filter_invalid`", body = Problem), (status = 403, body = Problem)))]
pub async fn entry_export(p: Principal, State(svc): Svc, Query(f): Query<EntryFilter>) -> Result<Response> {
    let csv = svc.entry_export(&p, &f).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
        ],
        csv,
    )
        .into_response())
}
