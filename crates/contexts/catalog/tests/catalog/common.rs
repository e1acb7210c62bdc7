//! Fixtures shared by the catalog suites.

#![allow(dead_code)]

use axum::http::StatusCode;
use kernel::auth::Role;
use serde_json::{Value, json};
use testkit::TestApp;

pub struct Shop {
    pub admin: String,
    pub seller: String,
    pub seller_id: String,
    pub category: String,
    pub child: String,
    pub brand: String,
}

/// An admin, an approved seller, a category with a subcategory, and a brand.
pub async fn shop(app: &TestApp) -> Shop {
    let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
    let (seller, seller_id) = app.seller("seller@example.com").await;
    let r = app.post("/api/v1/categories", json!({"name": "Clothing"}), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let category = r.json()["id"].as_str().expect("id").to_owned();
    let r = app.post("/api/v1/categories", json!({"name": "Jackets", "parent_id": category}), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let child = r.json()["id"].as_str().expect("id").to_owned();
    let r = app.post("/api/v1/brands", json!({"name": "North Works"}), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let brand = r.json()["id"].as_str().expect("id").to_owned();
    Shop { admin, seller, seller_id, category, child, brand }
}

/// A product body with one variant per size.
pub fn jacket(title: &str, sku: &str, price: i64, shop: &Shop) -> Value {
    json!({
        "title": title,
        "description": "Waterproof and light.",
        "status": "active",
        "category_id": shop.child,
        "brand_id": shop.brand,
        "attributes": {"material": "Nylon", "color": ["Red", "Black"]},
        "options": [{"name": "Size", "values": ["S", "M"]}],
        "variants": [
            {"sku": format!("{sku}-S"), "options": {"Size": "S"}, "price": price},
            {"sku": format!("{sku}-M"), "options": {"Size": "M"}, "price": price + 500, "compare_at_price": price + 2000}
        ]
    })
}

/// Creates a product as the seller and returns its JSON.
pub async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.post("/api/v1/products", body, Some(token)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}
