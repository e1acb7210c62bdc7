//! Searching the fixture catalog: text, filters, sorting, paging and facets.

use crate::common::*;
use search::{Facets, PriceBucket, ProductDoc, SearchIndex, SearchQuery, SearchResult, Sort};

#[test]
fn text_matches_every_searchable_field() {
    let index = fixture();
    assert_eq!(id_set(&index, &query("shirt")), strings(&["prd_01", "prd_02"]), "title");
    assert_eq!(id_set(&index, &query("acme")), strings(&["prd_01", "prd_03"]), "brand name");
    assert_eq!(id_set(&index, &query("audio")), strings(&["prd_04", "prd_05", "prd_06"]), "category name");
    assert_eq!(id_set(&index, &query("blue")), strings(&["prd_02"]), "attribute value");
    assert_eq!(id_set(&index, &query("waterproof")), strings(&["prd_06"]), "description");
    assert_eq!(id_set(&index, &query("SHIRTS")), strings(&["prd_01", "prd_02"]), "case and plural");
    assert_eq!(id_set(&index, &query("run")), strings(&["prd_03"]), "stemmed");
}

#[test]
fn title_outranks_description() {
    let index = fixture();
    assert_eq!(ids(&index, &query("wireless")), strings(&["prd_04", "prd_06"]));
}

#[test]
fn every_word_must_match_somewhere() {
    let index = fixture();
    assert_eq!(ids(&index, &query("cotton shirt")), strings(&["prd_01"]));
    assert_eq!(ids(&index, &query("acme red shoes")), strings(&["prd_03"]));
    assert!(ids(&index, &query("cotton headphones")).is_empty());
    assert_eq!(run(&index, &query("cotton headphones")).total, 0);
    // Function words do not have to appear.
    assert_eq!(ids(&index, &query("shoes for the trail")), strings(&["prd_03"]));
}

#[test]
fn typos_are_tolerated_by_word_length() {
    let index = fixture();
    assert_eq!(id_set(&index, &query("shrit")), strings(&["prd_01", "prd_02"]), "transposition");
    assert_eq!(ids(&index, &query("wireles"))[0], "prd_04");
    assert_eq!(ids(&index, &query("headphnes")), strings(&["prd_04"]));
    assert_eq!(ids(&index, &query("hedphnes")), strings(&["prd_04"]), "two edits on a long word");
    assert!(ids(&index, &query("shrtt")).is_empty(), "two edits on a short word");
    assert!(ids(&index, &query("tea")).is_empty(), "no typos on three letters");
}

#[test]
fn exact_spelling_ranks_before_a_typo_match() {
    let skirt = ProductDoc { id: "prd_skirt".into(), title: "Pleated Skirt".into(), ..doc(&CATALOG[6]) };
    let shirt = ProductDoc { id: "prd_shirt".into(), title: "Pleated Shirt".into(), ..doc(&CATALOG[6]) };
    // Indexed in both orders so that document order cannot be what decides.
    for docs in [vec![skirt.clone(), shirt.clone()], vec![shirt.clone(), skirt.clone()]] {
        let index = indexed(&docs);
        assert_eq!(ids(&index, &query("shirt")), strings(&["prd_shirt", "prd_skirt"]));
        assert_eq!(ids(&index, &query("skirt")), strings(&["prd_skirt", "prd_shirt"]));
    }
}

#[test]
fn category_filter_includes_descendants() {
    let index = fixture();
    let in_category = |id: &str| SearchQuery { category_id: Some(id.to_owned()), ..all() };
    assert_eq!(id_set(&index, &in_category("cat_fashion")), strings(&["prd_01", "prd_02", "prd_03", "prd_07"]));
    assert_eq!(id_set(&index, &in_category("cat_tops")), strings(&["prd_01", "prd_02", "prd_07"]));
    assert_eq!(id_set(&index, &in_category("cat_shirts")), strings(&["prd_01", "prd_02"]));
    assert!(id_set(&index, &in_category("cat_nope")).is_empty());
    let cotton_tops = SearchQuery { category_id: Some("cat_tops".into()), ..query("cotton") };
    assert_eq!(id_set(&index, &cotton_tops), strings(&["prd_01", "prd_07"]));
}

#[test]
fn brand_seller_price_and_rating_filters() {
    let index = fixture();
    let brands = SearchQuery { brand_ids: strings(&["brd_acme", "brd_sonora"]), ..all() };
    assert_eq!(id_set(&index, &brands), strings(&["prd_01", "prd_03", "prd_04", "prd_05"]));
    let seller = SearchQuery { seller_id: Some("sel_2".into()), ..all() };
    assert_eq!(id_set(&index, &seller), strings(&["prd_02", "prd_04", "prd_06"]));
    let price = SearchQuery { price_min: Some(2500), price_max: Some(8999), ..all() };
    assert_eq!(id_set(&index, &price), strings(&["prd_02", "prd_03", "prd_05"]), "inclusive bounds");
    let cheap = SearchQuery { price_max: Some(1999), ..all() };
    assert_eq!(id_set(&index, &cheap), strings(&["prd_01", "prd_07"]));
    let dear = SearchQuery { price_min: Some(14999), ..all() };
    assert_eq!(id_set(&index, &dear), strings(&["prd_04", "prd_06"]), "on price_min, not price_max");
    let rated = SearchQuery { rating_min: Some(4.0), ..all() };
    assert_eq!(id_set(&index, &rated), strings(&["prd_01", "prd_03", "prd_04"]));
    let combined = SearchQuery {
        seller_id: Some("sel_1".into()),
        brand_ids: strings(&["brd_acme"]),
        rating_min: Some(4.6),
        ..all()
    };
    assert_eq!(id_set(&index, &combined), strings(&["prd_03"]));
}

#[test]
fn attribute_filters_all_must_match_ignoring_value_case() {
    let index = fixture();
    let attrs = |pairs: &[(&str, &str)]| SearchQuery {
        attributes: pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect(),
        ..all()
    };
    assert_eq!(id_set(&index, &attrs(&[("color", "red")])), strings(&["prd_01", "prd_03", "prd_06"]));
    assert_eq!(id_set(&index, &attrs(&[("color", "RED")])), strings(&["prd_01", "prd_03", "prd_06"]));
    assert_eq!(id_set(&index, &attrs(&[("color", "Red"), ("size", "m")])), strings(&["prd_01"]));
    assert!(id_set(&index, &attrs(&[("color", "Red"), ("size", "L")])).is_empty());
    assert!(id_set(&index, &attrs(&[("size", "red")])).is_empty(), "value belongs to its name");
}

#[test]
fn filters_do_not_change_relevance_order() {
    let index = fixture();
    let plain = ids(&index, &query("wireless"));
    let filtered = ids(&index, &SearchQuery { category_id: Some("cat_audio".into()), ..query("wireless") });
    assert_eq!(plain, filtered);
}

#[test]
fn sort_orders() {
    let index = fixture();
    let sorted = |sort| ids(&index, &SearchQuery { sort, ..all() });
    let by_price = ["prd_07", "prd_01", "prd_05", "prd_02", "prd_03", "prd_04", "prd_06"];
    assert_eq!(sorted(Sort::PriceAsc), strings(&by_price));
    let mut by_price_desc = by_price;
    by_price_desc.reverse();
    assert_eq!(sorted(Sort::PriceDesc), strings(&by_price_desc));
    let by_rating = ["prd_03", "prd_01", "prd_04", "prd_02", "prd_05", "prd_07", "prd_06"];
    assert_eq!(sorted(Sort::Rating), strings(&by_rating));
    assert_eq!(sorted(Sort::Newest), strings(&["prd_07", "prd_06", "prd_05", "prd_04", "prd_03", "prd_02", "prd_01"]));
    // Browsing without text has no relevance to speak of; the best rated come first.
    assert_eq!(sorted(Sort::Relevance), strings(&by_rating));
    // Sorting applies to the matches of the text only.
    let shirts = SearchQuery { sort: Sort::PriceDesc, ..query("shirt") };
    assert_eq!(ids(&index, &shirts), strings(&["prd_02", "prd_01"]));
}

#[test]
fn rating_ties_break_on_review_count() {
    let few = ProductDoc { id: "prd_few".into(), rating_avg: 4.0, rating_count: 2, ..doc(&CATALOG[0]) };
    let many = ProductDoc { id: "prd_many".into(), rating_avg: 4.0, rating_count: 50, ..doc(&CATALOG[0]) };
    let index = indexed(&[few, many]);
    assert_eq!(ids(&index, &SearchQuery { sort: Sort::Rating, ..all() }), strings(&["prd_many", "prd_few"]));
}

#[test]
fn pagination_is_stable_and_total_counts_every_match() {
    let index = fixture();
    let page = |offset, limit| run(&index, &SearchQuery { sort: Sort::PriceAsc, offset, limit, ..all() });
    let pages: Vec<SearchResult> = vec![page(0, 3), page(3, 3), page(6, 3)];
    assert!(pages.iter().all(|p| p.total == 7));
    let seen: Vec<String> = pages.iter().flat_map(|p| p.hits.iter().map(|h| h.id.clone())).collect();
    assert_eq!(seen, ids(&index, &SearchQuery { sort: Sort::PriceAsc, ..all() }));
    assert_eq!(pages[2].hits.len(), 1);
    let past_end = page(10, 3);
    assert_eq!((past_end.total, past_end.hits.len()), (7, 0));
    let count_only = page(0, 0);
    assert_eq!((count_only.total, count_only.hits.len()), (7, 0));
    let huge = page(usize::MAX, usize::MAX);
    assert_eq!((huge.total, huge.hits.len()), (7, 0));
    // Relevance pages too: ties on score and rating fall back to a stable order.
    let text_page = |offset| ids(&index, &SearchQuery { offset, limit: 1, ..query("cotton") });
    let one_by_one = [text_page(0), text_page(1)].concat();
    assert_eq!(one_by_one, ids(&index, &query("cotton")));
}

#[test]
fn hits_carry_the_listing_fields() {
    let index = fixture();
    let hit = run(&index, &query("headphones")).hits.remove(0);
    assert_eq!(hit.id, "prd_04");
    assert_eq!(hit.slug, "wireless-headphones");
    assert_eq!(hit.title, "Wireless Headphones");
    assert_eq!(hit.brand_name.as_deref(), Some("Sonora"));
    assert_eq!((hit.price_min, hit.price_max), (14999, 17999));
    assert_eq!(hit.currency, "USD");
    assert_eq!((hit.rating_avg, hit.rating_count), (4.2, 80));
    assert_eq!(hit.image.as_deref(), Some("https://img.example/prd_04.jpg"));
    let unbranded = run(&index, &query("speaker")).hits.remove(0);
    assert_eq!(unbranded.brand_name, None);
}

fn buckets(counts: [u64; 6]) -> Vec<PriceBucket> {
    let edges = [None, Some(2_500), Some(5_000), Some(10_000), Some(20_000), Some(50_000), None];
    (0..6).map(|i| PriceBucket { from: edges[i], to: edges[i + 1], count: counts[i] }).collect()
}

fn pairs(items: &[(&str, u64)]) -> Vec<(String, u64)> {
    items.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

#[test]
fn facets_count_the_whole_match_set() {
    let index = fixture();
    let result = run(&index, &SearchQuery { facets: true, limit: 2, ..all() });
    let expected = Facets {
        categories: pairs(&[
            ("cat_fashion", 4),
            ("cat_audio", 3),
            ("cat_electronics", 3),
            ("cat_tops", 3),
            ("cat_shirts", 2),
            ("cat_shoes", 1),
        ]),
        brands: pairs(&[("brd_acme", 2), ("brd_nimbus", 2), ("brd_sonora", 2)]),
        price: buckets([2, 2, 1, 1, 0, 1]),
        rating: vec![(4, 3), (3, 4), (2, 5), (1, 6)],
    };
    assert_eq!(result.facets, Some(expected));
    assert_eq!(result.hits.len(), 2);
    assert_eq!(run(&index, &all()).facets, None, "only on request");
}

#[test]
fn facets_follow_text_and_filters() {
    let index = fixture();
    let result = run(&index, &SearchQuery { facets: true, ..query("cotton") });
    let expected = Facets {
        categories: pairs(&[("cat_fashion", 2), ("cat_tops", 2), ("cat_shirts", 1)]),
        brands: pairs(&[("brd_acme", 1), ("brd_nimbus", 1)]),
        price: buckets([2, 0, 0, 0, 0, 0]),
        rating: vec![(4, 1), (3, 1), (2, 1), (1, 2)],
    };
    assert_eq!(result.facets, Some(expected));
    let audio = run(&index, &SearchQuery { facets: true, category_id: Some("cat_audio".into()), ..all() });
    let facets = audio.facets.expect("facets");
    assert_eq!(facets.brands, pairs(&[("brd_sonora", 2)]), "a product without brand is not counted");
    assert_eq!(facets.price, buckets([0, 1, 0, 1, 0, 1]));
    let none = run(&index, &SearchQuery { facets: true, ..query("nothingmatcheshere") });
    let empty = Facets { price: buckets([0; 6]), rating: vec![(4, 0), (3, 0), (2, 0), (1, 0)], ..Facets::default() };
    assert_eq!(none.facets, Some(empty.clone()));
    let blank = SearchIndex::in_memory().expect("index");
    assert_eq!(run(&blank, &SearchQuery { facets: true, ..all() }).facets, Some(empty));
}
