//! Real checkouts and a refund land in today's aggregates, equal to a recount of the orders'
//! own tables; a seller sees only their own sales, a customer none.

use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::{TestApp, backends};

async fn product(app: &TestApp, seller: &str, sku: &str, price: i64) -> String {
    let body = json!({"title": format!("Item {sku}"), "status": "active",
        "variants": [{"sku": sku, "price": price, "weight_g": 400}]});
    let r = app.post("/api/v1/products", body, Some(seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let variant = r.json()["variants"][0]["id"].as_str().expect("id").to_owned();
    let r = app.post("/api/v1/inventory/locations", json!({"name": format!("At {sku}")}), Some(seller)).await;
    let location = r.json()["id"].as_str().expect("id").to_owned();
    let body = json!({"sku": sku, "location_id": location, "kind": "received", "quantity": 20, "reason": "t"});
    let r = app.post("/api/v1/inventory/adjustments", body, Some(seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    variant
}

/// A guest buys `lines` (variant, quantity); answers the order id.
async fn buy(app: &TestApp, lines: &[(&str, i64)], key: &str) -> String {
    let mut cart: Option<String> = None;
    for (variant, quantity) in lines {
        let headers: Vec<(&str, &str)> = cart.iter().map(|c| ("x-cart-token", c.as_str())).collect();
        let body = json!({"variant_id": variant, "quantity": quantity});
        let r = app.call_with_headers(Method::POST, "/api/v1/cart/add", Some(body), None, &headers).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        cart.get_or_insert_with(|| r.json()["token"].as_str().expect("token").to_owned());
    }
    let cart = cart.expect("a cart");
    let address = json!({"name": "Ann Lee", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US"});
    let quote = json!({"address": address, "shipping_method": "standard"});
    let headers = [("x-cart-token", cart.as_str())];
    let r = app.call_with_headers(Method::POST, "/api/v1/checkout/quote", Some(quote), None, &headers).await;
    let total = r.json()["totals"]["total"].as_i64().expect("total");
    let body = json!({"address": address, "email": "guest@example.com", "shipping_method": "standard",
        "payment_token": "tok_sandbox_ok", "expected_total": total});
    let headers = [("x-cart-token", cart.as_str()), ("idempotency-key", key)];
    let r = app.call_with_headers(Method::POST, "/api/v1/checkout", Some(body), None, &headers).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().expect("id").to_owned()
}

async fn sum(app: &TestApp, sql: &'static str, seller: &str) -> i64 {
    let (n,): (i64,) = app.app.db.fetch_one(sql, store::args![seller]).await.expect("recount");
    n
}

#[tokio::test]
async fn todays_checkouts_and_refunds_match_a_recount_and_sellers_see_their_own() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        app.app.shipping.demo_seed().await.expect("shipping zones");
        app.app.tax.demo_seed().await.expect("tax rules");
        let (sam, sam_id) = app.seller("sam@example.com").await;
        let (tia, tia_id) = app.seller("tia@example.com").await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (customer, _) = app.user_with_role("carol@example.com", Role::Customer).await;
        let mug = product(&app, &sam, "MUG", 1250).await;
        let pot = product(&app, &tia, "POT", 3400).await;
        app.settle().await;
        let first = buy(&app, &[(&mug, 2), (&pot, 1)], "a").await;
        buy(&app, &[(&mug, 1)], "b").await;
        app.settle().await;
        let r = app.get(&format!("/api/v1/orders/{first}"), Some(&admin)).await;
        let pay = r.json()["payment"]["id"].as_str().expect("payment").to_owned();
        let path = format!("/api/v1/payments/{pay}/refunds");
        let headers = [("idempotency-key", "r")];
        let body = json!({"amount": 500, "reason": "goodwill"});
        let r = app.call_with_headers(Method::POST, &path, Some(body), Some(&admin), &headers).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        app.settle().await;

        let shop = app.get("/api/v1/analytics/sales", Some(&admin)).await.json();
        let totals = &shop["totals"];
        let orders = sum(&app, "SELECT COUNT(*) FROM orders_orders WHERE state = 'confirmed' AND $1 = $1", "").await;
        let revenue =
            sum(&app, "SELECT CAST(SUM(total) AS BIGINT) FROM orders_orders WHERE state = 'confirmed' AND $1 = $1", "")
                .await;
        assert_eq!((totals["orders"].as_i64(), totals["revenue"].as_i64()), (Some(orders), Some(revenue)));
        assert_eq!(orders, 2);
        assert_eq!(totals["refunded"], 500);
        assert_eq!(totals["units"], 4);
        assert_eq!(totals["average_order_value"], (2 * revenue + 2) / 4);
        assert_eq!(shop["buckets"].as_array().map(Vec::len), Some(30), "the last 30 days by default");

        let line_sum = "SELECT CAST(SUM(total) AS BIGINT) FROM orders_lines WHERE seller_id = $1";
        for (token, id, units, orders) in [(&sam, &sam_id, 3, 2), (&tia, &tia_id, 1, 1)] {
            let own = app.get("/api/v1/analytics/sales", Some(token)).await.json();
            assert_eq!(own["seller_id"], id.as_str());
            assert_eq!(own["totals"]["revenue"], sum(&app, line_sum, id).await, "{id}");
            assert_eq!(
                (own["totals"]["units"].as_i64(), own["totals"]["orders"].as_i64()),
                (Some(units), Some(orders))
            );
            assert_eq!(own["products"].as_array().map(Vec::len), Some(1));
            let by_admin = app.get(&format!("/api/v1/analytics/sales?seller_id={id}"), Some(&admin)).await.json();
            assert_eq!(by_admin["totals"], own["totals"]);
        }
        let r = app.get(&format!("/api/v1/analytics/sales?seller_id={sam_id}"), Some(&tia)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "another seller's sales");
        let r = app.get("/api/v1/analytics/sales", Some(&customer)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        for bad in [
            "?since=yesterday",
            "?grain=hour&since=2020-01-01T00:00:00Z",
            "?since=2030-01-02T00:00:00Z&until=2030-01-01T00:00:00Z",
        ] {
            let r = app.get(&format!("/api/v1/analytics/sales{bad}"), Some(&admin)).await;
            assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "analytics_range_invalid".into()), "{bad}");
        }
    }
}

/// Every series the Grafana dashboard in the repo charts is one the server exports.
#[tokio::test]
async fn the_grafana_dashboard_charts_only_exported_series() {
    let backend = testkit::TestBackend::Sqlite;
    let app = TestApp::spawn(&backend).await;
    app.app.shipping.demo_seed().await.expect("shipping zones");
    app.app.tax.demo_seed().await.expect("tax rules");
    let (sam, _) = app.seller("sam@example.com").await;
    let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
    let mug = product(&app, &sam, "MUG", 1250).await;
    app.settle().await;
    let order = buy(&app, &[(&mug, 1)], "a").await;
    app.settle().await;
    let r = app.get(&format!("/api/v1/orders/{order}"), Some(&admin)).await;
    let pay = r.json()["payment"]["id"].as_str().expect("payment").to_owned();
    let body = json!({"amount": 100, "reason": "goodwill"});
    let path = format!("/api/v1/payments/{pay}/refunds");
    let r = app.call_with_headers(Method::POST, &path, Some(body), Some(&admin), &[("idempotency-key", "r")]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app.post(&format!("/api/v1/orders/{order}/cancel"), json!({}), Some(&admin)).await;
    let _ = r.status;
    app.settle().await;
    app.get("/health/ready", None).await;

    let dashboard = include_str!("../../../../../deploy/grafana/oxcart.json");
    let exported = app.metrics().await;
    let mut names: Vec<&str> = dashboard
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("oxcart_"))
        .collect();
    names.sort_unstable();
    names.dedup();
    assert!(names.len() >= 10, "{names:?}");
    let missing: Vec<&str> = names
        .into_iter()
        .map(|n| n.strip_suffix("_bucket").unwrap_or(n))
        .filter(|series| !exported.contains(&format!("\n{series}")))
        .collect();
    assert_eq!(missing, Vec::<&str>::new(), "charted but not on /metrics:\n{exported}");
}
