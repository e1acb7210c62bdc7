//! The `[webhooks]` section of the configuration.

use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// UNSAFE in production: also take `http://` endpoints, whose deliveries anyone on the
    /// path can read and forge. For tests and local development only.
    pub allow_http: bool,
    /// UNSAFE in production: let endpoints resolve to loopback, private, link-local and other
    /// internal addresses, which lets whoever registers an endpoint make the server call its
    /// own network (SSRF). For tests and local development only.
    pub allow_private: bool,
    /// How many endpoints one admin or seller may keep (1-1000).
    pub max_endpoints_per_owner: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self { allow_http: false, allow_private: false, max_endpoints_per_owner: 20 }
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let s: Self = section.read()?;
        if !(1..=1000).contains(&s.max_endpoints_per_owner) {
            return Err(section.bad("max_endpoints_per_owner", "must be between 1 and 1000"));
        }
        if s.allow_http || s.allow_private {
            tracing::warn!(
                allow_http = s.allow_http,
                allow_private = s.allow_private,
                "webhooks may reach plain-HTTP or internal addresses: for tests and development only"
            );
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(value: serde_json::Value) -> Result<Settings, SettingsError> {
        Settings::read(&Section::new("webhooks", Some(value)))
    }

    #[test]
    fn defaults_are_safe_and_bounds_checked() {
        let s = read(serde_json::json!({})).expect("defaults");
        assert!(!s.allow_http && !s.allow_private);
        assert_eq!(s.max_endpoints_per_owner, 20);
        let e = read(serde_json::json!({"max_endpoints_per_owner": 0})).expect_err("zero");
        assert!(e.0.starts_with("webhooks.max_endpoints_per_owner:"), "{e}");
        assert!(read(serde_json::json!({"allow_ftp": true})).is_err());
    }
}
