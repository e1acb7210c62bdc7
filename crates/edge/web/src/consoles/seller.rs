//! The seller dashboard's overview: their sales today, over 7 and 30 days, charts of their
//! revenue and orders, the new orders waiting for them, and their best products. A seller sees only their own.

use super::chart::Chart;
use super::{Figures, console_layout, orders_chart, periods, report, revenue_chart, staff};
use crate::Storefront;
use crate::render::{Layout, failure, html};
use crate::session::Shopper;
use analytics::dto::GrainDto;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kernel::auth::Role;
use orders::domain::FulfilmentState;
use orders::dto::FulfilmentQuery;
use std::sync::Arc;

pub struct ProductView {
    pub title: String,
    pub url: Option<String>,
    pub units: i64,
    pub revenue: String,
}

#[derive(Template)]
#[template(path = "seller_overview.html")]
struct OverviewPage {
    layout: Layout,
    figures: Vec<Figures>,
    revenue: Chart,
    orders: Chart,
    products: Vec<ProductView>,
    /// New orders waiting to be started (`100+` beyond a page).
    to_fulfil: String,
}

pub async fn seller_overview(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], "/seller") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let own = Some(p.user_id.clone());
    let (days, hours) =
        match (report(&shop, &p, GrainDto::Day, own.clone()).await, report(&shop, &p, GrainDto::Hour, own).await) {
            (Ok(d), Ok(h)) => (d, h),
            (Err(e), _) | (_, Err(e)) => return failure(&shop, Some(&shopper), e),
        };
    let waiting =
        FulfilmentQuery { limit: Some(100), state: Some(FulfilmentState::Pending), ..FulfilmentQuery::default() };
    let to_fulfil = match shop.orders.fulfilment_list(&p, waiting).await {
        Ok(page) if page.next_cursor.is_some() => "100+".to_owned(),
        Ok(page) => page.items.len().to_string(),
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let mut products = Vec::new();
    for s in &days.products {
        // A product since deleted still shows its sales, under its id.
        let (title, url) = match shop.catalog.product_get(Some(&p), &s.product_id).await {
            Ok(found) => (found.title, Some(format!("/p/{}", found.slug))),
            Err(_) => (s.product_id.clone(), None),
        };
        products.push(ProductView {
            title,
            url,
            units: s.units,
            revenue: shop.locale.money(s.revenue, &days.currency),
        });
    }
    let page = OverviewPage {
        layout: console_layout(&shop, &shopper, "Your sales"),
        figures: periods(&shop, &days),
        revenue: revenue_chart(&shop, "revenue", "Your revenue per day, last 30 days", &days),
        orders: orders_chart("orders", "Your orders per hour, last 48 hours", &hours),
        products,
        to_fulfil,
    };
    html(StatusCode::OK, page.render())
}

/// The seller's last 30 days as CSV, by day (`?by=day`, the default) or by product
/// (`?by=product`): amounts as decimals of the shop's currency.
pub async fn sales_export(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], "/seller") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let by_product = raw.is_some_and(|q| q.contains("by=product"));
    let days = match report(&shop, &p, GrainDto::Day, Some(p.user_id.clone())).await {
        Ok(d) => d,
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let money = |minor: i64| crate::format::Locale::decimal(minor, &days.currency);
    let mut csv = String::new();
    if by_product {
        csv.push_str("product_id,title,items,revenue\n");
        for s in &days.products {
            let title = match shop.catalog.product_get(Some(&p), &s.product_id).await {
                Ok(found) => found.title,
                Err(_) => String::new(),
            };
            csv.push_str(&format!("{},{},{},{}\n", s.product_id, csv_field(&title), s.units, money(s.revenue)));
        }
    } else {
        csv.push_str("day,orders,items,revenue\n");
        for b in &days.buckets {
            let day = b.start.to_rfc3339().get(..10).unwrap_or_default().to_owned();
            csv.push_str(&format!("{day},{},{},{}\n", b.orders, b.units, money(b.revenue)));
        }
    }
    let name = if by_product { "sales-by-product.csv" } else { "sales-by-day.csv" };
    let disposition = format!("attachment; filename=\"{name}\"");
    axum::response::IntoResponse::into_response((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        csv,
    ))
}

/// A CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or
/// `@` is prefixed with `'` so that a spreadsheet shows a product's title instead of running it.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("Mug"), "Mug");
        assert_eq!(csv_field("Mug, blue"), "\"Mug, blue\"");
        assert_eq!(csv_field("The \"best\" mug"), "\"The \"\"best\"\" mug\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
