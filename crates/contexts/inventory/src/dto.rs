//! What the inventory's API accepts and answers.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    #[schema(pattern = r"\S", max_length = 100)]
    pub name: String,
    /// Whether its stock can be sold (default true).
    pub active: Option<bool>,
    /// The owning seller; admins only (a seller's locations are their own).
    pub seller_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LocationDto {
    pub id: String,
    pub seller_id: String,
    pub name: String,
    pub active: bool,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LevelDto {
    pub sku: String,
    pub location_id: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LevelFilter {
    pub sku: Option<String>,
    pub location_id: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[A-Za-z0-9._/-]{1,64}~loc_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
}

/// A SKU's stock over all locations, and its settings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemDto {
    pub sku: String,
    pub seller_id: String,
    pub on_hand: i64,
    pub reserved: i64,
    /// Sellable now, over active locations.
    pub available: i64,
    pub low_stock_threshold: Option<i64>,
    pub reorder_point: Option<i64>,
    pub reorder_quantity: Option<i64>,
    pub low_stock: bool,
    pub levels: Vec<LevelDto>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemSettingsInput {
    /// Raise a low-stock alert when available stock falls to this or below; null turns it off.
    pub low_stock_threshold: Option<i64>,
    /// Suggest a reorder when available stock is at or below this; null turns it off.
    pub reorder_point: Option<i64>,
    /// How much to reorder.
    pub reorder_quantity: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentInput {
    pub sku: String,
    pub location_id: String,
    /// `received`, `returned`, `damaged` (take `quantity`) or `corrected` (takes `counted`).
    pub kind: String,
    pub quantity: Option<i64>,
    /// For `corrected`: the on-hand count found.
    pub counted: Option<i64>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdjustmentDto {
    pub id: String,
    pub sku: String,
    pub location_id: String,
    pub kind: String,
    pub delta: i64,
    pub on_hand_after: i64,
    pub reason: String,
    pub actor_id: Option<String>,
    /// The reservation a sale came from.
    pub reference: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryFilter {
    pub sku: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertFilter {
    /// Only alerts not yet resolved (default true).
    pub open: Option<bool>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertDto {
    pub id: String,
    pub sku: String,
    pub available: i64,
    pub threshold: i64,
    pub created_at: String,
    pub resolved_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReorderSuggestionDto {
    pub sku: String,
    pub available: i64,
    pub on_hand: i64,
    pub reorder_point: i64,
    /// `reorder_quantity`, or enough to get back above the reorder point if that is more.
    pub suggested_quantity: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservationInput {
    /// What the hold is for, e.g. an order id; a second request with the same reference
    /// answers the first hold.
    pub reference: String,
    pub lines: Vec<ReservationLineInput>,
    /// How long to hold the stock (default: the configured reservation TTL).
    pub ttl_secs: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReservationLineInput {
    pub sku: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReservationDto {
    pub id: String,
    pub reference: String,
    /// `active`, `released`, `expired` or `committed`.
    pub state: String,
    pub expires_at: String,
    pub lines: Vec<ReservedLineDto>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReservedLineDto {
    pub sku: String,
    pub location_id: String,
    pub quantity: i64,
}
