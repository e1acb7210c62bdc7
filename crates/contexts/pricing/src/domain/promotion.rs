//! Promotions and the rules deciding whether one may apply to a basket.

use super::{Basket, Line};

/// What a promotion takes off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscountKind {
    /// A percentage, 1..=100, of the matching lines.
    Percent(u32),
    /// A fixed amount in minor units (> 0), capped at the matching lines' amount.
    Fixed(i64),
    /// The whole shipping estimate.
    FreeShipping,
}

/// Which lines a promotion may touch (before the seller filter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Order,
    /// Product ids.
    Products(Vec<String>),
    /// Category ids; a line matches when any category on its path is listed.
    Categories(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    pub id: String,
    /// `None` for an automatic promotion, applied without the customer entering a code.
    pub code: Option<String>,
    /// `Some(s)` touches only lines sold by seller `s`, so that one seller's promotion never
    /// discounts another seller's goods; `None` is platform-wide.
    pub seller_id: Option<String>,
    pub kind: DiscountKind,
    pub scope: Scope,
    /// 0 for none; compared with the subtotal of the lines the promotion may touch.
    pub min_subtotal: i64,
    pub starts_at: Option<i64>,
    /// Exclusive.
    pub ends_at: Option<i64>,
    /// Total redemptions allowed.
    pub usage_limit: Option<i64>,
    pub times_used: i64,
    pub per_customer_limit: Option<i64>,
    pub combinable: bool,
    pub active: bool,
}

impl Promotion {
    /// Whether this promotion may touch `line`: the seller filter and the scope both match.
    pub fn matches(&self, line: &Line) -> bool {
        let seller_ok = self.seller_id.as_ref().is_none_or(|s| *s == line.seller_id);
        seller_ok
            && match &self.scope {
                Scope::Order => true,
                Scope::Products(ids) => ids.contains(&line.product_id),
                Scope::Categories(ids) => line.category_path.iter().any(|c| ids.contains(c)),
            }
    }
}

/// Why a promotion does not apply to a basket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ineligible {
    Inactive,
    NotStarted,
    Expired,
    Exhausted,
    CustomerLimit,
    MinSubtotal { required: i64, subtotal: i64 },
    NoMatchingItems,
    NotCombinable,
}

impl Ineligible {
    /// A stable snake_case code for API responses; clients match on these, so never rename one.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Inactive => "code_inactive",
            Self::NotStarted => "code_not_started",
            Self::Expired => "code_expired",
            Self::Exhausted => "code_exhausted",
            Self::CustomerLimit => "code_customer_limit",
            Self::MinSubtotal { .. } => "code_min_subtotal",
            Self::NoMatchingItems => "code_not_applicable",
            Self::NotCombinable => "code_not_combinable",
        }
    }
}

/// Whether `p` may apply to `basket` on its own, ignoring the other promotions.
///
/// The checks run in a fixed order and the first failure is reported, so a customer is told
/// the most fundamental reason (an expired code, say) rather than one they could fix by adding
/// items.
pub fn eligibility(p: &Promotion, basket: &Basket) -> Result<(), Ineligible> {
    if !p.active {
        return Err(Ineligible::Inactive);
    }
    if p.starts_at.is_some_and(|start| basket.now < start) {
        return Err(Ineligible::NotStarted);
    }
    if p.ends_at.is_some_and(|end| basket.now >= end) {
        return Err(Ineligible::Expired);
    }
    if p.usage_limit.is_some_and(|limit| p.times_used >= limit) {
        return Err(Ineligible::Exhausted);
    }
    if let (Some(limit), Some(uses)) = (p.per_customer_limit, &basket.customer_uses)
        && uses.get(&p.id).copied().unwrap_or(0) >= limit
    {
        return Err(Ineligible::CustomerLimit);
    }
    let mut matching = basket.lines.iter().filter(|line| p.matches(line)).peekable();
    if matching.peek().is_none() {
        return Err(Ineligible::NoMatchingItems);
    }
    let subtotal = matching.fold(0, |sum: i64, line| sum.saturating_add(line.amount()));
    if subtotal < p.min_subtotal {
        return Err(Ineligible::MinSubtotal { required: p.min_subtotal, subtotal });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn promo() -> Promotion {
        Promotion {
            id: "promo".into(),
            code: Some("SAVE".into()),
            seller_id: None,
            kind: DiscountKind::Percent(10),
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

    fn line(product: &str, seller: &str, path: &[&str], unit_price: i64) -> Line {
        Line {
            product_id: product.into(),
            seller_id: seller.into(),
            category_path: path.iter().map(|c| c.to_string()).collect(),
            unit_price,
            quantity: 1,
        }
    }

    fn basket() -> Basket {
        Basket {
            lines: vec![line("p1", "s1", &["shoes", "clothing"], 1_000), line("p2", "s2", &["books"], 500)],
            shipping: 300,
            now: 1_000,
            customer_uses: None,
        }
    }

    #[test]
    fn eligible_by_default() {
        assert_eq!(eligibility(&promo(), &basket()), Ok(()));
    }

    #[test]
    fn inactive_wins_over_everything_else() {
        let p = Promotion { active: false, ends_at: Some(0), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Err(Ineligible::Inactive));
    }

    #[test]
    fn window_start_is_inclusive() {
        let p = Promotion { starts_at: Some(1_001), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Err(Ineligible::NotStarted));
        let p = Promotion { starts_at: Some(1_000), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Ok(()));
    }

    #[test]
    fn window_end_is_exclusive() {
        let p = Promotion { ends_at: Some(1_000), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Err(Ineligible::Expired));
        let p = Promotion { ends_at: Some(1_001), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Ok(()));
    }

    #[test]
    fn exhausted_when_usage_limit_reached() {
        let p = Promotion { usage_limit: Some(5), times_used: 5, ..promo() };
        assert_eq!(eligibility(&p, &basket()), Err(Ineligible::Exhausted));
        let p = Promotion { usage_limit: Some(5), times_used: 4, ..promo() };
        assert_eq!(eligibility(&p, &basket()), Ok(()));
    }

    #[test]
    fn per_customer_limit_checked_only_for_known_customers() {
        let p = Promotion { per_customer_limit: Some(1), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Ok(()), "guests are not checked");

        let used = Basket { customer_uses: Some(HashMap::from([("promo".to_string(), 1)])), ..basket() };
        assert_eq!(eligibility(&p, &used), Err(Ineligible::CustomerLimit));

        let unused = Basket { customer_uses: Some(HashMap::from([("other".to_string(), 3)])), ..basket() };
        assert_eq!(eligibility(&p, &unused), Ok(()));
    }

    #[test]
    fn min_subtotal_counts_only_matching_lines() {
        let p = Promotion { seller_id: Some("s1".into()), min_subtotal: 1_200, ..promo() };
        assert_eq!(eligibility(&p, &basket()), Err(Ineligible::MinSubtotal { required: 1_200, subtotal: 1_000 }));
        let p = Promotion { min_subtotal: 1_200, ..promo() };
        assert_eq!(eligibility(&p, &basket()), Ok(()));
    }

    #[test]
    fn product_scope() {
        let p = Promotion { scope: Scope::Products(vec!["p2".into()]), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Ok(()));
        let p = Promotion { scope: Scope::Products(vec!["p9".into()]), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Err(Ineligible::NoMatchingItems));
    }

    #[test]
    fn category_scope_reaches_ancestor_categories() {
        let b = basket();
        let p = Promotion { scope: Scope::Categories(vec!["clothing".into()]), ..promo() };
        assert!(p.matches(&b.lines[0]));
        assert!(!p.matches(&b.lines[1]));
        let p = Promotion { scope: Scope::Categories(vec!["toys".into()]), ..promo() };
        assert_eq!(eligibility(&p, &b), Err(Ineligible::NoMatchingItems));
    }

    #[test]
    fn seller_filter_combines_with_scope() {
        let p = Promotion { seller_id: Some("s2".into()), scope: Scope::Products(vec!["p1".into()]), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Err(Ineligible::NoMatchingItems));
        let p = Promotion { seller_id: Some("s9".into()), ..promo() };
        assert_eq!(eligibility(&p, &basket()), Err(Ineligible::NoMatchingItems));
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(Ineligible::MinSubtotal { required: 1, subtotal: 0 }.code(), "code_min_subtotal");
        assert_eq!(Ineligible::NoMatchingItems.code(), "code_not_applicable");
        assert_eq!(Ineligible::NotCombinable.code(), "code_not_combinable");
    }
}
