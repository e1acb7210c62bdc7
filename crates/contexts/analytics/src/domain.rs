//! What the aggregates count, and the buckets they count in. No I/O.
//!
//! - `orders`: orders confirmed (paid) in the bucket; for a seller, confirmed orders holding
//!   at least one of their lines.
//! - `units`: items in those orders (a seller's: in their lines).
//! - `revenue`: the shop's is the orders' totals as charged (after discounts, with shipping
//!   and tax); a seller's is their lines' totals (after discounts; no shipping).
//! - `cancelled`: orders cancelled after they were confirmed (a checkout whose payment failed
//!   never counted as an order).
//! - `refunded`: money returned in the bucket, by when it was refunded (the shop's only: a
//!   refund is of a payment, which belongs to no single seller).

use std::ops::AddAssign;

pub const HOUR: i64 = 3_600_000_000;
pub const DAY: i64 = 24 * HOUR;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    Hour,
    Day,
}

impl Grain {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
        }
    }

    pub fn span(self) -> i64 {
        match self {
            Self::Hour => HOUR,
            Self::Day => DAY,
        }
    }

    /// The start of the bucket holding `at` (UTC microseconds).
    pub fn floor(self, at: i64) -> i64 {
        at.div_euclid(self.span()) * self.span()
    }

    /// Every bucket start from the one holding `since` up to `until` (exclusive).
    pub fn buckets(self, since: i64, until: i64) -> impl Iterator<Item = i64> {
        let span = self.span();
        (self.floor(since)..until).step_by(usize::try_from(span).unwrap_or(usize::MAX))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub orders: i64,
    pub units: i64,
    pub revenue: i64,
    pub cancelled: i64,
    pub refunded: i64,
}

impl AddAssign for Tally {
    fn add_assign(&mut self, o: Self) {
        self.orders += o.orders;
        self.units += o.units;
        self.revenue += o.revenue;
        self.cancelled += o.cancelled;
        self.refunded += o.refunded;
    }
}

/// The shop ('') or a seller, in a currency.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub seller_id: String,
    pub currency: String,
}

/// A line of a confirmed order, as the aggregates need it.
#[derive(Debug, Clone)]
pub struct SoldLine {
    pub seller_id: String,
    pub product_id: String,
    pub quantity: i64,
    pub total: i64,
}

/// What a bucket's keys gain: the shop's and each seller's tallies.
pub type KeyTallies = Vec<(Key, Tally)>;
/// What a day's products gain, per seller and product id.
pub type ProductTallies = Vec<(Key, String, Tally)>;

/// What one confirmed order adds: to the shop, to each seller in it, and per product.
pub fn sale_tallies(total: i64, currency: &str, lines: &[SoldLine]) -> (KeyTallies, ProductTallies) {
    let key = |seller: &str| Key { seller_id: seller.to_owned(), currency: currency.to_owned() };
    let units = lines.iter().map(|l| l.quantity).sum();
    let mut sellers: Vec<(Key, Tally)> =
        vec![(key(""), Tally { orders: 1, units, revenue: total, ..Tally::default() })];
    let mut products: ProductTallies = Vec::new();
    for l in lines {
        let line = Tally { units: l.quantity, revenue: l.total, ..Tally::default() };
        match sellers.iter_mut().find(|(k, _)| k.seller_id == l.seller_id) {
            Some((_, t)) => *t += line,
            None => sellers.push((key(&l.seller_id), Tally { orders: 1, ..line })),
        }
        match products.iter_mut().find(|(k, p, _)| k.seller_id == l.seller_id && *p == l.product_id) {
            Some((_, _, t)) => *t += line,
            None => products.push((key(&l.seller_id), l.product_id.clone(), line)),
        }
    }
    (sellers, products)
}

/// `revenue / orders`, rounded half up to the minor unit; 0 without orders.
pub fn average_order_value(revenue: i64, orders: i64) -> i64 {
    if orders == 0 { 0 } else { (2 * revenue + orders).div_euclid(2 * orders) }
}

/// A cancellation counts only for an order that had been confirmed.
pub fn cancel_counts(from_state: &str) -> bool {
    !matches!(from_state, "pending" | "payment_pending")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_order_value_rounds_half_up() {
        assert_eq!(average_order_value(0, 0), 0);
        assert_eq!(average_order_value(1000, 3), 333);
        assert_eq!(average_order_value(1001, 2), 501);
        assert_eq!(average_order_value(1000, 4), 250);
    }

    #[test]
    fn buckets_start_on_the_utc_hour_and_day() {
        let at = 1_700_000_123_456_789;
        assert_eq!(Grain::Hour.floor(at) % HOUR, 0);
        assert!(Grain::Hour.floor(at) <= at && at - Grain::Hour.floor(at) < HOUR);
        assert_eq!(Grain::Day.floor(at) % DAY, 0);
        assert_eq!(Grain::Day.buckets(at, at + 2 * DAY).count(), 3);
        assert_eq!(Grain::Day.buckets(Grain::Day.floor(at), Grain::Day.floor(at) + DAY).count(), 1);
    }

    #[test]
    fn an_order_of_two_sellers_counts_once_for_the_shop_and_once_for_each() {
        let line =
            |s: &str, p: &str, q, t| SoldLine { seller_id: s.into(), product_id: p.into(), quantity: q, total: t };
        let lines = [line("usr_a", "prd_1", 2, 2000), line("usr_b", "prd_2", 1, 700), line("usr_a", "prd_1", 1, 1000)];
        let (sellers, products) = sale_tallies(4200, "USD", &lines);
        let of = |s: &str| sellers.iter().find(|(k, _)| k.seller_id == s).map(|(_, t)| *t).expect("seller");
        assert_eq!(of(""), Tally { orders: 1, units: 4, revenue: 4200, ..Tally::default() });
        assert_eq!(of("usr_a"), Tally { orders: 1, units: 3, revenue: 3000, ..Tally::default() });
        assert_eq!(of("usr_b"), Tally { orders: 1, units: 1, revenue: 700, ..Tally::default() });
        assert_eq!(products.len(), 2);
        assert!(cancel_counts("confirmed") && !cancel_counts("payment_pending"));
    }
}
