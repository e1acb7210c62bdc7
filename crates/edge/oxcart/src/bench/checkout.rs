//! Whole checkouts: guest carts are filled before the clock starts (one unit of a variant
//! each, its total quoted), then every measured request checks one of them out, so that each
//! sample is the server's whole saga: price, hold stock, authorize, confirm, capture, sell,
//! clear the cart.

use super::stock::Variant;
use bench::{Method, RequestSpec, Scenario};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::task::JoinSet;

pub struct Cart {
    token: String,
    total: i64,
}

pub struct Checkout {
    carts: Vec<Cart>,
    next: AtomicUsize,
    run: u64,
}

fn address() -> Value {
    json!({"name": "Bench Buyer", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US"})
}

/// Fills `count` guest carts, 16 at a time, cycling through `variants`.
pub async fn prepare(url: &str, variants: &[Variant], count: usize, run: u64) -> anyhow::Result<Checkout> {
    anyhow::ensure!(!variants.is_empty(), "no variants to buy");
    eprintln!("filling {count} guest carts for the checkout scenario...");
    let mut carts = Vec::with_capacity(count);
    let mut tasks = JoinSet::new();
    for i in 0..count {
        let (url, variant) = (url.to_owned(), variants[i % variants.len()].id.clone());
        tasks.spawn(async move { cart_fill(&url, &variant).await });
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
    Ok(Cart { token, total })
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
        let body = json!({"address": address(), "email": "bench@example.com", "shipping_method": "standard",
            "payment_token": "tok_sandbox_ok", "expected_total": cart.total});
        RequestSpec {
            method: Method::POST,
            path_and_query: "/api/v1/checkout".into(),
            body: Some(body.to_string().into_bytes()),
            headers: vec![
                ("x-cart-token".into(), cart.token.clone()),
                ("idempotency-key".into(), format!("bench-{}-{i}", self.run)),
            ],
        }
    }
}
