//! `oxcart bench`: the catalog scenarios, driven against a running server by the load
//! generator in the `bench` crate. It discovers real categories and products first, so the
//! requests are the ones a storefront makes.

mod checkout;
mod consoles;
mod events;
mod fulfilment;
mod images;
mod notify;
mod pages;
mod push;
mod stock;

use crate::cli::BenchArgs;
use anyhow::Context;
use bench::{Load, Options, Paths, Report, RequestSpec, Scenario};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

const WORDS: &[&str] = &[
    "shirt", "jacket", "wireless", "leather", "coffee", "boot", "lamp", "classic", "cotton", "speaker", "yoga",
    "knife", "premium", "travel", "sneaker", "wool", "steel", "tent", "notebook", "organic",
];

struct Site {
    departments: Vec<String>,
    leaves: Vec<String>,
    products: Vec<String>,
}

async fn discover(url: &str, pages: usize) -> anyhow::Result<Site> {
    let categories = bench::get_json(url, "/api/v1/categories").await.context("cannot list categories")?;
    let mut departments = Vec::new();
    let mut leaves = Vec::new();
    for c in categories.as_array().into_iter().flatten() {
        let slug = c["slug"].as_str().unwrap_or_default().to_owned();
        if c["parent_id"].is_null() { departments.push(slug) } else { leaves.push(slug) }
    }
    let mut products = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..pages {
        let path = match &cursor {
            None => "/api/v1/products?limit=100&sort=newest".to_owned(),
            Some(c) => format!("/api/v1/products?limit=100&sort=newest&cursor={c}"),
        };
        let page = bench::get_json(url, &path).await.context("cannot list products")?;
        products.extend(
            page["items"].as_array().into_iter().flatten().filter_map(|p| p["slug"].as_str().map(str::to_owned)),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    anyhow::ensure!(
        !departments.is_empty() && !products.is_empty(),
        "the server has no catalog; run `oxcart seed` first"
    );
    Ok(Site { departments, leaves, products })
}

/// A text query with two filters (department, price bound) and facets, different for every
/// request (the price bound never repeats), so no answer comes from the listing cache: this
/// measures the index itself.
struct UniqueSearch {
    departments: Vec<String>,
}

impl Scenario for UniqueSearch {
    fn name(&self) -> &str {
        "search"
    }

    fn next(&self, worker: usize, seq: u64) -> RequestSpec {
        let i = seq as usize * 1024 + worker;
        let word = WORDS[i % WORDS.len()];
        let dept = &self.departments[(i / WORDS.len()) % self.departments.len()];
        RequestSpec::get(format!(
            "/api/v1/products?q={word}&category={dept}&price_max={}&facets=true&limit=20",
            5_000 + i
        ))
    }
}

fn scenario(name: &str, site: &Site) -> anyhow::Result<Arc<dyn Scenario>> {
    let paths: Vec<String> = match name {
        "health" => vec!["/health/live".into()],
        "search" => return Ok(Arc::new(UniqueSearch { departments: site.departments.clone() })),
        // A few popular searches, answered from the cache after their first request.
        "search-hot" => {
            WORDS.iter().take(8).map(|w| format!("/api/v1/products?q={w}&rating_min=3&facets=true")).collect()
        }
        "detail" => site.products.iter().map(|s| format!("/api/v1/products/{s}")).collect(),
        "category" => site
            .leaves
            .iter()
            .flat_map(|c| {
                ["newest", "price_asc", "rating"].map(|s| format!("/api/v1/products?category={c}&sort={s}&limit=24"))
            })
            .collect(),
        // The storefront's pages, rendered for a first-time visitor (no cookie).
        "page-home" => vec!["/".into()],
        "page-product" => site.products.iter().map(|s| format!("/p/{s}")).collect(),
        "page-search" => site
            .leaves
            .iter()
            .zip(WORDS.iter().cycle())
            .map(|(c, w)| format!("/search?q={w}&category={c}&in_stock=1&sort=price_asc"))
            .collect(),
        "page-category" => site.departments.iter().map(|c| format!("/c/{c}")).collect(),
        other => anyhow::bail!(
            "unknown scenario `{other}`: use search, search-hot, detail, category, health, page-home, page-product, page-search, page-category, page-cart, cart-add, reserve-hot, reserve-spread, checkout, pay, seller-orders, sales-report, audit-list, page-admin, page-seller, image-serve, notify, follow, push or events"
        ),
    };
    Ok(Arc::new(Paths { name: name.to_owned(), paths }))
}

/// The writing scenarios among `names`, prepared: variants found, stock topped up.
async fn stock_scenarios(args: &BenchArgs, site: &Site) -> anyhow::Result<HashMap<String, Arc<dyn Scenario>>> {
    let mut out: HashMap<String, Arc<dyn Scenario>> = HashMap::new();
    let wanted: Vec<&str> = [
        "cart-add",
        "reserve-hot",
        "reserve-spread",
        "checkout",
        "pay",
        "seller-orders",
        "notify",
        "follow",
        "push",
        "events",
        "image-serve",
    ]
    .into_iter()
    .filter(|n| args.scenarios.iter().any(|s| s == n))
    .collect();
    if wanted.is_empty() {
        return Ok(out);
    }
    let (Some(email), Some(password)) = (&args.admin_email, &args.admin_password) else {
        anyhow::bail!("{} need an admin account: pass --admin-email and --admin-password", wanted.join(", "))
    };
    let token = stock::login(&args.url, email, password).await?;
    let count = if wanted.contains(&"reserve-spread") { stock::SPREAD_SKUS } else { 1000 };
    let variants = stock::variants(&args.url, &site.products, count).await?;
    anyhow::ensure!(!variants.is_empty(), "no variants found");
    eprintln!("topping up stock of {} SKUs...", variants.len());
    stock::top_up(&args.url, &token, &variants[..1], 10_000_000).await?;
    stock::top_up(&args.url, &token, &variants, 100_000).await?;
    let run = kernel::time::Timestamp::now().as_micros() as u64;
    let skus: Vec<String> = variants.iter().map(|v| v.sku.clone()).collect();
    let ids = variants.iter().map(|v| v.id.clone()).collect();
    out.insert("cart-add".into(), Arc::new(stock::CartAdd { variant_ids: ids }));
    let hot = vec![skus[0].clone()];
    out.insert(
        "reserve-hot".into(),
        Arc::new(stock::Reserve { name: "reserve-hot", skus: hot, token: token.clone(), run }),
    );
    out.insert(
        "reserve-spread".into(),
        Arc::new(stock::Reserve { name: "reserve-spread", skus, token: token.clone(), run }),
    );
    // Enough carts (or orders) for every run at a few hundred a second.
    let seconds = (args.warmup + args.duration) as usize;
    let count = (seconds * 250 * args.concurrency.len()).clamp(200, 50_000);
    let buyable = &variants[..variants.len().min(100)];
    if wanted.contains(&"checkout") {
        out.insert("checkout".into(), Arc::new(checkout::prepare(&args.url, buyable, count, run, false).await?));
    }
    if wanted.contains(&"pay") {
        let orders = checkout::prepare(&args.url, buyable, count, run, true).await?;
        out.insert("pay".into(), Arc::new(checkout::Pay(orders)));
    }
    if wanted.contains(&"seller-orders") {
        let scenario = fulfilment::prepare(&args.url, &token, &variants, args.orders, run).await?;
        out.insert("seller-orders".into(), scenario);
    }
    // Measurements of their own rather than request loads: they print as they finish.
    if wanted.contains(&"notify") {
        notify::notify(&args.url, &token, buyable, args.orders, run).await?;
    }
    if wanted.contains(&"push") {
        push::push(&args.url, buyable, args.orders, run).await?;
    }
    if wanted.contains(&"image-serve") {
        // One picture per product, so repeated runs stay far from a product's picture limit.
        let scenario = images::prepare(&args.url, &token, &site.products, args.orders.min(1000)).await?;
        out.insert("image-serve".into(), Arc::new(scenario));
    }
    if wanted.contains(&"events") {
        events::events(&args.url, &args.metrics_url, &token, &site.products, args.orders).await?;
    }
    if wanted.contains(&"follow") {
        notify::follow(&args.url, &token, buyable, args.followers, run).await?;
    }
    Ok(out)
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let spread = args.scenarios.iter().any(|s| s == "reserve-spread");
    let site = discover(&args.url, if spread { 100 } else { 10 }).await?;
    let mut prepared = stock_scenarios(&args, &site).await?;
    let reads: Vec<&str> = ["sales-report", "audit-list", "page-admin", "page-seller"]
        .into_iter()
        .filter(|n| args.scenarios.iter().any(|s| s == n))
        .collect();
    if !reads.is_empty() {
        let (Some(email), Some(password)) = (&args.admin_email, &args.admin_password) else {
            anyhow::bail!("{} need an admin account: pass --admin-email and --admin-password", reads.join(", "))
        };
        let token = stock::login(&args.url, email, password).await?;
        let seller = args.seller_email.as_deref().zip(args.seller_password.as_deref());
        prepared.extend(consoles::prepare(&args.url, &token, (email, password), seller, &reads).await?);
    }
    eprintln!(
        "{}: {} departments, {} categories, {} products sampled",
        args.url,
        site.departments.len(),
        site.leaves.len(),
        site.products.len()
    );
    let mut reports = Vec::new();
    for name in args.scenarios.iter().filter(|n| !matches!(n.as_str(), "notify" | "follow" | "push" | "events")) {
        let scenario = match prepared.get(name) {
            Some(s) => s.clone(),
            None if name == "page-cart" => Arc::new(pages::cart_page(&args.url, &site.products).await?),
            None => scenario(name, &site)?,
        };
        for &concurrency in &args.concurrency {
            let load = match args.rate {
                Some(rate) => Load::Fixed { rate_per_sec: rate, concurrency },
                None => Load::Closed { concurrency },
            };
            let options = Options {
                base_url: args.url.clone(),
                load,
                duration: Duration::from_secs(args.duration),
                warmup: Duration::from_secs(args.warmup),
                metrics_url: Some(args.metrics_url.clone()),
            };
            reports.push(bench::run(&options, scenario.clone()).await?);
        }
    }
    println!("{}", Report::table_header());
    for r in &reports {
        println!("{}", r.table_row());
    }
    match reports.last().and_then(|r| r.server_rss) {
        Some(rss) => println!(
            "cpu/req: the server's CPU time per request (from /proc); stmt/req: its database statements \
             per request (from /metrics); its RSS after the runs: {} MB",
            rss / 1_000_000
        ),
        None => println!("cpu/req: only for a server on this machine"),
    }
    // Errors are worth a breakdown: which statuses, or none at all (the connection failed).
    for r in reports.iter().filter(|r| r.errors > 0) {
        let answered: u64 = r.status_counts.values().sum();
        let statuses: Vec<String> = r.status_counts.iter().map(|(s, n)| format!("{s}: {n}")).collect();
        eprintln!(
            "{} {}: {}; failed without an answer: {}",
            r.scenario,
            r.load,
            statuses.join(", "),
            r.requests - answered
        );
    }
    Ok(())
}
