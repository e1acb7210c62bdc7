//! Invariants every quote must hold, whatever the basket and promotions.

use pricing::domain::{Basket, DiscountKind, Line, Promotion, Scope, allocate, eligibility, quote};
use proptest::prelude::*;
use proptest::sample::subsequence;

const NOW: i64 = 1_000_000;
const PRODUCTS: [&str; 5] = ["p0", "p1", "p2", "p3", "p4"];
const SELLERS: [&str; 3] = ["s0", "s1", "s2"];
const CATEGORIES: [&str; 5] = ["c0", "c1", "c2", "c3", "c4"];

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn category_path() -> impl Strategy<Value = Vec<String>> {
    // A small tree (c2 under c1 under c0, c4 under c3) so ancestor matching gets exercised.
    prop::sample::select(vec![
        vec![],
        vec!["c0"],
        vec!["c1", "c0"],
        vec!["c2", "c1", "c0"],
        vec!["c3"],
        vec!["c4", "c3"],
    ])
    .prop_map(|path| strings(&path))
}

fn line() -> impl Strategy<Value = Line> {
    (prop::sample::select(&PRODUCTS[..]), prop::sample::select(&SELLERS[..]), category_path(), 0..100_000i64, 1..20i64)
        .prop_map(|(product, seller, category_path, unit_price, quantity)| Line {
            product_id: product.to_string(),
            seller_id: seller.to_string(),
            category_path,
            unit_price,
            quantity,
        })
}

fn kind() -> impl Strategy<Value = DiscountKind> {
    prop_oneof![
        (1..=100u32).prop_map(DiscountKind::Percent),
        (1..200_000i64).prop_map(DiscountKind::Fixed),
        Just(DiscountKind::FreeShipping),
    ]
}

fn scope() -> impl Strategy<Value = Scope> {
    prop_oneof![
        Just(Scope::Order),
        subsequence(&PRODUCTS[..], 1..=3).prop_map(|ids| Scope::Products(strings(&ids))),
        subsequence(&CATEGORIES[..], 1..=2).prop_map(|ids| Scope::Categories(strings(&ids))),
    ]
}

fn window() -> impl Strategy<Value = (Option<i64>, Option<i64>)> {
    let bound = prop::option::weighted(0.3, (NOW - 10)..(NOW + 10));
    (bound.clone(), bound)
}

fn promotion() -> impl Strategy<Value = Promotion> {
    let limits = (prop::option::weighted(0.3, 0..5i64), 0..6i64, prop::option::weighted(0.3, 0..3i64));
    let seller = prop::option::weighted(0.3, prop::sample::select(&SELLERS[..]));
    let min_subtotal = prop_oneof![3 => Just(0i64), 1 => 0..500_000i64];
    (kind(), scope(), seller, min_subtotal, window(), limits, any::<bool>(), prop::bool::weighted(0.9)).prop_map(
        |(kind, scope, seller, min_subtotal, (starts_at, ends_at), limits, combinable, active)| Promotion {
            id: String::new(),
            code: None,
            seller_id: seller.map(str::to_string),
            kind,
            scope,
            min_subtotal,
            starts_at,
            ends_at,
            usage_limit: limits.0,
            times_used: limits.1,
            per_customer_limit: limits.2,
            combinable,
            active,
        },
    )
}

fn promotions() -> impl Strategy<Value = Vec<Promotion>> {
    prop::collection::vec(promotion(), 0..=5).prop_map(|mut promos| {
        for (i, p) in promos.iter_mut().enumerate() {
            p.id = format!("promo{i}");
        }
        promos
    })
}

fn basket() -> impl Strategy<Value = Basket> {
    let uses =
        prop::option::of(prop::collection::hash_map((0..5usize).prop_map(|i| format!("promo{i}")), 0..4i64, 0..5));
    (prop::collection::vec(line(), 1..=8), 0..2_000i64, uses).prop_map(|(lines, shipping, customer_uses)| Basket {
        lines,
        shipping,
        now: NOW,
        customer_uses,
    })
}

proptest! {
    #[test]
    fn quote_invariants_hold(basket in basket(), promos in promotions()) {
        let q = quote(&basket, &promos);

        prop_assert_eq!(q.line_discounts.len(), basket.lines.len());
        prop_assert_eq!(q.line_discounts.iter().sum::<i64>(), q.discount_total);
        for (line, &discount) in basket.lines.iter().zip(&q.line_discounts) {
            prop_assert!((0..=line.unit_price * line.quantity).contains(&discount));
        }
        prop_assert!((0..=q.shipping).contains(&q.shipping_discount));
        prop_assert_eq!(q.subtotal, basket.lines.iter().map(|l| l.unit_price * l.quantity).sum::<i64>());
        prop_assert_eq!(q.shipping, basket.shipping);
        prop_assert_eq!(q.total, q.subtotal - q.discount_total + q.shipping - q.shipping_discount);
        prop_assert!(q.total >= 0);
        prop_assert_eq!(q.applied.iter().map(|a| a.amount).sum::<i64>(), q.discount_total);
        prop_assert_eq!(q.applied.iter().map(|a| a.shipping_amount).sum::<i64>(), q.shipping_discount);
    }

    #[test]
    fn every_applied_promotion_is_eligible(basket in basket(), promos in promotions()) {
        let q = quote(&basket, &promos);
        for applied in &q.applied {
            let p = promos.iter().find(|p| p.id == applied.promotion_id);
            prop_assert!(p.is_some_and(|p| eligibility(p, &basket).is_ok()), "{} applied", applied.promotion_id);
            prop_assert!(applied.amount + applied.shipping_amount > 0);
            prop_assert!(!q.rejected.iter().any(|(id, _)| *id == applied.promotion_id));
        }
        let exclusive = q.applied.iter().filter(|a| promos.iter().any(|p| p.id == a.promotion_id && !p.combinable));
        prop_assert!(exclusive.count() == 0 || q.applied.len() == 1, "a non-combinable promotion applies alone");
    }

    #[test]
    fn allocate_is_exact_and_bounded(
        (weights, amount) in prop::collection::vec(0..100_000i64, 0..=8)
            .prop_flat_map(|w| { let sum = w.iter().sum::<i64>(); (Just(w), 0..=sum) })
    ) {
        let parts = allocate(amount, &weights);
        prop_assert_eq!(parts.len(), weights.len());
        prop_assert_eq!(parts.iter().sum::<i64>(), amount);
        for (&part, &weight) in parts.iter().zip(&weights) {
            prop_assert!((0..=weight).contains(&part));
        }
    }

    #[test]
    fn allocate_splits_larger_amounts_exactly(
        weights in prop::collection::vec(1..1_000i64, 1..=8),
        amount in 0..1_000_000i64,
    ) {
        prop_assert_eq!(allocate(amount, &weights).iter().sum::<i64>(), amount);
    }
}
