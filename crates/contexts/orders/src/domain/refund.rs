//! What a return gives back, to the cent (the rules are written out in `docs/returns.md`).
//!
//! A line's money is what the customer paid for it: its total after its discount share, plus
//! its tax where tax is added on top of prices. Units of a line are refunded at an equal share
//! rounded down, except the last units of the line, which take what is left: so however a
//! line is returned, in one go or unit by unit, its refunds add up to exactly what was paid
//! for it, and never more. Shipping (less its discount, plus its tax where added) goes back
//! with the return that brings back the order's last unit, or earlier when the approver says.

/// What the customer paid for a line.
pub fn line_paid(total: i64, tax: i64, tax_inclusive: bool) -> i64 {
    if tax_inclusive { total } else { total + tax }
}

/// What the customer paid for shipping.
pub fn shipping_paid(shipping: i64, shipping_discount: i64, shipping_tax: i64, tax_inclusive: bool) -> i64 {
    let net = (shipping - shipping_discount).max(0);
    if tax_inclusive { net } else { net + shipping_tax }
}

/// The refund for `units` more of a line of `quantity` units that cost `paid`, when
/// `claimed_units` of it were claimed already for `claimed_amount`.
pub fn units_share(paid: i64, quantity: i64, claimed_units: i64, claimed_amount: i64, units: i64) -> i64 {
    debug_assert!(units > 0 && claimed_units + units <= quantity);
    if claimed_units + units >= quantity {
        return (paid - claimed_amount).max(0);
    }
    let share = i128::from(paid) * i128::from(units) / i128::from(quantity.max(1));
    i64::try_from(share).unwrap_or(i64::MAX).min((paid - claimed_amount).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_last_unit_takes_the_rest() {
        // 3 units for 1000: 333, 333, 334.
        assert_eq!(units_share(1000, 3, 0, 0, 1), 333);
        assert_eq!(units_share(1000, 3, 1, 333, 1), 333);
        assert_eq!(units_share(1000, 3, 2, 666, 1), 334);
        assert_eq!(units_share(1000, 3, 0, 0, 3), 1000);
        assert_eq!(line_paid(1000, 190, false), 1190);
        assert_eq!(line_paid(1000, 160, true), 1000);
        assert_eq!(shipping_paid(500, 500, 0, false), 0);
        assert_eq!(shipping_paid(500, 100, 40, false), 440);
    }

    proptest! {
        /// However a line is split into returns (some of them rejected and asked for again),
        /// the refunds of the units that came back add up to what was paid, never more.
        #[test]
        fn shares_add_up(paid in 0i64..10_000_000, quantity in 1i64..40, picks in proptest::collection::vec((1i64..6, any::<bool>()), 1..40)) {
            let (mut units, mut amount) = (0i64, 0i64);
            for (want, rejected) in picks {
                let k = want.min(quantity - units);
                if k == 0 { break; }
                let share = units_share(paid, quantity, units, amount, k);
                prop_assert!(share >= 0);
                if rejected { continue; }
                units += k;
                amount += share;
                prop_assert!(amount <= paid);
            }
            if units < quantity {
                amount += units_share(paid, quantity, units, amount, quantity - units);
            }
            prop_assert_eq!(amount, paid);
        }
    }
}
