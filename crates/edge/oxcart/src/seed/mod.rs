//! `oxcart seed`: a deterministic, realistic catalog of any size — a category tree, brands,
//! sellers, products with variants, prices, sale prices, pictures and reviews — written in
//! bulk, then indexed for search.

mod words;

use crate::app::App;
use anyhow::Context;
use catalog::dto::{BrandInput, CategoryInput};
use catalog::{BulkProduct, BulkReview, BulkVariant};
use kernel::auth::{AuthMethod, Principal, Role};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};
use users::domain::{Email, Password, SellerStatus};
use users::dto::SellerApplication;
use words::{Leaf, Options};

/// Products written per transaction.
const BATCH: usize = 1000;
/// Distinct pictures shared by seeded products (made once; products point at them).
const PICTURES: u64 = 24;

/// A small, fast, seedable generator (SplitMix64), so the same seed gives the same catalog.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct Taxonomy {
    leaves: Vec<(String, &'static Leaf)>,
    brands: Vec<String>,
}

fn admin() -> Principal {
    Principal { user_id: "seed".into(), role: Role::Admin, method: AuthMethod::Session { session_id: "seed".into() } }
}

async fn taxonomy(app: &App) -> anyhow::Result<Taxonomy> {
    let p = admin();
    let existing = app.catalog.taxonomy().await?;
    let mut leaves = Vec::new();
    for (position, (department, children)) in words::DEPARTMENTS.iter().enumerate() {
        let parent = match existing.category(&catalog::domain::slugify(department)) {
            Some(c) => c.id.clone(),
            None => {
                let input = CategoryInput {
                    name: (*department).into(),
                    slug: None,
                    parent_id: None,
                    description: None,
                    position: Some(position as i64),
                };
                app.catalog.category_save(&p, None, input).await?.id
            }
        };
        for (i, leaf) in children.iter().enumerate() {
            let slug = catalog::domain::slugify(leaf.name);
            let id = match existing.category(&slug) {
                Some(c) => c.id.clone(),
                None => {
                    let input = CategoryInput {
                        name: leaf.name.into(),
                        slug: None,
                        parent_id: Some(parent.clone()),
                        description: None,
                        position: Some(i as i64),
                    };
                    app.catalog.category_save(&p, None, input).await?.id
                }
            };
            leaves.push((id, leaf));
        }
    }
    let mut brands = Vec::new();
    for first in words::BRAND_FIRST {
        for second in words::BRAND_SECOND.iter().take(3) {
            let name = format!("{first} {second}");
            let id = match existing.brand(&catalog::domain::slugify(&name)) {
                Some(b) => b.id.clone(),
                None => app.catalog.brand_save(&p, None, BrandInput { name, slug: None, description: None }).await?.id,
            };
            brands.push(id);
        }
    }
    Ok(Taxonomy { leaves, brands })
}

/// Approved seller accounts (and customers who write reviews), made once.
async fn accounts(app: &App, prefix: &str, count: usize, role: Role) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for i in 0..count {
        let email = format!("{prefix}{i}@seed.oxcart.test");
        let parsed = Email::parse("email", &email).map_err(|e| anyhow::anyhow!("{e}"))?;
        let password = Password::parse("password", &format!("seed-{}", kernel::id::new_id("pw")))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        match app.users.account_create(&parsed, &password, &format!("Seed {prefix} {i}"), Role::Customer).await {
            Ok(user) => {
                if role == Role::Seller {
                    let p = Principal {
                        user_id: user.id.clone(),
                        role: Role::Customer,
                        method: AuthMethod::Session { session_id: "seed".into() },
                    };
                    let application = SellerApplication {
                        store_name: format!("Seed Store {i}"),
                        description: "Seeded store.".into(),
                        contact_email: email.clone(),
                        contact_phone: None,
                    };
                    app.users.seller_apply(&p, application).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                    app.users
                        .seller_decide("seed", &user.id, SellerStatus::Approved)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                }
                ids.push(user.id);
            }
            Err(e) if e.code == "email_taken" => {
                let user = app.users.account_by_email(&parsed).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                ids.push(user.id);
            }
            Err(e) => anyhow::bail!("cannot create seed account {email}: {e}"),
        }
    }
    Ok(ids)
}

/// The shared pictures, stored once.
async fn pictures(app: &App) -> anyhow::Result<Vec<(String, i64, i64)>> {
    let mut keys = Vec::new();
    for seed in 0..PICTURES {
        let key = format!("seed/picture-{seed}.jpg");
        if app.catalog.objects().get(&key).await?.is_none() {
            let (full, medium, small) = tokio::task::spawn_blocking(move || {
                let full = media::placeholder(seed, 800)?;
                let limits = media::Limits::default();
                Ok::<_, media::ImageError>((
                    full.clone(),
                    media::thumbnail(&full, 600, &limits)?,
                    media::thumbnail(&full, 200, &limits)?,
                ))
            })
            .await??;
            app.catalog.objects().put(&key, full, "image/jpeg").await?;
            app.catalog.objects().put(&format!("seed/picture-{seed}-600.jpg"), medium, "image/jpeg").await?;
            app.catalog.objects().put(&format!("seed/picture-{seed}-200.jpg"), small, "image/jpeg").await?;
        }
        keys.push((key, 800, 800));
    }
    Ok(keys)
}

fn product(
    rng: &mut Rng,
    n: usize,
    seller: &str,
    t: &Taxonomy,
    pictures: &[(String, i64, i64)],
    customers: &[String],
) -> BulkProduct {
    let (category_id, leaf) = rng.pick(&t.leaves);
    let brand_id = rng.pick(&t.brands).clone();
    let adjective = rng.pick(words::ADJECTIVES);
    let material = rng.pick(words::MATERIALS);
    let noun = rng.pick(leaf.nouns);
    let title = if rng.chance(50) { format!("{adjective} {material} {noun}") } else { format!("{adjective} {noun}") };
    let colours: Vec<&str> = (0..1 + rng.below(3))
        .map(|_| *rng.pick(words::COLOURS))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let sizes: &[&str] = match leaf.options {
        Options::SizeColour => &words::SIZES[1..5],
        Options::ShoeSizeColour => &words::SHOE_SIZES[2..6],
        _ => &[],
    };
    let base = leaf.price.0 + (rng.below(((leaf.price.1 - leaf.price.0) / 100).max(1) as usize) as i64) * 100 - 1;
    let on_sale = rng.chance(15);
    let mut options: Vec<serde_json::Value> = Vec::new();
    let mut combos: Vec<BTreeMap<&str, &str>> = vec![BTreeMap::new()];
    if !sizes.is_empty() {
        options.push(serde_json::json!({"name": "Size", "values": sizes}));
        combos = sizes.iter().map(|s| BTreeMap::from([("Size", *s)])).collect();
    }
    if leaf.options != Options::None {
        options.push(serde_json::json!({"name": "Colour", "values": colours}));
        combos = combos
            .into_iter()
            .flat_map(|c| {
                colours.iter().map(move |col| {
                    let mut c = c.clone();
                    c.insert("Colour", col);
                    c
                })
            })
            .collect();
    }
    let variants = combos
        .into_iter()
        .enumerate()
        .map(|(i, values)| BulkVariant {
            sku: format!("SEED-{n:07}-{i:02}"),
            title: values.values().copied().collect::<Vec<_>>().join(" / "),
            option_values: serde_json::to_string(&values).unwrap_or_else(|_| "{}".into()),
            price: base,
            compare_at: on_sale.then_some(base + base / 4),
            weight_g: Some(100 + rng.below(3000) as i64),
            barcode: Some(format!("{:013}", 4_000_000_000_000u64 + n as u64 * 100 + i as u64)),
        })
        .collect();
    let attributes = serde_json::json!({ "material": material, "color": colours, "origin": rng.pick(&["Portugal", "Vietnam", "Italy", "USA", "Japan", "Mexico"]) });
    let description = format!(
        "The {adjective} {noun} from our {} range, made of {}. {} {}",
        leaf.name.to_lowercase(),
        material.to_lowercase(),
        rng.pick(words::PRAISE),
        rng.pick(words::PRAISE)
    );
    let mut reviews = Vec::new();
    if !customers.is_empty() {
        let count = rng.below(7).min(customers.len());
        let start = rng.below(customers.len());
        for k in 0..count {
            let rating = *rng.pick(&[5, 5, 5, 4, 4, 4, 3, 2, 1]);
            reviews.push(BulkReview {
                customer_id: customers[(start + k) % customers.len()].clone(),
                rating,
                title: (*rng.pick(words::REVIEW_TITLES[(rating - 1) as usize])).into(),
                body: format!("Bought the {noun} a few weeks ago. {}", rng.pick(words::PRAISE)),
            });
        }
    }
    BulkProduct {
        seller_id: seller.to_owned(),
        slug: format!("{}-{n}", catalog::domain::slugify(&title)),
        title,
        description,
        brand_id: Some(brand_id),
        category_id: Some(category_id.clone()),
        status: "active",
        attributes: attributes.to_string(),
        options: serde_json::Value::Array(options).to_string(),
        variants,
        images: vec![rng.pick(pictures).clone()],
        reviews,
    }
}

/// Writes `count` products (numbered after those that exist), then rebuilds the search index.
pub async fn run(app: &App, count: usize, extra_sellers: &[String]) -> anyhow::Result<()> {
    let started = Instant::now();
    // Zones and tax rules for a few countries (kept when some exist), so seeded carts check out.
    app.shipping.demo_seed().await.map_err(|e| anyhow::anyhow!("shipping zones: {e}"))?;
    app.tax.demo_seed().await.map_err(|e| anyhow::anyhow!("tax rules: {e}"))?;
    let t = taxonomy(app).await.context("categories and brands")?;
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "seed: taxonomy");
    let mut sellers = accounts(app, "seller", (count / 20_000).clamp(2, 20), Role::Seller).await?;
    sellers.extend_from_slice(extra_sellers);
    let customers = accounts(app, "customer", 12, Role::Customer).await?;
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "seed: accounts");
    let pictures = pictures(app).await.context("pictures")?;
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "seed: pictures");
    app.settle().await?;
    tracing::debug!(ms = started.elapsed().as_millis() as u64, "seed: settled");
    let first = usize::try_from(app.catalog.product_count().await?).unwrap_or(0);
    let mut rng = Rng(0x0CA2_7CA2 ^ first as u64);
    let mut progress = Progress::new("products", count);
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let batch: Vec<BulkProduct> = (0..n)
            .map(|i| {
                let number = first + done + i + 1;
                let seller = &sellers[number % sellers.len()];
                product(&mut rng, number, seller, &t, &pictures, &customers)
            })
            .collect();
        let stock = opening_stock(&batch);
        app.catalog.bulk_insert(batch).await?;
        app.inventory.stock_seed(stock).await?;
        done += n;
        progress.show(done);
    }
    progress.finish(done);
    let mut progress = Progress::new("indexed", count + first);
    let indexed = app.search.reindex(|n, _| progress.show(n)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    progress.finish(indexed);
    eprintln!(
        "seeded {count} products in {:.1} s; the search index holds {} products ({:.1} MB)",
        started.elapsed().as_secs_f64(),
        app.search.index().doc_count(),
        app.search.index().size_bytes() as f64 / 1e6
    );
    Ok(())
}

/// Opening stock for every variant: one in ten sold out, the rest 1-200 units; derived from the
/// SKU so that it does not disturb the catalog's own random sequence.
fn opening_stock(batch: &[BulkProduct]) -> Vec<inventory::OpeningStock> {
    batch
        .iter()
        .flat_map(|p| {
            p.variants.iter().map(|v| {
                let mut rng =
                    Rng(v.sku.bytes().fold(0xC0FF_EE00, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))));
                let quantity = if rng.chance(10) { 0 } else { 1 + rng.below(200) as i64 };
                inventory::OpeningStock { seller_id: p.seller_id.clone(), sku: v.sku.clone(), quantity }
            })
        })
        .collect()
}

/// A progress line on stderr: rewritten in place on a terminal, every few seconds otherwise.
pub struct Progress {
    what: &'static str,
    total: usize,
    started: Instant,
    last: Instant,
    tty: bool,
}

impl Progress {
    pub fn new(what: &'static str, total: usize) -> Self {
        let now = Instant::now();
        Self { what, total, started: now, last: now, tty: std::io::stderr().is_terminal() }
    }

    pub fn show(&mut self, done: usize) {
        let every = if self.tty { Duration::from_millis(200) } else { Duration::from_secs(5) };
        if self.last.elapsed() < every {
            return;
        }
        self.last = Instant::now();
        let rate = done as f64 / self.started.elapsed().as_secs_f64().max(0.001);
        let line = format!("{} {done}/{} ({rate:.0}/s)", self.what, self.total);
        let mut err = std::io::stderr();
        let _ = if self.tty { write!(err, "\r{line}   ") } else { writeln!(err, "{line}") };
    }

    pub fn finish(&mut self, done: usize) {
        let secs = self.started.elapsed().as_secs_f64();
        let end = if self.tty { "\r" } else { "" };
        eprintln!("{end}{} {done} in {secs:.1} s ({:.0}/s)   ", self.what, done as f64 / secs.max(0.001));
    }
}
