use super::*;
use crate::domain::{Line, Scope};

fn promo(id: &str, kind: DiscountKind) -> Promotion {
    Promotion {
        id: id.into(),
        code: None,
        seller_id: None,
        kind,
        scope: Scope::Order,
        min_subtotal: 0,
        starts_at: None,
        ends_at: None,
        usage_limit: None,
        times_used: 0,
        per_customer_limit: None,
        combinable: true,
        active: true,
    }
}

fn exclusive(id: &str, kind: DiscountKind) -> Promotion {
    Promotion { combinable: false, ..promo(id, kind) }
}

fn line(product: &str, seller: &str, path: &[&str], unit_price: i64, quantity: i64) -> Line {
    Line {
        product_id: product.into(),
        seller_id: seller.into(),
        category_path: path.iter().map(|c| c.to_string()).collect(),
        unit_price,
        quantity,
    }
}

fn basket(lines: Vec<Line>, shipping: i64) -> Basket {
    Basket { lines, shipping, now: 0, customer_uses: None }
}

fn one_line(amount: i64, shipping: i64) -> Basket {
    basket(vec![line("p1", "s1", &[], amount, 1)], shipping)
}

fn applied_ids(q: &Quote) -> Vec<&str> {
    q.applied.iter().map(|a| a.promotion_id.as_str()).collect()
}

#[test]
fn no_promotions_no_discounts() {
    let q = quote(&one_line(1_000, 250), &[]);
    assert_eq!(q.subtotal, 1_000);
    assert_eq!(q.line_discounts, vec![0]);
    assert_eq!((q.discount_total, q.shipping_discount), (0, 0));
    assert!(q.applied.is_empty() && q.rejected.is_empty());
    assert_eq!(q.total, 1_250);
}

#[test]
fn percent_rounds_half_up() {
    // 15% of 333 is 49.95.
    let q = quote(&one_line(333, 0), &[promo("a", DiscountKind::Percent(15))]);
    assert_eq!(q.discount_total, 50);
    assert_eq!(q.total, 283);
    // 10% of 5 is exactly 0.5, which rounds up too.
    let q = quote(&one_line(5, 0), &[promo("a", DiscountKind::Percent(10))]);
    assert_eq!(q.discount_total, 1);
}

#[test]
fn percent_is_allocated_in_proportion_to_lines() {
    let b = basket(vec![line("p1", "s1", &[], 100, 3), line("p2", "s1", &[], 700, 1)], 0);
    let q = quote(&b, &[promo("a", DiscountKind::Percent(10))]);
    assert_eq!(q.line_discounts, vec![30, 70]);
    assert_eq!(q.applied, vec![Applied { promotion_id: "a".into(), amount: 100, shipping_amount: 0 }]);
}

#[test]
fn fixed_is_capped_at_the_matching_subtotal() {
    let q = quote(&one_line(400, 100), &[promo("a", DiscountKind::Fixed(1_000))]);
    assert_eq!(q.line_discounts, vec![400]);
    assert_eq!(q.total, 100, "shipping is not discounted by a fixed amount");
}

#[test]
fn free_shipping_takes_the_shipping_off() {
    let q = quote(&one_line(1_000, 450), &[promo("a", DiscountKind::FreeShipping)]);
    assert_eq!(q.shipping_discount, 450);
    assert_eq!(q.discount_total, 0);
    assert_eq!(q.applied, vec![Applied { promotion_id: "a".into(), amount: 0, shipping_amount: 450 }]);
    assert_eq!(q.total, 1_000);
}

#[test]
fn seller_promotion_leaves_other_sellers_lines_alone() {
    let b = basket(vec![line("p1", "s1", &[], 1_000, 1), line("p2", "s2", &[], 1_000, 1)], 0);
    let p = Promotion { seller_id: Some("s2".into()), ..promo("a", DiscountKind::Fixed(5_000)) };
    let q = quote(&b, &[p]);
    assert_eq!(q.line_discounts, vec![0, 1_000]);
}

#[test]
fn category_promotion_reaches_subcategories_only() {
    let b = basket(vec![line("p1", "s1", &["sneakers", "shoes"], 1_000, 1), line("p2", "s1", &["books"], 1_000, 1)], 0);
    let p = Promotion { scope: Scope::Categories(vec!["shoes".into()]), ..promo("a", DiscountKind::Percent(50)) };
    let q = quote(&b, &[p]);
    assert_eq!(q.line_discounts, vec![500, 0]);
}

#[test]
fn percent_applies_before_fixed_regardless_of_input_order() {
    let promos = [promo("fixed", DiscountKind::Fixed(100)), promo("pct", DiscountKind::Percent(10))];
    let q = quote(&one_line(1_000, 0), &promos);
    assert_eq!(q.discount_total, 200);
    assert_eq!(applied_ids(&q), vec!["pct", "fixed"]);
}

#[test]
fn stacked_discounts_never_take_a_line_below_zero() {
    let promos = [promo("a", DiscountKind::Fixed(800)), promo("b", DiscountKind::Fixed(800))];
    let q = quote(&one_line(1_000, 0), &promos);
    assert_eq!(q.line_discounts, vec![1_000]);
    assert_eq!(q.applied[1].amount, 200);
    assert_eq!(q.total, 0);
}

#[test]
fn non_combinable_wins_when_it_saves_more() {
    let promos = [promo("pct", DiscountKind::Percent(10)), exclusive("big", DiscountKind::Fixed(300))];
    let q = quote(&one_line(1_000, 0), &promos);
    assert_eq!(applied_ids(&q), vec!["big"]);
    assert_eq!(q.rejected, vec![("pct".into(), Ineligible::NotCombinable)]);
    assert_eq!(q.discount_total, 300);
}

#[test]
fn combinable_set_wins_when_together_they_save_more() {
    let promos = [
        promo("pct", DiscountKind::Percent(10)),
        exclusive("big", DiscountKind::Fixed(150)),
        promo("ship", DiscountKind::FreeShipping),
    ];
    let q = quote(&one_line(1_000, 100), &promos);
    assert_eq!(applied_ids(&q), vec!["pct", "ship"]);
    assert_eq!(q.rejected, vec![("big".into(), Ineligible::NotCombinable)]);
}

#[test]
fn ties_go_to_the_combinable_set_then_the_earlier_promotion() {
    let promos = [exclusive("x", DiscountKind::Fixed(100)), promo("c", DiscountKind::Fixed(100))];
    let q = quote(&one_line(1_000, 0), &promos);
    assert_eq!(applied_ids(&q), vec!["c"]);

    let promos = [exclusive("x", DiscountKind::Fixed(100)), exclusive("y", DiscountKind::Fixed(100))];
    let q = quote(&one_line(1_000, 0), &promos);
    assert_eq!(applied_ids(&q), vec!["x"]);
    assert_eq!(q.rejected, vec![("y".into(), Ineligible::NotCombinable)]);
}

#[test]
fn ineligible_promotions_are_rejected_with_their_reason_in_input_order() {
    let promos = [
        Promotion { active: false, ..promo("off", DiscountKind::Percent(10)) },
        promo("ok", DiscountKind::Percent(10)),
        Promotion { min_subtotal: 5_000, ..promo("min", DiscountKind::Fixed(10)) },
    ];
    let q = quote(&one_line(1_000, 0), &promos);
    assert_eq!(applied_ids(&q), vec!["ok"]);
    assert_eq!(
        q.rejected,
        vec![
            ("off".into(), Ineligible::Inactive),
            ("min".into(), Ineligible::MinSubtotal { required: 5_000, subtotal: 1_000 }),
        ]
    );
}

#[test]
fn promotions_that_take_nothing_off_are_skipped_silently() {
    let promos = [promo("a", DiscountKind::FreeShipping), promo("b", DiscountKind::FreeShipping)];
    let q = quote(&one_line(1_000, 300), &promos);
    assert_eq!(applied_ids(&q), vec!["a"], "the second has no shipping left to take");
    assert!(q.rejected.is_empty());

    let q = quote(&one_line(1_000, 0), &[exclusive("ship", DiscountKind::FreeShipping)]);
    assert!(q.applied.is_empty() && q.rejected.is_empty());
}

#[test]
fn percent_above_hundred_counts_as_hundred() {
    let q = quote(&one_line(1_000, 0), &[promo("a", DiscountKind::Percent(250))]);
    assert_eq!(q.discount_total, 1_000);
}
