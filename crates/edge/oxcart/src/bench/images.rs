//! `image-upload` and `image-serve`: pictures through the configured object store (local disk
//! or S3). Preparing uploads `--orders N` generated 800×800 JPEGs to sampled products, four at
//! a time, and prints their rate and latency (each upload checks the picture, makes two resized
//! copies and stores three objects); `image-serve` then loads the medium copies of what was
//! uploaded, as a storefront's product cards do.

use bench::{Paths, RequestSpec};
use std::time::Instant;
use tokio::task::JoinSet;

const BOUNDARY: &str = "oxcart-bench-boundary";

fn multipart(picture: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(picture.len() + 256);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(picture);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Uploads `count` pictures and answers the paths of their medium copies.
pub async fn prepare(url: &str, token: &str, products: &[String], count: usize) -> anyhow::Result<Paths> {
    let picture = media::placeholder(7, 800).map_err(|e| anyhow::anyhow!("{e}"))?;
    let body = multipart(&picture);
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    let mut latencies = Vec::with_capacity(count);
    let mut paths = Vec::with_capacity(count);
    for i in 0..count {
        let product = &products[i % products.len()];
        let mut spec = RequestSpec::post_json(format!("/api/v1/products/{product}/images"), body.clone());
        spec.headers.push(("authorization".into(), format!("Bearer {token}")));
        spec.headers.push(("content-type".into(), format!("multipart/form-data; boundary={BOUNDARY}")));
        let url = url.to_owned();
        tasks.spawn(async move {
            let at = Instant::now();
            bench::send_json(&url, spec).await.map(|answer| (answer, at.elapsed()))
        });
        while tasks.len() >= 4 || (i + 1 == count && !tasks.is_empty()) {
            let Some(done) = tasks.join_next().await else { break };
            let ((status, product), took) = done??;
            anyhow::ensure!(status == 201, "upload failed ({status}): {product}");
            latencies.push(took.as_secs_f64() * 1000.0);
            if let Some(medium) =
                product["images"].as_array().and_then(|i| i.last()).and_then(|i| i["medium_url"].as_str())
            {
                paths.push(medium.to_owned());
            }
        }
    }
    let secs = started.elapsed().as_secs_f64().max(1e-3);
    latencies.sort_by(f64::total_cmp);
    let pick =
        |q: f64| latencies.get(((latencies.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(f64::NAN);
    println!(
        "image-upload: {count} pictures of {} KB in {secs:.1} s: {:.1} uploads/s, p50 {:.0} ms, p99 {:.0} ms (4 at a time)",
        picture.len() / 1000,
        count as f64 / secs,
        pick(0.5),
        pick(0.99)
    );
    // Served from where the server keeps them: `/media/…` unless a CDN base is configured.
    let paths = paths.into_iter().filter(|p| p.starts_with('/')).collect();
    Ok(Paths { name: "image-serve".into(), paths })
}
