//! Facet counts, computed by tantivy's aggregations in the same pass as the search.

use std::collections::HashMap;

use tantivy::aggregation::Key;
use tantivy::aggregation::agg_req::{Aggregation, AggregationVariants, Aggregations};
use tantivy::aggregation::agg_result::{AggregationResult, AggregationResults, BucketResult};
use tantivy::aggregation::bucket::{RangeAggregation, RangeAggregationRange, TermsAggregation};

use super::schema::{BRAND_ID, CATEGORY_PATH, PRICE_MIN, RATING_AVG};
use super::{Facets, PriceBucket};

const CATEGORIES: &str = "categories";
const BRANDS: &str = "brands";
const PRICE: &str = "price";
const RATING: &str = "rating";

const MAX_CATEGORIES: u32 = 100;
const MAX_BRANDS: u32 = 50;
/// Terms kept per segment before merging. Well above the number returned so that counts stay
/// exact for any realistic number of categories and brands.
const TERMS_PER_SEGMENT: u32 = 5_000;

/// Bounds between the price buckets, in minor units.
pub(crate) const PRICE_EDGES: [i64; 5] = [2_500, 5_000, 10_000, 20_000, 50_000];
/// The rating thresholds reported, highest first.
const RATING_FLOORS: [u8; 4] = [4, 3, 2, 1];

/// The aggregation request, built once per index and cloned per search.
pub(crate) fn request() -> Aggregations {
    let mut aggs = Aggregations::default();
    aggs.insert(CATEGORIES.to_owned(), terms(CATEGORY_PATH, MAX_CATEGORIES));
    aggs.insert(BRANDS.to_owned(), terms(BRAND_ID, MAX_BRANDS));
    aggs.insert(PRICE.to_owned(), range(PRICE_MIN, price_buckets().into_iter()));
    // Range aggregations cannot overlap, so "at least N stars" is summed from disjoint bands.
    let bands = RATING_FLOORS.iter().map(|&n| (Some(i64::from(n)), (n < 4).then(|| i64::from(n) + 1)));
    aggs.insert(RATING.to_owned(), range(RATING_AVG, bands));
    aggs
}

fn price_buckets() -> Vec<(Option<i64>, Option<i64>)> {
    let lows = std::iter::once(None).chain(PRICE_EDGES.iter().copied().map(Some));
    let highs = PRICE_EDGES.iter().copied().map(Some).chain(std::iter::once(None));
    lows.zip(highs).collect()
}

fn key(from: Option<i64>) -> String {
    from.map_or_else(|| "*".to_owned(), |v| v.to_string())
}

fn terms(field: &str, size: u32) -> Aggregation {
    let terms = TermsAggregation {
        field: field.to_owned(),
        size: Some(size),
        segment_size: Some(TERMS_PER_SEGMENT),
        ..TermsAggregation::default()
    };
    Aggregation { agg: AggregationVariants::Terms(terms), sub_aggregation: Aggregations::default() }
}

fn range(field: &str, bounds: impl Iterator<Item = (Option<i64>, Option<i64>)>) -> Aggregation {
    // Bounds are whole numbers of minor units or stars, exactly representable as f64.
    #[allow(clippy::cast_precision_loss)]
    let ranges = bounds
        .map(|(from, to)| RangeAggregationRange {
            key: Some(key(from)),
            from: from.map(|v| v as f64),
            to: to.map(|v| v as f64),
        })
        .collect();
    let range = RangeAggregation { field: field.to_owned(), ranges, keyed: false };
    Aggregation { agg: AggregationVariants::Range(range), sub_aggregation: Aggregations::default() }
}

pub(crate) fn parse(mut res: AggregationResults) -> Facets {
    let mut take = |name: &str| res.0.remove(name);
    let categories = term_counts(take(CATEGORIES));
    let brands = term_counts(take(BRANDS));
    let prices = range_counts(take(PRICE));
    let ratings = range_counts(take(RATING));
    let price = price_buckets()
        .into_iter()
        .map(|(from, to)| PriceBucket { from, to, count: prices.get(&key(from)).copied().unwrap_or(0) })
        .collect();
    let mut at_least = 0;
    let rating = RATING_FLOORS
        .iter()
        .map(|&n| {
            at_least += ratings.get(&key(Some(i64::from(n)))).copied().unwrap_or(0);
            (n, at_least)
        })
        .collect();
    Facets { categories, brands, price, rating }
}

fn term_counts(res: Option<AggregationResult>) -> Vec<(String, u64)> {
    let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) = res else {
        return Vec::new();
    };
    let mut counts: Vec<(String, u64)> = buckets
        .into_iter()
        .filter_map(|b| match b.key {
            Key::Str(key) => Some((key, b.doc_count)),
            _ => None,
        })
        .collect();
    // tantivy leaves the order of equal counts open; a stable order keeps facet lists from jumping.
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

fn range_counts(res: Option<AggregationResult>) -> HashMap<String, u64> {
    let Some(AggregationResult::BucketResult(BucketResult::Range { buckets })) = res else {
        return HashMap::new();
    };
    buckets
        .iter()
        .filter_map(|b| match &b.key {
            Key::Str(key) => Some((key.clone(), b.doc_count)),
            _ => None,
        })
        .collect()
}

/// Facets of a search that matched nothing, or of an empty index.
pub(crate) fn empty() -> Facets {
    parse(AggregationResults::default())
}
