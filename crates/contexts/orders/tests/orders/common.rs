//! Fixtures shared by the orders suites: a shop with stock, shipping and tax set up, carts,
//! checkouts, and the invariants every test ends by checking.

#![allow(dead_code)]

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::{TestApp, TestResponse};

pub struct Shop {
    pub seller: String,
    pub seller_id: String,
    pub product_id: String,
    /// Variant id of `MUG` at 1250 (400 g).
    pub mug: String,
    pub admin: String,
}

/// An approved seller with one active product (`MUG`, `stock` in stock), the demo shipping
/// zones and tax rules, and an admin.
pub async fn shop(app: &TestApp, stock: i64) -> Shop {
    app.app.shipping.demo_seed().await.expect("shipping zones");
    app.app.tax.demo_seed().await.expect("tax rules");
    let (seller, seller_id) = app.seller("seller@example.com").await;
    let body = json!({
        "title": "Stoneware Mug",
        "status": "active",
        "variants": [{"sku": "MUG", "price": 1250, "weight_g": 400}]
    });
    let r = app.post("/api/v1/products", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let p = r.json();
    let r = app.post("/api/v1/inventory/locations", json!({"name": "Main"}), Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let location = r.json()["id"].as_str().expect("id").to_owned();
    let body = json!({"sku": "MUG", "location_id": location, "kind": "received", "quantity": stock, "reason": "t"});
    let r = app.post("/api/v1/inventory/adjustments", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (admin, _) = app.user_with_role("admin@example.com", kernel::auth::Role::Admin).await;
    app.settle().await;
    Shop {
        seller,
        seller_id,
        product_id: p["id"].as_str().expect("id").to_owned(),
        mug: p["variants"][0]["id"].as_str().expect("id").to_owned(),
        admin,
    }
}

/// Who checks out: a guest's cart token, a customer's access token, or both.
#[derive(Debug, Clone, Default)]
pub struct Who {
    pub token: Option<String>,
    pub auth: Option<String>,
}

impl Who {
    pub fn customer(auth: &str) -> Self {
        Self { token: None, auth: Some(auth.to_owned()) }
    }

    fn headers<'a>(&'a self, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut h: Vec<(&str, &str)> = extra.to_vec();
        if let Some(t) = &self.token {
            h.push(("x-cart-token", t));
        }
        h
    }

    pub async fn call(
        &self,
        app: &TestApp,
        method: Method,
        path: &str,
        body: Option<Value>,
        key: Option<&str>,
    ) -> TestResponse {
        let extra: Vec<(&str, &str)> = key.map(|k| vec![("idempotency-key", k)]).unwrap_or_default();
        app.call_with_headers(method, path, body, self.auth.as_deref(), &self.headers(&extra)).await
    }
}

/// Adds `quantity` of `variant` to the caller's cart; a guest gets its token on the first add.
pub async fn add(app: &TestApp, who: &mut Who, variant: &str, quantity: i64) {
    let body = json!({"variant_id": variant, "quantity": quantity});
    let r = who.call(app, Method::POST, "/api/v1/cart/add", Some(body), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    if who.token.is_none() && who.auth.is_none() {
        who.token = Some(r.json()["token"].as_str().expect("guest token").to_owned());
    }
}

/// A guest with `quantity` mugs in a new cart.
pub async fn guest_with(app: &TestApp, shop: &Shop, quantity: i64) -> Who {
    let mut who = Who::default();
    add(app, &mut who, &shop.mug, quantity).await;
    who
}

pub fn address_us() -> Value {
    json!({"name": "Ann Lee", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US"})
}

pub fn address_de() -> Value {
    json!({"name": "Jonas Weber", "line1": "Hauptstr. 5", "city": "Berlin", "postal_code": "10115", "country": "DE"})
}

/// What the quote says checkout will charge for `address` and `method`.
pub async fn quoted_total(app: &TestApp, who: &Who, address: &Value, method: &str) -> i64 {
    let body = json!({"address": address, "shipping_method": method});
    let r = who.call(app, Method::POST, "/api/v1/checkout/quote", Some(body), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["totals"]["total"].as_i64().expect("total")
}

pub fn checkout_body(address: &Value, token: &str, total: i64) -> Value {
    json!({"address": address, "email": "guest@example.com", "shipping_method": "standard",
        "payment_token": token, "expected_total": total})
}

/// Checks out with `token` at the quoted total, under `key`.
pub async fn checkout(app: &TestApp, who: &Who, token: &str, key: &str) -> TestResponse {
    let total = quoted_total(app, who, &address_us(), "standard").await;
    let body = checkout_body(&address_us(), token, total);
    who.call(app, Method::POST, "/api/v1/checkout", Some(body), Some(key)).await
}

/// `(on_hand, reserved)` of a SKU over every location.
pub async fn stock_of(app: &TestApp, sku: &str) -> (i64, i64) {
    let row: (i64, i64) = app
        .app
        .db
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(on_hand), 0) AS BIGINT), CAST(COALESCE(SUM(reserved), 0) AS BIGINT)
             FROM inventory_levels WHERE sku = $1",
            store::args![sku],
        )
        .await
        .expect("levels");
    row
}

/// Units held by live reservations of a SKU.
pub async fn live_holds(app: &TestApp, sku: &str) -> i64 {
    let (n,): (i64,) = app
        .app
        .db
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM inventory_reservation_lines l
             JOIN inventory_reservations r ON r.id = l.reservation_id WHERE r.state = 'active' AND l.sku = $1",
            store::args![sku],
        )
        .await
        .expect("holds");
    n
}

/// Counts rows of `sql` (one BIGINT column).
pub async fn count(app: &TestApp, sql: &'static str) -> i64 {
    let (n,): (i64,) = app.app.db.fetch_one(sql, vec![]).await.expect("count");
    n
}

/// The invariants that hold after any mix of checkouts: never a capture without a confirmed
/// order, one capture per confirmed order, no authorization left open on a cancelled order,
/// stock reserved equals live holds, and no checkout left unfinished.
pub async fn invariants(app: &TestApp, sku: &str) {
    // As a running server would within moments: events delivered, due checkouts run.
    for _ in 0..3 {
        app.settle().await;
        app.app.orders.saga_sweep(kernel::time::Timestamp::now()).await.expect("sweep");
    }
    let (_, reserved) = stock_of(app, sku).await;
    assert_eq!(reserved, live_holds(app, sku).await, "reserved equals live holds");
    let orphan = count(
        app,
        "SELECT COUNT(*) FROM payments_ledger g JOIN payments_payments p ON p.id = g.payment_id
         JOIN orders_orders o ON o.id = p.reference
         WHERE g.kind = 'capture' AND g.status = 'succeeded' AND o.state IN ('pending', 'payment_pending', 'cancelled')
           AND NOT EXISTS (SELECT 1 FROM payments_ledger r WHERE r.payment_id = g.payment_id AND r.kind = 'refund'
                           AND r.status = 'succeeded')",
    )
    .await;
    assert_eq!(orphan, 0, "every capture belongs to a placed order or was refunded");
    let twice = count(
        app,
        "SELECT COUNT(*) FROM (SELECT p.reference FROM payments_ledger g JOIN payments_payments p ON p.id = g.payment_id
         WHERE g.kind = 'capture' AND g.status = 'succeeded' GROUP BY p.reference HAVING COUNT(*) > 1) t",
    )
    .await;
    assert_eq!(twice, 0, "no order captured twice");
    let uncaptured = count(
        app,
        "SELECT COUNT(*) FROM orders_orders o WHERE o.state = 'confirmed' AND o.total > 0 AND NOT EXISTS
         (SELECT 1 FROM payments_ledger g JOIN payments_payments p ON p.id = g.payment_id
          WHERE p.reference = o.id AND g.kind = 'capture' AND g.status = 'succeeded')",
    )
    .await;
    assert_eq!(uncaptured, 0, "every confirmed order was captured");
    let open = count(
        app,
        "SELECT COUNT(*) FROM payments_payments p JOIN orders_orders o ON o.id = p.reference
         WHERE o.state = 'cancelled' AND p.state IN ('authorized', 'requires_action', 'captured')",
    )
    .await;
    assert_eq!(open, 0, "nothing held or kept for a cancelled order");
    assert_eq!(count(app, "SELECT COUNT(*) FROM orders_sagas").await, 0, "no checkout left unfinished");
}

pub async fn order_state(app: &TestApp, id: &str) -> String {
    let order = orders::audit::order_get(&mut app.app.db.clone(), id).await.expect("read").expect("order");
    order.state
}

/// A second approved seller with one active product (`TEE` at 2000, 200 g, `stock` in
/// stock); returns `(token, seller id, variant id)`.
pub async fn second_seller(app: &TestApp, stock: i64) -> (String, String, String) {
    let (seller, seller_id) = app.seller("second@example.com").await;
    let body = json!({"title": "Linen Tee", "status": "active",
        "variants": [{"sku": "TEE", "price": 2000, "weight_g": 200}]});
    let r = app.post("/api/v1/products", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let variant = r.json()["variants"][0]["id"].as_str().expect("id").to_owned();
    let r = app.post("/api/v1/inventory/locations", json!({"name": "Depot"}), Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let location = r.json()["id"].as_str().expect("id").to_owned();
    let body = json!({"sku": "TEE", "location_id": location, "kind": "received", "quantity": stock, "reason": "t"});
    let r = app.post("/api/v1/inventory/adjustments", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    app.settle().await;
    (seller, seller_id, variant)
}

/// The id of the caller's (a seller's) part of `order`.
pub async fn part_of(app: &TestApp, order: &str, seller: &str) -> String {
    let r = app.get(&format!("/api/v1/fulfilments?order_id={order}"), Some(seller)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let items = r.json()["items"].as_array().cloned().expect("items");
    assert_eq!(items.len(), 1, "one part per seller: {items:?}");
    items[0]["id"].as_str().expect("id").to_owned()
}

/// Moves a part to `state` (`processing`, `packed`, `in_transit`…).
pub async fn part_move(app: &TestApp, part: &str, token: &str, state: &str) -> TestResponse {
    app.post(&format!("/api/v1/fulfilments/{part}/state"), json!({"state": state}), Some(token)).await
}

/// Processing, packed, shipped with a carrier's tracking number, delivered: as a seller does.
pub async fn deliver(app: &TestApp, part: &str, token: &str) {
    for state in ["processing", "packed"] {
        let r = part_move(app, part, token, state).await;
        assert_eq!(r.status, StatusCode::OK, "{state}: {}", r.text);
    }
    let body = json!({"carrier": "UPS", "tracking_number": format!("1Z{}", &part[4..16])});
    let r = app.post(&format!("/api/v1/fulfilments/{part}/ship"), body, Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = part_move(app, part, token, "delivered").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

/// A signed-in customer's confirmed order of the cart `who` holds; answers its id.
pub async fn bought(app: &TestApp, who: &Who, key: &str) -> String {
    let r = checkout(app, who, "tok_sandbox_ok", key).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().expect("id").to_owned()
}

/// Rows of the outbox of an event type.
pub async fn events_of(app: &TestApp, event_type: &str) -> i64 {
    let (n,): (i64,) = app
        .app
        .db
        .fetch_one("SELECT COUNT(*) FROM store_outbox WHERE event_type = $1", store::args![event_type])
        .await
        .expect("outbox");
    n
}
