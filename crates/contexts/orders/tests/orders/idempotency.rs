//! A retried checkout answers the same order and never charges twice.

use crate::common::*;
use axum::http::{Method, StatusCode};
use std::sync::Arc;
use testkit::{TestApp, backends};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_key_makes_one_order_and_one_charge() {
    for backend in backends() {
        let app = Arc::new(TestApp::spawn(&backend).await);
        let shop = shop(&app, 10).await;
        let who = guest_with(&app, &shop, 1).await;
        let total = quoted_total(&app, &who, &address_us(), "standard").await;
        let body = checkout_body(&address_us(), "tok_sandbox_ok", total);

        let mut ids = Vec::new();
        for _ in 0..10 {
            let r = who.call(&app, Method::POST, "/api/v1/checkout", Some(body.clone()), Some("seq")).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            ids.push(r.json()["id"].as_str().expect("id").to_owned());
        }
        ids.dedup();
        assert_eq!(ids.len(), 1, "ten tries, one order");

        let other = guest_with(&app, &shop, 1).await;
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (app, who, body) = (app.clone(), other.clone(), body.clone());
                tokio::spawn(async move {
                    let r = who.call(&app, Method::POST, "/api/v1/checkout", Some(body), Some("burst")).await;
                    (r.status, r.json()["id"].as_str().map(str::to_owned), r.code_or_empty())
                })
            })
            .collect();
        let mut placed = Vec::new();
        for t in tasks {
            match t.await.expect("task") {
                (StatusCode::CREATED, Some(id), _) => placed.push(id),
                (StatusCode::CONFLICT, _, code) if code == "idempotency_in_flight" => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        placed.dedup();
        assert!(placed.len() <= 1, "one order at most: {placed:?}");
        let r = other.call(&app, Method::POST, "/api/v1/checkout", Some(body.clone()), Some("burst")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

        let mut changed = body.clone();
        changed["shipping_method"] = serde_json::json!("express");
        let r = other.call(&app, Method::POST, "/api/v1/checkout", Some(changed), Some("burst")).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused".into()));

        assert_eq!(count(&app, "SELECT COUNT(*) FROM orders_orders").await, 2);
        let charges = count(&app, "SELECT COUNT(*) FROM payments_ledger WHERE kind = 'capture'").await;
        assert_eq!(charges, 2, "one charge per order");
        invariants(&app, "MUG").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_cart_under_two_keys_at_once_makes_one_order() {
    for backend in backends() {
        let app = Arc::new(TestApp::spawn(&backend).await);
        let shop = shop(&app, 10).await;
        let who = guest_with(&app, &shop, 2).await;
        let total = quoted_total(&app, &who, &address_us(), "standard").await;
        let body = checkout_body(&address_us(), "tok_sandbox_ok", total);
        // A double click whose page made a new key each time: several tries at once.
        let tasks: Vec<_> = (0..6)
            .map(|i| {
                let (app, who, body) = (app.clone(), who.clone(), body.clone());
                tokio::spawn(async move {
                    let r =
                        who.call(&app, Method::POST, "/api/v1/checkout", Some(body), Some(&format!("click-{i}"))).await;
                    (r.status, r.code_or_empty())
                })
            })
            .collect();
        let mut placed = 0;
        for t in tasks {
            match t.await.expect("task") {
                (StatusCode::CREATED, _) => placed += 1,
                (StatusCode::CONFLICT, code) if code == "checkout_in_progress" => {}
                (StatusCode::UNPROCESSABLE_ENTITY, code) if code == "cart_empty" => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(placed, 1, "{backend:?}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM orders_orders").await, 1);
        assert_eq!(stock_of(&app, "MUG").await, (8, 0));
        invariants(&app, "MUG").await;
    }
}
