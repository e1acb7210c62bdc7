//! Fixtures shared by the audit suites: a shop to buy from, a paid order, and the log as an
//! admin reads it.

#![allow(dead_code)]

use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::{Value, json};
use testkit::TestApp;

pub struct Shop {
    pub admin: String,
    pub admin_id: String,
    pub mug: String,
}

/// An approved seller's mug in stock, the demo shipping zones and tax rules, and an admin.
pub async fn shop(app: &TestApp) -> Shop {
    app.app.shipping.demo_seed().await.expect("shipping zones");
    app.app.tax.demo_seed().await.expect("tax rules");
    let (seller, _) = app.seller("seller@example.com").await;
    let body = json!({"title": "Stoneware Mug", "status": "active",
        "variants": [{"sku": "MUG", "price": 1250, "weight_g": 400}]});
    let r = app.post("/api/v1/products", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let mug = r.json()["variants"][0]["id"].as_str().expect("id").to_owned();
    let r = app.post("/api/v1/inventory/locations", json!({"name": "Main"}), Some(&seller)).await;
    let location = r.json()["id"].as_str().expect("id").to_owned();
    let body = json!({"sku": "MUG", "location_id": location, "kind": "received", "quantity": 10, "reason": "t"});
    let r = app.post("/api/v1/inventory/adjustments", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (admin, admin_id) = app.user_with_role("admin@example.com", Role::Admin).await;
    app.settle().await;
    Shop { admin, admin_id, mug }
}

/// A guest's paid order of two mugs; answers its id.
pub async fn paid_order(app: &TestApp, shop: &Shop, key: &str) -> String {
    let r = app.post("/api/v1/cart/add", json!({"variant_id": shop.mug, "quantity": 2}), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let cart = r.json()["token"].as_str().expect("guest token").to_owned();
    let address = json!({"name": "Ann Lee", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US"});
    let headers = [("x-cart-token", cart.as_str())];
    let quote = json!({"address": address, "shipping_method": "standard"});
    let r = app.call_with_headers(Method::POST, "/api/v1/checkout/quote", Some(quote), None, &headers).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let total = r.json()["totals"]["total"].as_i64().expect("total");
    let body = json!({"address": address, "email": "guest@example.com", "shipping_method": "standard",
        "payment_token": "tok_sandbox_ok", "expected_total": total});
    let headers = [("x-cart-token", cart.as_str()), ("idempotency-key", key)];
    let r = app.call_with_headers(Method::POST, "/api/v1/checkout", Some(body), None, &headers).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    app.settle().await;
    r.json()["id"].as_str().expect("id").to_owned()
}

/// The log's entries as an admin pages through them with `query`, newest first.
pub async fn entries(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let r = app.get(&format!("/api/v1/admin/audit{query}"), Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["items"].as_array().expect("items").clone()
}
