//! Cancelling: before shipping the stock returns and the money goes back; after, a 409.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;
use testkit::{TestApp, backends};

#[tokio::test]
async fn a_confirmed_order_cancelled_returns_stock_and_refunds() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 4).await;
        let (auth, _, _) = app.register("ann@example.com").await;
        let mut who = Who::customer(&auth);
        add(&app, &mut who, &shop.mug, 3).await;
        let r = checkout(&app, &who, "tok_sandbox_ok", "k").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json()["id"].as_str().expect("id").to_owned();
        assert_eq!(stock_of(&app, "MUG").await, (1, 0));

        let r = app.post(&format!("/api/v1/orders/{id}/cancel"), json!({"reason": "ordered twice"}), Some(&auth)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let order = r.json();
        assert_eq!(order["state"], "cancelled");
        assert_eq!(order["cancel_code"], "customer_cancelled");
        assert_eq!(order["payment"]["state"], "refunded");
        assert_eq!(order["payment"]["refunded"], order["totals"]["total"]);
        assert_eq!(order["shipments"][0]["state"], "cancelled", "the seller's part closes with it");
        let last = order["history"].as_array().expect("history").last().cloned().expect("entry");
        assert_eq!((last["to"].as_str(), last["reason"].as_str()), (Some("cancelled"), Some("customer_cancelled")));
        assert_eq!(stock_of(&app, "MUG").await, (4, 0), "the goods went back on the shelf");

        let r = app.post(&format!("/api/v1/orders/{id}/cancel"), json!({}), Some(&auth)).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "order_state".into()), "cancelling twice");
        app.app.orders.saga_sweep(kernel::time::Timestamp::now()).await.expect("sweep");
        assert_eq!(stock_of(&app, "MUG").await, (4, 0), "a repeat changes nothing");
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn an_admin_cancels_any_order_but_not_after_shipping() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 4).await;
        let mut ids = Vec::new();
        for key in ["a", "b"] {
            let who = guest_with(&app, &shop, 1).await;
            let r = checkout(&app, &who, "tok_sandbox_ok", key).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            ids.push(r.json()["id"].as_str().expect("id").to_owned());
        }
        let r = app.post(&format!("/api/v1/orders/{}/cancel", ids[0]), json!({}), Some(&shop.admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["cancel_code"], "admin_cancelled");

        let part = part_of(&app, &ids[1], &shop.seller).await;
        deliver(&app, &part, &shop.seller).await;
        let r = app.post(&format!("/api/v1/orders/{}/cancel", ids[1]), json!({}), Some(&shop.admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "order_state".into()), "{}", r.text);
        assert_eq!(stock_of(&app, "MUG").await, (3, 0), "one returned, one shipped");
    }
}
