//! Web Push, measured end to end: `push` registers a customer, subscribes ten "browsers" at
//! a push service the bench runs on loopback (it answers 201 as a real one does), places
//! `--orders N` orders as that customer, and waits for every confirmation's ten pushes to be
//! taken. It reports pushes per second (each encrypted and signed afresh) and the delay from
//! an order's confirmation to its push being taken. The server must send pushes to loopback:
//! `notifications.push = {provider = "webpush", allow_http = true, allow_private = true}`.

use super::stock::Variant;
use bench::RequestSpec;
use kernel::time::Timestamp;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Browsers one account may subscribe.
const BROWSERS: usize = 10;

pub async fn push(url: &str, variants: &[Variant], orders: usize, run: u64) -> anyhow::Result<()> {
    anyhow::ensure!(!variants.is_empty(), "no variants to buy");
    let taken = Arc::new(AtomicU64::new(0));
    let sink = push_service(taken.clone()).await?;
    let token = customer(url, run).await?;
    for i in 0..BROWSERS {
        let body = json!({"endpoint": format!("http://{sink}/push/{run:x}-{i}"),
            "keys": {"p256dh": browser_key(url).await?, "auth": "AAECAwQFBgcICQoLDA0ODw"}});
        let (status, answer) = send(
            url,
            &token,
            RequestSpec::post_json("/api/v1/notifications/push/subscriptions", body.to_string().into_bytes()),
        )
        .await?;
        anyhow::ensure!(
            status == 201,
            "subscribing failed ({status}): {answer}; the server must run with notifications.push = \
             {{provider = \"webpush\", allow_http = true, allow_private = true}}"
        );
    }
    let started = Instant::now();
    let mut ids = Vec::with_capacity(orders);
    for i in 0..orders {
        ids.push(order_place(url, &token, &variants[i % variants.len()].id, &format!("bench-push-{run:x}-{i}")).await?);
    }
    let wanted = ids.len() * BROWSERS;
    eprintln!(
        "push: {} orders placed in {:.1} s; waiting for {wanted} pushes",
        ids.len(),
        started.elapsed().as_secs_f64()
    );
    let deadline = Instant::now() + Duration::from_secs(300);
    while (taken.load(Ordering::Relaxed) as usize) < wanted && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let sent = pushes_sent(url, &token).await?;
    anyhow::ensure!(!sent.is_empty(), "no push was sent; is a worker running?");
    let mut confirmed = std::collections::HashMap::new();
    for id in &ids {
        let (_, o) = send(url, &token, RequestSpec::get(format!("/api/v1/orders/{id}"))).await?;
        let at = o["history"]
            .as_array()
            .and_then(|h| h.iter().find(|t| t["to"] == "confirmed"))
            .and_then(|t| t["at"].as_str().and_then(Timestamp::parse_rfc3339));
        if let Some(at) = at {
            confirmed.insert(id.clone(), at.as_micros());
        }
    }
    let mut delays: Vec<f64> =
        sent.iter().filter_map(|(order, _, s)| confirmed.get(order).map(|c| (s - c) as f64 / 1000.0)).collect();
    delays.sort_by(f64::total_cmp);
    let first = sent.iter().map(|(_, made, _)| *made).min().unwrap_or(0);
    let last = sent.iter().map(|(_, _, s)| *s).max().unwrap_or(0);
    let secs = ((last - first) as f64 / 1e6).max(1e-3);
    let pick = |q: f64| delays.get(((delays.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(f64::NAN);
    println!(
        "push: {} of {wanted} pushes taken by the push service ({} requests seen); {:.0} pushes/s (first made to last sent); confirmed → taken p50 {:.0} ms, p99 {:.0} ms",
        sent.len(),
        taken.load(Ordering::Relaxed),
        sent.len() as f64 / secs,
        pick(0.5),
        pick(0.99)
    );
    Ok(())
}

/// A push service on a free loopback port that takes every push; answers its address.
async fn push_service(taken: Arc<AtomicU64>) -> anyhow::Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let app = axum::Router::new().route(
        "/push/{id}",
        axum::routing::post(move || {
            let taken = taken.clone();
            async move {
                taken.fetch_add(1, Ordering::Relaxed);
                (axum::http::StatusCode::CREATED, [("location", "/message")])
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(address)
}

/// A new customer's access token.
async fn customer(url: &str, run: u64) -> anyhow::Result<String> {
    let body = json!({"email": format!("bench-push-{run:x}@example.com"), "password": format!("bench push {run:x} passphrase"), "name": "Bench Buyer"});
    let (status, v) =
        bench::send_json(url, RequestSpec::post_json("/api/v1/auth/register", body.to_string().into_bytes())).await?;
    anyhow::ensure!(status == 201, "registering failed ({status}): {v}");
    v["tokens"]["access_token"].as_str().map(str::to_owned).ok_or_else(|| anyhow::anyhow!("no access token: {v}"))
}

/// A P-256 point standing in for a browser's key: the shop's own public key (the push
/// service here takes what it cannot read).
async fn browser_key(url: &str) -> anyhow::Result<String> {
    let (_, v) = bench::send_json(url, RequestSpec::get("/api/v1/notifications/push/key")).await?;
    v["public_key"].as_str().map(str::to_owned).ok_or_else(|| anyhow::anyhow!("no push key: {v}"))
}

/// One order by the customer: add, quote, check out with the sandbox's test token.
async fn order_place(url: &str, token: &str, variant: &str, key: &str) -> anyhow::Result<String> {
    let add = json!({"variant_id": variant, "quantity": 1}).to_string().into_bytes();
    let (status, cart) = send(url, token, RequestSpec::post_json("/api/v1/cart/add", add)).await?;
    anyhow::ensure!(status == 200, "cart add failed ({status}): {cart}");
    let address = json!({"name": "Bench Buyer", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US"});
    let quote = json!({"address": address, "shipping_method": "standard"}).to_string().into_bytes();
    let (status, q) = send(url, token, RequestSpec::post_json("/api/v1/checkout/quote", quote)).await?;
    anyhow::ensure!(status == 200, "quote failed ({status}): {q}");
    let body = json!({"address": address, "shipping_method": "standard", "payment_token": "tok_sandbox_ok",
        "expected_total": q["totals"]["total"]});
    let mut spec = RequestSpec::post_json("/api/v1/checkout", body.to_string().into_bytes());
    spec.headers.push(("idempotency-key".into(), key.to_owned()));
    let (status, order) = send(url, token, spec).await?;
    anyhow::ensure!(status == 201, "checkout failed ({status}): {order}");
    Ok(order["id"].as_str().unwrap_or_default().to_owned())
}

/// The customer's sent pushes: `(order, made, sent)` in microseconds.
async fn pushes_sent(url: &str, token: &str) -> anyhow::Result<Vec<(String, i64, i64)>> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/api/v1/notifications/messages?channel=push&state=sent&limit=100".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let (status, page) = send(url, token, RequestSpec::get(path)).await?;
        anyhow::ensure!(status == 200, "listing messages failed ({status}): {page}");
        for m in page["items"].as_array().into_iter().flatten() {
            let time = |f: &str| m[f].as_str().and_then(Timestamp::parse_rfc3339).map(|t| t.as_micros());
            if let (Some(order), Some(made), Some(sent)) =
                (m["reference"].as_str(), time("created_at"), time("sent_at"))
            {
                out.push((order.to_owned(), made, sent));
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return Ok(out),
        }
    }
}

async fn send(url: &str, token: &str, mut spec: RequestSpec) -> anyhow::Result<(u16, Value)> {
    spec.headers.push(("authorization".into(), format!("Bearer {token}")));
    bench::send_json(url, spec).await
}
