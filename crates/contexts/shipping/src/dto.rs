//! What the shipping API accepts and answers. Amounts are minor units of the store's currency.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The most a rate or a `free_over` threshold may be (a million in a two-decimal currency).
pub const MAX_AMOUNT: i64 = 100_000_000;
/// The most a parcel may weigh, in grams (a thousand tonnes: far past any parcel).
pub const MAX_WEIGHT_G: i64 = 1_000_000_000;
/// The most a parcel's goods may be worth.
pub const MAX_VALUE: i64 = 1_000_000_000_000;
pub const MAX_DAYS: i64 = 365;
pub const MAX_COUNTRIES: usize = 250;
pub const MAX_PARCELS: usize = 1000;

/// An ISO 3166-1 alpha-2 country code, any case (kept upper-case).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[schema(example = "DE", pattern = r"^\s*[A-Za-z]{2}\s*$")]
pub struct CountryCode(pub String);

/// A zone as created: the countries it serves, and for some of them only a few regions.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneInput {
    #[schema(pattern = r"\S", max_length = 100)]
    pub name: String,
    /// 1-250 distinct countries.
    #[schema(min_items = 1, max_items = 250)]
    pub countries: Vec<CountryCode>,
    /// Per country of `countries`, the regions (subdivision codes such as `AK`, 1-10 of
    /// `A-Z 0-9 -`) the zone serves; a country left out is served whole.
    #[serde(default)]
    pub regions: BTreeMap<String, Vec<String>>,
}

/// A zone's fields to change; those left out stay. New `countries` keep the regions given
/// before for the countries still listed, unless `regions` is given too.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneUpdate {
    #[schema(pattern = r"\S", max_length = 100)]
    pub name: Option<String>,
    #[schema(min_items = 1, max_items = 250)]
    pub countries: Option<Vec<CountryCode>>,
    pub regions: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ZoneDto {
    pub id: String,
    pub name: String,
    pub countries: Vec<String>,
    /// The countries served only in part, with the regions served.
    pub regions: BTreeMap<String, Vec<String>>,
    /// Its methods, oldest first, switched-off ones included.
    pub methods: Vec<ShippingMethodDto>,
    pub created_at: String,
    pub updated_at: String,
}

/// One row of a rate table.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingRate {
    /// From this weight (grams, `weight` basis) or value (minor units, `value` basis) up; 0
    /// for `flat`.
    #[schema(minimum = 0, maximum = 1000000000000_i64)]
    pub from: i64,
    /// Per seller's parcel.
    #[schema(minimum = 0, maximum = 100000000)]
    pub amount: i64,
}

/// A shipping method as created.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingMethodInput {
    /// Unique within the zone: 1-40 of `a-z 0-9 - _`, starting with a letter or digit.
    #[schema(pattern = r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    pub code: String,
    #[schema(pattern = r"\S", max_length = 100)]
    pub name: String,
    /// `flat`, `weight` or `value`.
    #[schema(pattern = r"^(flat|weight|value)$")]
    pub basis: String,
    /// 1-50 rows with distinct `from`, one of them from 0; a `flat` table is that one row. The
    /// row with the greatest `from` not above a parcel's measure prices it.
    #[schema(min_items = 1, max_items = 50)]
    pub rates: Vec<ShippingRate>,
    /// A parcel whose goods are worth at least this ships free; absent or null: never.
    #[schema(minimum = 0, maximum = 100000000)]
    pub free_over: Option<i64>,
    #[schema(minimum = 0, maximum = 365)]
    pub min_days: i64,
    /// At least `min_days`.
    #[schema(minimum = 0, maximum = 365)]
    pub max_days: i64,
    /// Default true.
    pub active: Option<bool>,
}

/// A method's fields to change; those left out stay. `free_over: null` removes the threshold.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingMethodUpdate {
    #[schema(pattern = r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    pub code: Option<String>,
    #[schema(pattern = r"\S", max_length = 100)]
    pub name: Option<String>,
    #[schema(pattern = r"^(flat|weight|value)$")]
    pub basis: Option<String>,
    #[schema(min_items = 1, max_items = 50)]
    pub rates: Option<Vec<ShippingRate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 100000000)]
    pub free_over: Option<Option<i64>>,
    #[schema(minimum = 0, maximum = 365)]
    pub min_days: Option<i64>,
    #[schema(minimum = 0, maximum = 365)]
    pub max_days: Option<i64>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShippingMethodDto {
    pub id: String,
    pub zone_id: String,
    pub code: String,
    pub name: String,
    pub basis: String,
    pub rates: Vec<ShippingRate>,
    pub free_over: Option<i64>,
    pub min_days: i64,
    pub max_days: i64,
    pub active: bool,
    /// The store's currency, which every amount is in.
    pub currency: String,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingDestination {
    #[schema(example = "US", pattern = r"^\s*[A-Za-z]{2}\s*$")]
    pub country: String,
    /// The subdivision code (`CA`, `BY`), any case.
    #[schema(max_length = 100)]
    pub region: Option<String>,
    #[schema(max_length = 32)]
    pub postal_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParcelInput {
    /// Parcels of the same seller ship together and are priced as one.
    #[schema(max_length = 100)]
    pub seller_id: String,
    #[schema(minimum = 0, maximum = 1000000000)]
    pub weight_g: i64,
    /// The goods after discounts, in minor units.
    #[schema(minimum = 0, maximum = 1000000000000_i64)]
    pub value: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShippingQuoteInput {
    pub destination: ShippingDestination,
    #[schema(max_items = 1000)]
    pub parcels: Vec<ParcelInput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShippingQuoteDto {
    pub currency: String,
    /// Cheapest first.
    pub options: Vec<ShippingOptionDto>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShippingOptionDto {
    pub method_id: String,
    pub code: String,
    pub name: String,
    /// The sum of `per_seller`.
    pub amount: i64,
    /// One per seller, in the order the parcels named them.
    pub per_seller: Vec<SellerShippingDto>,
    pub min_days: i64,
    pub max_days: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SellerShippingDto {
    pub seller_id: String,
    pub amount: i64,
}

/// The answer to a carrier's tracking webhook delivery.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackingAck {
    /// The provider's event id was recorded before; nothing changed.
    pub duplicate: bool,
    /// The delivery held nothing to record (Shippo's `UNKNOWN` status, or an event other than
    /// `track_updated`); it is acknowledged so that the provider does not retry it.
    pub ignored: bool,
}

/// The query of a tracking webhook delivery.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrackingWebhookQuery {
    /// The provider's webhook secret, for providers that can only put it in the URL (Shippo's
    /// `?token=`); others send `X-Webhook-Secret: <secret>`.
    pub token: Option<String>,
}

/// A field that may be left out (outer `None`) or set to null (inner `None`).
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
