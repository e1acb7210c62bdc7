//! A small catalog whose every count is known, and helpers to query it.
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use search::{ProductDoc, SearchIndex, SearchQuery, SearchResult};

pub struct P {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub brand: Option<(&'static str, &'static str)>,
    pub path: &'static [(&'static str, &'static str)],
    pub seller: &'static str,
    pub attributes: &'static [(&'static str, &'static str)],
    pub price: (i64, i64),
    pub rating: (f64, i64),
    pub created_at: i64,
}

pub const FASHION: (&str, &str) = ("cat_fashion", "Fashion");
pub const TOPS: (&str, &str) = ("cat_tops", "Tops");
pub const SHIRTS: (&str, &str) = ("cat_shirts", "Shirts");
pub const SHOES: (&str, &str) = ("cat_shoes", "Shoes");
pub const ELECTRONICS: (&str, &str) = ("cat_electronics", "Electronics");
pub const AUDIO: (&str, &str) = ("cat_audio", "Audio");
pub const ACME: Option<(&str, &str)> = Some(("brd_acme", "Acme"));
pub const NIMBUS: Option<(&str, &str)> = Some(("brd_nimbus", "Nimbus"));
pub const SONORA: Option<(&str, &str)> = Some(("brd_sonora", "Sonora"));

pub const CATALOG: &[P] = &[
    P {
        id: "prd_01",
        title: "Classic Cotton Shirt",
        description: "A soft cotton shirt for everyday wear.",
        brand: ACME,
        path: &[FASHION, TOPS, SHIRTS],
        seller: "sel_1",
        attributes: &[("color", "Red"), ("size", "M")],
        price: (1999, 2499),
        rating: (4.5, 120),
        created_at: 1_000,
    },
    P {
        id: "prd_02",
        title: "Linen Summer Shirt",
        description: "Breathable linen for hot days.",
        brand: NIMBUS,
        path: &[FASHION, TOPS, SHIRTS],
        seller: "sel_2",
        attributes: &[("color", "Blue"), ("size", "L")],
        price: (3999, 3999),
        rating: (3.8, 40),
        created_at: 2_000,
    },
    P {
        id: "prd_03",
        title: "Trail Running Shoes",
        description: "Grippy soles for muddy trails.",
        brand: ACME,
        path: &[FASHION, SHOES],
        seller: "sel_1",
        attributes: &[("color", "Red")],
        price: (8999, 8999),
        rating: (4.9, 300),
        created_at: 3_000,
    },
    P {
        id: "prd_04",
        title: "Wireless Headphones",
        description: "Noise cancelling over-ear headphones with 30 hours of battery.",
        brand: SONORA,
        path: &[ELECTRONICS, AUDIO],
        seller: "sel_2",
        attributes: &[("color", "Black")],
        price: (14999, 17999),
        rating: (4.2, 80),
        created_at: 4_000,
    },
    P {
        id: "prd_05",
        title: "Wired Earbuds",
        description: "Compact in-ear earbuds.",
        brand: SONORA,
        path: &[ELECTRONICS, AUDIO],
        seller: "sel_1",
        attributes: &[("color", "White")],
        price: (2500, 2500),
        rating: (2.5, 10),
        created_at: 5_000,
    },
    P {
        id: "prd_06",
        title: "Portable Speaker",
        description: "Waterproof speaker with deep bass. Pairs with any wireless device.",
        brand: None,
        path: &[ELECTRONICS, AUDIO],
        seller: "sel_2",
        attributes: &[("color", "Red")],
        price: (60000, 60000),
        rating: (0.0, 0),
        created_at: 6_000,
    },
    P {
        id: "prd_07",
        title: "Graphic Tee",
        description: "Cotton tee with a printed graphic.",
        brand: NIMBUS,
        path: &[FASHION, TOPS],
        seller: "sel_1",
        attributes: &[("color", "Black")],
        price: (1500, 1500),
        rating: (1.5, 3),
        created_at: 7_000,
    },
];

pub fn doc(p: &P) -> ProductDoc {
    ProductDoc {
        id: p.id.to_owned(),
        slug: p.title.to_lowercase().replace(' ', "-"),
        title: p.title.to_owned(),
        description: p.description.to_owned(),
        brand_id: p.brand.map(|b| b.0.to_owned()),
        brand_name: p.brand.map(|b| b.1.to_owned()),
        category_id: p.path.last().map(|c| c.0.to_owned()),
        category_path: p.path.iter().map(|c| c.0.to_owned()).collect(),
        category_names: p.path.iter().map(|c| c.1.to_owned()).collect(),
        seller_id: p.seller.to_owned(),
        attributes: p.attributes.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect(),
        price_min: p.price.0,
        price_max: p.price.1,
        currency: "USD".to_owned(),
        rating_avg: p.rating.0,
        rating_count: p.rating.1,
        created_at: p.created_at,
        image: Some(format!("https://img.example/{}.jpg", p.id)),
        in_stock: true,
    }
}

pub fn catalog() -> Vec<ProductDoc> {
    CATALOG.iter().map(doc).collect()
}

pub fn indexed(docs: &[ProductDoc]) -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    index.upsert(docs).expect("upsert");
    index.commit(1).expect("commit");
    index
}

pub fn fixture() -> SearchIndex {
    indexed(&catalog())
}

pub fn query(text: &str) -> SearchQuery {
    SearchQuery { text: Some(text.to_owned()), limit: 50, ..SearchQuery::default() }
}

pub fn all() -> SearchQuery {
    SearchQuery { limit: 50, ..SearchQuery::default() }
}

pub fn run(index: &SearchIndex, q: &SearchQuery) -> SearchResult {
    index.search(q).expect("search")
}

/// Ids of the hits, in order.
pub fn ids(index: &SearchIndex, q: &SearchQuery) -> Vec<String> {
    let result = run(index, q);
    assert!(result.total as usize >= result.hits.len());
    result.hits.into_iter().map(|h| h.id).collect()
}

/// Ids of the hits, sorted, for checks where the order does not matter.
pub fn id_set(index: &SearchIndex, q: &SearchQuery) -> Vec<String> {
    let mut ids = ids(index, q);
    ids.sort();
    ids
}

pub fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}
