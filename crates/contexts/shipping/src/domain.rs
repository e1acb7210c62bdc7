//! The shipping rules, pure: which zone serves a destination, and what a method charges for
//! the parcels of an order. No storage, no clock, no serde.
//!
//! Money is `i64` minor units of the store's currency; weights are grams. Nothing here
//! rejects input (the service does, before storing it): negative measures count as zero and
//! sums saturate, so a price is never negative and never overflows.

pub mod tracking;

use kernel::geo::Destination;

/// The most rows a rate table may hold.
pub const MAX_RATES: usize = 50;

/// What a parcel of one seller weighs and is worth: what a method prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parcel {
    pub seller_id: String,
    pub weight_g: i64,
    /// The parcel's goods after discounts, in minor units.
    pub value: i64,
}

/// What one seller's parcel costs to ship by a method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerShipping {
    pub seller_id: String,
    pub amount: i64,
}

/// A country a zone covers, whole (`region: None`) or one region of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub country: String,
    pub region: Option<String>,
}

/// A zone as the rules see it: its id and the areas it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    pub id: String,
    pub areas: Vec<Area>,
}

/// How well a zone matches a destination; the better match wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coverage {
    /// The zone covers the destination's whole country.
    Country,
    /// The zone lists the destination's region itself.
    Region,
}

impl Zone {
    /// How this zone covers `to`, if it does. A zone listing some regions of a country serves
    /// only those regions, not the rest of the country.
    pub fn coverage(&self, to: &Destination) -> Option<Coverage> {
        let in_country = || self.areas.iter().filter(|a| a.country == to.country);
        if to.region.is_some() && in_country().any(|a| a.region == to.region) {
            return Some(Coverage::Region);
        }
        in_country().any(|a| a.region.is_none()).then_some(Coverage::Country)
    }
}

/// The zone serving `to`: the most specific match (region over whole country), the first
/// in `zones` among equals, so callers pass them in creation order.
pub fn zone_for<'a>(zones: &'a [Zone], to: &Destination) -> Option<&'a Zone> {
    let mut best: Option<(Coverage, &Zone)> = None;
    for zone in zones {
        if let Some(c) = zone.coverage(to)
            && best.is_none_or(|(b, _)| c > b)
        {
            best = Some((c, zone));
        }
    }
    best.map(|(_, z)| z)
}

/// What a method's rate table is indexed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// One price per parcel, whatever it holds.
    Flat,
    /// By the parcel's weight in grams.
    Weight,
    /// By the parcel's value in minor units.
    Value,
}

impl Basis {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "flat" => Some(Self::Flat),
            "weight" => Some(Self::Weight),
            "value" => Some(Self::Value),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Flat => "flat",
            Self::Weight => "weight",
            Self::Value => "value",
        }
    }
}

/// One row of a rate table: from this measure up (grams or minor units; 0 for flat), this
/// amount per parcel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub from: i64,
    pub amount: i64,
}

/// A method's pricing: its basis, its rate table and the value from which a parcel ships free.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    pub basis: Basis,
    /// Holds a row from 0 (the service checks it); the order of rows does not matter.
    pub rates: Vec<Rate>,
    pub free_over: Option<i64>,
}

impl Tariff {
    /// The rate for a measure: the row with the greatest `from` not above it. A measure below
    /// every row (impossible with the row from 0) takes the lowest row.
    pub fn rate(&self, measure: i64) -> i64 {
        let at_or_below = self.rates.iter().filter(|r| r.from <= measure).max_by_key(|r| r.from);
        at_or_below.or_else(|| self.rates.iter().min_by_key(|r| r.from)).map_or(0, |r| r.amount.max(0))
    }

    /// What one parcel costs: free from `free_over` on, else the rate for its measure.
    pub fn parcel_price(&self, weight_g: i64, value: i64) -> i64 {
        let (weight_g, value) = (weight_g.max(0), value.max(0));
        if self.free_over.is_some_and(|f| value >= f) {
            return 0;
        }
        self.rate(match self.basis {
            Basis::Flat => 0,
            Basis::Weight => weight_g,
            Basis::Value => value,
        })
    }

    /// Each seller's shipping (in first-seen order) and their sum. Every seller ships its own
    /// goods, so parcels are priced per seller, one seller's parcels merged into one first.
    pub fn price(&self, parcels: &[Parcel]) -> (i64, Vec<SellerShipping>) {
        let per_seller: Vec<SellerShipping> = merge(parcels)
            .into_iter()
            .map(|p| SellerShipping { amount: self.parcel_price(p.weight_g, p.value), seller_id: p.seller_id })
            .collect();
        let total = per_seller.iter().fold(0i64, |sum, s| sum.saturating_add(s.amount));
        (total, per_seller)
    }
}

/// One parcel per seller, in the order each seller first appears, weights and values added
/// (negative ones counting as zero).
pub fn merge(parcels: &[Parcel]) -> Vec<Parcel> {
    let mut merged: Vec<Parcel> = Vec::new();
    for p in parcels {
        let (weight_g, value) = (p.weight_g.max(0), p.value.max(0));
        match merged.iter_mut().find(|m| m.seller_id == p.seller_id) {
            Some(m) => {
                m.weight_g = m.weight_g.saturating_add(weight_g);
                m.value = m.value.saturating_add(value);
            }
            None => merged.push(Parcel { seller_id: p.seller_id.clone(), weight_g, value }),
        }
    }
    merged
}
