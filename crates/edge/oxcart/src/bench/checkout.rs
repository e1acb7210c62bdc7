//! Whole checkouts, and payments: guest carts are filled before the clock starts (one unit of
//! a variant each, its total quoted). In `checkout` every measured request checks one of them
//! out, so each sample is the server's whole saga: price, hold stock, authorize, confirm,
//! capture, sell, clear the cart. In `pay` each cart was also made an order waiting for its
//! payment (`POST /orders`), and every measured request pays one (`POST /payments`): authorize
//! and capture with the saga's confirm, sale and clearing around them.

use super::stock::Variant;
use bench::{Method, RequestSpec, Scenario};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::task::JoinSet;

pub struct Cart {
    token: String,
    total: i64,
    /// The order made from it, for `pay`.
    order: Option<String>,
}

pub struct Checkout {
    carts: Vec<Cart>,
    next: AtomicUsize,
    /// Keeps keys unique across runs; written in hex in keys, since a long run of digits may
    /// pass for a card number, which payments refuse.
    run: u64,
}

fn address() -> Value {
    json!({"name": "Bench Buyer", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US"})
}

/// Fills `count` guest carts, 16 at a time, cycling through `variants`; with `order`, makes
/// each an order waiting for its payment.
pub async fn prepare(url: &str, variants: &[Variant], count: usize, run: u64, order: bool) -> anyhow::Result<Checkout> {
    anyhow::ensure!(!variants.is_empty(), "no variants to buy");
    eprintln!("filling {count} guest carts for the checkout scenario...");
    let mut carts = Vec::with_capacity(count);
    let mut tasks = JoinSet::new();
    for i in 0..count {
        let (url, variant) = (url.to_owned(), variants[i % variants.len()].id.clone());
        tasks.spawn(async move {
            let mut cart = cart_fill(&url, &variant).await?;
            if order {
                cart.order = Some(order_make(&url, &cart, &format!("bench-order-{run:x}-{i}")).await?);
            }
            Ok::<Cart, anyhow::Error>(cart)
        });
        if tasks.len() >= 16 {
            carts.push(tasks.join_next().await.expect("a task")??);
        }
        if i % 1000 == 999 {
            eprintln!("{} of {count} carts filled", i + 1);
        }
    }
    while let Some(done) = tasks.join_next().await {
        carts.push(done??);
    }
    Ok(Checkout { carts, next: AtomicUsize::new(0), run })
}

async fn cart_fill(url: &str, variant: &str) -> anyhow::Result<Cart> {
    let body = json!({"variant_id": variant, "quantity": 1}).to_string().into_bytes();
    let (status, cart) = bench::send_json(url, RequestSpec::post_json("/api/v1/cart/add", body)).await?;
    anyhow::ensure!(status == 200, "cart add failed ({status}): {cart}");
    let token = cart["token"].as_str().unwrap_or_default().to_owned();
    let body = json!({"address": address(), "shipping_method": "standard"}).to_string().into_bytes();
    let mut spec = RequestSpec::post_json("/api/v1/checkout/quote", body);
    spec.headers.push(("x-cart-token".into(), token.clone()));
    let (status, quote) = bench::send_json(url, spec).await?;
    anyhow::ensure!(status == 200, "checkout quote failed ({status}): {quote}; does a shipping zone serve the US?");
    let total = quote["totals"]["total"].as_i64().unwrap_or_default();
    Ok(Cart { token, total, order: None })
}

fn order_body(total: i64, token: Option<&str>) -> Value {
    let mut body = json!({"address": address(), "email": "bench@example.com", "shipping_method": "standard",
        "expected_total": total});
    if let Some(t) = token {
        body["payment_token"] = t.into();
    }
    body
}

async fn order_make(url: &str, cart: &Cart, key: &str) -> anyhow::Result<String> {
    let mut spec = RequestSpec::post_json("/api/v1/orders", order_body(cart.total, None).to_string().into_bytes());
    spec.headers.push(("x-cart-token".into(), cart.token.clone()));
    spec.headers.push(("idempotency-key".into(), key.to_owned()));
    let (status, order) = bench::send_json(url, spec).await?;
    anyhow::ensure!(status == 202, "POST /orders failed ({status}): {order}");
    Ok(order["id"].as_str().unwrap_or_default().to_owned())
}

impl Checkout {
    /// How many carts are prepared.
    pub fn count(&self) -> usize {
        self.carts.len()
    }
}

/// Checks every prepared cart out, 16 at a time: orders for the scenarios that read them.
pub async fn checkout_all(url: &str, prepared: &Checkout) -> anyhow::Result<usize> {
    let mut tasks = JoinSet::new();
    let mut done = 0;
    for i in 0..prepared.carts.len() {
        let spec = prepared.next(0, i as u64);
        let url = url.to_owned();
        tasks.spawn(async move { bench::send_json(&url, spec).await });
        if tasks.len() >= 16 {
            let (status, body) = tasks.join_next().await.expect("a task")??;
            anyhow::ensure!(status == 201, "checkout failed ({status}): {body}");
            done += 1;
        }
        if i % 1000 == 999 {
            eprintln!("{} of {} orders placed", i + 1, prepared.carts.len());
        }
    }
    while let Some(answer) = tasks.join_next().await {
        let (status, body) = answer??;
        anyhow::ensure!(status == 201, "checkout failed ({status}): {body}");
        done += 1;
    }
    Ok(done)
}

/// Pays the prepared orders, one per request.
pub struct Pay(pub Checkout);

impl Scenario for Pay {
    fn name(&self) -> &str {
        "pay"
    }

    /// Once every order is paid, later requests are 409 `payable_not_due` (errors in the report).
    fn next(&self, _worker: usize, _seq: u64) -> RequestSpec {
        let i = self.0.next.fetch_add(1, Ordering::Relaxed);
        let cart = &self.0.carts[i % self.0.carts.len()];
        let body = json!({"reference": cart.order, "payment_token": "tok_sandbox_ok", "email": "bench@example.com"});
        RequestSpec {
            method: Method::POST,
            path_and_query: "/api/v1/payments".into(),
            body: Some(body.to_string().into_bytes()),
            headers: vec![("idempotency-key".into(), format!("bench-pay-{:x}-{i}", self.0.run))],
        }
    }
}

impl Scenario for Checkout {
    fn name(&self) -> &str {
        "checkout"
    }

    /// Each request takes the next cart; once all are used, later requests find empty carts
    /// (422), which the report counts as errors: fill more with a longer run in mind.
    fn next(&self, _worker: usize, _seq: u64) -> RequestSpec {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        let cart = &self.carts[i % self.carts.len()];
        let body = order_body(cart.total, Some("tok_sandbox_ok"));
        RequestSpec {
            method: Method::POST,
            path_and_query: "/api/v1/checkout".into(),
            body: Some(body.to_string().into_bytes()),
            headers: vec![
                ("x-cart-token".into(), cart.token.clone()),
                ("idempotency-key".into(), format!("bench-{:x}-{i}", self.run)),
            ],
        }
    }
}
