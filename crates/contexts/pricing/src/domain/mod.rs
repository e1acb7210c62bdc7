//! The pricing domain: baskets, promotions and the engine that turns them into a quote.
//!
//! Money is `i64` minor units of a single currency and times are `i64` microseconds since the
//! Unix epoch. Nothing here validates input: the engine clamps what it must (negative amounts
//! count as zero, percentages above 100 as 100) so that a quote always holds its invariants,
//! and leaves rejecting malformed promotions to whoever stores them.

mod allocate;
mod engine;
mod promotion;

use std::collections::HashMap;

pub use allocate::allocate;
pub use engine::{Applied, Quote, quote};
pub use promotion::{DiscountKind, Ineligible, Promotion, Scope, eligibility};

/// One line of a basket: a quantity of a single product from a single seller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub product_id: String,
    pub seller_id: String,
    /// The line's category followed by all its ancestors, so that a promotion on a parent
    /// category reaches products filed under its children.
    pub category_path: Vec<String>,
    pub unit_price: i64,
    pub quantity: i64,
}

impl Line {
    /// The line's gross amount, `unit_price * quantity`.
    ///
    /// Saturates rather than overflowing and counts a negative result as zero, so that
    /// malformed input can never produce a negative discount or a negative total.
    pub fn amount(&self) -> i64 {
        self.unit_price.saturating_mul(self.quantity).max(0)
    }
}

/// What is being priced, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basket {
    pub lines: Vec<Line>,
    /// The shipping estimate; may be 0.
    pub shipping: i64,
    pub now: i64,
    /// Promotion id -> times this customer has redeemed it. `None` for a guest, in which case
    /// per-customer limits are not checked here (they are enforced when the order is placed).
    pub customer_uses: Option<HashMap<String, i64>>,
}

impl Basket {
    /// The sum of the lines' gross amounts.
    pub fn subtotal(&self) -> i64 {
        self.lines.iter().fold(0, |sum, line| sum.saturating_add(line.amount()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(unit_price: i64, quantity: i64) -> Line {
        Line { product_id: "p".into(), seller_id: "s".into(), category_path: Vec::new(), unit_price, quantity }
    }

    #[test]
    fn amount_is_price_times_quantity() {
        assert_eq!(line(250, 3).amount(), 750);
    }

    #[test]
    fn amount_never_goes_negative_or_overflows() {
        assert_eq!(line(-5, 3).amount(), 0);
        assert_eq!(line(i64::MAX, 2).amount(), i64::MAX);
    }

    #[test]
    fn subtotal_sums_lines() {
        let basket = Basket { lines: vec![line(100, 2), line(50, 1)], shipping: 0, now: 0, customer_uses: None };
        assert_eq!(basket.subtotal(), 250);
    }
}
