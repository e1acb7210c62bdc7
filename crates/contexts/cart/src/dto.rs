//! What the cart's API accepts and answers. Amounts are integers in minor units (cents).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineAddInput {
    pub variant_id: String,
    /// A whole number from 1 to the per-line cap (99 unless configured).
    #[schema(value_type = i64, minimum = 1, maximum = 99)]
    pub quantity: Value,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineUpdateInput {
    /// A whole number from 1 to the per-line cap (99 unless configured).
    #[schema(value_type = i64, minimum = 1, maximum = 99)]
    pub quantity: Value,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeInput {
    pub code: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CartDto {
    /// Absent until the first item is added.
    pub id: Option<String>,
    /// A guest's cart token, given once when the cart is made: send it back as `X-Cart-Token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    pub currency: String,
    pub item_count: i64,
    pub lines: Vec<LineDto>,
    pub codes: Vec<CodeDto>,
    pub discounts: Vec<AppliedDiscountDto>,
    /// Lines that can be bought, at their current prices.
    pub subtotal: i64,
    pub discount_total: i64,
    /// Shipping estimate (0 until shipping rates exist).
    pub shipping: i64,
    pub shipping_discount: i64,
    /// Tax estimate (0 until tax rules exist).
    pub tax: i64,
    /// What checkout will charge for the lines that can be bought.
    pub total: i64,
    /// Off compare-at prices (sale prices).
    pub savings: i64,
    /// Every line can be bought as it stands.
    pub purchasable: bool,
    pub expires_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineDto {
    pub variant_id: String,
    pub product_id: Option<String>,
    pub sku: Option<String>,
    pub title: Option<String>,
    pub variant_title: Option<String>,
    pub slug: Option<String>,
    pub image: Option<String>,
    pub quantity: i64,
    pub unit_price: i64,
    /// The higher price it is on sale from, if any.
    pub compare_at_price: Option<i64>,
    pub subtotal: i64,
    pub discount: i64,
    pub total: i64,
    pub savings: i64,
    /// `ok`, or why it cannot be bought: `unavailable`, `out_of_stock`, `insufficient_stock`.
    pub status: String,
    pub available: i64,
    pub notices: Vec<NoticeDto>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeDto {
    /// `price_changed`: the price moved since the item was added.
    pub code: String,
    pub previous_price: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodeDto {
    pub code: String,
    pub applied: bool,
    /// Why the code takes nothing off now (e.g. the subtotal fell below its minimum).
    pub reason: Option<ReasonDto>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReasonDto {
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppliedDiscountDto {
    pub promotion_id: String,
    pub name: String,
    pub code: Option<String>,
    /// Off the lines.
    pub amount: i64,
    /// Off shipping.
    pub shipping_amount: i64,
}
