//! The tax rules, pure: which rule covers a destination, and the tax on each amount. No
//! storage, no clock, no serde.
//!
//! # Rounding
//!
//! Tax is rounded **per line, half away from zero, in integer arithmetic** (no floats; the
//! products are taken in `i128`, so no amount overflows):
//! - exclusive (added on top, US sales tax): `tax = round(amount × rate_bps / 10000)`;
//! - inclusive (contained in the price, EU VAT): `tax = round(amount × rate_bps / (10000 +
//!   rate_bps))`, the tax part of the price.
//!
//! Shipping is taxed the same way, as one more amount, when the rule taxes it. The quote's
//! total is the sum of the rounded parts, so the lines always add up to it exactly.
//! E.g. 999 at 725 bps exclusive → 72 (72.43); 1190 at 1900 bps inclusive → 190; 1 at 1900
//! bps inclusive → 0 (0.16); 200 at 25 bps exclusive → 1 (0.5, rounded away from zero).

use kernel::geo::Destination;

/// The highest rate: 100 %.
pub const MAX_RATE_BPS: i64 = 10_000;

/// A rule as the quote sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub country: String,
    /// `None`: the whole country.
    pub region: Option<String>,
    /// Basis points: 1900 is 19 %, 725 is 7.25 %.
    pub rate_bps: i64,
    /// The tax is part of the prices (VAT), else added on top (sales tax).
    pub inclusive: bool,
    pub shipping_taxed: bool,
}

/// The rule covering `to`: one for its region wins over one for its whole country; the first
/// in `rules` among equals (there is at most one per country and region).
pub fn rule_for<'a>(rules: &'a [Rule], to: &Destination) -> Option<&'a Rule> {
    let in_country = || rules.iter().filter(|r| r.country == to.country);
    let regional = in_country().find(|r| r.region.is_some() && r.region == to.region);
    regional.or_else(|| in_country().find(|r| r.region.is_none()))
}

/// `n / d` rounded half away from zero; `d` must be positive.
pub fn div_round(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

/// The tax on one amount at `rate_bps`: on top of it (`inclusive: false`) or within it.
pub fn tax_of(amount: i64, rate_bps: i64, inclusive: bool) -> i64 {
    let rate = i128::from(rate_bps.clamp(0, MAX_RATE_BPS));
    let n = i128::from(amount) * rate;
    let d = if inclusive { 10_000 + rate } else { 10_000 };
    // |tax| ≤ |amount| since the rate is at most 100 %, so it fits back into an i64.
    i64::try_from(div_round(n, d)).unwrap_or(0)
}

/// The taxes of a basket under `rule`: per line, on shipping, and their sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxes {
    pub lines: Vec<i64>,
    pub shipping: i64,
    pub total: i64,
}

/// Each amount taxed and rounded on its own (see the module's rounding rule); shipping only
/// when the rule taxes it. No rule: all zero.
pub fn taxes(rule: Option<&Rule>, amounts: &[i64], shipping: i64) -> Taxes {
    let Some(rule) = rule else {
        return Taxes { lines: vec![0; amounts.len()], shipping: 0, total: 0 };
    };
    let lines: Vec<i64> = amounts.iter().map(|&a| tax_of(a, rule.rate_bps, rule.inclusive)).collect();
    let shipping = if rule.shipping_taxed { tax_of(shipping, rule.rate_bps, rule.inclusive) } else { 0 };
    let total = lines.iter().fold(shipping, |sum, t| sum.saturating_add(*t));
    Taxes { lines, shipping, total }
}
