//! Scenarios that write: adding to a cart, and holding stock on one hot SKU or spread over many.
//! They need sellable stock, so they first top it up through the inventory API as an admin.

use anyhow::Context;
use bench::{Method, RequestSpec, Scenario};
use serde_json::{Value, json};
use std::collections::HashMap;

/// SKUs the spread scenario cycles through.
pub const SPREAD_SKUS: usize = 10_000;

#[derive(Debug, Clone)]
pub struct Variant {
    pub id: String,
    pub sku: String,
    pub seller_id: String,
}

/// Variants of the products at `slugs`, until `want` are found.
pub async fn variants(url: &str, slugs: &[String], want: usize) -> anyhow::Result<Vec<Variant>> {
    let mut out = Vec::new();
    for slug in slugs {
        let p = bench::get_json(url, &format!("/api/v1/products/{slug}")).await?;
        let seller = p["seller_id"].as_str().unwrap_or_default().to_owned();
        for v in p["variants"].as_array().into_iter().flatten() {
            if let (Some(id), Some(sku)) = (v["id"].as_str(), v["sku"].as_str()) {
                out.push(Variant { id: id.into(), sku: sku.into(), seller_id: seller.clone() });
            }
        }
        if out.len() >= want {
            break;
        }
    }
    out.truncate(want);
    Ok(out)
}

pub async fn login(url: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let body = serde_json::to_vec(&json!({"email": email, "password": password}))?;
    let (status, v) = bench::send_json(url, RequestSpec::post_json("/api/v1/auth/login", body)).await?;
    anyhow::ensure!(status == 200, "login as {email} failed ({status}): {v}");
    v["tokens"]["access_token"].as_str().map(str::to_owned).context("no access token in the login answer")
}

/// Receives `quantity` more of each variant into its seller's first location, so that the
/// measured requests are never refused for want of stock.
/// Each seller's first stock location, by seller id.
pub async fn locations(url: &str, token: &str) -> anyhow::Result<HashMap<String, String>> {
    let mut spec = RequestSpec::get("/api/v1/inventory/locations");
    spec.headers.push(("authorization".to_owned(), format!("Bearer {token}")));
    let (status, list) = bench::send_json(url, spec).await?;
    anyhow::ensure!(status == 200, "listing locations failed ({status}): {list}; is the account an admin?");
    let mut location: HashMap<String, String> = HashMap::new();
    for l in list.as_array().into_iter().flatten() {
        let (Some(seller), Some(id)) = (l["seller_id"].as_str(), l["id"].as_str()) else { continue };
        location.entry(seller.to_owned()).or_insert_with(|| id.to_owned());
    }
    Ok(location)
}

pub async fn top_up(url: &str, token: &str, variants: &[Variant], quantity: i64) -> anyhow::Result<()> {
    let auth = ("authorization".to_owned(), format!("Bearer {token}"));
    let location = locations(url, token).await?;
    for (i, v) in variants.iter().enumerate() {
        let Some(loc) = location.get(&v.seller_id) else {
            anyhow::bail!("seller {} has no stock location; seed the catalog with `oxcart seed`", v.seller_id)
        };
        let body =
            json!({"sku": v.sku, "location_id": loc, "kind": "received", "quantity": quantity, "reason": "benchmark"});
        let mut spec = RequestSpec::post_json("/api/v1/inventory/adjustments", serde_json::to_vec(&body)?);
        spec.headers.push(auth.clone());
        let (status, answer) = bench::send_json(url, spec).await?;
        anyhow::ensure!(status == 201, "receiving stock of {} failed ({status}): {answer}", v.sku);
        if i % 1000 == 999 {
            eprintln!("stock topped up for {} of {} SKUs", i + 1, variants.len());
        }
    }
    Ok(())
}

/// A guest adds one unit of a different variant each time, starting a new cart: the first
/// add of a visit, the heaviest one (variant, stock and pricing read; cart written).
pub struct CartAdd {
    pub variant_ids: Vec<String>,
}

impl Scenario for CartAdd {
    fn name(&self) -> &str {
        "cart-add"
    }

    fn next(&self, worker: usize, seq: u64) -> RequestSpec {
        let i = (seq as usize).wrapping_mul(64).wrapping_add(worker) % self.variant_ids.len().max(1);
        let body = json!({"variant_id": self.variant_ids.get(i), "quantity": 1});
        RequestSpec::post_json("/api/v1/cart/add", body.to_string().into_bytes())
    }
}

/// Holds one unit per request, on one SKU (`hot`) or cycling through many.
pub struct Reserve {
    pub name: &'static str,
    pub skus: Vec<String>,
    pub token: String,
    /// Keeps references unique across runs.
    pub run: u64,
}

impl Scenario for Reserve {
    fn name(&self) -> &str {
        self.name
    }

    fn next(&self, worker: usize, seq: u64) -> RequestSpec {
        let i = (seq as usize).wrapping_mul(7919).wrapping_add(worker * 104_729) % self.skus.len().max(1);
        let body: Value = json!({
            "reference": format!("bench-{}-{worker}-{seq}", self.run),
            "lines": [{"sku": self.skus.get(i), "quantity": 1}],
            "ttl_secs": 120,
        });
        RequestSpec {
            method: Method::POST,
            path_and_query: "/api/v1/inventory/reservations".into(),
            body: Some(body.to_string().into_bytes()),
            headers: vec![("authorization".into(), format!("Bearer {}", self.token))],
        }
    }
}
