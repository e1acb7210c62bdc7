//! Turning a basket and its candidate promotions into a quote.

use super::{Basket, DiscountKind, Ineligible, Promotion, allocate, eligibility};

/// One promotion's contribution to a quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub promotion_id: String,
    /// Taken off the lines.
    pub amount: i64,
    pub shipping_amount: i64,
}

/// A priced basket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub subtotal: i64,
    /// Per basket line, in basket order; each at most that line's amount.
    pub line_discounts: Vec<i64>,
    /// The sum of `line_discounts`.
    pub discount_total: i64,
    pub shipping: i64,
    /// At most `shipping`.
    pub shipping_discount: i64,
    /// Only promotions that took something off; in the order they were applied.
    pub applied: Vec<Applied>,
    /// Promotions that did not apply and why, in input order.
    pub rejected: Vec<(String, Ineligible)>,
    /// `subtotal - discount_total + shipping - shipping_discount`, never negative.
    pub total: i64,
}

/// Prices `basket` with the best allowed combination of `promotions`.
///
/// The candidates are all eligible combinable promotions together and each eligible
/// non-combinable promotion alone; the one saving the customer the most wins, ties going to the
/// combinable set and then to the earlier promotion. Eligible promotions left out of the winner
/// are rejected as [`Ineligible::NotCombinable`].
///
/// An eligible promotion that takes nothing off (a percentage of zero-priced lines, free
/// shipping on a free delivery) is left out of both `applied` and `rejected`: it was allowed,
/// it just had no effect.
pub fn quote(basket: &Basket, promotions: &[Promotion]) -> Quote {
    let verdicts: Vec<Result<(), Ineligible>> = promotions.iter().map(|p| eligibility(p, basket)).collect();
    let (chosen, outcome) = choose(basket, promotions, &verdicts);
    let rejected = promotions
        .iter()
        .zip(verdicts)
        .enumerate()
        .filter_map(|(i, (p, verdict))| match verdict {
            Err(reason) => Some((p.id.clone(), reason)),
            Ok(()) if !chosen.contains(&i) => Some((p.id.clone(), Ineligible::NotCombinable)),
            Ok(()) => None,
        })
        .collect();
    outcome.into_quote(basket, rejected)
}

/// Picks the candidate saving the most; returns the indices of its promotions and its effect.
fn choose(basket: &Basket, promotions: &[Promotion], verdicts: &[Result<(), Ineligible>]) -> (Vec<usize>, Outcome) {
    let eligible = |combinable: bool| {
        promotions.iter().enumerate().filter(move |(i, p)| verdicts[*i].is_ok() && p.combinable == combinable)
    };

    // An empty combinable set is not a candidate: otherwise it would win every zero-value tie
    // and a lone non-combinable promotion would be reported as clashing with nothing.
    let combinable: Vec<usize> = eligible(true).map(|(i, _)| i).collect();
    let mut best = (!combinable.is_empty()).then(|| {
        let outcome = apply(basket, combinable.iter().map(|&i| &promotions[i]));
        (combinable, outcome)
    });
    // Strictly greater, so that ties keep the combinable set or the earlier promotion.
    for (i, p) in eligible(false) {
        let outcome = apply(basket, std::iter::once(p));
        if best.as_ref().is_none_or(|(_, b)| outcome.saving() > b.saving()) {
            best = Some((vec![i], outcome));
        }
    }
    best.unwrap_or_else(|| (Vec::new(), apply(basket, std::iter::empty())))
}

/// The effect of one candidate set of promotions.
struct Outcome {
    line_discounts: Vec<i64>,
    shipping_discount: i64,
    applied: Vec<Applied>,
}

impl Outcome {
    fn discount_total(&self) -> i64 {
        self.line_discounts.iter().fold(0, |sum, d| sum.saturating_add(*d))
    }

    fn saving(&self) -> i64 {
        self.discount_total().saturating_add(self.shipping_discount)
    }

    fn into_quote(self, basket: &Basket, rejected: Vec<(String, Ineligible)>) -> Quote {
        let subtotal = basket.subtotal();
        let discount_total = self.discount_total();
        let shipping = basket.shipping.max(0);
        // Every discount is capped at what it discounts, so this only clamps on overflow.
        let total = subtotal
            .saturating_sub(discount_total)
            .saturating_add(shipping.saturating_sub(self.shipping_discount))
            .max(0);
        Quote {
            subtotal,
            line_discounts: self.line_discounts,
            discount_total,
            shipping,
            shipping_discount: self.shipping_discount,
            applied: self.applied,
            rejected,
            total,
        }
    }
}

/// Applies a candidate set: percentages first, then fixed amounts, then free shipping, each on
/// what earlier promotions left. A fixed order makes the quote independent of the order the
/// promotions were listed in, and percentages go first so that a fixed amount off never shrinks
/// the base a percentage is taken from.
fn apply<'a>(basket: &Basket, promotions: impl Iterator<Item = &'a Promotion>) -> Outcome {
    let mut ordered: Vec<&Promotion> = promotions.collect();
    // Stable, so input order is kept within a kind.
    ordered.sort_by_key(|p| match p.kind {
        DiscountKind::Percent(_) => 0,
        DiscountKind::Fixed(_) => 1,
        DiscountKind::FreeShipping => 2,
    });

    let mut remaining: Vec<i64> = basket.lines.iter().map(|line| line.amount()).collect();
    let mut remaining_shipping = basket.shipping.max(0);
    let mut applied = Vec::new();
    for p in ordered {
        let (amount, shipping_amount) = apply_one(basket, p, &mut remaining, &mut remaining_shipping);
        if amount > 0 || shipping_amount > 0 {
            applied.push(Applied { promotion_id: p.id.clone(), amount, shipping_amount });
        }
    }

    let line_discounts = basket.lines.iter().zip(&remaining).map(|(line, left)| line.amount() - left).collect();
    let shipping_discount = basket.shipping.max(0) - remaining_shipping;
    Outcome { line_discounts, shipping_discount, applied }
}

/// Takes one promotion off the remaining amounts; returns what it took off the lines and the
/// shipping.
fn apply_one(basket: &Basket, p: &Promotion, remaining: &mut [i64], remaining_shipping: &mut i64) -> (i64, i64) {
    // Lines the promotion may not touch weigh nothing, so allocation never reaches them.
    let weights: Vec<i64> =
        basket.lines.iter().zip(remaining.iter()).map(|(line, &left)| if p.matches(line) { left } else { 0 }).collect();
    let base = weights.iter().fold(0, |sum: i64, w| sum.saturating_add(*w));

    let amount = match p.kind {
        DiscountKind::Percent(pct) => percent_of(base, pct),
        DiscountKind::Fixed(value) => value.clamp(0, base),
        DiscountKind::FreeShipping => {
            let taken = *remaining_shipping;
            *remaining_shipping = 0;
            return (0, taken);
        }
    };
    for (left, part) in remaining.iter_mut().zip(allocate(amount, &weights)) {
        *left -= part;
    }
    (amount, 0)
}

/// `pct` percent of `base`, rounded half up; percentages above 100 count as 100 so a discount
/// can never exceed what it discounts.
fn percent_of(base: i64, pct: u32) -> i64 {
    let pct = i128::from(pct.min(100));
    // i128 because base * pct can exceed i64 on very large baskets.
    let amount = (i128::from(base.max(0)) * pct + 50) / 100;
    // At most base, so it fits back into an i64.
    i64::try_from(amount).unwrap_or(base)
}

#[cfg(test)]
mod tests;
