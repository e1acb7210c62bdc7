//! Notifications, measured end to end against a running server: `notify` places `--orders N`
//! guest orders and waits for every confirmation e-mail to be sent (the outbox provider, or
//! SMTP when the server is configured so), then reports messages per second and the delay
//! from each order's confirmation to its e-mail being taken by the provider; `follow` holds
//! `--followers N` live-status streams (SSE) on one order for ten seconds, for the server's
//! memory to be read meanwhile.

use super::checkout::{self, Checkout};
use super::stock::Variant;
use bench::{RequestSpec, Scenario};
use kernel::time::Timestamp;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::task::JoinSet;

pub async fn notify(url: &str, token: &str, variants: &[Variant], orders: usize, run: u64) -> anyhow::Result<()> {
    let carts = checkout::prepare(url, variants, orders.max(1), run, false).await?;
    let started = Instant::now();
    let ids = checkout_ids(url, &carts).await?;
    eprintln!(
        "notify: {} orders placed in {:.1} s; waiting for their e-mails",
        ids.len(),
        started.elapsed().as_secs_f64()
    );
    let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let deadline = Instant::now() + Duration::from_secs(300);
    let sent = loop {
        let sent = messages_sent(url, token, &wanted).await?;
        if sent.len() >= wanted.len() || Instant::now() > deadline {
            break sent;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    anyhow::ensure!(!sent.is_empty(), "no confirmation was sent; is a worker running?");
    let mut delays = Vec::with_capacity(sent.len());
    for (order, (_, sent_at)) in &sent {
        let mut spec = RequestSpec::get(format!("/api/v1/orders/{order}"));
        spec.headers.push(("authorization".into(), format!("Bearer {token}")));
        let (_, o) = bench::send_json(url, spec).await?;
        let confirmed = o["history"].as_array().and_then(|h| h.iter().find(|t| t["to"] == "confirmed")).cloned();
        if let Some(at) = confirmed.and_then(|t| t["at"].as_str().and_then(Timestamp::parse_rfc3339)) {
            delays.push((sent_at.as_micros() - at.as_micros()) as f64 / 1000.0);
        }
    }
    delays.sort_by(f64::total_cmp);
    let first = sent.values().map(|(c, _)| c.as_micros()).min().unwrap_or(0);
    let last = sent.values().map(|(_, s)| s.as_micros()).max().unwrap_or(0);
    let secs = ((last - first) as f64 / 1e6).max(1e-3);
    let pick = |q: f64| delays.get(((delays.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(f64::NAN);
    println!(
        "notify: {} of {} confirmations sent; {:.0} messages/s (first made to last sent); confirmed → sent p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        sent.len(),
        wanted.len(),
        sent.len() as f64 / secs,
        pick(0.5),
        pick(0.99),
        delays.last().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}

/// Checks every cart out, 16 at a time; answers the orders' ids.
async fn checkout_ids(url: &str, carts: &Checkout) -> anyhow::Result<Vec<String>> {
    let mut tasks = JoinSet::new();
    let mut ids = Vec::with_capacity(carts.count());
    for i in 0..carts.count() {
        let (url, spec) = (url.to_owned(), carts.next(0, i as u64));
        tasks.spawn(async move { bench::send_json(&url, spec).await });
        while tasks.len() >= 16 || (i + 1 == carts.count() && !tasks.is_empty()) {
            let Some(done) = tasks.join_next().await else { break };
            let (status, body) = done??;
            anyhow::ensure!(status == 201, "checkout failed ({status}): {body}");
            ids.push(body["id"].as_str().unwrap_or_default().to_owned());
        }
    }
    Ok(ids)
}

/// The order confirmations sent so far, by order: `(made, sent)`.
async fn messages_sent(
    url: &str,
    token: &str,
    wanted: &std::collections::HashSet<&str>,
) -> anyhow::Result<HashMap<String, (Timestamp, Timestamp)>> {
    let mut out = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/api/v1/notifications/messages?kind=order_confirmed&state=sent&limit=100".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let mut spec = RequestSpec::get(path);
        spec.headers.push(("authorization".into(), format!("Bearer {token}")));
        let (status, page) = bench::send_json(url, spec).await?;
        anyhow::ensure!(status == 200, "listing messages failed ({status}): {page}");
        for m in page["items"].as_array().into_iter().flatten() {
            let (Some(order), Some(made), Some(sent)) = (
                m["reference"].as_str(),
                m["created_at"].as_str().and_then(Timestamp::parse_rfc3339),
                m["sent_at"].as_str().and_then(Timestamp::parse_rfc3339),
            ) else {
                continue;
            };
            if wanted.contains(order) {
                out.insert(order.to_owned(), (made, sent));
            }
        }
        match page["next_cursor"].as_str() {
            // Newest first: once a page holds none of ours, the older ones hold none either.
            Some(c) if out.len() < wanted.len() => cursor = Some(c.to_owned()),
            _ => return Ok(out),
        }
    }
}

/// Holds `n` live-status streams of one order open for ten seconds; answers how many got the
/// order's history.
pub async fn follow(url: &str, token: &str, variants: &[Variant], n: usize, run: u64) -> anyhow::Result<()> {
    let carts = checkout::prepare(url, variants, 1, run, false).await?;
    let order = checkout_ids(url, &carts).await?.pop().unwrap_or_default();
    let authority = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut tasks = JoinSet::new();
    for _ in 0..n {
        let (authority, order, token) = (authority.clone(), order.clone(), token.to_owned());
        tasks.spawn(async move {
            let mut tcp = tokio::net::TcpStream::connect(&authority).await?;
            let request = format!(
                "GET /api/v1/orders/{order}/events HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {token}\r\n\r\n"
            );
            tcp.write_all(request.as_bytes()).await?;
            let mut reader = BufReader::new(tcp);
            let mut got = false;
            let hold = tokio::time::sleep(Duration::from_secs(10));
            tokio::pin!(hold);
            let mut line = String::new();
            loop {
                line.clear();
                tokio::select! {
                    _ = &mut hold => break,
                    r = reader.read_line(&mut line) => {
                        if r? == 0 { break }
                        got |= line.starts_with("event: order.state");
                    }
                }
            }
            Ok::<bool, anyhow::Error>(got)
        });
    }
    eprintln!("follow: {n} streams open on order {order}; read the server's RSS now (ps -o rss= -p <pid>)");
    let mut ok = 0;
    while let Some(done) = tasks.join_next().await {
        ok += usize::from(matches!(done, Ok(Ok(true))));
    }
    println!("follow: {ok} of {n} followers received the order's history and stayed 10 s");
    Ok(())
}
