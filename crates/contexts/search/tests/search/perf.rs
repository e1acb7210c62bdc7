//! Timings on a 100,000-product synthetic catalog. Printed, not asserted; run optimised:
//!
//! `cargo test -p search --release --locked --test search perf -- --ignored --nocapture`

use std::time::{Duration, Instant};

use search::{ProductDoc, SearchIndex, SearchQuery, Sort};

const PRODUCTS: usize = 100_000;

const ADJECTIVES: &[&str] = &[
    "wireless",
    "classic",
    "organic",
    "portable",
    "vintage",
    "compact",
    "premium",
    "waterproof",
    "ergonomic",
    "lightweight",
    "leather",
    "cotton",
    "bamboo",
    "ceramic",
    "smart",
    "digital",
    "foldable",
    "insulated",
];
const NOUNS: &[&str] = &[
    "headphones",
    "shirt",
    "kettle",
    "backpack",
    "speaker",
    "lamp",
    "jacket",
    "sneakers",
    "mug",
    "charger",
    "keyboard",
    "blanket",
    "watch",
    "bottle",
    "chair",
    "camera",
    "wallet",
    "scarf",
    "blender",
    "tent",
];
const COLORS: &[&str] = &["red", "blue", "black", "white", "green", "grey", "yellow", "navy"];
const SIZES: &[&str] = &["xs", "s", "m", "l", "xl"];

/// A small deterministic generator, so every run indexes the same catalog.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A pseudo-word from a vocabulary of about 5,000, for descriptions.
fn filler(rng: &mut Rng) -> String {
    const SYLLABLES: &[&str] = &["ka", "lo", "mi", "ra", "ten", "vo", "shu", "pe", "dri", "na", "zo", "ber", "gal"];
    let n = 2 + rng.below(2);
    (0..n).map(|_| rng.pick(SYLLABLES)).collect()
}

fn product(i: usize, rng: &mut Rng) -> ProductDoc {
    let adjective = rng.pick(ADJECTIVES);
    let noun = rng.pick(NOUNS);
    let (root, child, leaf) = (rng.below(10), rng.below(10), rng.below(5));
    let path = vec![format!("cat_{root}"), format!("cat_{root}_{child}"), format!("cat_{root}_{child}_{leaf}")];
    let brand = rng.below(200);
    let color = rng.pick(COLORS);
    let description: Vec<String> =
        (0..30).map(|k| if k % 7 == 0 { rng.pick(NOUNS).to_owned() } else { filler(rng) }).collect();
    let price = 500 + (rng.next() % 100_000) as i64;
    ProductDoc {
        id: format!("prd_{i:08}"),
        slug: format!("{adjective}-{noun}-{i}"),
        title: format!("{} {} {}", capitalise(adjective), capitalise(noun), filler(rng)),
        description: description.join(" "),
        brand_id: Some(format!("brd_{brand}")),
        brand_name: Some(format!("Brand{brand}")),
        category_id: path.last().cloned(),
        category_names: path.iter().map(|id| format!("Category {id}")).collect(),
        category_path: path,
        seller_id: format!("sel_{}", rng.below(1_000)),
        attributes: vec![("color".into(), color.into()), ("size".into(), rng.pick(SIZES).into())],
        price_min: price,
        price_max: price + (rng.next() % 2_000) as i64,
        currency: "USD".into(),
        rating_avg: (rng.next() % 51) as f64 / 10.0,
        rating_count: (rng.next() % 500) as i64,
        created_at: 1_700_000_000_000_000 + i as i64 * 1_000_000,
        image: Some(format!("https://img.example/{i}.jpg")),
        in_stock: true,
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Median and worst of `runs` timed calls, after a warm-up call.
fn time(label: &str, runs: usize, mut f: impl FnMut() -> u64) {
    let matches = f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{label:<58} median {:>8.3} ms  max {:>8.3} ms  ({matches} matches)",
        times[runs / 2].as_secs_f64() * 1e3,
        times[runs - 1].as_secs_f64() * 1e3
    );
}

#[test]
#[ignore = "benchmark: run optimised with --ignored --nocapture"]
fn timings_on_100k_products() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (index, _) = SearchIndex::open(tmp.path()).expect("open");
    let mut rng = Rng(7);
    let docs: Vec<ProductDoc> = (0..PRODUCTS).map(|i| product(i, &mut rng)).collect();
    let start = Instant::now();
    for chunk in docs.chunks(10_000) {
        index.upsert(chunk).expect("upsert");
    }
    index.commit(1).expect("commit");
    println!(
        "indexed {} products in {:.2} s, {:.1} MB on disk",
        index.doc_count(),
        start.elapsed().as_secs_f64(),
        index.size_bytes() as f64 / 1e6
    );

    let index = &index;
    let search = |q: SearchQuery| move || index.search(&q).expect("search").total;
    let text = |t: &str| SearchQuery { text: Some(t.into()), limit: 24, ..SearchQuery::default() };
    let runs = 50;
    time(
        "text + category + brand filter + facets",
        runs,
        search(SearchQuery {
            category_id: Some("cat_3".into()),
            brand_ids: vec!["brd_1".into(), "brd_2".into(), "brd_3".into(), "brd_40".into()],
            facets: true,
            ..text("wireless headphones")
        }),
    );
    time(
        "text + category + price filter + facets",
        runs,
        search(SearchQuery {
            category_id: Some("cat_3".into()),
            price_max: Some(20_000),
            facets: true,
            ..text("shirt")
        }),
    );
    time("text only (relevance)", runs, search(text("wireless headphones")));
    time("text with typos (relevance)", runs, search(text("wireles hedphones")));
    time("text + facets, broad match", runs, search(SearchQuery { facets: true, ..text("classic") }));
    time("browse everything + facets", runs, search(SearchQuery { facets: true, limit: 24, ..SearchQuery::default() }));
    time(
        "category, sort by price, page 5",
        runs,
        search(SearchQuery {
            category_id: Some("cat_3_4".into()),
            sort: Sort::PriceAsc,
            offset: 96,
            limit: 24,
            ..SearchQuery::default()
        }),
    );
    time(
        "attribute + rating filters, newest",
        runs,
        search(SearchQuery {
            attributes: vec![("color".into(), "red".into())],
            rating_min: Some(4.0),
            sort: Sort::Newest,
            limit: 24,
            ..SearchQuery::default()
        }),
    );
    time("suggest \"wireless hea\"", runs, || index.suggest("wireless hea", 8).expect("suggest").len() as u64);
    time("suggest \"c\"", runs, || index.suggest("c", 8).expect("suggest").len() as u64);
}
