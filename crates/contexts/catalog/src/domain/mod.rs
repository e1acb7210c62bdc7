//! The catalog's rules: slugs, statuses, prices, ratings. No I/O and no serde.

mod slug;

pub use slug::{Slug, slugify};

use kernel::Error;

/// Whether customers can see a product (together with its seller being approved).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductStatus {
    Draft,
    Active,
    Archived,
}

impl ProductStatus {
    pub fn parse(field: &str, s: &str) -> Result<Self, Error> {
        match s {
            "draft" => Ok(Self::Draft),
            "active" => Ok(Self::Active),
            "archived" => Ok(Self::Archived),
            _ => Err(Error::invalid_field(field, "must be one of draft, active, archived")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Archived => "archived",
        }
    }
}

/// The highest price a variant may carry, in minor units: ten billion in the major unit. Above
/// that a value is a typo (or an overflow attack on totals), not a product.
pub const MAX_PRICE_MINOR: i64 = 1_000_000_000_000;

/// A price in minor units (cents): an integer from 0 to [`MAX_PRICE_MINOR`].
pub fn price(field: &str, minor: i64) -> Result<i64, Error> {
    if !(0..=MAX_PRICE_MINOR).contains(&minor) {
        return Err(Error::invalid_field(
            field,
            format!("must be an integer from 0 to {MAX_PRICE_MINOR} (minor units)"),
        ));
    }
    Ok(minor)
}

/// A physical measure (grams, millimetres): absent, or a positive integer below a sane bound.
pub fn measure(field: &str, value: Option<i64>) -> Result<Option<i64>, Error> {
    match value {
        Some(v) if !(0..=100_000_000).contains(&v) => {
            Err(Error::invalid_field(field, "must be an integer from 0 to 100000000"))
        }
        v => Ok(v),
    }
}

/// A SKU: 1–64 characters of letters, digits, `-`, `_`, `.` and `/`, kept as typed but
/// compared case-insensitively by storing it upper-cased.
pub fn sku(field: &str, raw: &str) -> Result<String, Error> {
    let s = raw.trim();
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if !ok {
        return Err(Error::invalid_field(field, "must be 1-64 letters, digits, '-', '_', '.' or '/'"));
    }
    Ok(s.to_ascii_uppercase())
}

/// A review's star rating.
pub fn rating(field: &str, stars: i64) -> Result<i64, Error> {
    if !(1..=5).contains(&stars) {
        return Err(Error::invalid_field(field, "must be an integer from 1 to 5"));
    }
    Ok(stars)
}

/// A required short text: trimmed, non-empty, at most `max` characters, no control characters
/// but newlines.
pub fn required_text(field: &str, raw: &str, max: usize) -> Result<String, Error> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(Error::invalid_field(field, "is required"));
    }
    optional_text(field, text, max)
}

/// A text that may be empty.
pub fn optional_text(field: &str, raw: &str, max: usize) -> Result<String, Error> {
    let text = raw.trim();
    if text.chars().count() > max || text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Error::invalid_field(field, format!("must be at most {max} printable characters")));
    }
    Ok(text.to_owned())
}

/// The average star rating to one decimal, from a count and a sum.
pub fn rating_average(count: i64, sum: i64) -> f64 {
    if count <= 0 { 0.0 } else { (sum as f64 / count as f64 * 10.0).round() / 10.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_bounded_integers() {
        assert!(price("p", -1).is_err());
        assert!(price("p", MAX_PRICE_MINOR + 1).is_err());
        assert_eq!(price("p", 0).ok(), Some(0));
    }

    #[test]
    fn skus_are_normalised() {
        assert_eq!(sku("s", " ab-1.x ").ok().as_deref(), Some("AB-1.X"));
        assert!(sku("s", "a b").is_err());
        assert!(sku("s", "").is_err());
        assert!(sku("s", &"x".repeat(65)).is_err());
    }

    #[test]
    fn averages_round_to_one_decimal() {
        assert_eq!(rating_average(0, 0), 0.0);
        assert_eq!(rating_average(3, 13), 4.3);
        assert_eq!(rating_average(2, 9), 4.5);
    }
}
