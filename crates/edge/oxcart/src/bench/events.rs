//! `events`: how fast events travel between contexts on the configured bus. It edits product
//! descriptions as an admin (each edit is one transaction with its `product.changed`, which
//! the cache, the search index and webhooks consume), 16 requests at a time, and reads the
//! server's `oxcart_events_consumed_total` on `/metrics` until the consumers have settled:
//! the in-process bus and RabbitMQ give figures that compare.

use bench::{Method, RequestSpec};
use serde_json::json;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// Every consumer group's processed events, summed.
async fn consumed(metrics_url: &str) -> anyhow::Result<u64> {
    let (status, text) = bench::get_text(metrics_url, "/metrics").await?;
    anyhow::ensure!(status == 200, "GET {metrics_url}/metrics answered {status}");
    Ok(text
        .lines()
        .filter(|l| l.starts_with("oxcart_events_consumed_total"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64)
}

pub async fn events(
    url: &str,
    metrics_url: &str,
    token: &str,
    products: &[String],
    edits: usize,
) -> anyhow::Result<()> {
    let before = consumed(metrics_url).await?;
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for i in 0..edits {
        let product = &products[i % products.len()];
        let body = json!({"description": format!("Benchmark revision {i}.")});
        let mut spec = RequestSpec::post_json(format!("/api/v1/products/{product}"), serde_json::to_vec(&body)?);
        spec.method = Method::PATCH;
        spec.headers.push(("authorization".into(), format!("Bearer {token}")));
        let url = url.to_owned();
        tasks.spawn(async move { bench::send_json(&url, spec).await });
        while tasks.len() >= 16 || (i + 1 == edits && !tasks.is_empty()) {
            let Some(done) = tasks.join_next().await else { break };
            let (status, answer) = done??;
            anyhow::ensure!(status == 200, "editing a product failed ({status}): {answer}");
        }
    }
    let posted = started.elapsed();
    // Settled: no consumer processed anything for a second.
    let (mut last, mut last_change) = (consumed(metrics_url).await?, Instant::now());
    let deadline = Instant::now() + Duration::from_secs(300);
    while last_change.elapsed() < Duration::from_secs(1) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = consumed(metrics_url).await?;
        if now != last {
            (last, last_change) = (now, Instant::now());
        }
    }
    let events = last - before;
    let spent = (last_change - started).as_secs_f64().max(1e-3);
    println!(
        "events: {edits} product edits in {:.1} s ({:.0}/s); {events} events consumed in {spent:.1} s: {:.0} events/s, the last {:.0} ms after the last edit",
        posted.as_secs_f64(),
        edits as f64 / posted.as_secs_f64().max(1e-3),
        events as f64 / spent,
        (last_change - started).saturating_sub(posted).as_secs_f64() * 1000.0
    );
    Ok(())
}
