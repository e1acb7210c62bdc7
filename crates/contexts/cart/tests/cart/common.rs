//! Fixtures shared by the cart suites.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use testkit::{TestApp, TestResponse};

pub struct Shop {
    pub seller: String,
    pub seller_id: String,
    pub product_id: String,
    /// Variant ids: S at 2500 (compare-at 3000) and M at 2700.
    pub small: String,
    pub medium: String,
    pub location: String,
}

/// An approved seller with an active two-variant product, 10 of each in stock.
pub async fn shop(app: &TestApp) -> Shop {
    let (seller, seller_id) = app.seller("seller@example.com").await;
    let body = json!({
        "title": "Trail Shirt",
        "status": "active",
        "options": [{"name": "Size", "values": ["S", "M"]}],
        "variants": [
            {"sku": "SHIRT-S", "options": {"Size": "S"}, "price": 2500, "compare_at_price": 3000},
            {"sku": "SHIRT-M", "options": {"Size": "M"}, "price": 2700}
        ]
    });
    let r = app.post("/api/v1/products", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let p = r.json();
    let r = app.post("/api/v1/inventory/locations", json!({"name": "Main"}), Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let location = r.json()["id"].as_str().expect("id").to_owned();
    for sku in ["SHIRT-S", "SHIRT-M"] {
        stock(app, &seller, sku, &location, "received", 10).await;
    }
    Shop {
        seller,
        seller_id,
        product_id: p["id"].as_str().expect("id").to_owned(),
        small: p["variants"][0]["id"].as_str().expect("id").to_owned(),
        medium: p["variants"][1]["id"].as_str().expect("id").to_owned(),
        location,
    }
}

pub async fn stock(app: &TestApp, seller: &str, sku: &str, location: &str, kind: &str, quantity: i64) {
    let body = json!({"sku": sku, "location_id": location, "kind": kind, "quantity": quantity, "reason": "test"});
    let r = app.post("/api/v1/inventory/adjustments", body, Some(seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

/// A cart request as a guest (`token`) and/or a signed-in customer (`auth`).
pub async fn cart(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
    token: Option<&str>,
    auth: Option<&str>,
) -> TestResponse {
    let mut builder = Request::builder().method(method).uri(format!("/api/v1{path}"));
    if let Some(t) = token {
        builder = builder.header("x-cart-token", t);
    }
    if let Some(a) = auth {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {a}"));
    }
    let request = match body {
        Some(b) => builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
        None => builder.body(Body::empty()),
    };
    app.send(request.expect("request")).await
}

pub async fn add(
    app: &TestApp,
    variant: &str,
    quantity: Value,
    token: Option<&str>,
    auth: Option<&str>,
) -> TestResponse {
    cart(app, Method::POST, "/cart/add", Some(json!({"variant_id": variant, "quantity": quantity})), token, auth).await
}

/// `(variant_id, quantity)` of each line.
pub fn lines(cart: &Value) -> Vec<(String, i64)> {
    cart["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| (l["variant_id"].as_str().expect("id").to_owned(), l["quantity"].as_i64().expect("quantity")))
        .collect()
}
