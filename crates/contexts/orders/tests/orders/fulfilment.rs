//! Sellers' parts of an order: each seller sees and moves only their own, the order's state
//! follows both, labels print, carriers' webhooks move parts on once, and a delivered line is
//! a verified purchase.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::{Value, json};
use testkit::{TestApp, backends};

const SECRET: &str = "carrier-webhook-secret-for-tests";

async fn order(app: &TestApp, id: &str, token: &str) -> Value {
    let r = app.get(&format!("/api/v1/orders/{id}"), Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

#[tokio::test]
async fn two_sellers_each_move_only_their_part_and_the_order_follows_both() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 5).await;
        let (tees, _, tee) = second_seller(&app, 5).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let mut who = Who::customer(&ann);
        add(&app, &mut who, &shop.mug, 2).await;
        add(&app, &mut who, &tee, 1).await;
        let id = bought(&app, &who, "k").await;
        let o = order(&app, &id, &ann).await;
        assert_eq!((o["state"].as_str(), o["shipment"].as_str()), (Some("confirmed"), Some("unshipped")));
        assert_eq!(o["shipments"].as_array().map(Vec::len), Some(2), "one part per seller");

        let mugs = part_of(&app, &id, &shop.seller).await;
        let shirts = part_of(&app, &id, &tees).await;
        let mine = app.get(&format!("/api/v1/fulfilments/{mugs}"), Some(&shop.seller)).await.json();
        assert_eq!(mine["lines"].as_array().map(Vec::len), Some(1), "only the seller's own lines");
        assert_eq!((mine["lines"][0]["sku"].as_str(), mine["lines"][0]["quantity"].as_i64()), (Some("MUG"), Some(2)));
        assert_eq!(mine["address"]["name"], "Ann Lee", "the customer's shipping details");
        let list = app.get("/api/v1/fulfilments?state=pending", Some(&tees)).await.json();
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
        assert_eq!((list["items"][0]["items"].as_i64(), list["items"][0]["total"].as_i64()), (Some(1), Some(2000)));

        // The other seller's part is not there for them, to read or to move.
        let r = app.get(&format!("/api/v1/fulfilments/{shirts}"), Some(&shop.seller)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "fulfilment_not_found".into()));
        let r = part_move(&app, &shirts, &shop.seller, "processing").await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "fulfilment_not_found".into()));
        // A customer never moves parts.
        let r = part_move(&app, &mugs, &ann, "processing").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        let r = app.get("/api/v1/fulfilments", Some(&ann)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

        assert_eq!(part_move(&app, &mugs, &shop.seller, "processing").await.status, StatusCode::OK);
        assert_eq!(order_state(&app, &id).await, "confirmed", "the other part has not started");
        assert_eq!(part_move(&app, &shirts, &tees, "processing").await.status, StatusCode::OK);
        assert_eq!(order_state(&app, &id).await, "processing");

        // A tracking number on a part that is not packed: 409, nothing changed.
        let body = json!({"carrier": "UPS", "tracking_number": "1Z999AA10123456784"});
        let r = app.post(&format!("/api/v1/fulfilments/{shirts}/ship"), body.clone(), Some(&tees)).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "fulfilment_state".into()), "{}", r.text);
        let r = part_move(&app, &mugs, &shop.seller, "delivered").await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "fulfilment_state".into()));

        assert_eq!(part_move(&app, &mugs, &shop.seller, "packed").await.status, StatusCode::OK);
        let r = app.post(&format!("/api/v1/fulfilments/{mugs}/ship"), json!({"label": true}), Some(&shop.seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let shipped = r.json();
        let tracking = shipped["tracking_number"].as_str().expect("tracking number").to_owned();
        assert_eq!(shipped["state"], "shipped");
        let o = order(&app, &id, &ann).await;
        assert_eq!((o["state"].as_str(), o["shipment"].as_str()), (Some("processing"), Some("partly_shipped")));
        let r = app.post(&format!("/api/v1/fulfilments/{mugs}/ship"), json!({"label": true}), Some(&shop.seller)).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "fulfilment_state".into()), "ships once");

        let label = app.get(&format!("/api/v1/fulfilments/{mugs}/label"), Some(&shop.seller)).await;
        assert_eq!(label.status, StatusCode::OK);
        assert_eq!(label.header("content-type"), Some("application/pdf"));
        assert!(label.text.starts_with("%PDF-") && label.text.contains(&tracking), "a label with its tracking number");
        let r = app.get(&format!("/api/v1/fulfilments/{mugs}/label"), Some(&tees)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        assert_eq!(part_move(&app, &shirts, &tees, "packed").await.status, StatusCode::OK);
        let r = app.post(&format!("/api/v1/fulfilments/{shirts}/ship"), body, Some(&tees)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = app.get(&format!("/api/v1/fulfilments/{shirts}/label"), Some(&tees)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "label_not_found".into()), "a carrier's own label");
        let o = order(&app, &id, &ann).await;
        assert_eq!((o["state"].as_str(), o["shipment"].as_str()), (Some("shipped"), Some("shipped")));
        let carriers: Vec<_> =
            o["shipments"].as_array().expect("shipments").iter().map(|s| s["carrier"].clone()).collect();
        assert!(carriers.contains(&json!("UPS")) && carriers.contains(&json!("Oxcart Post")), "{carriers:?}");
        let r = app.post(&format!("/api/v1/orders/{id}/cancel"), json!({}), Some(&ann)).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "order_state".into()), "no cancelling once shipped");

        assert_eq!(part_move(&app, &mugs, &shop.seller, "delivered").await.status, StatusCode::OK);
        let o = order(&app, &id, &ann).await;
        assert_eq!((o["state"].as_str(), o["shipment"].as_str()), (Some("shipped"), Some("partly_delivered")));
        assert_eq!(
            part_move(&app, &shirts, &shop.admin, "out_for_delivery").await.status,
            StatusCode::OK,
            "admin: any"
        );
        assert_eq!(order_state(&app, &id).await, "out_for_delivery", "as far as the least advanced part");
        assert_eq!(part_move(&app, &shirts, &tees, "delivered").await.status, StatusCode::OK);
        assert_eq!(order_state(&app, &id).await, "delivered");
        let r = part_move(&app, &shirts, &tees, "in_transit").await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "fulfilment_state".into()), "never back");

        let admin_list = app.get(&format!("/api/v1/fulfilments?order_id={id}"), Some(&shop.admin)).await.json();
        assert_eq!(admin_list["items"].as_array().map(Vec::len), Some(2), "an admin sees every part");
        assert_eq!(events_of(&app, "fulfilment.shipped").await, 2);
        assert_eq!(events_of(&app, "order.shipped").await, 1);
        assert_eq!(events_of(&app, "order.delivered").await, 1);
        let history: Vec<String> = order(&app, &id, &ann).await["history"]
            .as_array()
            .expect("history")
            .iter()
            .map(|h| h["to"].as_str().unwrap_or_default().to_owned())
            .collect();
        let tail = ["confirmed", "processing", "packed", "shipped", "out_for_delivery", "delivered"];
        assert_eq!(history[history.len() - 6..], tail, "the order's own history: {history:?}");
        invariants(&app, "MUG").await;
    }
}

/// A carrier's report as the built-in provider's webhook sends it, its secret in the URL.
async fn webhook(app: &TestApp, body: Value, secret: &str) -> testkit::TestResponse {
    app.post(&format!("/api/v1/webhooks/shipping/builtin?token={secret}"), body, None).await
}

/// A carrier's report, `minutes` after now.
fn report(id: &str, tracking: &str, status: &str, minutes: i64) -> Value {
    let at = kernel::time::Timestamp::from_micros(kernel::time::Timestamp::now().as_micros() + minutes * 60_000_000);
    json!({"id": id, "tracking_number": tracking, "status": status, "detail": format!("Parcel {status}"),
        "location": "Oakland, CA", "occurred_at": at})
}

#[tokio::test]
async fn carrier_reports_move_a_part_on_once_and_never_back() {
    for backend in backends() {
        let app = TestApp::spawn_with(&backend, |c| c.set("shipping.webhooks", json!({"builtin": SECRET}))).await;
        let shop = shop(&app, 5).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let mut who = Who::customer(&ann);
        add(&app, &mut who, &shop.mug, 1).await;
        let id = bought(&app, &who, "k").await;
        let part = part_of(&app, &id, &shop.seller).await;
        for state in ["processing", "packed"] {
            assert_eq!(part_move(&app, &part, &shop.seller, state).await.status, StatusCode::OK);
        }
        let r = app.post(&format!("/api/v1/fulfilments/{part}/ship"), json!({"label": true}), Some(&shop.seller)).await;
        let tracking = r.json()["tracking_number"].as_str().expect("tracking").to_owned();

        let r = webhook(&app, report("e1", &tracking, "in_transit", 10), "wrong-secret").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
        let transit = report("e1", &tracking, "in_transit", 10);
        let r = webhook(&app, transit.clone(), SECRET).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        assert_eq!(order_state(&app, &id).await, "in_transit");
        let before = app.get(&format!("/api/v1/fulfilments/{part}"), Some(&shop.seller)).await.json();

        // Delivered twice: the second time is a duplicate and changes nothing.
        let r = webhook(&app, transit, SECRET).await;
        assert_eq!((r.status, r.json()["duplicate"].as_bool()), (StatusCode::OK, Some(true)));
        app.settle().await;
        let after = app.get(&format!("/api/v1/fulfilments/{part}"), Some(&shop.seller)).await.json();
        assert_eq!(before, after, "a duplicate report changes nothing");

        // The secret in its header, as the built-in provider sends it.
        let headers = [("x-webhook-secret", SECRET)];
        let delivered = report("e3", &tracking, "delivered", 300);
        let path = "/api/v1/webhooks/shipping/builtin";
        let r = app.call_with_headers(axum::http::Method::POST, path, Some(delivered), None, &headers).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        assert_eq!(order_state(&app, &id).await, "delivered");
        let delivered = events_of(&app, "fulfilment.delivered").await;
        // Out of order: an earlier scan arriving late is listed, and moves nothing.
        let r = webhook(&app, report("e2", &tracking, "out_for_delivery", 200), SECRET).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        let part_now = app.get(&format!("/api/v1/fulfilments/{part}"), Some(&shop.seller)).await.json();
        assert_eq!(part_now["state"], "delivered");
        let statuses: Vec<_> =
            part_now["tracking"].as_array().expect("tracking").iter().map(|t| t["status"].clone()).collect();
        assert_eq!(
            statuses,
            [json!("pre_transit"), json!("in_transit"), json!("out_for_delivery"), json!("delivered")]
        );
        assert_eq!(events_of(&app, "fulfilment.delivered").await, delivered, "no second delivery");
        assert_eq!(events_of(&app, "fulfilment.out_for_delivery").await, 0);
        assert_eq!(events_of(&app, "order.delivered").await, 1);
        let o = order(&app, &id, &ann).await;
        assert_eq!(o["shipments"][0]["tracking"].as_array().map(Vec::len), Some(4), "the customer follows it");
    }
}

#[tokio::test]
async fn a_review_after_delivery_is_a_verified_purchase() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 5).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let (cat, _, _) = app.register("cat@example.com").await;
        let (bob, _, _) = app.register("bob@example.com").await;
        let mut orders = Vec::new();
        for (token, key) in [(&ann, "a"), (&cat, "c")] {
            let mut who = Who::customer(token);
            add(&app, &mut who, &shop.mug, 1).await;
            orders.push(bought(&app, &who, key).await);
        }
        let part = part_of(&app, &orders[0], &shop.seller).await;
        deliver(&app, &part, &shop.seller).await;
        let path = format!("/api/v1/products/{}/reviews", shop.product_id);
        let r = app.post(&path, json!({"rating": 5, "title": "Lovely"}), Some(&ann)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["verified_purchase"], true, "delivered");
        let r = app.post(&path, json!({"rating": 4}), Some(&cat)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["verified_purchase"], false, "bought, not yet delivered");
        let early = r.json()["id"].as_str().expect("id").to_owned();
        let part = part_of(&app, &orders[1], &shop.seller).await;
        deliver(&app, &part, &shop.seller).await;
        let r = app
            .call(axum::http::Method::PUT, &format!("/api/v1/reviews/{early}"), Some(json!({"rating": 5})), Some(&cat))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["verified_purchase"], true, "edited once the goods arrived");
        let r = app.post(&path, json!({"rating": 2}), Some(&bob)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["verified_purchase"], false, "bob bought nothing");
    }
}
