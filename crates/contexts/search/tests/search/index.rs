//! Writing to the index (upsert, delete, clear), type-ahead, odd input and concurrency.

use crate::common::*;
use search::{ProductDoc, SearchQuery, Sort};

#[test]
fn upsert_replaces_by_id() {
    let index = fixture();
    let renamed = ProductDoc { title: "Organic Oxford Shirt".into(), ..doc(&CATALOG[0]) };
    index.upsert(std::slice::from_ref(&renamed)).expect("upsert");
    assert_eq!(ids(&index, &query("oxford")), Vec::<String>::new(), "staged, not visible");
    index.commit(2).expect("commit");
    assert_eq!(index.doc_count(), 7);
    assert_eq!(ids(&index, &query("oxford")), strings(&["prd_01"]));
    assert!(ids(&index, &query("classic")).is_empty());
    // The same id twice in one batch keeps the last.
    let again = ProductDoc { title: "Flannel Shirt".into(), ..renamed.clone() };
    index.upsert(&[renamed, again]).expect("upsert");
    index.commit(3).expect("commit");
    assert_eq!(index.doc_count(), 7);
    assert_eq!(ids(&index, &query("flannel")), strings(&["prd_01"]));
    assert!(ids(&index, &query("oxford")).is_empty());
}

#[test]
fn delete_removes_on_commit() {
    let index = fixture();
    index.delete(&strings(&["prd_03", "prd_missing"])).expect("delete");
    assert_eq!(index.doc_count(), 7, "staged");
    index.commit(2).expect("commit");
    assert_eq!(index.doc_count(), 6);
    assert!(ids(&index, &query("trail")).is_empty());
    assert_eq!(index.watermark(), Some(2));
}

#[test]
fn clear_removes_everything_staged_before_it() {
    let index = fixture();
    let extra = ProductDoc { id: "prd_08".into(), ..doc(&CATALOG[0]) };
    index.upsert(&[extra]).expect("upsert");
    index.clear().expect("clear");
    index.upsert(&[doc(&CATALOG[3])]).expect("upsert");
    assert_eq!(index.doc_count(), 7, "staged");
    index.commit(9).expect("commit");
    assert_eq!(index.doc_count(), 1);
    assert_eq!(ids(&index, &all()), strings(&["prd_04"]));
}

#[test]
fn suggestions_complete_the_last_word() {
    let index = fixture();
    let titles = |prefix: &str, limit| -> Vec<String> {
        index.suggest(prefix, limit).expect("suggest").into_iter().map(|s| s.title).collect()
    };
    // Best rated first.
    assert_eq!(titles("wir", 10), strings(&["Wireless Headphones", "Wired Earbuds"]));
    assert_eq!(titles("SHI", 10), strings(&["Classic Cotton Shirt", "Linen Summer Shirt"]));
    assert_eq!(titles("wir", 1), strings(&["Wireless Headphones"]));
    assert_eq!(titles("linen shi", 10), strings(&["Linen Summer Shirt"]));
    assert_eq!(titles("shirts linen", 10), strings(&["Linen Summer Shirt"]), "complete words are stemmed");
    assert_eq!(titles("cotton", 10), strings(&["Classic Cotton Shirt"]), "title only");
    assert!(titles("cotton wir", 10).is_empty());
    assert!(titles("", 10).is_empty());
    assert!(titles("   ", 10).is_empty());
    assert!(titles("wir", 0).is_empty());
    let first = index.suggest("trail r", 5).expect("suggest").remove(0);
    assert_eq!((first.id.as_str(), first.slug.as_str()), ("prd_03", "trail-running-shoes"));
}

/// A deterministic stream of awkward strings: punctuation, query syntax, scripts, emoji,
/// combining marks, control characters and sheer length.
fn odd_strings() -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        " ",
        "\t\n",
        "!!!",
        "\"",
        "'",
        "*",
        "?",
        "a:b",
        "title:shirt",
        "(",
        ")",
        "[",
        "]",
        "{}",
        "AND OR NOT",
        "-shirt",
        "+shirt",
        "shirt~2",
        "shirt^3",
        "\\",
        "\0",
        "\u{FEFF}",
        "\u{202E}shirt",
        "日本語のシャツ",
        "🎉",
        "shirt 🎉🎉",
        "ﬁ",
        "İstanbul",
        "straße",
        "e\u{301}",
        "مرحبا",
        "Z\u{0337}\u{0335}\u{0334}algo",
        "\u{10FFFF}",
        "%s%n",
        "<script>",
        "' OR 1=1 --",
        "a*b?c",
        "/regex/",
        "\"unterminated",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    out.push("x".repeat(100_000));
    out.push("ab ".repeat(20_000));
    out.push("é".repeat(70));
    out.push("shirt ".repeat(50));
    let pool: Vec<char> = "aZ09 -_.,;:!?'\"()[]{}*~^+\\/é日🎉\u{301}\u{0}\t".chars().collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in 0..200 {
        let s: String = (0..len % 40)
            .map(|_| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                pool[(state >> 33) as usize % pool.len()]
            })
            .collect();
        out.push(s);
    }
    out
}

#[test]
fn odd_input_never_fails() {
    let index = fixture();
    for s in odd_strings() {
        let q = SearchQuery {
            text: Some(s.clone()),
            category_id: Some(s.clone()),
            brand_ids: vec![s.clone()],
            seller_id: Some(s.clone()),
            attributes: vec![(s.clone(), s.clone())],
            facets: true,
            limit: 10,
            ..SearchQuery::default()
        };
        index.search(&q).unwrap_or_else(|e| panic!("search {s:?}: {e}"));
        for sort in [Sort::Relevance, Sort::PriceAsc, Sort::Rating, Sort::Newest] {
            index.search(&SearchQuery { sort, ..query(&s) }).unwrap_or_else(|e| panic!("text {s:?}: {e}"));
        }
        index.suggest(&s, 5).unwrap_or_else(|e| panic!("suggest {s:?}: {e}"));
    }
    for rating in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 5.5] {
        index.search(&SearchQuery { rating_min: Some(rating), ..all() }).expect("rating");
    }
    let inverted = SearchQuery { price_min: Some(i64::MAX), price_max: Some(i64::MIN), ..all() };
    assert_eq!(run(&index, &inverted).total, 0);
    let extremes = SearchQuery { price_min: Some(i64::MIN), price_max: Some(i64::MAX), ..all() };
    assert_eq!(run(&index, &extremes).total, 7);
    // Odd text stored in documents is fine too.
    let odd_docs: Vec<ProductDoc> = odd_strings()
        .into_iter()
        .enumerate()
        .map(|(i, s)| ProductDoc {
            id: format!("prd_odd_{i}"),
            title: s.clone(),
            description: s.clone(),
            attributes: vec![(s.clone(), s.clone())],
            category_path: vec![s.clone()],
            category_names: vec![s.clone()],
            brand_id: Some(s.clone()),
            brand_name: Some(s),
            rating_avg: f64::NAN,
            ..doc(&CATALOG[0])
        })
        .collect();
    let odd = indexed(&odd_docs);
    assert_eq!(odd.doc_count(), odd_docs.len() as u64);
    odd.search(&SearchQuery { facets: true, ..query("日本語") }).expect("search");
    odd.suggest("日", 5).expect("suggest");
}

#[test]
fn searches_run_concurrently_with_writes() {
    let index = std::sync::Arc::new(fixture());
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let index = index.clone();
            std::thread::spawn(move || {
                for _ in 0..20 {
                    let result = index.search(&SearchQuery { facets: true, ..query("shirt") }).expect("search");
                    assert!(result.total >= 2);
                }
            })
        })
        .collect();
    for i in 0..5 {
        index.upsert(&[ProductDoc { id: format!("prd_new_{i}"), ..doc(&CATALOG[1]) }]).expect("upsert");
        index.commit(i).expect("commit");
    }
    for reader in readers {
        reader.join().expect("reader thread");
    }
    assert_eq!(index.doc_count(), 12);
}
