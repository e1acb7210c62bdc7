//! The seller dashboard (`/seller`) and the admin console (`/admin`): server-rendered pages on
//! the same sessions and CSRF guard as the shop, each page checking the caller's role before
//! it reads anything (the services check again). Charts are SVG drawn here (`chart.rs`).

pub mod admin;
pub mod admin_orders;
pub mod admin_users;
pub mod chart;
pub mod orders;
pub mod products;
pub mod seller;
pub mod stock;

use crate::Storefront;
use crate::pages::account::to_login;
use crate::render::{Layout, error_page};
use crate::session::Shopper;
use analytics::dto::{GrainDto, SalesQuery, SalesReportDto};
use axum::http::StatusCode;
use axum::response::Response;
use kernel::auth::{Principal, Role};
use kernel::time::Timestamp;

/// The caller, when they may use a console for `role`: anonymous callers are sent to sign in
/// and come back, anyone else gets a 403 page (boxed: a response is large beside a principal).
pub fn staff(shop: &Storefront, shopper: &Shopper, roles: &[Role], back: &str) -> Result<Principal, Box<Response>> {
    let Some(p) = shopper.principal.clone() else { return Err(Box::new(to_login(back))) };
    if roles.contains(&p.role) {
        Ok(p)
    } else {
        Err(Box::new(error_page(
            shop,
            Some(shopper),
            StatusCode::FORBIDDEN,
            "Not for your account",
            "This page is for the shop's staff.",
        )))
    }
}

pub fn console_layout(shop: &Storefront, shopper: &Shopper, title: &str) -> Layout {
    let mut layout = Layout::new(shop, Some(shopper), title);
    layout.noindex = true;
    layout
}

/// Figures over one period, as a card shows them.
pub struct Figures {
    pub period: &'static str,
    pub orders: i64,
    pub units: i64,
    pub revenue: String,
    pub average: String,
    pub refunded: String,
    pub cancelled: i64,
}

/// Today, the last 7 days and the last 30 days, from a 30-day report by the day.
pub fn periods(shop: &Storefront, report: &SalesReportDto) -> Vec<Figures> {
    [("Today", 1), ("Last 7 days", 7), ("Last 30 days", 30)]
        .into_iter()
        .map(|(period, days)| {
            let recent = report.buckets.iter().rev().take(days);
            let (mut orders, mut units, mut revenue, mut refunded, mut cancelled) = (0, 0, 0, 0, 0);
            for b in recent {
                orders += b.orders;
                units += b.units;
                revenue += b.revenue;
                refunded += b.refunded;
                cancelled += b.cancelled;
            }
            let average = analytics::domain::average_order_value(revenue, orders);
            Figures {
                period,
                orders,
                units,
                revenue: shop.locale.money(revenue, &report.currency),
                average: shop.locale.money(average, &report.currency),
                refunded: shop.locale.money(refunded, &report.currency),
                cancelled,
            }
        })
        .collect()
}

/// The last 30 days by the day, or 48 hours by the hour, of the shop or of `seller_id`.
pub async fn report(
    shop: &Storefront,
    p: &Principal,
    grain: GrainDto,
    seller_id: Option<String>,
) -> kernel::Result<SalesReportDto> {
    let q = SalesQuery { grain: Some(grain), seller_id, ..SalesQuery::default() };
    shop.analytics.sales_report(p, &q).await
}

/// `12-08` for a day, `12-08 14h` for an hour.
pub fn bucket_label(start: Timestamp, grain: GrainDto) -> String {
    let text = start.to_rfc3339();
    match grain {
        GrainDto::Day => text.get(5..10).unwrap_or_default().to_owned(),
        GrainDto::Hour => format!("{} {}h", text.get(5..10).unwrap_or_default(), text.get(11..13).unwrap_or_default()),
    }
}

/// Revenue per bucket as a chart.
pub fn revenue_chart(shop: &Storefront, id: &'static str, caption: &str, r: &SalesReportDto) -> chart::Chart {
    let points: Vec<_> = r
        .buckets
        .iter()
        .map(|b| (bucket_label(b.start, r.grain), b.revenue, shop.locale.money(b.revenue, &r.currency)))
        .collect();
    chart::bars(id, caption, &points)
}

/// Orders per bucket as a chart.
pub fn orders_chart(id: &'static str, caption: &str, r: &SalesReportDto) -> chart::Chart {
    let points: Vec<_> =
        r.buckets.iter().map(|b| (bucket_label(b.start, r.grain), b.orders, b.orders.to_string())).collect();
    chart::bars(id, caption, &points)
}
