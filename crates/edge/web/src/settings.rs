//! The `[web]` section of the configuration. The shop's name and public address are the
//! `[notifications]` section's `shop_name` and `base_url`, one place for both.

use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};

pub const SECTION: &str = "web";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// One line under the name, for the home page and search engines.
    pub tagline: String,
    /// How money and dates are written: `en-US`, `en-GB`, `de-DE`, `fr-FR`, `nl-NL`, `es-ES`,
    /// `it-IT`.
    pub locale: String,
    /// Mark cookies `Secure` and give them the `__Host-` prefix. Turn on whenever shoppers reach
    /// the shop over HTTPS (a TLS proxy in front of it); browsers refuse such cookies over plain
    /// HTTP, which is why it is off for the local demo.
    pub secure_cookies: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            tagline: "Everything for the home, the road and the weekend.".into(),
            locale: "en-US".into(),
            secure_cookies: false,
        }
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let s: Self = section.read()?;
        if s.tagline.chars().count() > 160 {
            return Err(section.bad("tagline", "must be at most 160 characters"));
        }
        if crate::format::Locale::parse(&s.locale).is_none() {
            return Err(section.bad("locale", "must be one of en-US, en-GB, de-DE, fr-FR, nl-NL, es-ES, it-IT"));
        }
        Ok(s)
    }
}
