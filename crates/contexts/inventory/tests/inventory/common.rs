//! Fixtures shared by the inventory suites.

#![allow(dead_code)]

use axum::http::StatusCode;
use serde_json::{Value, json};
use testkit::TestApp;

/// An active product of the seller behind `token`, one variant per SKU (sizes S, M, L...).
pub async fn product(app: &TestApp, token: &str, title: &str, skus: &[&str]) -> Value {
    let sizes: Vec<String> = (0..skus.len()).map(|i| format!("V{i}")).collect();
    let variants: Vec<Value> = skus
        .iter()
        .zip(&sizes)
        .map(|(sku, size)| json!({"sku": sku, "options": {"Size": size}, "price": 1000}))
        .collect();
    let body = json!({
        "title": title,
        "status": "active",
        "options": [{"name": "Size", "values": sizes}],
        "variants": variants,
    });
    let r = app.post("/api/v1/products", body, Some(token)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

/// A new location of the caller's; returns its id.
pub async fn location(app: &TestApp, token: &str, name: &str) -> String {
    let r = app.post("/api/v1/inventory/locations", json!({"name": name}), Some(token)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().expect("id").to_owned()
}

/// Records an adjustment and checks it was accepted.
pub async fn adjust(app: &TestApp, token: &str, sku: &str, location: &str, kind: &str, quantity: i64) -> Value {
    let body = if kind == "corrected" {
        json!({"sku": sku, "location_id": location, "kind": kind, "counted": quantity, "reason": "count"})
    } else {
        json!({"sku": sku, "location_id": location, "kind": kind, "quantity": quantity, "reason": "test"})
    };
    let r = app.post("/api/v1/inventory/adjustments", body, Some(token)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

/// `(on_hand, reserved, available)` of a SKU over all locations.
pub async fn totals(app: &TestApp, token: &str, sku: &str) -> (i64, i64, i64) {
    let r = app.get(&format!("/api/v1/inventory/items/{sku}"), Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let v = r.json();
    (
        v["on_hand"].as_i64().expect("on_hand"),
        v["reserved"].as_i64().expect("reserved"),
        v["available"].as_i64().expect("available"),
    )
}

/// Checks `0 <= reserved <= on_hand` on every level and that reserved equals the live holds.
pub async fn assert_invariants(app: &TestApp) {
    let mut db = app.app.db.clone();
    let levels = inventory::audit::level_list(&mut db, None, None, None, None, 100_000).await.expect("levels");
    let live = inventory::audit::live_totals(&mut db).await.expect("live holds");
    for l in &levels {
        assert!(0 <= l.reserved && l.reserved <= l.on_hand, "level broken: {l:?}");
        let held: i64 =
            live.iter().filter(|h| h.sku == l.sku && h.location_id == l.location_id).map(|h| h.quantity).sum();
        assert_eq!(l.reserved, held, "reserved differs from live holds at {} / {}", l.sku, l.location_id);
    }
}
