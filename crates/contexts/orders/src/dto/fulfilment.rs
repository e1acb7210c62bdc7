//! The HTTP shapes of sellers' parts of orders and their tracking.

use crate::domain::FulfilmentState;
use crate::dto::AddressInput;
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A line of a seller's part, as the seller packs it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartLineDto {
    /// The line's place in the order (what a return names).
    pub position: i64,
    pub variant_id: String,
    pub sku: String,
    pub title: String,
    pub variant_title: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub total: i64,
    pub weight_g: i64,
}

/// What a carrier (or the seller) reported about a shipped part.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackingEventDto {
    /// `pre_transit`, `in_transit`, `out_for_delivery`, `delivered`, `exception`, `returned`.
    pub status: String,
    pub detail: String,
    pub location: Option<String>,
    /// `seller`, or the carrier webhook's provider.
    pub source: String,
    pub occurred_at: Timestamp,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartTransitionDto {
    pub from: Option<FulfilmentState>,
    pub to: FulfilmentState,
    pub actor: String,
    pub note: Option<String>,
    pub at: Timestamp,
}

/// One seller's part of an order: what the seller ships and where.
#[derive(Debug, Serialize, ToSchema)]
pub struct FulfilmentDto {
    pub id: String,
    pub order_id: String,
    /// The order's number, as the customer quotes it.
    pub number: String,
    pub seller_id: String,
    pub state: FulfilmentState,
    /// Only this seller's lines.
    pub lines: Vec<PartLineDto>,
    pub address: AddressInput,
    /// The shipping method the customer chose.
    pub shipping_method: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// Where the printable label is, when the built-in provider made it.
    pub label_url: Option<String>,
    pub tracking: Vec<TrackingEventDto>,
    pub history: Vec<PartTransitionDto>,
    pub shipped_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One part in a seller's list of orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct FulfilmentSummaryDto {
    pub id: String,
    pub order_id: String,
    pub number: String,
    pub state: FulfilmentState,
    /// Units of this seller's lines.
    pub items: i64,
    /// This seller's lines' total (after discounts, before tax added on top).
    pub total: i64,
    /// Who it goes to, and the country.
    pub ship_to: String,
    pub country: String,
    pub tracking_number: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FulfilmentQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
    /// Only parts in this state.
    pub state: Option<FulfilmentState>,
    /// Only the parts of this order (by its id).
    #[param(max_length = 40)]
    pub order_id: Option<String>,
    /// Admin: only this seller's parts.
    #[param(max_length = 40)]
    pub seller_id: Option<String>,
}

/// Moves a part on: `processing`, `packed`, then (after `ship`) `in_transit`,
/// `out_for_delivery`, `delivered`, as the seller learns of them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartMoveInput {
    pub state: FulfilmentState,
    /// For the part's history (at most 500 characters).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

/// Ships a packed part: with the carrier's tracking number, or with a label (and tracking
/// number) made by the built-in provider.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipInput {
    /// Make a label with the built-in provider (leave `carrier` and `tracking_number` out).
    #[serde(default)]
    pub label: bool,
    #[schema(max_length = 64)]
    pub carrier: Option<String>,
    /// Letters, digits, spaces and dashes, 4 to 40.
    #[schema(max_length = 40, pattern = r"^[A-Za-z0-9][A-Za-z0-9 -]{2,38}[A-Za-z0-9]$")]
    pub tracking_number: Option<String>,
}

/// A part of an order as its customer follows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentDto {
    pub id: String,
    pub seller_id: String,
    pub state: FulfilmentState,
    /// The order lines (their positions) in this part.
    pub positions: Vec<i64>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub tracking: Vec<TrackingEventDto>,
    pub shipped_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
}
