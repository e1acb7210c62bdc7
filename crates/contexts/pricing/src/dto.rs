//! What the pricing API accepts and answers.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A promotion as created or replaced: every editable field at once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromotionInput {
    /// Shown to customers and in the dashboards; 1-200 characters.
    pub name: String,
    /// The code customers enter: 3-40 of `A-Z 0-9 - _`, case-insensitive (kept upper-case),
    /// unique over the platform. Absent or null for an automatic promotion.
    pub code: Option<String>,
    /// `percent`, `fixed` or `free_shipping`.
    pub kind: String,
    /// 1-100 for `percent`; minor units off (1-100000000) for `fixed`; absent or 0 for
    /// `free_shipping`.
    pub value: Option<i64>,
    /// `order` (default), `products` or `categories`.
    pub scope: Option<String>,
    /// Product or category ids (1-500) for the `products` and `categories` scopes; a category
    /// reaches the products filed under its sub-categories.
    #[serde(default)]
    pub targets: Vec<String>,
    /// The least the matching items must come to, in minor units (default 0).
    pub min_subtotal: Option<i64>,
    /// RFC 3339; the promotion applies from then (inclusive).
    pub starts_at: Option<String>,
    /// RFC 3339; the promotion stops applying then (exclusive); after `starts_at`.
    pub ends_at: Option<String>,
    /// Orders that may use it in all; null for no limit.
    pub usage_limit: Option<i64>,
    /// Orders one customer may use it in; null for no limit.
    pub per_customer_limit: Option<i64>,
    /// Whether it stacks with other combinable promotions (default true: one code plus the
    /// automatic promotions). A non-combinable one applies alone, when it saves more than the
    /// stack of combinable ones.
    pub combinable: Option<bool>,
    /// Default true.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PromotionDto {
    pub id: String,
    /// The seller whose lines it discounts; null for a platform-wide promotion.
    pub seller_id: Option<String>,
    pub name: String,
    pub code: Option<String>,
    pub kind: String,
    pub value: i64,
    pub scope: String,
    pub targets: Vec<String>,
    pub min_subtotal: i64,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub usage_limit: Option<i64>,
    /// Orders that used it so far.
    pub times_used: i64,
    pub per_customer_limit: Option<i64>,
    pub combinable: bool,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}
