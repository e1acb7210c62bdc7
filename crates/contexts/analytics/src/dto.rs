//! What the analytics API accepts and answers.

use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrainDto {
    Hour,
    #[default]
    Day,
}

#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SalesQuery {
    /// Bucket size (default `day`).
    pub grain: Option<GrainDto>,
    /// From this time (RFC 3339; its bucket included). Default: 30 days (by the day) or 48
    /// hours (by the hour) before `until`.
    #[param(format = DateTime)]
    pub since: Option<String>,
    /// Up to this time (RFC 3339, exclusive). Default: the end of the current bucket.
    #[param(format = DateTime)]
    pub until: Option<String>,
    /// Admins: one seller's sales instead of the shop's. Sellers always see their own.
    #[param(max_length = 40)]
    pub seller_id: Option<String>,
}

/// One bucket of sales.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SalesBucketDto {
    pub start: Timestamp,
    pub orders: i64,
    pub units: i64,
    /// Minor units of `currency`.
    pub revenue: i64,
    pub cancelled: i64,
    pub refunded: i64,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SalesTotalsDto {
    pub orders: i64,
    pub units: i64,
    pub revenue: i64,
    pub cancelled: i64,
    pub refunded: i64,
    /// `revenue / orders`, rounded half up to the minor unit; 0 without orders.
    pub average_order_value: i64,
}

/// A product's sales over the range.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductSalesDto {
    pub product_id: String,
    pub units: i64,
    pub revenue: i64,
}

/// Sales over a range, bucket by bucket (empty buckets included, so a chart has every one).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SalesReportDto {
    pub grain: GrainDto,
    pub currency: String,
    /// Whose sales: absent for the whole shop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_id: Option<String>,
    pub since: Timestamp,
    pub until: Timestamp,
    pub buckets: Vec<SalesBucketDto>,
    pub totals: SalesTotalsDto,
    /// A seller's ten best products over the range by revenue (only in a seller's report).
    pub products: Vec<ProductSalesDto>,
}
