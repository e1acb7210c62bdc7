//! Bad checkouts: each a problem+json with a stable code, and nothing held or charged.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::{TestApp, backends};

async fn refused(app: &TestApp, who: &Who, body: Value, key: &str) -> (StatusCode, String, Value) {
    let r = who.call(app, Method::POST, "/api/v1/checkout", Some(body), Some(key)).await;
    assert_eq!(r.header("content-type"), Some("application/problem+json"), "{}", r.text);
    (r.status, r.code(), r.json())
}

#[tokio::test]
async fn bad_checkouts_are_refused_with_stable_codes_and_hold_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 5).await;
        let who = guest_with(&app, &shop, 1).await;
        let total = quoted_total(&app, &who, &address_us(), "standard").await;
        let ok = || checkout_body(&address_us(), "tok_sandbox_ok", total);

        let mut cases: Vec<(&str, Value, StatusCode, &str)> = Vec::new();
        let mut no_city = ok();
        no_city["address"]["city"] = json!("  ");
        cases.push(("missing city", no_city, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
        let mut far = ok();
        far["address"] = json!({"name": "A", "line1": "1 Rd", "city": "Tokyo", "postal_code": "100", "country": "JP"});
        cases.push(("no zone serves it", far, StatusCode::UNPROCESSABLE_ENTITY, "destination_not_served"));
        let mut bad_country = ok();
        bad_country["address"]["country"] = json!("USA");
        cases.push(("country code", bad_country, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
        let mut method = ok();
        method["shipping_method"] = json!("teleport");
        cases.push(("unknown method", method, StatusCode::UNPROCESSABLE_ENTITY, "unknown_shipping_method"));
        let mut stale = ok();
        stale["expected_total"] = json!(total - 1);
        cases.push(("stale total", stale, StatusCode::CONFLICT, "total_changed"));
        let mut card = ok();
        card["payment_token"] = json!("4242424242424242");
        cases.push(("card number", card, StatusCode::UNPROCESSABLE_ENTITY, "card_number_refused"));
        let mut no_email = ok();
        no_email.as_object_mut().expect("object").remove("email");
        cases.push(("guest without e-mail", no_email, StatusCode::UNPROCESSABLE_ENTITY, "email_required"));
        let mut bad_email = ok();
        bad_email["email"] = json!("not-an-address");
        cases.push(("bad e-mail", bad_email, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
        let mut no_token = ok();
        no_token.as_object_mut().expect("object").remove("payment_token");
        cases.push(("no token", no_token, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));
        cases.push(("not JSON fields", json!({"address": 1}), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"));

        for (i, (what, body, status, code)) in cases.into_iter().enumerate() {
            let (got, got_code, problem) = refused(&app, &who, body, &format!("bad-{i}")).await;
            assert_eq!((got, got_code.as_str()), (status, code), "{what}: {problem}");
            if code == "total_changed" {
                assert_eq!(problem["totals"]["total"], total, "the new figures come with it");
            }
        }
        // A token of another provider is refused by payments: the order made for it is undone.
        let (status, code, problem) =
            refused(&app, &who, checkout_body(&address_us(), "pm_card_visa", total), "other").await;
        assert_eq!((status, code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "unknown_payment_method"), "{problem}");

        let r = who.call(&app, Method::POST, "/api/v1/checkout", Some(ok()), None).await;
        assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "idempotency_key_missing".into()));

        // An empty cart, and a cart with a line that cannot be bought.
        let mut emptied = who.clone();
        let line = format!("/api/v1/cart/lines/{}", shop.mug);
        let r = emptied.call(&app, Method::DELETE, &line, None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let (status, code, _) = refused(&app, &emptied, ok(), "empty").await;
        assert_eq!((status, code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "cart_empty"));
        add(&app, &mut emptied, &shop.mug, 5).await;
        let r = app
            .call(
                Method::PATCH,
                &format!("/api/v1/products/{}", shop.product_id),
                Some(json!({"status": "archived"})),
                Some(&shop.seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        let (status, code, problem) = refused(&app, &emptied, ok(), "gone").await;
        assert_eq!((status, code.as_str()), (StatusCode::CONFLICT, "cart_unpurchasable"), "{problem}");
        assert_eq!(problem["errors"][0]["field"], "lines[0]");

        assert_eq!(stock_of(&app, "MUG").await, (5, 0), "nothing was held");
        let charged = count(&app, "SELECT COUNT(*) FROM payments_ledger WHERE kind = 'capture'").await;
        assert_eq!(charged, 0, "nothing was charged");
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn an_out_of_stock_cart_names_its_lines() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 2).await;
        let who = guest_with(&app, &shop, 2).await;
        let total = quoted_total(&app, &who, &address_us(), "standard").await;
        // Someone else buys one first.
        let other = guest_with(&app, &shop, 1).await;
        let r = checkout(&app, &other, "tok_sandbox_ok", "first").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let (status, code, problem) =
            refused(&app, &who, checkout_body(&address_us(), "tok_sandbox_ok", total), "late").await;
        assert_eq!((status, code.as_str()), (StatusCode::CONFLICT, "out_of_stock"), "{problem}");
        assert_eq!(problem["errors"][0]["message"], "only 1 in stock");
        invariants(&app, "MUG").await;
    }
}
