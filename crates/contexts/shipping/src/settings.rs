//! The `[shipping]` section of the configuration.

use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where the cart's shipping estimate is priced to before the customer gives an address
    /// (ISO 3166-1 alpha-2).
    pub default_country: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self { default_country: "US".into() }
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let mut s: Self = section.read()?;
        s.default_country = s.default_country.trim().to_ascii_uppercase();
        if !kernel::geo::Destination::new(&s.default_country, None, None).country_valid() {
            return Err(section.bad("default_country", "must be an ISO 3166-1 alpha-2 code such as US or DE"));
        }
        Ok(s)
    }
}
