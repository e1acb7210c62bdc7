//! Fixtures shared by the shipping suites.

#![allow(dead_code)]

use axum::http::{Method, StatusCode};
use kernel::geo::Destination;
use serde_json::Value;
use shipping::api::{Parcel, ShippingRequest};
pub use testkit::expect;
use testkit::{TestApp, TestResponse};

/// Creates a zone through the API; returns its id.
pub async fn zone(app: &TestApp, admin: &str, body: Value) -> String {
    let z = expect(app, Method::POST, "/api/v1/shipping/zones", Some(body), admin, StatusCode::CREATED).await;
    z["id"].as_str().expect("id").to_owned()
}

/// Adds a method to a zone through the API; returns its id.
pub async fn method(app: &TestApp, admin: &str, zone_id: &str, body: Value) -> String {
    let path = format!("/api/v1/shipping/zones/{zone_id}/methods");
    let m = expect(app, Method::POST, &path, Some(body), admin, StatusCode::CREATED).await;
    m["id"].as_str().expect("id").to_owned()
}

/// A flat method body.
pub fn flat(code: &str, amount: i64) -> Value {
    serde_json::json!({"code": code, "name": code, "basis": "flat", "rates": [{"from": 0, "amount": amount}],
        "min_days": 1, "max_days": 3})
}

pub fn parcel(seller: &str, weight_g: i64, value: i64) -> Parcel {
    Parcel { seller_id: seller.into(), weight_g, value }
}

pub fn to(country: &str, region: Option<&str>, parcels: Vec<Parcel>) -> ShippingRequest {
    ShippingRequest { destination: Destination::new(country, region, None), parcels }
}

/// The stable code and the first field error's name of a 422.
pub fn invalid(r: &TestResponse) -> (String, String) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let field = r.json()["errors"][0]["field"].as_str().unwrap_or_default().to_owned();
    (r.code(), field)
}
