//! The `[auth]` section of the configuration.

use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Key that signs access tokens (32+ characters). Empty: generated once in the data dir.
    pub jwt_secret: Option<String>,
    pub access_ttl_secs: u64,
    pub refresh_ttl_days: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self { jwt_secret: None, access_ttl_secs: 15 * 60, refresh_ttl_days: 30 }
    }
}

/// The section's name: the users context signs the tokens every route checks.
pub const SECTION: &str = "auth";

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let s: Self = section.read()?;
        if s.jwt_secret.as_ref().is_some_and(|k| k.len() < 32) {
            return Err(section.bad("jwt_secret", "must be at least 32 characters (or left out to generate one)"));
        }
        if s.access_ttl_secs == 0 || s.access_ttl_secs > 3600 {
            return Err(section.bad("access_ttl_secs", "must be between 1 and 3600"));
        }
        if s.refresh_ttl_days == 0 || s.refresh_ttl_days > 365 {
            return Err(section.bad("refresh_ttl_days", "must be between 1 and 365"));
        }
        Ok(s)
    }

    pub fn access_ttl(&self) -> Duration {
        Duration::from_secs(self.access_ttl_secs)
    }

    pub fn refresh_ttl(&self) -> Duration {
        Duration::from_secs(self.refresh_ttl_days * 24 * 3600)
    }
}
