//! The rounding rule (per line, half away from zero, integer arithmetic) as tables, and the
//! invariants every quote holds whatever the amounts and rate.

use kernel::geo::Destination;
use proptest::prelude::*;
use tax::domain::{Rule, div_round, rule_for, tax_of, taxes};

#[test]
fn taxes_round_half_away_from_zero_per_amount() {
    // (amount, rate_bps, inclusive, tax)
    let cases = [
        (999, 725, false, 72),   // 72.4275
        (1000, 725, false, 73),  // 72.5: half, away from zero
        (1190, 1900, true, 190), // 1190 × 19/119
        (1, 1900, true, 0),      // 0.16
        (100, 1900, true, 16),   // 15.97
        (200, 25, false, 1),     // 0.5
        (199, 25, false, 0),     // 0.4975
        (1050, 500, true, 50),   // exactly 50
        (21, 5000, true, 7),     // 7.0
        (3, 10000, true, 2),     // 1.5 → 2
        (1, 10000, true, 1),     // 0.5 → 1: never more than the amount
        (12345, 0, false, 0),
        (0, 1900, true, 0),
        (-1000, 725, false, -73), // refunds round the same way, mirrored
    ];
    for (amount, rate, inclusive, tax) in cases {
        assert_eq!(tax_of(amount, rate, inclusive), tax, "{amount} at {rate} bps, inclusive {inclusive}");
    }
    assert_eq!((div_round(5, 2), div_round(-5, 2), div_round(4, 3), div_round(-4, 3)), (3, -3, 1, -1));
}

fn rule(id: &str, country: &str, region: Option<&str>, rate_bps: i64, inclusive: bool, shipping_taxed: bool) -> Rule {
    Rule {
        id: id.into(),
        name: id.into(),
        country: country.into(),
        region: region.map(str::to_owned),
        rate_bps,
        inclusive,
        shipping_taxed,
    }
}

#[test]
fn the_regions_rule_is_chosen_over_the_countrys() {
    let rules = [rule("us", "US", None, 100, false, false), rule("ca", "US", Some("CA"), 725, false, false)];
    let id = |c: &str, r: Option<&str>| rule_for(&rules, &Destination::new(c, r, None)).map(|r| r.id.clone());
    assert_eq!(id("US", Some("CA")).as_deref(), Some("ca"));
    assert_eq!(id("US", Some("NY")).as_deref(), Some("us"));
    assert_eq!(id("US", None).as_deref(), Some("us"));
    assert_eq!(id("DE", Some("CA")), None);
}

#[test]
fn lines_are_rounded_one_by_one_and_shipping_only_when_taxed() {
    let ca = rule("ca", "US", Some("CA"), 725, false, false);
    let t = taxes(Some(&ca), &[999, 999, 999], 500);
    // Each line 72.43 → 72; the sum of the rounded lines, not a rounded sum (217.3 → 217).
    assert_eq!((t.lines, t.shipping, t.total), (vec![72, 72, 72], 0, 216));
    let de = rule("de", "DE", None, 1900, true, true);
    let t = taxes(Some(&de), &[1190, 1], 595);
    assert_eq!((t.lines, t.shipping, t.total), (vec![190, 0], 95, 285));
    let none = taxes(None, &[1000, 2000], 500);
    assert_eq!((none.lines, none.shipping, none.total), (vec![0, 0], 0, 0));
}

proptest! {
    #[test]
    fn quotes_hold_their_invariants(
        amounts in prop::collection::vec(0..10_000_000_000i64, 0..20),
        shipping in 0..1_000_000i64,
        rate in 0..=10_000i64,
        inclusive: bool,
        shipping_taxed: bool,
    ) {
        let r = rule("r", "DE", None, rate, inclusive, shipping_taxed);
        let t = taxes(Some(&r), &amounts, shipping);
        prop_assert_eq!(t.lines.len(), amounts.len());
        prop_assert_eq!(t.total, t.lines.iter().sum::<i64>() + t.shipping);
        if !shipping_taxed {
            prop_assert_eq!(t.shipping, 0);
        }
        for (&amount, &tax) in amounts.iter().zip(&t.lines) {
            prop_assert!(tax >= 0);
            if amount == 0 || rate == 0 {
                prop_assert_eq!(tax, 0);
            }
            if inclusive {
                prop_assert!(tax <= amount);
                // The price less its tax, taxed again, gives the tax back to within a unit.
                prop_assert!((tax_of(amount - tax, rate, false) - tax).abs() <= 1);
            } else {
                // Within half a unit of the exact product.
                let exact = i128::from(amount) * i128::from(rate);
                prop_assert!((i128::from(tax) * 10_000 - exact).abs() <= 5_000);
            }
        }
    }
}
