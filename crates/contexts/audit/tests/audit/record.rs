//! What the log records of an action: who did it, from which request and address, to what,
//! and the state before and after.

use crate::common::*;
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::{TestApp, backends};

#[tokio::test]
async fn an_admins_role_change_is_recorded_with_who_where_and_what_changed() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, admin_id) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (_, _, ann) = app.register("ann@example.com").await;
        let path = format!("/api/v1/admin/users/{ann}/role");
        let r = app.call(Method::PUT, &path, Some(json!({"role": "seller"})), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let request_id = r.header("x-request-id").expect("a request id").to_owned();
        app.settle().await;

        let found = entries(&app, &admin, "?action=user.role_changed").await;
        assert_eq!(found.len(), 1, "{found:?}");
        let e = &found[0];
        assert_eq!(e["actor"], json!({"id": admin_id, "role": "admin"}));
        assert_eq!((e["object_type"].as_str(), e["object_id"].as_str()), (Some("user"), Some(ann.as_str())));
        assert_eq!(e["before"], json!({"role": "customer"}));
        assert_eq!(e["after"], json!({"role": "seller"}));
        assert_eq!(e["request_id"], request_id.as_str());
        assert_eq!(e["address"], "127.0.0.1");
        assert_eq!(e["seq"], 1);
        assert_eq!(e["hash"].as_str().map(str::len), Some(64));
        let by_actor = entries(&app, &admin, &format!("?actor_id={admin_id}")).await;
        assert_eq!(by_actor.len(), 1);
        assert!(entries(&app, &admin, "?actor_id=usr_nobody").await.is_empty());
    }
}

#[tokio::test]
async fn a_capture_and_an_admins_refund_are_recorded_against_the_payment() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app).await;
        let order = paid_order(&app, &shop, "buy-1").await;
        let r = app.get(&format!("/api/v1/orders/{order}"), Some(&shop.admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let payment = r.json()["payment"].clone();
        let pay_id = payment["id"].as_str().expect("payment id").to_owned();
        let captured = payment["captured"].as_i64().expect("captured");

        let path = format!("/api/v1/payments/{pay_id}/refunds");
        let body = json!({"amount": 500, "reason": "goodwill"});
        let headers = [("idempotency-key", "refund-1")];
        let r = app.call_with_headers(Method::POST, &path, Some(body), Some(&shop.admin), &headers).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        app.settle().await;

        let found = entries(&app, &shop.admin, &format!("?object_id={pay_id}")).await;
        let actions: Vec<_> = found.iter().map(|e| e["action"].as_str().unwrap_or_default()).collect();
        assert_eq!(actions, ["payment.refunded", "payment.captured"], "newest first");
        let (refund, capture) = (&found[0], &found[1]);
        assert_eq!(refund["actor"], json!({"id": shop.admin_id, "role": "admin"}));
        assert_eq!(refund["before"], json!({"refunded": 0}));
        assert_eq!(refund["after"]["refund"], 500);
        assert_eq!(refund["after"]["refunded"], 500);
        assert_eq!(refund["after"]["reference"], order.as_str());
        assert_eq!(capture["actor"], json!({}), "a guest's checkout has no signed-in actor");
        assert_eq!(capture["after"]["captured"], captured);
        assert_eq!(capture["address"], "127.0.0.1", "the guest's address is kept");
        assert!(capture["request_id"].as_str().is_some_and(|r| r.starts_with("req_")), "{capture}");
        let payments = entries(&app, &shop.admin, "?action=payment.*").await;
        assert_eq!(payments.len(), 2, "{payments:?}");
    }
}

#[tokio::test]
async fn price_stock_and_promotion_changes_are_recorded_with_before_and_after() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app).await;
        let (seller, seller_id) = app.seller("sam@example.com").await;
        let body = json!({"title": "Teapot", "status": "active", "variants": [{"sku": "POT", "price": 3000}]});
        let r = app.post("/api/v1/products", body, Some(&seller)).await;
        let product = r.json();
        let (id, variant) =
            (product["id"].as_str().expect("id"), product["variants"][0]["id"].as_str().expect("variant"));
        let path = format!("/api/v1/products/{id}/variants/{variant}");
        let r = app.call(Method::PUT, &path, Some(json!({"sku": "POT", "price": 3500})), Some(&seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = app.call(Method::PUT, &path, Some(json!({"sku": "POT", "price": 3500})), Some(&seller)).await;
        assert_eq!(r.status, StatusCode::OK, "the same price again is no change");
        let r = app.post("/api/v1/inventory/locations", json!({"name": "Shed"}), Some(&seller)).await;
        let location = r.json()["id"].as_str().expect("id").to_owned();
        for (kind, n) in [("received", 6), ("damaged", 2)] {
            let body = json!({"sku": "POT", "location_id": location, "kind": kind, "quantity": n, "reason": "count"});
            let r = app.post("/api/v1/inventory/adjustments", body, Some(&seller)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
        let promo = json!({"name": "Spring", "code": "SPRING", "kind": "percent", "value": 10});
        let r = app.post("/api/v1/promotions", promo, Some(&shop.admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let pro = r.json()["id"].as_str().expect("id").to_owned();
        let promo = json!({"name": "Spring", "code": "SPRING", "kind": "percent", "value": 15});
        let r = app.call(Method::PUT, &format!("/api/v1/promotions/{pro}"), Some(promo), Some(&shop.admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = app.call(Method::DELETE, &format!("/api/v1/promotions/{pro}"), None, Some(&shop.admin)).await;
        assert!(r.status.is_success(), "{}", r.text);
        app.settle().await;

        let prices = entries(&app, &shop.admin, "?action=product.price_changed").await;
        assert_eq!(prices.len(), 1, "{prices:?}");
        assert_eq!(prices[0]["actor"], json!({"id": seller_id, "role": "seller"}));
        assert_eq!(
            (prices[0]["before"]["price"].as_i64(), prices[0]["after"]["price"].as_i64()),
            (Some(3000), Some(3500))
        );
        let stock = entries(&app, &shop.admin, "?action=inventory.adjusted&object_id=POT").await;
        let moves: Vec<_> =
            stock.iter().map(|e| (e["before"]["on_hand"].as_i64(), e["after"]["on_hand"].as_i64())).collect();
        assert_eq!(moves, [(Some(6), Some(4)), (Some(0), Some(6))], "newest first");
        assert_eq!(stock[0]["after"]["reason"], "count");
        let promos = entries(&app, &shop.admin, &format!("?object_id={pro}")).await;
        let changes: Vec<_> = promos.iter().map(|e| e["after"]["change"].as_str().unwrap_or_default()).collect();
        assert_eq!(changes, ["deleted", "updated", "created"]);
        assert_eq!((promos[1]["before"]["value"].as_i64(), promos[1]["after"]["value"].as_i64()), (Some(10), Some(15)));
        assert!(app.app.audit.chain_verify(|_| {}).await.expect("verify").intact);
    }
}
