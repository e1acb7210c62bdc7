//! The tax context's contract: [`TaxQuotes`] (what checkout and the cart tax with), its plain
//! request and answer types, its error codes and its API-key scope.
//!
//! [`TaxQuotes`] is also the seam for an external tax service (DESIGN §7): an adapter calling
//! one implements this trait, and callers holding `Arc<dyn TaxQuotes>` cannot tell it from the
//! built-in rule tables.

use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;
use kernel::geo::Destination;
use kernel::{BoxFuture, Result};

/// One amount to tax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxLine {
    /// The caller's id for the line, given back in [`LineTax`].
    pub key: String,
    /// The line's price after discounts, in minor units.
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRequest {
    pub destination: Destination,
    pub lines: Vec<TaxLine>,
    /// Shipping after its discount.
    pub shipping: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxQuote {
    /// In the request's order.
    pub lines: Vec<LineTax>,
    pub shipping_tax: i64,
    /// Lines plus shipping tax.
    pub total: i64,
    /// The tax is part of the prices (VAT); else it is added on top.
    pub inclusive: bool,
    /// What the order adds on top of its prices: `total` when not inclusive, 0 when inclusive.
    pub added: i64,
    /// `None` when no rule covers the destination (every tax 0).
    pub rule: Option<AppliedRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineTax {
    pub key: String,
    pub tax: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRule {
    pub id: String,
    pub name: String,
    pub rate_bps: i64,
}

/// Taxes a basket for a destination. Reads only. 422 `invalid_destination` for a malformed
/// country; rounding as in [`crate::domain`] (per line, half away from zero).
pub trait TaxQuotes: Send + Sync + 'static {
    fn tax_quote<'a>(&'a self, request: &'a TaxRequest) -> BoxFuture<'a, Result<TaxQuote>>;
}

pub const TAX_WRITE: Scope = Scope::new("tax:write", Role::Admin, "Manage the tax rules.");

pub const SCOPES: &[Scope] = &[TAX_WRITE];

/// `invalid_destination` is also the shipping context's, with the same kind and meaning.
pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("tax_rule_not_found", NotFound, "No such tax rule."),
    ErrorCode::new("tax_rule_exists", Conflict, "Another tax rule covers the same country and region."),
    ErrorCode::new(
        "invalid_destination",
        Invalid,
        "The destination's country is not an ISO 3166-1 alpha-2 code (two letters).",
    ),
];
