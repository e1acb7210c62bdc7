//! Fixtures shared by the webhooks suites: an app that may call a plain-HTTP receiver on
//! 127.0.0.1, the receiver itself (it records what arrives and answers the statuses it is
//! told), a shop with two sellers, and checkout.

#![allow(dead_code)]

use axum::http::{HeaderMap, Method, StatusCode};
use kernel::time::Timestamp;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
pub use testkit::expect;
use testkit::{TestApp, TestBackend, TestResponse};

/// The app with `allow_http` and `allow_private` on, as only tests and development may.
pub async fn app_local(backend: &TestBackend) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.set("webhooks.allow_http", true);
        c.set("webhooks.allow_private", true);
    })
    .await
}

/// A request the receiver took.
#[derive(Debug, Clone)]
pub struct Received {
    /// Path and query.
    pub target: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    /// Statuses to answer, in order; then `otherwise`.
    script: VecDeque<u16>,
    otherwise: u16,
}

/// A webhook receiver on 127.0.0.1.
#[derive(Clone)]
pub struct Receiver {
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
}

impl Receiver {
    /// Answers `otherwise` to every request, unless [`Receiver::script`] says otherwise.
    pub async fn start(otherwise: u16) -> Self {
        let inner = Arc::new(Mutex::new(Inner { otherwise, ..Inner::default() }));
        let state = inner.clone();
        let app =
            axum::Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap, body: axum::body::Bytes| {
                let state = state.clone();
                async move {
                    let mut s = state.lock().expect("receiver state");
                    let target = uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
                    s.received.push(Received { target, headers, body: body.to_vec() });
                    let status = s.script.pop_front().unwrap_or(s.otherwise);
                    (StatusCode::from_u16(status).expect("status"), format!("answer {status}"))
                }
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, inner }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The next answers, in order.
    pub fn script(&self, statuses: &[u16]) {
        self.inner.lock().expect("receiver state").script.extend(statuses);
    }

    pub fn answer(&self, status: u16) {
        self.inner.lock().expect("receiver state").otherwise = status;
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().expect("receiver state").received.clone()
    }
}

/// Registers an endpoint; answers the creation answer (with its secret).
pub async fn endpoint(app: &TestApp, token: &str, url: &str, types: &[&str]) -> Value {
    let body = json!({"url": url, "event_types": types, "description": "test"});
    expect(app, Method::POST, "/api/v1/webhook-endpoints", Some(body), token, StatusCode::CREATED).await
}

pub async fn register(app: &TestApp, token: &str, url: &str, types: &[&str]) -> TestResponse {
    let body = json!({"url": url, "event_types": types});
    app.post("/api/v1/webhook-endpoints", body, Some(token)).await
}

/// An endpoint's deliveries, newest first.
pub async fn deliveries(app: &TestApp, token: &str, endpoint_id: &str) -> Vec<Value> {
    let path = format!("/api/v1/webhook-endpoints/{endpoint_id}/deliveries");
    let page = expect(app, Method::GET, &path, None, token, StatusCode::OK).await;
    page["items"].as_array().cloned().expect("items")
}

pub async fn delivery(app: &TestApp, token: &str, id: &str) -> Value {
    expect(app, Method::GET, &format!("/api/v1/webhook-deliveries/{id}"), None, token, StatusCode::OK).await
}

/// One pass of the sender at `now`; answers how many deliveries it attempted.
pub async fn send(app: &TestApp, now: Timestamp) -> u64 {
    app.app.webhooks.deliveries_send(now).await.expect("sender pass")
}

pub fn at(v: &Value) -> Timestamp {
    Timestamp::parse_rfc3339(v.as_str().expect("a time")).expect("RFC 3339")
}

pub struct Shop {
    pub admin: String,
    pub mugs: String,
    pub mugs_id: String,
    pub mug: String,
    pub tees: String,
    pub tees_id: String,
    pub tee: String,
}

/// Shipping and tax set up, two approved sellers with a product each in stock (`MUG` at
/// 1250, `TEE` at 2000), and an admin.
pub async fn shop(app: &TestApp) -> Shop {
    app.app.shipping.demo_seed().await.expect("shipping zones");
    app.app.tax.demo_seed().await.expect("tax rules");
    let (mugs, mugs_id, mug) = seller_with(app, "mugs@example.com", "MUG", 1250).await;
    let (tees, tees_id, tee) = seller_with(app, "tees@example.com", "TEE", 2000).await;
    let (admin, _) = app.user_with_role("admin@example.com", kernel::auth::Role::Admin).await;
    app.settle().await;
    Shop { admin, mugs, mugs_id, mug, tees, tees_id, tee }
}

/// An approved seller with one active product of `sku`, ten in stock; answers
/// `(token, seller id, variant id)`.
async fn seller_with(app: &TestApp, email: &str, sku: &str, price: i64) -> (String, String, String) {
    let (token, id) = app.seller(email).await;
    let body = json!({"title": format!("Product {sku}"), "status": "active",
        "variants": [{"sku": sku, "price": price, "weight_g": 300}]});
    let product = expect(app, Method::POST, "/api/v1/products", Some(body), &token, StatusCode::CREATED).await;
    let body = json!({"name": format!("Depot {sku}")});
    let loc = expect(app, Method::POST, "/api/v1/inventory/locations", Some(body), &token, StatusCode::CREATED).await;
    let body = json!({"sku": sku, "location_id": loc["id"], "kind": "received", "quantity": 10, "reason": "t"});
    expect(app, Method::POST, "/api/v1/inventory/adjustments", Some(body), &token, StatusCode::CREATED).await;
    (token, id, product["variants"][0]["id"].as_str().expect("variant").to_owned())
}

/// A signed-in customer's confirmed order of one of each variant; answers its id.
pub async fn order(app: &TestApp, customer: &str, variants: &[&str]) -> String {
    for v in variants {
        let body = json!({"variant_id": v, "quantity": 1});
        expect(app, Method::POST, "/api/v1/cart/add", Some(body), customer, StatusCode::OK).await;
    }
    let address = json!({"name": "Ann Lee", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US"});
    let quote = json!({"address": address, "shipping_method": "standard"});
    let q = expect(app, Method::POST, "/api/v1/checkout/quote", Some(quote), customer, StatusCode::OK).await;
    let body = json!({"address": address, "email": "ann@example.com", "shipping_method": "standard",
        "payment_token": "tok_sandbox_ok", "expected_total": q["totals"]["total"]});
    let headers = [("idempotency-key", "order-1")];
    let r = app.call_with_headers(Method::POST, "/api/v1/checkout", Some(body), Some(customer), &headers).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    app.settle().await;
    r.json()["id"].as_str().expect("order id").to_owned()
}

/// The id of the caller's (a seller's) part of `order`.
pub async fn part_of(app: &TestApp, order: &str, seller: &str) -> String {
    let path = format!("/api/v1/fulfilments?order_id={order}");
    let page = expect(app, Method::GET, &path, None, seller, StatusCode::OK).await;
    page["items"][0]["id"].as_str().expect("part id").to_owned()
}
