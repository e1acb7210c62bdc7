//! The admin console: the shop's KPIs with charts, and the audit log (browse, filter, export).

use super::chart::Chart;
use super::{Figures, console_layout, orders_chart, periods, report, revenue_chart, staff};
use crate::Storefront;
use crate::render::{Layout, failure, html};
use crate::session::Shopper;
use analytics::dto::GrainDto;
use askama::Template;
use audit::dto::{EntryDto, EntryFilter, EntryQuery};
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kernel::auth::Role;
use std::sync::Arc;

#[derive(Template)]
#[template(path = "admin_overview.html")]
struct OverviewPage {
    layout: Layout,
    figures: Vec<Figures>,
    last_hour: i64,
    per_minute: String,
    revenue: Chart,
    orders: Chart,
    recent: Vec<EntryView>,
}

pub struct EntryView {
    pub seq: i64,
    pub at: String,
    pub action: String,
    pub actor: String,
    pub object: String,
    pub before: String,
    pub after: String,
    pub request: String,
    pub address: String,
}

fn entry_view(shop: &Storefront, e: &EntryDto) -> EntryView {
    // `refund 500, refunded 500`: an object's members as a person reads them.
    let json = |v: &Option<serde_json::Value>| match v {
        Some(serde_json::Value::Object(m)) => m
            .iter()
            .map(|(k, v)| format!("{k} {}", v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    EntryView {
        seq: e.seq,
        at: format!("{} {}", shop.locale.date(e.at.as_micros()), e.at.to_rfc3339().get(11..19).unwrap_or_default()),
        action: e.action.clone(),
        actor: match (&e.actor.id, &e.actor.role) {
            (Some(id), Some(role)) => format!("{id} ({role})"),
            (Some(id), None) => id.clone(),
            _ => "the shop".into(),
        },
        object: format!("{} {}", e.object_type, e.object_id),
        before: json(&e.before),
        after: json(&e.after),
        request: e.request_id.clone().unwrap_or_default(),
        address: e.address.clone().unwrap_or_default(),
    }
}

pub async fn admin_overview(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], "/admin") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let (days, hours) =
        match (report(&shop, &p, GrainDto::Day, None).await, report(&shop, &p, GrainDto::Hour, None).await) {
            (Ok(d), Ok(h)) => (d, h),
            (Err(e), _) | (_, Err(e)) => return failure(&shop, Some(&shopper), e),
        };
    let recent = match shop.audit.entry_list(&p, EntryQuery { limit: Some(10), ..EntryQuery::default() }).await {
        Ok(page) => page.items.iter().map(|e| entry_view(&shop, e)).collect(),
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let last_hour = hours.buckets.last().map_or(0, |b| b.orders);
    let page = OverviewPage {
        layout: console_layout(&shop, &shopper, "Admin"),
        figures: periods(&shop, &days),
        last_hour,
        per_minute: format!("{:.2}", last_hour as f64 / 60.0),
        revenue: revenue_chart(&shop, "revenue", "Revenue per day, last 30 days", &days),
        orders: orders_chart("orders", "Orders per hour, last 48 hours", &hours),
        recent,
    };
    html(StatusCode::OK, page.render())
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    layout: Layout,
    filter: EntryFilter,
    entries: Vec<EntryView>,
    next: Option<String>,
    export: String,
    problem: String,
}

/// The filter a query string asks for, and the page's cursor.
fn filter_of(raw: Option<&str>) -> (EntryFilter, Option<String>) {
    let mut f = EntryFilter::default();
    let mut cursor = None;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let v = v.trim().to_owned();
        if v.is_empty() {
            continue;
        }
        match k.as_ref() {
            "action" => f.action = Some(v),
            "actor_id" => f.actor_id = Some(v),
            "object_id" => f.object_id = Some(v),
            "since" => f.since = Some(v),
            "until" => f.until = Some(v),
            "after" => cursor = Some(v),
            _ => {}
        }
    }
    (f, cursor)
}

fn query_of(f: &EntryFilter) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("action", &f.action),
        ("actor_id", &f.actor_id),
        ("object_id", &f.object_id),
        ("since", &f.since),
        ("until", &f.until),
    ] {
        if let Some(v) = v {
            q.append_pair(k, v);
        }
    }
    q.finish()
}

pub async fn audit_page(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(raw): RawQuery) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], "/admin/audit") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let (filter, cursor) = filter_of(raw.as_deref());
    let q = EntryQuery {
        limit: Some(50),
        cursor,
        action: filter.action.clone(),
        actor_id: filter.actor_id.clone(),
        object_id: filter.object_id.clone(),
        since: filter.since.clone(),
        until: filter.until.clone(),
    };
    let query = query_of(&filter);
    let (entries, next, problem, status) = match shop.audit.entry_list(&p, q).await {
        Ok(page) => {
            let next = page.next_cursor.map(|c| format!("/admin/audit?{query}&after={c}"));
            (page.items.iter().map(|e| entry_view(&shop, e)).collect(), next, String::new(), StatusCode::OK)
        }
        Err(e) if e.kind == kernel::ErrorKind::BadRequest => {
            (Vec::new(), None, e.detail.to_string(), StatusCode::BAD_REQUEST)
        }
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let page = AuditPage {
        layout: console_layout(&shop, &shopper, "Audit log"),
        export: format!("/admin/audit.csv?{query}"),
        filter,
        entries,
        next,
        problem,
    };
    html(status, page.render())
}

pub async fn audit_export(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(raw): RawQuery) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], "/admin/audit") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let (filter, _) = filter_of(raw.as_deref());
    match shop.audit.entry_export(&p, &filter).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            csv,
        )
            .into_response(),
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}
