//! The shipping context's contract: [`ShippingQuotes`] (what the cart estimates with and what
//! checkout prices delivery with), [`ShippingLabels`] (what fulfilment buys labels and
//! tracking numbers from), its plain request and answer types, the events it publishes
//! ([`events`]: carrier tracking updates), its error codes and its API-key scope. [`Parcel`]
//! and [`SellerShipping`] are the rules' own pure types.

pub mod events;

pub use crate::domain::{Parcel, SellerShipping};
use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;
use kernel::geo::Destination;
use kernel::{BoxFuture, Result};

/// Where the goods go and the parcels they make (one or more per seller; a seller's parcels
/// are merged before pricing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingRequest {
    pub destination: Destination,
    pub parcels: Vec<Parcel>,
}

/// What one method would charge for the whole request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingOption {
    pub method_id: String,
    pub code: String,
    pub name: String,
    /// The sum of `per_seller`, in minor units of the store's currency.
    pub amount: i64,
    /// One per distinct seller in the parcels, in first-seen order.
    pub per_seller: Vec<SellerShipping>,
    /// The delivery estimate, in days.
    pub min_days: i64,
    pub max_days: i64,
}

/// Prices delivery: what the cart and checkout call. Reads only.
pub trait ShippingQuotes: Send + Sync + 'static {
    /// Every active method of the zone serving the destination, cheapest first. 422
    /// `destination_not_served` when no zone serves it (or its zone has no active method);
    /// 422 `invalid_destination` for a malformed country.
    fn shipping_options<'a>(&'a self, request: &'a ShippingRequest) -> BoxFuture<'a, Result<Vec<ShippingOption>>>;
    /// One method by its code (e.g. "standard") for that destination; 422
    /// `unknown_shipping_method` when the serving zone has no such active method.
    fn shipping_quote<'a>(
        &'a self,
        request: &'a ShippingRequest,
        method_code: &'a str,
    ) -> BoxFuture<'a, Result<ShippingOption>>;
    /// The cheapest option to the configured default destination (`[shipping]
    /// default_country`, default "US"); 0 when nothing serves it or there are no parcels: the
    /// cart's estimate before an address is known.
    fn shipping_estimate<'a>(&'a self, parcels: &'a [Parcel]) -> BoxFuture<'a, Result<i64>>;
}

/// One address printed on a label, as lines (name first).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LabelAddress {
    pub name: String,
    /// Street, city with region and postal code, country: as they are printed.
    pub lines: Vec<String>,
}

/// A parcel to label: one seller's part of an order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LabelRequest {
    /// What the label is for (a fulfilment id): asking again answers the same label.
    pub reference: String,
    pub order_number: String,
    /// The shipping method's name, as the customer chose it ("Standard").
    pub method: String,
    pub from: LabelAddress,
    pub to: LabelAddress,
    pub weight_g: i64,
    pub items: i64,
}

/// A label bought (made, by the built-in provider) for a parcel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub carrier: String,
    pub tracking_number: String,
}

/// Labels and tracking numbers: what fulfilment calls when a seller ships a part.
pub trait ShippingLabels: Send + Sync + 'static {
    /// A label and a tracking number for the parcel; the same `reference` answers the same
    /// label.
    fn label_create<'a>(&'a self, request: &'a LabelRequest) -> BoxFuture<'a, Result<Label>>;
    /// The printable label (a PDF) of a tracking number `label_create` made; 404
    /// `label_not_found` otherwise.
    fn label_pdf<'a>(&'a self, tracking_number: &'a str) -> BoxFuture<'a, Result<Vec<u8>>>;
}

pub const SHIPPING_WRITE: Scope =
    Scope::new("shipping:write", Role::Admin, "Manage shipping zones, their methods and rate tables.");

pub const SCOPES: &[Scope] = &[SHIPPING_WRITE];

/// `invalid_destination` is also the tax context's, with the same kind and meaning.
pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("zone_not_found", NotFound, "No such shipping zone."),
    ErrorCode::new("method_not_found", NotFound, "No such shipping method."),
    ErrorCode::new("method_code_taken", Conflict, "The zone already has a shipping method with this code."),
    ErrorCode::new(
        "destination_not_served",
        Invalid,
        "No shipping zone with an active method serves the destination's country or region.",
    ),
    ErrorCode::new(
        "unknown_shipping_method",
        Invalid,
        "The zone serving the destination has no active shipping method with this code.",
    ),
    ErrorCode::new(
        "invalid_destination",
        Invalid,
        "The destination's country is not an ISO 3166-1 alpha-2 code (two letters).",
    ),
    ErrorCode::new("label_not_found", NotFound, "No label has this tracking number."),
    ErrorCode::new(
        "tracking_webhook_not_configured",
        NotFound,
        "No tracking webhook secret is configured for this provider (`[shipping.webhooks]`).",
    ),
    ErrorCode::new(
        "tracking_webhook_unauthorized",
        Unauthenticated,
        "The tracking webhook's secret is missing or wrong (`X-Webhook-Secret` or `?token=`).",
    ),
    ErrorCode::new(
        "tracking_payload_invalid",
        Invalid,
        "The tracking webhook's body is not an event in the provider's format; `errors` names each field.",
    ),
];
