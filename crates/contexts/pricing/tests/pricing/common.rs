//! Fixtures shared by the pricing suites.

#![allow(dead_code)]

use axum::http::StatusCode;
use kernel::time::Timestamp;
use pricing::api::{CodeStatus, PriceRequest, Priced, Pricing};
use pricing::domain::Line;
use serde_json::Value;
use testkit::TestApp;

/// The moment carts are priced at in these suites.
pub const NOW: &str = "2026-03-01T12:00:00Z";

pub fn now() -> Timestamp {
    Timestamp::parse_rfc3339(NOW).expect("valid time")
}

/// Creates a promotion through the API and checks it was accepted.
pub async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post("/api/v1/promotions", body, Some(token)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

/// Creates a promotion and returns its id.
pub async fn create_id(app: &TestApp, token: &str, body: Value) -> String {
    create(app, token, body).await["id"].as_str().expect("id").to_owned()
}

/// The promotion as its owner sees it.
pub async fn promotion(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app.get(&format!("/api/v1/promotions/{id}"), Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

pub fn line(product: &str, seller: &str, path: &[&str], unit_price: i64, quantity: i64) -> Line {
    Line {
        product_id: product.into(),
        seller_id: seller.into(),
        category_path: path.iter().map(|c| c.to_string()).collect(),
        unit_price,
        quantity,
    }
}

/// Prices a basket through the trait the cart uses, at [`NOW`].
pub async fn price(app: &TestApp, lines: Vec<Line>, shipping: i64, codes: &[&str], customer: Option<&str>) -> Priced {
    let request = PriceRequest {
        lines,
        shipping,
        codes: codes.iter().map(|c| c.to_string()).collect(),
        customer_id: customer.map(str::to_owned),
        now: now(),
    };
    let priced = app.app.pricing.price(&request).await.expect("priced");
    let q = &priced.quote;
    assert_eq!(q.line_discounts.iter().sum::<i64>(), q.discount_total, "line discounts add up: {q:?}");
    assert_eq!(q.total, q.subtotal - q.discount_total + q.shipping - q.shipping_discount);
    priced
}

pub fn status<'a>(priced: &'a Priced, code: &str) -> &'a CodeStatus {
    priced.codes.iter().find(|s| s.code == code).unwrap_or_else(|| panic!("no status for {code}: {:?}", priced.codes))
}

/// The stable reason a code was not applied; `None` when it was.
pub fn reason(priced: &Priced, code: &str) -> Option<String> {
    let s = status(priced, code);
    assert_eq!(s.applied, s.reason.is_none(), "{s:?}");
    s.reason.as_ref().map(|(r, _)| r.clone())
}

/// Counts an order's use of promotions through the trait the orders use.
pub async fn redeem(app: &TestApp, ids: &[&str], customer: Option<&str>, order: &str) -> kernel::Result<()> {
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    app.app.pricing.promotions_redeem(&ids, customer, order).await
}
