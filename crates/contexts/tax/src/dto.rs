//! What the tax API accepts and answers. Amounts are minor units of the store's currency.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

/// The most one amount to tax may be (ten billion in a two-decimal currency).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;
pub const MAX_LINES: usize = 1000;

/// A rule as created.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRuleInput {
    /// Shown on receipts, e.g. "California sales tax".
    #[schema(pattern = r"\S", max_length = 100)]
    pub name: String,
    /// ISO 3166-1 alpha-2, any case (kept upper-case).
    #[schema(example = "US", pattern = r"^\s*[A-Za-z]{2}\s*$")]
    pub country: String,
    /// The subdivision code (`CA`), any case; absent or null for the whole country. A region's
    /// rule wins over its country's.
    #[schema(example = "CA", pattern = r"^\s*[A-Za-z0-9-]{1,10}\s*$")]
    pub region: Option<String>,
    /// Basis points: 1900 is 19 %, 725 is 7.25 %.
    #[schema(minimum = 0, maximum = 10000)]
    pub rate_bps: i64,
    /// True when prices contain the tax (EU VAT); false when it is added on top (US sales tax).
    pub inclusive: bool,
    /// Whether shipping is taxed at the same rate (default false).
    pub shipping_taxed: Option<bool>,
}

/// A rule's fields to change; those left out stay. `region: null` makes it country-wide.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRuleUpdate {
    #[schema(pattern = r"\S", max_length = 100)]
    pub name: Option<String>,
    #[schema(example = "US", pattern = r"^\s*[A-Za-z]{2}\s*$")]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, example = "CA", pattern = r"^\s*[A-Za-z0-9-]{1,10}\s*$")]
    pub region: Option<Option<String>>,
    #[schema(minimum = 0, maximum = 10000)]
    pub rate_bps: Option<i64>,
    pub inclusive: Option<bool>,
    pub shipping_taxed: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaxRuleDto {
    pub id: String,
    pub name: String,
    pub country: String,
    pub region: Option<String>,
    pub rate_bps: i64,
    pub inclusive: bool,
    pub shipping_taxed: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxDestination {
    #[schema(example = "DE", pattern = r"^\s*[A-Za-z]{2}\s*$")]
    pub country: String,
    /// The subdivision code (`CA`, `BY`), any case.
    #[schema(max_length = 100)]
    pub region: Option<String>,
    #[schema(max_length = 32)]
    pub postal_code: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxLineInput {
    /// The caller's id for the line, given back with its tax.
    #[schema(max_length = 100)]
    pub key: String,
    /// The line's price after discounts.
    #[schema(minimum = 0, maximum = 1000000000000_i64)]
    pub amount: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxQuoteInput {
    pub destination: TaxDestination,
    #[schema(max_items = 1000)]
    pub lines: Vec<TaxLineInput>,
    /// Shipping after its discount (default 0).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000000000000_i64)]
    pub shipping: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaxQuoteDto {
    pub currency: String,
    /// In the request's order.
    pub lines: Vec<LineTaxDto>,
    pub shipping_tax: i64,
    /// Lines plus shipping tax.
    pub total: i64,
    /// True when the tax is part of the prices (VAT); false when added on top.
    pub inclusive: bool,
    /// What the order adds on top of its prices: `total`, or 0 when inclusive.
    pub added: i64,
    /// The rule applied; null when none covers the destination (no tax).
    pub rule: Option<AppliedRuleDto>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineTaxDto {
    pub key: String,
    pub tax: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppliedRuleDto {
    pub id: String,
    pub name: String,
    pub rate_bps: i64,
}

/// A field that may be left out (outer `None`) or set to null (inner `None`).
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}
