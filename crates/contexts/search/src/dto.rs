//! What the product search API accepts and answers.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words to find in titles, descriptions, brands, categories and attributes (typos allowed).
    pub q: Option<String>,
    /// Category id or slug; its subcategories are included.
    pub category: Option<String>,
    /// Brand ids or slugs, comma-separated (any of them).
    pub brand: Option<String>,
    /// Seller id.
    pub seller: Option<String>,
    /// Lowest price, minor units, inclusive.
    #[param(minimum = 0)]
    pub price_min: Option<i64>,
    /// Highest price, minor units, inclusive.
    #[param(minimum = 0)]
    pub price_max: Option<i64>,
    /// Lowest average rating, 0–5.
    #[param(minimum = 0, maximum = 5)]
    pub rating_min: Option<f64>,
    /// `true`: only products with a variant in stock.
    pub in_stock: Option<bool>,
    /// Attribute filters, comma-separated `name:value` pairs, all required (e.g. `color:red,size:m`).
    #[param(pattern = r"^(?:[^,]*:[^,]*|\s*)(?:,(?:[^,]*:[^,]*|\s*))*$")]
    pub attr: Option<String>,
    /// `relevance` (default), `price_asc`, `price_desc`, `rating` or `newest`.
    #[param(pattern = "^(relevance|price_asc|price_desc|rating|newest)$")]
    pub sort: Option<String>,
    /// Add facet counts (categories, brands, price buckets, ratings).
    pub facets: Option<bool>,
    /// 1–100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = r"^o(?:[0-9]{1,4}|10000)$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductHit {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub brand: Option<String>,
    /// Cheapest variant, minor units.
    pub price_min: i64,
    pub price_max: i64,
    pub currency: String,
    pub rating: f64,
    pub review_count: i64,
    /// Small picture for listing cards.
    pub image: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceFacet {
    /// Inclusive lower bound, minor units; absent for the first bucket.
    pub from: Option<i64>,
    /// Exclusive upper bound; absent for the last bucket.
    pub to: Option<i64>,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RatingFacet {
    /// Products rated at least this many stars.
    pub min: u8,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetsDto {
    /// The subcategories of the filtered category (top-level categories without a filter).
    pub categories: Vec<FacetValue>,
    pub brands: Vec<FacetValue>,
    pub price: Vec<PriceFacet>,
    pub rating: Vec<RatingFacet>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<ProductHit>,
    /// Every match, not only this page.
    pub total: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<FacetsDto>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SuggestParams {
    /// What the customer has typed so far.
    pub q: String,
    /// 1–20, default 8.
    #[param(minimum = 1, maximum = 20)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestionDto {
    pub id: String,
    pub slug: String,
    pub title: String,
}
