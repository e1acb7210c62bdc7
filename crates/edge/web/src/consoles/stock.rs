//! A seller's stock: every SKU at every location (on hand, held, available), the low-stock
//! alerts still open, what to reorder and how much, and the latest adjustments with their
//! reasons. Adjusting happens on the product's page.

use super::{console_layout, staff};
use crate::Storefront;
use crate::render::{Layout, failure, html};
use crate::session::Shopper;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use inventory::dto::{AlertFilter, HistoryFilter, LevelFilter};
use kernel::auth::Role;
use std::sync::Arc;

pub struct LevelRow {
    pub sku: String,
    pub location: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
}

#[derive(Template)]
#[template(path = "seller_stock.html")]
struct StockPage {
    layout: Layout,
    levels: Vec<LevelRow>,
    next: Option<String>,
    /// SKU, available, threshold.
    alerts: Vec<(String, i64, i64)>,
    /// SKU, available, reorder point, suggested quantity.
    reorders: Vec<(String, i64, i64, i64)>,
    /// When, SKU, kind, change, on hand after, reason.
    history: Vec<(String, String, String, i64, i64, String)>,
}

pub async fn seller_stock(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(raw): RawQuery) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], "/seller/stock") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let cursor = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "after")
        .map(|(_, v)| v.into_owned());
    let levels = LevelFilter { limit: Some(50), cursor, ..LevelFilter::default() };
    let read = async {
        let locations = shop.inventory.location_list(&p).await?;
        let levels = shop.inventory.level_list(&p, levels).await?;
        let alerts =
            shop.inventory.alert_list(&p, AlertFilter { open: Some(true), limit: Some(50), cursor: None }).await?;
        let reorders = shop.inventory.reorder_suggestions(&p).await?;
        let history =
            shop.inventory.adjustment_list(&p, HistoryFilter { limit: Some(20), ..HistoryFilter::default() }).await?;
        kernel::Result::Ok((locations, levels, alerts, reorders, history))
    };
    let (locations, levels, alerts, reorders, history) = match read.await {
        Ok(all) => all,
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let location_name =
        |id: &str| locations.iter().find(|l| l.id == id).map_or_else(|| id.to_owned(), |l| l.name.clone());
    let page = StockPage {
        layout: console_layout(&shop, &shopper, "Your stock"),
        next: levels.next_cursor.map(|c| format!("/seller/stock?after={}", crate::pages::encode(&c))),
        levels: levels
            .items
            .iter()
            .map(|l| LevelRow {
                sku: l.sku.clone(),
                location: location_name(&l.location_id),
                on_hand: l.on_hand,
                reserved: l.reserved,
                available: l.available,
            })
            .collect(),
        alerts: alerts.items.into_iter().map(|a| (a.sku, a.available, a.threshold)).collect(),
        reorders: reorders.into_iter().map(|r| (r.sku, r.available, r.reorder_point, r.suggested_quantity)).collect(),
        history: history
            .items
            .into_iter()
            .map(|a| {
                (
                    a.created_at.get(..16).unwrap_or_default().replace('T', " "),
                    a.sku,
                    a.kind,
                    a.delta,
                    a.on_hand_after,
                    a.reason,
                )
            })
            .collect(),
    };
    html(StatusCode::OK, page.render())
}
