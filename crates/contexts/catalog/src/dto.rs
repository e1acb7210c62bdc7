//! What the catalog's API accepts and answers. Prices are integers in minor units (cents).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    #[schema(
        pattern = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b-\x1f\x7f-\x9f]*$",
        max_length = 100
    )]
    pub name: String,
    /// Made from the name when absent.
    #[schema(pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length = 120)]
    pub slug: Option<String>,
    pub parent_id: Option<String>,
    #[schema(pattern = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$", max_length = 2000)]
    pub description: Option<String>,
    pub position: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryRef {
    pub id: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryDto {
    pub id: String,
    pub parent_id: Option<String>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i64,
    /// From the root down to this category.
    pub breadcrumbs: Vec<CategoryRef>,
    pub children: Vec<CategoryRef>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandInput {
    #[schema(
        pattern = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b-\x1f\x7f-\x9f]*$",
        max_length = 100
    )]
    pub name: String,
    #[schema(pattern = r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length = 120)]
    pub slug: Option<String>,
    #[schema(pattern = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$", max_length = 2000)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrandDto {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductOption {
    /// For example `Size` or `Colour`.
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantInput {
    pub sku: String,
    pub title: Option<String>,
    /// One value for each of the product's options, e.g. `{"Size": "M"}`.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// Minor units (cents), an integer.
    pub price: i64,
    /// The former price, shown struck through when above `price`.
    pub compare_at_price: Option<i64>,
    /// Must be the store's currency when given.
    pub currency: Option<String>,
    pub weight_g: Option<i64>,
    pub length_mm: Option<i64>,
    pub width_mm: Option<i64>,
    pub height_mm: Option<i64>,
    pub barcode: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductCreate {
    pub title: String,
    /// Made from the title when absent.
    pub slug: Option<String>,
    pub description: Option<String>,
    pub brand_id: Option<String>,
    pub category_id: Option<String>,
    /// `draft` (default), `active` or `archived`.
    pub status: Option<String>,
    /// Free-form attributes: an object of strings, numbers, booleans or lists of them.
    #[schema(value_type = Object)]
    pub attributes: Option<Value>,
    #[serde(default)]
    pub options: Vec<ProductOption>,
    /// At least one.
    pub variants: Vec<VariantInput>,
    /// Admins only: the seller the product belongs to.
    pub seller_id: Option<String>,
}

/// Fields left out stay as they are; an empty `brand_id` or `category_id` removes it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductUpdate {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub brand_id: Option<String>,
    pub category_id: Option<String>,
    pub status: Option<String>,
    #[schema(value_type = Object)]
    pub attributes: Option<Value>,
    pub options: Option<Vec<ProductOption>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VariantDto {
    pub id: String,
    pub sku: String,
    pub title: String,
    pub options: BTreeMap<String, String>,
    pub price: i64,
    pub compare_at_price: Option<i64>,
    pub currency: String,
    /// True when `compare_at_price` is above `price`.
    pub on_sale: bool,
    pub weight_g: Option<i64>,
    pub length_mm: Option<i64>,
    pub width_mm: Option<i64>,
    pub height_mm: Option<i64>,
    pub barcode: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImageDto {
    pub id: String,
    /// The picture as uploaded.
    pub url: String,
    /// At most 600 px on the longer side (JPEG).
    pub medium_url: String,
    /// At most 200 px on the longer side (JPEG).
    pub thumbnail_url: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub position: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RatingSummary {
    /// 0 when there is no review; one decimal.
    pub average: f64,
    pub count: i64,
    /// Reviews with 1, 2, 3, 4 and 5 stars.
    pub histogram: [i64; 5],
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceRange {
    pub min: i64,
    pub max: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductDto {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub status: String,
    pub seller_id: String,
    pub brand: Option<BrandDto>,
    pub category: Option<CategoryRef>,
    /// The category path from the root, for navigation.
    pub breadcrumbs: Vec<CategoryRef>,
    #[schema(value_type = Object)]
    pub attributes: Value,
    pub options: Vec<ProductOption>,
    pub variants: Vec<VariantDto>,
    pub images: Vec<ImageDto>,
    pub price: PriceRange,
    pub rating: RatingSummary,
    pub created_at: kernel::time::Timestamp,
    pub updated_at: kernel::time::Timestamp,
}

/// A line of a seller's product list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductSummary {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub seller_id: String,
    pub variant_count: i64,
    pub price: PriceRange,
    pub updated_at: kernel::time::Timestamp,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SellerProductQuery {
    /// `draft`, `active` or `archived`.
    #[param(pattern = "^(draft|active|archived)$")]
    pub status: Option<String>,
    /// Admins only: another seller's products.
    pub seller_id: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageOrder {
    /// Every image id of the product, in the wanted order.
    pub image_ids: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// 1 to 5 stars.
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i64,
    #[schema(pattern = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$", max_length = 200)]
    pub title: Option<String>,
    #[schema(pattern = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$", max_length = 5000)]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewDto {
    pub id: String,
    pub product_id: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    /// Set once orders exist and the reviewer bought the product.
    pub verified_purchase: bool,
    /// True for the caller's own review.
    pub mine: bool,
    /// Only admins see hidden reviews.
    pub hidden: bool,
    pub created_at: kernel::time::Timestamp,
    pub updated_at: kernel::time::Timestamp,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub products_created: usize,
    pub products_updated: usize,
    pub variants_written: usize,
}
