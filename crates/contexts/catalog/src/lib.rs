//! The catalog context: products and their variants, categories, brands, images and reviews.
//!
//! Other contexts reach it through [`CatalogService`] and the [`CatalogFeed`] trait (the
//! search index reads through it), and through the events in [`events`]; the HTTP API is
//! [`router`].

pub mod domain;
pub mod dto;
pub mod events;
mod http;
mod service;
mod store;

pub use http::{media_get, router};
pub use service::{
    BulkProduct, BulkReview, BulkVariant, CatalogConfig, CatalogService, IndexEntry, IndexVariant, Taxonomy,
};
pub use service::{CatalogFeed, VariantInfo, VariantLookup};
pub use store::taxonomy::{BrandRow, CategoryRow};

/// The largest CSV import accepted, in bytes.
pub const IMPORT_BODY_LIMIT: usize = 32 * 1024 * 1024;

pub const MIGRATIONS: &[::store::Migration] = &[
    ::store::Migration {
        context: "catalog",
        version: 1,
        name: "catalog",
        sql: include_str!("../migrations/0001_catalog.sql"),
        postgres: None,
    },
    ::store::Migration {
        context: "catalog",
        version: 2,
        name: "sku_owners",
        sql: include_str!("../migrations/0002_sku_owners.sql"),
        postgres: None,
    },
];

/// The catalog context's problem codes, for the API reference.
pub const PROBLEMS: &[(&str, &str)] = &[
    ("product_not_found", "No such product, or not one the caller may see or change."),
    ("variant_not_found", "No such variant of this product."),
    ("category_not_found", "No such category."),
    ("brand_not_found", "No such brand."),
    ("unknown_category", "The product names a category that does not exist."),
    ("unknown_brand", "The product names a brand that does not exist."),
    ("currency_mismatch", "A price is in another currency than the store's."),
    ("slug_taken", "Another product has this slug."),
    ("sku_taken", "Another product has this SKU."),
    ("category_slug_taken", "Another category has this slug."),
    ("brand_slug_taken", "Another brand has this slug."),
    ("category_in_use", "Products or subcategories still use the category."),
    ("brand_in_use", "Products still use the brand."),
    ("options_in_use", "Existing variants use option values the change would remove."),
    ("last_variant", "A product keeps at least one variant."),
    ("image_limit", "The product has the most images it may have."),
    ("image_not_found", "No such image of this product."),
    ("image_too_large", "The upload is larger than allowed."),
    ("unsupported_image", "The upload is not a JPEG, PNG or WebP picture (checked by content), or is damaged."),
    ("image_dimensions", "The picture's width, height or pixel count is above the limit."),
    ("invalid_multipart", "The multipart body is malformed."),
    ("media_not_found", "No such file."),
    ("import_invalid", "The CSV has errors; `errors` names each line and column; nothing was imported."),
    ("review_exists", "The customer has reviewed this product; edit that review."),
    ("review_not_found", "No such review among the caller's."),
];
