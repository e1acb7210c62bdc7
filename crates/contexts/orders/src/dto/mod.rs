//! The HTTP shapes of orders and checkout; their parts' and returns' in [`fulfilment`] and
//! [`returns`].

mod fulfilment;
mod returns;

pub use fulfilment::*;
pub use returns::*;

use crate::domain::{OrderState, ShipmentProgress};
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where the order goes. Also what the order keeps, as it was given.
// Named apart in the API document: the users context has an `AddressInput` of its own.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[schema(as = OrderAddressInput)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    /// Recipient.
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 100)]
    pub name: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 200)]
    pub line1: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 200)]
    pub line2: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 100)]
    pub city: String,
    /// State, province or county code where the country has them (`CA`, `BY`).
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 100)]
    pub region: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 16)]
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code.
    #[schema(example = "US", pattern = r"^\s*[A-Za-z]{2}\s*$")]
    pub country: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 32)]
    pub phone: Option<String>,
}

/// Check out the caller's cart. The client sends the total it showed, so that prices that
/// moved meanwhile are a 409 with the new figures, never a surprise charge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutInput {
    /// Where the order goes (a guest's confirmation goes to `email`).
    pub address: AddressInput,
    /// Required for a guest; a signed-in customer's account address is used when left out.
    #[schema(max_length = 254, pattern = r"^[^\s@]+@[^\s@]+\.[^\s@]+$")]
    pub email: Option<String>,
    /// A method code from `POST /checkout/quote` (e.g. `standard`).
    #[schema(max_length = 64, pattern = r"^[a-z0-9][a-z0-9_-]*$")]
    pub shipping_method: String,
    /// The payment provider's token for the customer's method (sandbox: `tok_sandbox_ok`…).
    /// Never a card number. `POST /orders` takes none: the order then waits for `POST /payments`.
    #[schema(max_length = 255, pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$")]
    pub payment_token: Option<String>,
    /// The total the customer was shown, in minor units.
    #[schema(minimum = 0)]
    pub expected_total: i64,
}

/// What a checkout would cost: the shipping methods for an address and, with one chosen, the
/// totals with tax.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteInput {
    pub address: AddressInput,
    #[schema(max_length = 64, pattern = r"^[a-z0-9][a-z0-9_-]*$")]
    pub shipping_method: Option<String>,
}

/// A shipping method a checkout quote offers, with what it costs this cart.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteOptionDto {
    pub code: String,
    pub name: String,
    pub amount: i64,
    pub min_days: i64,
    pub max_days: i64,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq, Clone)]
pub struct TotalsDto {
    pub currency: String,
    pub subtotal: i64,
    pub discount_total: i64,
    pub shipping: i64,
    pub shipping_discount: i64,
    /// All the tax in the order (part of the prices where they include it).
    pub tax_total: i64,
    /// The tax charged on top of the prices (0 where prices include it).
    pub tax_added: i64,
    pub tax_inclusive: bool,
    /// What the order charges: subtotal − discounts + shipping − shipping discount + added tax.
    pub total: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteDto {
    /// Every method that serves the address, cheapest first.
    pub shipping_options: Vec<QuoteOptionDto>,
    /// With a method chosen: what checkout will charge (send `total` as `expected_total`).
    pub totals: Option<TotalsDto>,
    /// Lines that cannot be bought as they stand, and why.
    pub problems: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLineDto {
    /// The line's place in the order (what a return names).
    pub position: i64,
    pub variant_id: String,
    pub product_id: String,
    pub sku: String,
    pub seller_id: String,
    pub title: String,
    pub variant_title: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub discount: i64,
    pub tax: i64,
    pub total: i64,
    /// Units in returns (asked for, approved or refunded).
    pub returned_units: i64,
}

// Named apart in the API document: payments has a `TransitionDto` of its own.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = OrderTransitionDto)]
pub struct TransitionDto {
    pub from: Option<OrderState>,
    pub to: OrderState,
    pub actor: String,
    pub reason: Option<String>,
    pub at: Timestamp,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPaymentDto {
    pub id: String,
    /// The payment's state (`authorized`, `captured`, `requires_action`…).
    pub state: String,
    pub captured: i64,
    pub refunded: i64,
    /// What the customer must do to finish paying, when the order waits for it.
    pub next_action: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShippingDto {
    pub method: String,
    pub name: String,
    pub min_days: i64,
    pub max_days: i64,
}

/// An order as it was bought, with where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDto {
    pub id: String,
    /// What the customer quotes (`OX-12345-67890`).
    pub number: String,
    pub state: OrderState,
    pub customer_id: String,
    pub guest: bool,
    pub email: String,
    pub totals: TotalsDto,
    pub lines: Vec<OrderLineDto>,
    pub address: AddressInput,
    pub shipping: ShippingDto,
    pub payment: Option<OrderPaymentDto>,
    /// Why it was cancelled, as a stable code, when it was.
    pub cancel_code: Option<String>,
    /// How far the sellers' parts have got ("partly shipped").
    pub shipment: ShipmentProgress,
    /// One per seller, once the order is confirmed.
    pub shipments: Vec<ShipmentDto>,
    pub returns: Vec<ReturnDto>,
    pub history: Vec<TransitionDto>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One order in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderSummaryDto {
    pub id: String,
    pub number: String,
    pub state: OrderState,
    pub email: String,
    pub total: i64,
    pub currency: String,
    pub items: i64,
    pub created_at: Timestamp,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
    /// Only orders in this state.
    pub state: Option<OrderState>,
    /// Admin: an order number or a customer's e-mail address.
    #[param(max_length = 254)]
    pub q: Option<String>,
}

/// A guest's way to their order: its number and the e-mail address it was placed with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupInput {
    #[schema(max_length = 32, example = "OX-12345-67890")]
    pub number: String,
    #[schema(max_length = 254)]
    pub email: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    /// Why, for the order's history (at most 500 characters).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: String,
}
