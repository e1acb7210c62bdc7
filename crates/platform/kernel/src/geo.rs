//! Where goods go, as the shipping and tax contexts need it: a country and, where rates or
//! rules differ within it, a region.

/// A delivery destination. `country` is ISO 3166-1 alpha-2, upper-case; `region` is the
/// subdivision code as the customer gave it (`CA`, `BY`), upper-case; `postal_code` as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Destination {
    pub country: String,
    pub region: Option<String>,
    pub postal_code: Option<String>,
}

impl Destination {
    /// Normalises the codes (trimmed, upper-case, an empty region is none).
    pub fn new(country: &str, region: Option<&str>, postal_code: Option<&str>) -> Self {
        let clean = |s: &str| s.trim().to_ascii_uppercase();
        Self {
            country: clean(country),
            region: region.map(clean).filter(|r| !r.is_empty()),
            postal_code: postal_code.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()),
        }
    }

    /// A two-letter country code.
    pub fn country_valid(&self) -> bool {
        self.country.len() == 2 && self.country.bytes().all(|b| b.is_ascii_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised() {
        let d = Destination::new(" de ", Some(" by"), Some(""));
        assert_eq!(d, Destination { country: "DE".into(), region: Some("BY".into()), postal_code: None });
        assert!(d.country_valid());
        assert!(!Destination::new("DEU", None, None).country_valid());
        assert_eq!(Destination::new("us", Some("  "), None).region, None);
    }
}
