//! Returns and refunds: shares of discounted, taxed lines that add up to the capture exactly,
//! approval by the seller of the lines only, restocking, the window, and concurrent refunds
//! that never exceed what was captured.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use testkit::{TestApp, TestResponse, backends};

async fn ask(app: &TestApp, order: &str, token: &str, lines: Value) -> TestResponse {
    app.post(&format!("/api/v1/orders/{order}/returns"), json!({"lines": lines, "reason": "Too small"}), Some(token))
        .await
}

async fn receive(app: &TestApp, ret: &str, token: &str, body: Value, key: &str) -> TestResponse {
    let headers = [("idempotency-key", key)];
    app.call_with_headers(Method::POST, &format!("/api/v1/returns/{ret}/receive"), Some(body), Some(token), &headers)
        .await
}

/// Asks for, approves and receives a return; answers it refunded.
async fn refund(app: &TestApp, order: &str, customer: &str, seller: &str, lines: Value) -> Value {
    let r = ask(app, order, customer, lines).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let ret = r.json()["returns"][0]["id"].as_str().expect("id").to_owned();
    let r = app.post(&format!("/api/v1/returns/{ret}/approve"), json!({}), Some(seller)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = receive(app, &ret, seller, json!({"restock": true}), &ret).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["state"], "refunded", "{}", r.text);
    r.json()
}

async fn payment_of(app: &TestApp, order: &str, token: &str) -> Value {
    let r = app.get(&format!("/api/v1/orders/{order}"), Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["payment"].clone()
}

#[tokio::test]
async fn partial_returns_of_discounted_taxed_lines_add_up_to_the_capture() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 10).await;
        let (tees, _, tee) = second_seller(&app, 10).await;
        let promo = json!({"name": "Winter sale", "kind": "percent", "value": 15});
        let r = app.post("/api/v1/promotions", promo, Some(&shop.admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let (ann, _, _) = app.register("ann@example.com").await;
        let mut who = Who::customer(&ann);
        add(&app, &mut who, &shop.mug, 3).await;
        add(&app, &mut who, &tee, 2).await;
        let id = bought(&app, &who, "k").await;
        let order = app.get(&format!("/api/v1/orders/{id}"), Some(&ann)).await.json();
        let totals = &order["totals"];
        assert!(totals["discount_total"].as_i64() > Some(0) && totals["tax_added"].as_i64() > Some(0), "{totals}");
        let captured = order["payment"]["captured"].as_i64().expect("captured");
        let mug_at = order["lines"].as_array().expect("lines").iter().position(|l| l["sku"] == "MUG").expect("mug");
        let (mug, shirt) = (order["lines"][mug_at]["position"].clone(), order["lines"][1 - mug_at]["position"].clone());

        // Nothing delivered yet: nothing to return.
        let r = ask(&app, &id, &ann, json!([{"position": mug, "quantity": 1}])).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "return_exceeds_delivered".into()));
        let mugs = part_of(&app, &id, &shop.seller).await;
        let shirts = part_of(&app, &id, &tees).await;
        deliver(&app, &mugs, &shop.seller).await;
        deliver(&app, &shirts, &tees).await;
        let r = ask(&app, &id, &ann, json!([{"position": mug, "quantity": 4}])).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "return_exceeds_delivered".into()));
        assert_eq!(r.json()["errors"][0]["field"], "lines[0]", "{}", r.text);

        // One request naming both sellers' lines makes a return for each.
        let r =
            ask(&app, &id, &ann, json!([{"position": mug, "quantity": 1}, {"position": shirt, "quantity": 1}])).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let both = r.json()["returns"].as_array().cloned().expect("returns");
        assert_eq!(both.len(), 2, "one return per seller");
        assert_eq!(order_state(&app, &id).await, "return_requested");
        let (of_mugs, of_shirts) =
            if both[0]["seller_id"] == shop.seller_id { (&both[0], &both[1]) } else { (&both[1], &both[0]) };
        let (a, b) = (of_mugs["id"].as_str().expect("id"), of_shirts["id"].as_str().expect("id"));
        // Each seller decides on their own lines only.
        let r = app.post(&format!("/api/v1/returns/{b}/approve"), json!({}), Some(&shop.seller)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "return_not_found".into()));
        let r = app.post(&format!("/api/v1/returns/{a}/approve"), json!({}), Some(&ann)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "the customer does not approve");
        let r =
            app.post(&format!("/api/v1/returns/{a}/approve"), json!({"amount": 1_000_000}), Some(&shop.seller)).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "refund_exceeds_return".into()));
        let r = receive(&app, a, &shop.seller, json!({}), "early").await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "return_state".into()), "not approved yet");
        let r = app.post(&format!("/api/v1/returns/{b}/reject"), json!({"reason": "Worn"}), Some(&tees)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(order_state(&app, &id).await, "return_requested", "the mug's return still waits");
        let r = app.post(&format!("/api/v1/returns/{a}/approve"), json!({}), Some(&shop.seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(order_state(&app, &id).await, "return_approved");
        let (on_hand_before, _) = stock_of(&app, "MUG").await;
        let r = receive(&app, a, &shop.seller, json!({"restock": true}), "a").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let first = r.json();
        assert_eq!(first["state"], "refunded");
        assert_eq!(stock_of(&app, "MUG").await.0, on_hand_before + 1, "restocked where it was sold from");
        let r = receive(&app, a, &shop.seller, json!({"restock": true}), "a").await;
        assert_eq!(r.status, StatusCode::OK, "a replay answers the same");
        assert_eq!(stock_of(&app, "MUG").await.0, on_hand_before + 1, "and restocks nothing twice");
        assert_eq!(order_state(&app, &id).await, "delivered", "a partial refund leaves it delivered");

        // The rest, in pieces; the last return brings the shipping back too.
        let mut refunded = first["refunded"].as_i64().expect("refunded");
        refunded += refund(&app, &id, &ann, &shop.seller, json!([{"position": mug, "quantity": 1}])).await["refunded"]
            .as_i64()
            .expect("refunded");
        refunded += refund(&app, &id, &ann, &tees, json!([{"position": shirt, "quantity": 1}])).await["refunded"]
            .as_i64()
            .expect("refunded");
        let last = refund(&app, &id, &ann, &shop.seller, json!([{"position": mug, "quantity": 1}])).await;
        assert_eq!(last["shipping_amount"].as_i64(), Some(0), "the tee is still out");
        refunded += last["refunded"].as_i64().expect("refunded");
        let last = refund(&app, &id, &ann, &tees, json!([{"position": shirt, "quantity": 1}])).await;
        assert!(last["shipping_amount"].as_i64() > Some(0), "the last unit brings the shipping back: {last}");
        refunded += last["refunded"].as_i64().expect("refunded");
        assert_eq!(refunded, captured, "every cent back, no more");
        let payment = payment_of(&app, &id, &ann).await;
        assert_eq!((payment["refunded"].as_i64(), payment["state"].as_str()), (Some(captured), Some("refunded")));
        assert_eq!(order_state(&app, &id).await, "refunded");
        assert_eq!(events_of(&app, "refund.completed").await, 5);
        assert_eq!(events_of(&app, "order.refunded").await, 1);
        let r = ask(&app, &id, &ann, json!([{"position": mug, "quantity": 1}])).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "return_exceeds_delivered".into()));
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn a_return_is_refused_after_the_window_or_above_what_is_left() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 5).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let (bob, _, _) = app.register("bob@example.com").await;
        let mut who = Who::customer(&ann);
        add(&app, &mut who, &shop.mug, 2).await;
        let id = bought(&app, &who, "k").await;
        let part = part_of(&app, &id, &shop.seller).await;
        deliver(&app, &part, &shop.seller).await;
        let line = json!([{"position": 0, "quantity": 1}]);
        let r = ask(&app, &id, &bob, line.clone()).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "order_not_found".into()), "another's order");
        for (body, field) in [
            (json!({"lines": [], "reason": "x"}), "lines"),
            (json!({"lines": line, "reason": " "}), "reason"),
            (json!({"lines": [{"position": 0, "quantity": 0}], "reason": "x"}), "lines[0].quantity"),
            (json!({"lines": [{"position": 7, "quantity": 1}], "reason": "x"}), "lines[0]"),
        ] {
            let r = app.post(&format!("/api/v1/orders/{id}/returns"), body, Some(&ann)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
            assert_eq!(r.json()["errors"][0]["field"], field, "{}", r.text);
        }

        // Someone refunded part of the payment by hand: a return worth more than is left is
        // refused, and stays approved.
        let r = ask(&app, &id, &ann, line.clone()).await;
        let ret = r.json()["returns"][0]["id"].as_str().expect("id").to_owned();
        let r = app.post(&format!("/api/v1/returns/{ret}/approve"), json!({}), Some(&shop.admin)).await;
        assert_eq!(r.status, StatusCode::OK, "an admin approves any: {}", r.text);
        let payment = payment_of(&app, &id, &ann).await;
        let captured = payment["captured"].as_i64().expect("captured");
        let by_hand = json!({"amount": captured - 100, "reason": "goodwill"});
        let pay_id = payment["id"].as_str().expect("payment");
        let headers = [("idempotency-key", "by-hand")];
        let path = format!("/api/v1/payments/{pay_id}/refunds");
        let r = app.call_with_headers(Method::POST, &path, Some(by_hand), Some(&shop.admin), &headers).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = receive(&app, &ret, &shop.seller, json!({"restock": true}), "r").await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "refund_exceeds_captured".into()),
            "{}",
            r.text
        );
        let r = app.get(&format!("/api/v1/returns/{ret}"), Some(&ann)).await;
        assert_eq!(r.json()["state"], "approved", "nothing changed");
        assert_eq!(stock_of(&app, "MUG").await, (3, 0), "nothing restocked");
        let r = app.get(&format!("/api/v1/returns/{ret}"), Some(&bob)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "another customer's return");
        let by_seller = app.get(&format!("/api/v1/returns?seller_id={}", shop.seller_id), Some(&shop.admin)).await;
        assert_eq!(by_seller.json()["items"].as_array().map(Vec::len), Some(1), "an admin's view by seller");
        let other = app.get("/api/v1/returns?seller_id=usr_nobody", Some(&shop.admin)).await;
        assert_eq!(other.json()["items"].as_array().map(Vec::len), Some(0));

        // Thirty-one days after delivery, the window has closed.
        let long_ago = kernel::time::Timestamp::now().as_micros() - 31 * 24 * 3600 * 1_000_000;
        app.app
            .db
            .execute("UPDATE orders_fulfilments SET delivered_at = $2 WHERE id = $1", store::args![&part, long_ago])
            .await
            .expect("age");
        let r = ask(&app, &id, &ann, json!([{"position": 0, "quantity": 1}])).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "return_window_closed".into()),
            "{}",
            r.text
        );
    }
}

#[tokio::test]
async fn twenty_concurrent_refunds_never_exceed_the_capture() {
    for backend in backends() {
        let app = Arc::new(TestApp::spawn(&backend).await);
        let shop = shop(&app, 20).await;
        let promo = json!({"name": "Odd cents", "kind": "percent", "value": 7});
        assert_eq!(app.post("/api/v1/promotions", promo, Some(&shop.admin)).await.status, StatusCode::CREATED);
        let (ann, _, _) = app.register("ann@example.com").await;
        let mut who = Who::customer(&ann);
        add(&app, &mut who, &shop.mug, 20).await;
        let id = bought(&app, &who, "k").await;
        let part = part_of(&app, &id, &shop.seller).await;
        deliver(&app, &part, &shop.seller).await;
        let captured = payment_of(&app, &id, &ann).await["captured"].as_i64().expect("captured");

        let asked = app
            .concurrently(
                20,
                Method::POST,
                &format!("/api/v1/orders/{id}/returns"),
                json!({"lines": [{"position": 0, "quantity": 1}], "reason": "Chipped"}),
                Some(&ann),
            )
            .await;
        let made = asked.iter().filter(|(s, _)| *s == 201).count();
        assert!(asked.iter().all(|(s, _)| *s == 201 || *s == 409 || *s == 503), "{asked:?}");
        let r = app.get(&format!("/api/v1/returns?order_id={id}&limit=100"), Some(&shop.seller)).await;
        let ids: Vec<String> = r.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|r| r["id"].as_str().unwrap_or("").to_owned())
            .collect();
        assert_eq!(ids.len(), made);
        // Whatever was refused under contention is asked for again, one at a time.
        let mut ids = ids;
        for _ in made..20 {
            let r = ask(&app, &id, &ann, json!([{"position": 0, "quantity": 1}])).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            ids.push(r.json()["returns"][0]["id"].as_str().expect("id").to_owned());
        }
        let r = ask(&app, &id, &ann, json!([{"position": 0, "quantity": 1}])).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "return_exceeds_delivered".into()));

        let run = |step: &'static str| {
            let (app, seller) = (app.clone(), shop.seller.clone());
            ids.iter()
                .map(move |ret| {
                    let (app, seller, ret) = (app.clone(), seller.clone(), ret.clone());
                    tokio::spawn(async move {
                        let path = format!("/api/v1/returns/{ret}/{step}");
                        let headers = [("idempotency-key", ret.as_str())];
                        let body = json!({});
                        app.call_with_headers(Method::POST, &path, Some(body), Some(&seller), &headers).await.status
                    })
                })
                .collect::<Vec<_>>()
        };
        for step in ["approve", "receive"] {
            for task in run(step) {
                let status = task.await.expect("task");
                assert!(status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE, "{step}: {status}");
            }
        }
        // What contention put off, the sweeper finishes.
        for ret in &ids {
            let state = app.get(&format!("/api/v1/returns/{ret}"), Some(&ann)).await.json()["state"].clone();
            if state == "requested" {
                assert_eq!(
                    app.post(&format!("/api/v1/returns/{ret}/approve"), json!({}), Some(&shop.seller)).await.status,
                    StatusCode::OK
                );
            }
            if state != "refunded" {
                let r = receive(&app, ret, &shop.seller, json!({}), &format!("again-{ret}")).await;
                assert!(r.status == StatusCode::OK || r.code() == "return_state", "{}", r.text);
            }
        }
        app.app.orders.returns_sweep(kernel::time::Timestamp::from_micros(i64::MAX / 2)).await.expect("sweep");
        let payment = payment_of(&app, &id, &ann).await;
        assert_eq!(payment["refunded"].as_i64(), Some(captured), "all of it back, and never more");
        let refunds =
            count(&app, "SELECT COUNT(*) FROM payments_ledger WHERE kind = 'refund' AND status = 'succeeded'").await;
        assert_eq!(refunds, 20, "one refund per return");
        assert_eq!(order_state(&app, &id).await, "refunded");
    }
}
