//! The catalog's contract: what other contexts may call ([`VariantLookup`] for buyers'
//! contexts, [`CatalogFeed`] for the search index), the events it publishes ([`events`]), its
//! error codes and its API-key scopes. The types here are not the HTTP DTOs: the public JSON
//! and this contract change apart.

pub mod events;

pub use crate::service::Taxonomy;
use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;
use kernel::{BoxFuture, Result};
use std::sync::Arc;

/// One variant with what a buyer-facing context needs of its product.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantInfo {
    pub variant_id: String,
    pub product_id: String,
    pub seller_id: String,
    pub sku: String,
    pub slug: String,
    pub product_title: String,
    pub variant_title: String,
    pub price: i64,
    pub compare_at: Option<i64>,
    pub currency: String,
    /// Shipping weight of one unit, when the seller gave it.
    pub weight_g: Option<i64>,
    /// The product's category and its ancestors, root first; empty when it has none.
    pub category_path: Vec<String>,
    /// The product is active and its seller approved.
    pub sellable: bool,
    pub image: Option<String>,
}

/// Whether a customer bought a product: what marks a review as a verified purchase. The
/// orders context answers it; it is handed to the catalog once built
/// (`CatalogService::purchases_set`), since orders reads the catalog too.
pub trait Purchases: Send + Sync + 'static {
    /// True when `customer` has a delivered order line of `product`.
    fn purchased<'a>(&'a self, customer: &'a str, product: &'a str) -> BoxFuture<'a, Result<bool>>;
}

pub trait VariantLookup: Send + Sync + 'static {
    /// The variants among `ids` that exist (sellable or not); unknown ids are left out.
    fn variants_by_id<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<VariantInfo>>>;
    /// The same by SKU (case-insensitive: SKUs are stored upper-case).
    fn variants_by_sku<'a>(&'a self, skus: &'a [String]) -> BoxFuture<'a, Result<Vec<VariantInfo>>>;
}

/// One visible product, flattened for indexing.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexEntry {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub brand_id: Option<String>,
    pub brand_name: Option<String>,
    pub category_id: Option<String>,
    /// Ids from the root down to the product's category.
    pub category_path: Vec<String>,
    pub category_names: Vec<String>,
    pub seller_id: String,
    /// `(name, value)` from the attributes document and the variants' option values; names
    /// lower-case.
    pub attributes: Vec<(String, String)>,
    pub variants: Vec<IndexVariant>,
    pub price_min: i64,
    pub price_max: i64,
    pub currency: String,
    pub rating_avg: f64,
    pub rating_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexVariant {
    pub id: String,
    pub sku: String,
}

/// The catalog as the search context sees it.
pub trait CatalogFeed: Send + Sync + 'static {
    /// The visible products among `ids` (the others are to be removed from an index).
    fn entries<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<IndexEntry>>>;
    /// Visible products after `after` (by id), for a full rebuild.
    fn entries_after<'a>(&'a self, after: &'a str, limit: i64) -> BoxFuture<'a, Result<Vec<IndexEntry>>>;
    /// `(id, updated_at)` of products changed at or after `since` (microseconds), oldest first.
    fn changed_since(&self, since: i64, limit: i64) -> BoxFuture<'_, Result<Vec<(String, i64)>>>;
    /// Products under a category (with its subcategories), of a brand, or of a seller.
    fn products_under<'a>(&'a self, kind: &'a str, id: &'a str) -> BoxFuture<'a, Result<Vec<String>>>;
    /// The products that have a variant with one of these SKUs.
    fn products_with_skus<'a>(&'a self, skus: &'a [String]) -> BoxFuture<'a, Result<Vec<String>>>;
    /// Categories and brands, to name facets and resolve filters.
    fn taxonomy(&self) -> BoxFuture<'_, Result<Arc<Taxonomy>>>;
}

pub const CATALOG_WRITE: Scope = Scope::new(
    "catalog:write",
    Role::Seller,
    "Write products, variants, images and imports of the caller's store (admin: any).",
);
pub const REVIEWS_WRITE: Scope = Scope::new("reviews:write", Role::Customer, "Write reviews as the caller.");
pub const TAXONOMY_WRITE: Scope =
    Scope::new("taxonomy:write", Role::Admin, "Keep the category tree and the brands (admin).");
pub const REVIEWS_MODERATE: Scope = Scope::new("reviews:moderate", Role::Admin, "Hide and show reviews (admin).");

pub const SCOPES: &[Scope] = &[CATALOG_WRITE, REVIEWS_WRITE, TAXONOMY_WRITE, REVIEWS_MODERATE];

/// Every error code the catalog context answers, with its kind and meaning.
pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("product_not_found", NotFound, "No such product, or not one the caller may see or change."),
    ErrorCode::new("variant_not_found", NotFound, "No such variant of this product."),
    ErrorCode::new("category_not_found", NotFound, "No such category."),
    ErrorCode::new("brand_not_found", NotFound, "No such brand."),
    ErrorCode::new("unknown_category", Invalid, "The product names a category that does not exist."),
    ErrorCode::new("unknown_brand", Invalid, "The product names a brand that does not exist."),
    ErrorCode::new("currency_mismatch", Invalid, "A price is in another currency than the store's."),
    ErrorCode::new("slug_taken", Conflict, "Another product has this slug."),
    ErrorCode::new("sku_taken", Conflict, "Another product has this SKU."),
    ErrorCode::new("category_slug_taken", Conflict, "Another category has this slug."),
    ErrorCode::new("brand_slug_taken", Conflict, "Another brand has this slug."),
    ErrorCode::new("category_in_use", Conflict, "Products or subcategories still use the category."),
    ErrorCode::new("brand_in_use", Conflict, "Products still use the brand."),
    ErrorCode::new("options_in_use", Conflict, "Existing variants use option values the change would remove."),
    ErrorCode::new("last_variant", Conflict, "A product keeps at least one variant."),
    ErrorCode::new("image_limit", Conflict, "The product has the most images it may have."),
    ErrorCode::new("image_not_found", NotFound, "No such image of this product."),
    ErrorCode::new("image_too_large", PayloadTooLarge, "The upload is larger than allowed."),
    ErrorCode::new(
        "unsupported_image",
        Invalid,
        "The upload is not a JPEG, PNG or WebP picture (checked by content), or is damaged.",
    ),
    ErrorCode::new("image_dimensions", Invalid, "The picture's width, height or pixel count is above the limit."),
    ErrorCode::new("invalid_multipart", BadRequest, "The multipart body is malformed."),
    ErrorCode::new("media_not_found", NotFound, "No such file."),
    ErrorCode::new(
        "import_invalid",
        Invalid,
        "The CSV has errors; `errors` names each line and column; nothing was imported.",
    ),
    ErrorCode::new("review_exists", Conflict, "The customer has reviewed this product; edit that review."),
    ErrorCode::new("review_not_found", NotFound, "No such review among the caller's."),
];
