//! The `[shipping]` section of the configuration.

use crate::webhook::Format;
use module::{Section, SettingsError};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

/// The shortest webhook secret taken: anything shorter could be guessed.
pub const MIN_SECRET: usize = 16;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where the cart's shipping estimate is priced to before the customer gives an address
    /// (ISO 3166-1 alpha-2).
    pub default_country: String,
    /// `[shipping.webhooks]`: per provider (`builtin`, `shippo`), the secret its tracking
    /// webhook must present. A provider left out has no webhook here.
    pub webhooks: BTreeMap<String, WebhookSecret>,
}

impl Default for Settings {
    fn default() -> Self {
        Self { default_country: "US".into(), webhooks: BTreeMap::new() }
    }
}

/// A shared secret. It shows as `…` in `Debug` and when serialised, so no log line or dump
/// of the settings carries it.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"…\"")
    }
}

impl Serialize for WebhookSecret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("…")
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let mut s: Self = section.read()?;
        s.default_country = s.default_country.trim().to_ascii_uppercase();
        if !kernel::geo::Destination::new(&s.default_country, None, None).country_valid() {
            return Err(section.bad("default_country", "must be an ISO 3166-1 alpha-2 code such as US or DE"));
        }
        for (provider, secret) in &mut s.webhooks {
            let key = format!("webhooks.{provider}");
            if Format::of(provider).is_none() {
                let known = Format::NAMES.join(" or ");
                return Err(section.bad(&key, &format!("is not a tracking webhook provider ({known})")));
            }
            secret.0 = secret.0.trim().to_owned();
            if secret.0.chars().count() < MIN_SECRET {
                return Err(section.bad(&key, &format!("must be a secret of at least {MIN_SECRET} characters")));
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(value: serde_json::Value) -> Result<Settings, SettingsError> {
        Settings::read(&Section::new("shipping", Some(value)))
    }

    #[test]
    fn webhook_secrets_are_checked_and_never_shown() {
        let s = read(serde_json::json!({"webhooks": {"shippo": " a-long-enough-secret "}})).expect("valid");
        assert_eq!(s.webhooks["shippo"].expose(), "a-long-enough-secret");
        let shown = format!("{s:?} {}", serde_json::to_string(&s).unwrap_or_default());
        assert!(!shown.contains("a-long-enough-secret"), "{shown}");
        let e = read(serde_json::json!({"webhooks": {"ups": "a-long-enough-secret"}})).expect_err("unknown");
        assert!(e.0.starts_with("shipping.webhooks.ups:"), "{e}");
        let e = read(serde_json::json!({"webhooks": {"builtin": "short"}})).expect_err("short");
        assert!(e.0.contains("at least 16"), "{e}");
    }
}
