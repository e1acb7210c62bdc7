//! A seller's endpoint hears only what names the seller: their own parts' fulfilment events,
//! and orders cut to their own lines; another seller's deliveries are 404 to them.

use crate::common::*;
use axum::http::{Method, StatusCode};
use kernel::time::Timestamp;
use serde_json::Value;
use testkit::backends;

/// `(type, payload)` of an endpoint's deliveries, oldest first.
async fn heard(app: &testkit::TestApp, token: &str, endpoint_id: &str) -> Vec<(String, Value, String)> {
    let mut out = Vec::new();
    for d in deliveries(app, token, endpoint_id).await.into_iter().rev() {
        let id = d["id"].as_str().expect("id").to_owned();
        let detail = delivery(app, token, &id).await;
        out.push((d["event_type"].as_str().expect("type").to_owned(), detail["payload"].clone(), id));
    }
    out
}

#[tokio::test]
async fn a_seller_hears_only_their_own_parts_and_lines() {
    for backend in backends() {
        let app = app_local(&backend).await;
        let receiver = Receiver::start(200).await;
        let shop = shop(&app).await;
        let types = ["fulfilment.*", "order.confirmed"];
        let mugs_hook = endpoint(&app, &shop.mugs, &receiver.url("/mugs"), &types).await;
        let tees_hook = endpoint(&app, &shop.tees, &receiver.url("/tees"), &types).await;
        let admin_hook = endpoint(&app, &shop.admin, &receiver.url("/admin"), &types).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let order_id = order(&app, &ann, &[&shop.mug, &shop.tee]).await;
        let part = part_of(&app, &order_id, &shop.mugs).await;
        let body = serde_json::json!({"state": "processing"});
        expect(
            &app,
            Method::POST,
            &format!("/api/v1/fulfilments/{part}/state"),
            Some(body),
            &shop.mugs,
            StatusCode::OK,
        )
        .await;
        app.settle().await;

        let mugs = heard(&app, &shop.mugs, mugs_hook["id"].as_str().expect("id")).await;
        let kinds: Vec<&str> = mugs.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(kinds, ["order.confirmed", "fulfilment.processing"], "{mugs:?}");
        let (_, confirmed, _) = &mugs[0];
        assert_eq!(confirmed["order_id"].as_str(), Some(order_id.as_str()));
        let lines = confirmed["lines"].as_array().expect("lines");
        assert_eq!(lines.len(), 1, "only the seller's own line");
        assert_eq!(
            (lines[0]["sku"].as_str(), lines[0]["seller_id"].as_str()),
            (Some("MUG"), Some(shop.mugs_id.as_str()))
        );
        assert!(confirmed.get("total").is_none(), "not the whole order's total: {confirmed}");
        assert_eq!(mugs[1].1["fulfilment_id"].as_str(), Some(part.as_str()));

        let tees = heard(&app, &shop.tees, tees_hook["id"].as_str().expect("id")).await;
        let kinds: Vec<&str> = tees.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(kinds, ["order.confirmed"], "no other seller's part events: {tees:?}");
        assert_eq!(tees[0].1["lines"][0]["sku"], "TEE");
        assert_eq!(tees[0].1["lines"].as_array().map(Vec::len), Some(1));

        let admin = heard(&app, &shop.admin, admin_hook["id"].as_str().expect("id")).await;
        assert_eq!(admin.len(), 2, "the admin hears both, whole");
        assert_eq!(admin[0].1["lines"].as_array().map(Vec::len), Some(2));
        assert!(admin[0].1["total"].is_i64());

        // Another seller's delivery is not there for them, to read or to replay.
        let (_, _, mugs_delivery) = &mugs[0];
        for (method, path) in [
            (Method::GET, format!("/api/v1/webhook-deliveries/{mugs_delivery}")),
            (Method::POST, format!("/api/v1/webhook-deliveries/{mugs_delivery}/replay")),
        ] {
            let r = app.call(method, &path, None, Some(&shop.tees)).await;
            assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "webhook_delivery_not_found".into()), "{path}");
        }

        // What arrives is what was stored: the seller's cut copy.
        assert_eq!(send(&app, Timestamp::now()).await, 5);
        let got = receiver.received();
        let confirmed: Vec<_> = got.iter().filter(|r| r.header("oxcart-event-type") == "order.confirmed").collect();
        assert_eq!(confirmed.len(), 3, "one per endpoint");
        for r in confirmed {
            let data = &r.json()["data"];
            let skus: Vec<&str> =
                data["lines"].as_array().expect("lines").iter().filter_map(|l| l["sku"].as_str()).collect();
            let expected: &[&str] = match r.target.as_str() {
                "/mugs" => &["MUG"],
                "/tees" => &["TEE"],
                _ => &["MUG", "TEE"],
            };
            assert_eq!(skus.len(), expected.len(), "{}: {skus:?}", r.target);
            assert!(expected.iter().all(|s| skus.contains(s)), "{}: {skus:?}", r.target);
        }
    }
}
