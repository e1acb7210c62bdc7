//! Locations, adjustments and their history, alerts and reorder suggestions, through the API.

use crate::common::{adjust, location, product, totals};
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn sellers_keep_stock_per_location_with_a_history() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, seller_id) = app.seller("seller@example.com").await;
        product(&app, &seller, "Field Lamp", &["LAMP-1"]).await;
        let north = location(&app, &seller, "North warehouse").await;
        let south = location(&app, &seller, "South shop").await;

        adjust(&app, &seller, "lamp-1", &north, "received", 10).await;
        adjust(&app, &seller, "LAMP-1", &south, "received", 5).await;
        let damaged = adjust(&app, &seller, "LAMP-1", &north, "damaged", 2).await;
        assert_eq!((damaged["delta"].as_i64(), damaged["on_hand_after"].as_i64()), (Some(-2), Some(8)));
        let counted = adjust(&app, &seller, "LAMP-1", &south, "corrected", 7).await;
        assert_eq!((counted["delta"].as_i64(), counted["on_hand_after"].as_i64()), (Some(2), Some(7)));
        assert_eq!(totals(&app, &seller, "LAMP-1").await, (15, 0, 15), "{}", backend.name());

        let history = app.get("/api/v1/inventory/adjustments?sku=lamp-1", Some(&seller)).await.json();
        let kinds: Vec<&str> =
            history["items"].as_array().expect("items").iter().filter_map(|a| a["kind"].as_str()).collect();
        assert_eq!(kinds, ["corrected", "damaged", "received", "received"], "newest first");
        assert_eq!(history["items"][0]["actor_id"], seller_id.as_str());

        let levels = app.get(&format!("/api/v1/inventory/levels?location_id={north}"), Some(&seller)).await.json();
        assert_eq!(levels["items"][0]["on_hand"], 8);
        let page = app.get("/api/v1/inventory/levels?limit=1", Some(&seller)).await.json();
        let cursor = page["next_cursor"].as_str().expect("a second page");
        let next = app.get(&format!("/api/v1/inventory/levels?limit=1&cursor={cursor}"), Some(&seller)).await.json();
        assert_ne!(page["items"][0]["location_id"], next["items"][0]["location_id"]);

        let locations = app.get("/api/v1/inventory/locations", Some(&seller)).await.json();
        assert_eq!(locations.as_array().map(Vec::len), Some(2));
        // Switching a location off takes its stock out of what can be sold.
        let r = app
            .call(
                axum::http::Method::PUT,
                &format!("/api/v1/inventory/locations/{south}"),
                Some(json!({"name": "South shop", "active": false})),
                Some(&seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(totals(&app, &seller, "LAMP-1").await, (15, 0, 8));
    }
}

#[tokio::test]
async fn bad_adjustments_are_refused_and_change_nothing() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, _) = app.seller("seller@example.com").await;
        let (rival, _) = app.seller("rival@example.com").await;
        let (customer, _, _) = app.register("buyer@example.com").await;
        product(&app, &seller, "Field Lamp", &["LAMP-1"]).await;
        product(&app, &rival, "Rival Lamp", &["RIVAL-1"]).await;
        let mine = location(&app, &seller, "Main").await;
        let theirs = location(&app, &rival, "Theirs").await;
        adjust(&app, &seller, "LAMP-1", &mine, "received", 3).await;

        let cases = [
            (
                json!({"sku": "LAMP-1", "location_id": mine, "kind": "damaged", "quantity": 4, "reason": "x"}),
                &seller,
                StatusCode::CONFLICT,
                "stock_negative",
            ),
            (
                json!({"sku": "LAMP-1", "location_id": mine, "kind": "corrected", "counted": -1, "reason": "x"}),
                &seller,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                json!({"sku": "LAMP-1", "location_id": mine, "kind": "received", "quantity": 0, "reason": "x"}),
                &seller,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                json!({"sku": "LAMP-1", "location_id": mine, "kind": "sold", "quantity": 1, "reason": "x"}),
                &seller,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                json!({"sku": "LAMP-1", "location_id": mine, "kind": "received", "quantity": 1, "reason": " "}),
                &seller,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                json!({"sku": "LAMP-1", "location_id": mine, "kind": "received", "quantity": 1.5, "reason": "x"}),
                &seller,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            // Another seller's SKU, or one's SKU in another seller's location: as if absent.
            (
                json!({"sku": "LAMP-1", "location_id": theirs, "kind": "received", "quantity": 1, "reason": "x"}),
                &rival,
                StatusCode::NOT_FOUND,
                "sku_not_found",
            ),
            (
                json!({"sku": "LAMP-1", "location_id": theirs, "kind": "received", "quantity": 1, "reason": "x"}),
                &seller,
                StatusCode::NOT_FOUND,
                "location_not_found",
            ),
            (
                json!({"sku": "LAMP-1", "location_id": mine, "kind": "received", "quantity": 1, "reason": "x"}),
                &customer,
                StatusCode::FORBIDDEN,
                "forbidden",
            ),
        ];
        for (body, token, status, code) in cases {
            let r = app.post("/api/v1/inventory/adjustments", body.clone(), Some(token)).await;
            assert_eq!((r.status, r.code()), (status, code.to_owned()), "{} {body}: {}", backend.name(), r.text);
            assert!(r.header("content-type").is_some_and(|c| c.starts_with("application/problem+json")));
        }
        assert_eq!(totals(&app, &seller, "LAMP-1").await, (3, 0, 3));
        let history = app.get("/api/v1/inventory/adjustments", Some(&seller)).await.json();
        assert_eq!(history["items"].as_array().map(Vec::len), Some(1));
        let r = app.get("/api/v1/inventory/items/LAMP-1", Some(&rival)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "sku_not_found".to_owned()));
    }
}

#[tokio::test]
async fn low_stock_alerts_fire_once_per_crossing_and_reorders_are_suggested() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, _) = app.seller("seller@example.com").await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        product(&app, &seller, "Field Lamp", &["LAMP-1"]).await;
        let main = location(&app, &seller, "Main").await;
        let settings = json!({"low_stock_threshold": 5, "reorder_point": 5, "reorder_quantity": 20});
        let r =
            app.call(axum::http::Method::PUT, "/api/v1/inventory/items/LAMP-1", Some(settings), Some(&seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);

        // Nothing in stock yet, so the threshold is crossed as soon as it is set.
        let open = app.get("/api/v1/inventory/alerts", Some(&seller)).await.json();
        assert_eq!(open["items"][0]["available"], 0, "{open}");
        adjust(&app, &seller, "LAMP-1", &main, "received", 10).await;
        for (kind, q) in [("damaged", 3), ("damaged", 3), ("damaged", 1)] {
            adjust(&app, &seller, "LAMP-1", &main, kind, q).await; // 7, 4 (crosses), 3 (still low)
        }
        let open = app.get("/api/v1/inventory/alerts", Some(&seller)).await.json();
        assert_eq!(open["items"].as_array().map(Vec::len), Some(1), "{} {open}", backend.name());
        assert_eq!(
            (open["items"][0]["available"].as_i64(), open["items"][0]["threshold"].as_i64()),
            (Some(4), Some(5))
        );

        let suggestions = app.get("/api/v1/inventory/reorder-suggestions", Some(&seller)).await.json();
        assert_eq!(
            suggestions,
            json!([{"sku": "LAMP-1", "available": 3, "on_hand": 3, "reorder_point": 5, "suggested_quantity": 20}])
        );

        adjust(&app, &seller, "LAMP-1", &main, "received", 10).await; // 13: recovered
        let open = app.get("/api/v1/inventory/alerts", Some(&seller)).await.json();
        assert_eq!(open["items"].as_array().map(Vec::len), Some(0));
        assert_eq!(app.get("/api/v1/inventory/reorder-suggestions", Some(&seller)).await.json(), json!([]));
        adjust(&app, &seller, "LAMP-1", &main, "damaged", 9).await; // 4: a second crossing
        let all = app.get("/api/v1/inventory/alerts?open=false", Some(&seller)).await.json();
        assert_eq!(all["items"].as_array().map(Vec::len), Some(3));
        assert!(all["items"][1]["resolved_at"].is_string());
        // An admin sees every seller's alerts; a customer none.
        let admin_view = app.get("/api/v1/inventory/alerts", Some(&admin)).await.json();
        assert_eq!(admin_view["items"].as_array().map(Vec::len), Some(1));

        let low_events: i64 = app
            .app
            .db
            .fetch_one::<(i64,)>("SELECT COUNT(*) FROM store_outbox WHERE event_type = 'inventory.low_stock'", vec![])
            .await
            .expect("count")
            .0;
        assert_eq!(low_events, 3, "one event per crossing");
    }
}

/// A SKU stays with the store that used it: once seller 1 deletes a variant, seller 2 cannot
/// take its SKU (and with it seller 1's stock, history and alerts); seller 1 can use it again.
#[tokio::test]
async fn a_deleted_sku_never_passes_to_another_store() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (s1, _) = app.seller("one@example.com").await;
        let (s2, _) = app.seller("two@example.com").await;
        let p1 = product(&app, &s1, "First Tee", &["KEEP-1", "X-REUSED"]).await;
        let depot = location(&app, &s1, "Depot").await;
        adjust(&app, &s1, "X-REUSED", &depot, "received", 7).await;
        let variant = p1["variants"][1]["id"].as_str().expect("variant id");
        let id = p1["id"].as_str().expect("id");
        let r = app.call(Method::DELETE, &format!("/api/v1/products/{id}/variants/{variant}"), None, Some(&s1)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);

        let sizes = json!({"title": "Second Tee", "status": "active", "variants": [{"sku": "x-reused", "price": 900}]});
        let taken = app.post("/api/v1/products", sizes, Some(&s2)).await;
        assert_eq!((taken.status, taken.code()), (StatusCode::CONFLICT, "sku_taken".into()), "{}", backend.name());
        let other = product(&app, &s2, "Second Tee", &["Y-OWN"]).await;
        let pid = other["id"].as_str().expect("id");
        let vid = other["variants"][0]["id"].as_str().expect("variant id");
        let renamed = app
            .call(
                Method::PUT,
                &format!("/api/v1/products/{pid}/variants/{vid}"),
                Some(json!({"sku": "X-REUSED", "options": {"Size": "V0"}, "price": 900})),
                Some(&s2),
            )
            .await;
        assert_eq!((renamed.status, renamed.code()), (StatusCode::CONFLICT, "sku_taken".into()), "{}", renamed.text);
        let import = app
            .send_bytes(
                Method::POST,
                "/api/v1/seller/products/import",
                "text/csv",
                b"product_slug,title,sku,price\nthird,Third,X-REUSED,500\n".to_vec(),
                Some(&s2),
            )
            .await;
        assert_eq!(import.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", import.text);
        let seen = app.get("/api/v1/inventory/items/X-REUSED", Some(&s2)).await;
        assert_eq!(seen.status, StatusCode::NOT_FOUND, "seller 2 never sees seller 1's stock");

        // Seller 1 takes the SKU back and finds its own stock.
        let back = app
            .post(
                &format!("/api/v1/products/{id}/variants"),
                json!({"sku": "X-REUSED", "options": {"Size": "V1"}, "price": 1000}),
                Some(&s1),
            )
            .await;
        assert_eq!(back.status, StatusCode::CREATED, "{}", back.text);
        assert_eq!(totals(&app, &s1, "X-REUSED").await, (7, 0, 7));
    }
}
