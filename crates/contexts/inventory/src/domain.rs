//! Stock rules without I/O: what an adjustment does, and how a line is spread over locations.

use kernel::{Error, Result};

/// Why on-hand stock changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentKind {
    /// Goods arrived (adds).
    Received,
    /// A customer return went back on the shelf (adds).
    Returned,
    /// Broken, lost or expired goods (removes).
    Damaged,
    /// A count found a different number: sets on-hand to what was counted.
    Corrected,
    /// Sold: a committed reservation left the building (removes; made by the system).
    Sold,
}

impl AdjustmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Returned => "returned",
            Self::Damaged => "damaged",
            Self::Corrected => "corrected",
            Self::Sold => "sold",
        }
    }

    /// The kinds a person may record; `sold` only comes from committed reservations.
    pub fn parse_manual(s: &str) -> Result<Self> {
        match s {
            "received" => Ok(Self::Received),
            "returned" => Ok(Self::Returned),
            "damaged" => Ok(Self::Damaged),
            "corrected" => Ok(Self::Corrected),
            _ => Err(Error::invalid_field("kind", "must be one of received, returned, damaged, corrected")),
        }
    }
}

/// The largest stock quantity accepted in one line or adjustment.
pub const MAX_QUANTITY: i64 = 1_000_000_000;

/// A positive whole quantity within bounds.
/// The catalog's SKU alphabet: 1–64 letters, digits, `-`, `_`, `.` and `/`.
pub fn sku_ok(sku: &str) -> bool {
    (1..=64).contains(&sku.len())
        && sku.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

pub fn positive_quantity(field: &str, q: i64) -> Result<i64> {
    if q <= 0 {
        Err(Error::invalid_field(field, "must be a whole number above 0"))
    } else if q > MAX_QUANTITY {
        Err(Error::invalid_field(field, format!("must be at most {MAX_QUANTITY}")))
    } else {
        Ok(q)
    }
}

/// Where to take `quantity` from, given `(location, available)` in preference order: the first
/// location that holds the whole line, otherwise the locations in order until it is covered.
/// `None` when all of them together hold too little.
pub fn allocate(quantity: i64, levels: &[(String, i64)]) -> Option<Vec<(String, i64)>> {
    if let Some((loc, _)) = levels.iter().find(|(_, avail)| *avail >= quantity) {
        return Some(vec![(loc.clone(), quantity)]);
    }
    let mut plan = Vec::new();
    let mut left = quantity;
    for (loc, avail) in levels {
        if left == 0 {
            break;
        }
        let take = (*avail).min(left);
        if take > 0 {
            plan.push((loc.clone(), take));
            left -= take;
        }
    }
    (left == 0).then_some(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(v: &[(&str, i64)]) -> Vec<(String, i64)> {
        v.iter().map(|(l, a)| ((*l).to_owned(), *a)).collect()
    }

    #[test]
    fn one_location_when_it_holds_the_whole_line() {
        let plan = allocate(5, &levels(&[("a", 3), ("b", 7), ("c", 9)]));
        assert_eq!(plan, Some(vec![("b".to_owned(), 5)]));
    }

    #[test]
    fn splits_in_order_when_no_location_holds_it() {
        let plan = allocate(10, &levels(&[("a", 4), ("b", 0), ("c", 5), ("d", 3)]));
        assert_eq!(plan, Some(vec![("a".to_owned(), 4), ("c".to_owned(), 5), ("d".to_owned(), 1)]));
    }

    #[test]
    fn none_when_all_together_hold_too_little() {
        assert_eq!(allocate(10, &levels(&[("a", 4), ("b", 5)])), None);
        assert_eq!(allocate(1, &[]), None);
    }

    #[test]
    fn quantities_are_bounded() {
        assert!(positive_quantity("q", 0).is_err());
        assert!(positive_quantity("q", -1).is_err());
        assert!(positive_quantity("q", MAX_QUANTITY + 1).is_err());
        assert_eq!(positive_quantity("q", 3).ok(), Some(3));
    }

    #[test]
    fn manual_kinds_exclude_sold() {
        assert!(AdjustmentKind::parse_manual("sold").is_err());
        assert_eq!(AdjustmentKind::parse_manual("damaged").ok(), Some(AdjustmentKind::Damaged));
    }
}
