//! A whole checkout, as a customer and as a guest: quote, pay, order confirmed with its stock
//! sold, its payment captured, its cart emptied; the order read back, listed and looked up.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use testkit::{TestApp, backends};

#[tokio::test]
async fn a_customer_checks_out_and_reads_the_order() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 10).await;
        let (auth, _, customer_id) = app.register("ann@example.com").await;
        let mut who = Who::customer(&auth);
        add(&app, &mut who, &shop.mug, 2).await;

        let body = json!({"address": address_us()});
        let r = who.call(&app, Method::POST, "/api/v1/checkout/quote", Some(body), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let quote = r.json();
        let codes: Vec<&str> =
            quote["shipping_options"].as_array().expect("options").iter().filter_map(|o| o["code"].as_str()).collect();
        assert!(codes.contains(&"standard") && codes.contains(&"express"), "{codes:?}");

        let total = quoted_total(&app, &who, &address_us(), "standard").await;
        // 2 × 1250 + standard shipping for 800 g (599) + 7.25 % California sales tax on the goods.
        assert_eq!(total, 2500 + 599 + 181, "{backend:?}");
        let mut body = checkout_body(&address_us(), "tok_sandbox_ok", total);
        body.as_object_mut().expect("object").remove("email");
        let r = who.call(&app, Method::POST, "/api/v1/checkout", Some(body), Some("k1")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let order = r.json();
        assert_eq!(order["state"], "confirmed");
        assert_eq!(order["email"], "ann@example.com", "the account's address when none is given");
        assert_eq!(order["customer_id"], customer_id.as_str());
        assert_eq!(order["totals"]["tax_added"], 181);
        assert_eq!(order["lines"][0]["sku"], "MUG");
        assert_eq!(order["lines"][0]["tax"], 181);
        assert_eq!(order["payment"]["state"], "captured");
        assert_eq!(order["payment"]["captured"], total);
        let states: Vec<&str> =
            order["history"].as_array().expect("history").iter().filter_map(|h| h["to"].as_str()).collect();
        assert_eq!(states, ["pending", "payment_pending", "confirmed"]);
        assert!(order["number"].as_str().expect("number").starts_with("OX-"));

        assert_eq!(stock_of(&app, "MUG").await, (8, 0), "two sold, nothing held");
        let cart = who.call(&app, Method::GET, "/api/v1/cart", None, None).await;
        assert_eq!(cart.json()["lines"].as_array().map(Vec::len), Some(0), "the cart was emptied");

        let id = order["id"].as_str().expect("id");
        let r = app.get(&format!("/api/v1/orders/{id}"), Some(&auth)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["number"], order["number"]);
        let list = app.get("/api/v1/orders", Some(&auth)).await.json();
        assert_eq!(list["items"][0]["id"], id);
        assert_eq!(list["items"][0]["items"], 2);

        let found =
            app.get(&format!("/api/v1/orders?q={}", order["number"].as_str().expect("n")), Some(&shop.admin)).await;
        assert_eq!(found.json()["items"].as_array().map(Vec::len), Some(1), "an admin searches by number");
        app.settle().await;
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn a_guest_checks_out_with_vat_included_and_finds_the_order_by_number() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 5).await;
        let who = guest_with(&app, &shop, 1).await;
        let total = quoted_total(&app, &who, &address_de(), "standard").await;
        // German VAT is in the price: nothing is added on top; EU standard shipping is 499.
        assert_eq!(total, 1250 + 499);
        let body = checkout_body(&address_de(), "tok_sandbox_ok", total);
        let r = who.call(&app, Method::POST, "/api/v1/checkout", Some(body), Some("g1")).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let order = r.json();
        assert_eq!(order["guest"], true);
        assert_eq!(order["totals"]["tax_inclusive"], true);
        assert_eq!(order["totals"]["tax_added"], 0);
        // 19 % contained in 1250 (200) and in the taxed shipping 499 (80).
        assert_eq!(order["totals"]["tax_total"], 200 + 80);

        let number = order["number"].as_str().expect("number").to_lowercase();
        let r = app.post("/api/v1/orders/lookup", json!({"number": number, "email": "GUEST@example.com"}), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["id"], order["id"]);
        let r = app.post("/api/v1/orders/lookup", json!({"number": number, "email": "other@example.com"}), None).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "order_not_found".into()));
        let r = app.get(&format!("/api/v1/orders/{}", order["id"].as_str().expect("id")), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a guest's order is not open to anyone without the pair");
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn another_customers_order_is_not_found_on_every_route() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 5).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let (bob, _, _) = app.register("bob@example.com").await;
        let mut who = Who::customer(&ann);
        add(&app, &mut who, &shop.mug, 1).await;
        let r = checkout(&app, &who, "tok_sandbox_ok", "k").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let id = r.json()["id"].as_str().expect("id").to_owned();
        let r = app.get(&format!("/api/v1/orders/{id}"), Some(&bob)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "order_not_found".into()));
        let r = app.post(&format!("/api/v1/orders/{id}/cancel"), json!({}), Some(&bob)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "order_not_found".into()));
        let list = app.get("/api/v1/orders", Some(&bob)).await.json();
        assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
        let r = app.get(&format!("/api/v1/orders/{id}"), Some(&shop.seller)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "a seller reads orders through fulfilment, not here");
        assert_eq!(order_state(&app, &id).await, "confirmed");
    }
}

#[tokio::test]
async fn the_two_step_checkout_pays_the_order_through_payments() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 5).await;
        let who = guest_with(&app, &shop, 2).await;
        let total = quoted_total(&app, &who, &address_us(), "standard").await;
        let mut body = checkout_body(&address_us(), "unused", total);
        body.as_object_mut().expect("object").remove("payment_token");
        let r = who.call(&app, Method::POST, "/api/v1/orders", Some(body), Some("two-step")).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        let order = r.json();
        assert_eq!(order["state"], "payment_pending");
        assert_eq!(stock_of(&app, "MUG").await, (5, 2), "held while it waits for its payment");
        let id = order["id"].as_str().expect("id");

        let pay = |email: &str, key: &str| {
            let body = json!({"reference": id, "payment_token": "tok_sandbox_ok", "email": email});
            let key = key.to_owned();
            let app = &app;
            async move {
                app.call_with_headers(Method::POST, "/api/v1/payments", Some(body), None, &[("idempotency-key", &key)])
                    .await
            }
        };
        let r = pay("someone@example.com", "p0").await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "payable_not_found".into()), "not the order's e-mail");
        let r = pay("guest@example.com", "p1").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["state"], "captured", "confirmed and charged within the request");
        assert_eq!(order_state(&app, id).await, "confirmed");
        assert_eq!(stock_of(&app, "MUG").await, (3, 0));
        let r = pay("guest@example.com", "p2").await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "payable_not_due".into()), "paid once only");
        invariants(&app, "MUG").await;
    }
}
