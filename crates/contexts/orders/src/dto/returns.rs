//! The HTTP shapes of returns and their refunds.

use crate::domain::ReturnState;
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Lines to send back, how many of each, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnInput {
    #[schema(min_items = 1, max_items = 100)]
    pub lines: Vec<ReturnLineInput>,
    /// Why (at most 500 characters).
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLineInput {
    /// The order line's `position`.
    #[schema(minimum = 0)]
    pub position: i64,
    #[schema(minimum = 1)]
    pub quantity: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnLineDto {
    pub position: i64,
    pub sku: String,
    pub title: String,
    pub quantity: i64,
    /// This line's share of the refund (docs/returns.md).
    pub amount: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnTransitionDto {
    pub from: Option<ReturnState>,
    pub to: ReturnState,
    pub actor: String,
    pub note: Option<String>,
    pub at: Timestamp,
}

/// A return of one seller's lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnDto {
    pub id: String,
    pub order_id: String,
    pub number: String,
    pub seller_id: String,
    pub fulfilment_id: String,
    pub state: ReturnState,
    pub reason: String,
    pub lines: Vec<ReturnLineDto>,
    /// What the lines give back, and the shipping when this return gives it back.
    pub lines_amount: i64,
    pub shipping_amount: i64,
    /// What the approver granted (the two above unless they gave less).
    pub refund_amount: Option<i64>,
    /// What went back to the customer's payment method.
    pub refunded: i64,
    pub currency: String,
    pub decision_note: Option<String>,
    pub restock: bool,
    pub location_id: Option<String>,
    /// Why the refund has not gone through yet, when it has not (it is tried again).
    pub refund_error: Option<String>,
    pub history: Vec<ReturnTransitionDto>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The returns one request made: one per seller whose lines it names.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnsDto {
    pub returns: Vec<ReturnDto>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReturnQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
    pub state: Option<ReturnState>,
    #[param(max_length = 40)]
    pub order_id: Option<String>,
    /// Admin: only the returns of this seller's lines.
    #[param(max_length = 40)]
    pub seller_id: Option<String>,
}

/// Approve a requested return, for all it asks or less.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveInput {
    /// Give back less than the lines' share (damaged goods, say); at most `lines_amount +
    /// shipping_amount`.
    #[schema(minimum = 0)]
    pub amount: Option<i64>,
    /// Give the shipping back with this return, before the order's last unit comes back.
    #[serde(default)]
    pub refund_shipping: bool,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectInput {
    /// Why, for the customer (1 to 500 characters).
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// The goods arrived back: put them on the shelf, or not (damaged), and refund.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiveInput {
    #[serde(default)]
    pub restock: bool,
    /// Where they go back (the seller's location); the one they were sold from when left out.
    #[schema(max_length = 40)]
    pub location_id: Option<String>,
}
