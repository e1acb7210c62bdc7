//! Fixtures: a shop with one seller's mug in stock, a customer's order, and the messages the
//! shop kept.

#![allow(dead_code)]

use axum::http::{Method, StatusCode};
use kernel::time::Timestamp;
use serde_json::{Value, json};
use testkit::TestApp;

pub struct Shop {
    pub seller: String,
    pub seller_id: String,
    pub mug: String,
    pub admin: String,
}

pub async fn shop(app: &TestApp) -> Shop {
    app.app.shipping.demo_seed().await.expect("shipping zones");
    app.app.tax.demo_seed().await.expect("tax rules");
    let (seller, seller_id) = app.seller("seller@example.com").await;
    let body = json!({"title": "Stoneware Mug", "status": "active",
        "variants": [{"sku": "MUG", "price": 1250, "weight_g": 400}]});
    let r = app.post("/api/v1/products", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let mug = r.json()["variants"][0]["id"].as_str().expect("id").to_owned();
    let r = app.post("/api/v1/inventory/locations", json!({"name": "Main"}), Some(&seller)).await;
    let location = r.json()["id"].as_str().expect("id").to_owned();
    let body = json!({"sku": "MUG", "location_id": location, "kind": "received", "quantity": 50, "reason": "t"});
    let r = app.post("/api/v1/inventory/adjustments", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let (admin, _) = app.user_with_role("admin@example.com", kernel::auth::Role::Admin).await;
    app.settle().await;
    Shop { seller, seller_id, mug, admin }
}

pub fn address() -> Value {
    json!({"name": "Ann Lee", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US"})
}

/// The customer `token` buys `quantity` mugs; answers the order's id once its events are
/// handled.
pub async fn buy(app: &TestApp, shop: &Shop, token: &str, quantity: i64) -> String {
    let r = app.post("/api/v1/cart/add", json!({"variant_id": shop.mug, "quantity": quantity}), Some(token)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let body = json!({"address": address(), "shipping_method": "standard"});
    let r = app.post("/api/v1/checkout/quote", body, Some(token)).await;
    let total = r.json()["totals"]["total"].as_i64().expect("total");
    let body = json!({"address": address(), "shipping_method": "standard", "payment_token": "tok_sandbox_ok",
        "expected_total": total});
    let key = kernel::id::new_id("key");
    let r = app
        .call_with_headers(Method::POST, "/api/v1/checkout", Some(body), Some(token), &[("idempotency-key", &key)])
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    app.settle().await;
    r.json()["id"].as_str().expect("id").to_owned()
}

/// The seller's part of `order`, packed and handed to UPS.
pub async fn ship(app: &TestApp, shop: &Shop, order: &str) -> String {
    let r = app.get(&format!("/api/v1/fulfilments?order_id={order}"), Some(&shop.seller)).await;
    let part = r.json()["items"][0]["id"].as_str().expect("part").to_owned();
    for state in ["processing", "packed"] {
        let r =
            app.post(&format!("/api/v1/fulfilments/{part}/state"), json!({"state": state}), Some(&shop.seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let body = json!({"carrier": "UPS", "tracking_number": "1Z999AA10123456784"});
    let r = app.post(&format!("/api/v1/fulfilments/{part}/ship"), body, Some(&shop.seller)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.settle().await;
    part
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Kept {
    pub id: String,
    pub kind: String,
    pub channel: String,
    pub recipient_id: Option<String>,
    pub address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub unsubscribe_url: Option<String>,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub provider: Option<String>,
    pub provider_id: Option<String>,
}

/// The messages of `kind`, oldest first.
pub async fn kept(app: &TestApp, kind: &str) -> Vec<Kept> {
    app.app
        .db
        .fetch_all(
            "SELECT id, kind, channel, recipient_id, address, subject, body_text, body_html, unsubscribe_url, state,
                    attempts, last_error, provider, provider_id
             FROM notifications_messages WHERE kind = $1 ORDER BY id",
            store::args![kind],
        )
        .await
        .expect("messages")
}

/// One pass of the sender, as the server's timer runs it.
pub async fn deliver(app: &TestApp) -> u64 {
    app.app.notifications.messages_deliver(Timestamp::now()).await.expect("deliver")
}

/// Makes every queued message due now, as if its wait were over.
pub async fn due_now(app: &TestApp) {
    app.app
        .db
        .execute("UPDATE notifications_messages SET next_attempt_at = 0 WHERE state = 'queued'", vec![])
        .await
        .expect("due");
}

/// The messages of `kind` once there are `n` (account messages are made just after the
/// answer); fails after two seconds.
pub async fn kept_n(app: &TestApp, kind: &str, n: usize) -> Vec<Kept> {
    for _ in 0..100 {
        let found = kept(app, kind).await;
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("fewer than {n} {kind} messages: {:?}", kept(app, kind).await);
}

/// The token in a message's link (`…?token=…`).
pub fn token_in(body: &str) -> String {
    let start = body.find("token=").expect("a link with a token") + "token=".len();
    body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect()
}
