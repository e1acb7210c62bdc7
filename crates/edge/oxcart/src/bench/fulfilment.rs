//! A seller's orders: `seller-orders` lists one seller's parts of orders as their dashboard
//! does (newest first, by state, and deeper pages by cursor). `--orders N` first places N
//! orders of that seller's products through the real checkout (0 reuses what is there); the
//! list is read as an admin narrowed to the seller, the same statement a seller's own list
//! runs.

use super::checkout;
use super::stock::Variant;
use bench::{Paths, RequestSpec, Scenario};
use std::sync::Arc;

/// Places `orders` orders of `seller`'s variants, then answers the scenario.
pub async fn prepare(
    url: &str,
    token: &str,
    variants: &[Variant],
    orders: usize,
    run: u64,
) -> anyhow::Result<Arc<dyn Scenario>> {
    let seller = variants.first().map(|v| v.seller_id.clone()).unwrap_or_default();
    let theirs: Vec<Variant> = variants.iter().filter(|v| v.seller_id == seller).cloned().collect();
    if orders > 0 {
        let carts = checkout::prepare(url, &theirs, orders, run, false).await?;
        let placed = checkout::checkout_all(url, &carts).await?;
        eprintln!("{placed} orders placed for seller {seller}");
    }
    let base = format!("/api/v1/fulfilments?seller_id={seller}&limit=20");
    let mut paths = vec![base.clone(), format!("{base}&state=pending")];
    // Deeper pages, by the cursors the first pages give.
    let mut cursor: Option<String> = None;
    for _ in 0..50 {
        let path = match &cursor {
            Some(c) => format!("{base}&cursor={c}"),
            None => base.clone(),
        };
        let mut spec = RequestSpec::get(&path);
        spec.headers.push(("authorization".into(), format!("Bearer {token}")));
        let (status, page) = bench::send_json(url, spec).await?;
        anyhow::ensure!(status == 200, "GET {path} failed ({status}): {page}");
        match page["next_cursor"].as_str() {
            Some(c) => {
                cursor = Some(c.to_owned());
                paths.push(format!("{base}&cursor={c}"));
            }
            None => break,
        }
    }
    eprintln!("seller-orders: {} list pages of seller {seller}", paths.len());
    Ok(Arc::new(Authorized { inner: Paths { name: "seller-orders".into(), paths }, token: token.to_owned() }))
}

/// Requests of `inner`, signed in.
pub(super) struct Authorized {
    pub(super) inner: Paths,
    pub(super) token: String,
}

impl Scenario for Authorized {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn next(&self, worker: usize, seq: u64) -> RequestSpec {
        let mut spec = self.inner.next(worker, seq);
        spec.headers.push(("authorization".into(), format!("Bearer {}", self.token)));
        spec
    }
}
