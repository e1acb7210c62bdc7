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
    /// How long an e-mailed password reset link works.
    pub reset_token_minutes: u64,
    /// How long an e-mailed address verification link works.
    pub verify_token_hours: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            jwt_secret: None,
            access_ttl_secs: 15 * 60,
            refresh_ttl_days: 30,
            reset_token_minutes: 30,
            verify_token_hours: 48,
        }
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
        if !(5..=1440).contains(&s.reset_token_minutes) {
            return Err(section.bad("reset_token_minutes", "must be between 5 and 1440"));
        }
        if !(1..=720).contains(&s.verify_token_hours) {
            return Err(section.bad("verify_token_hours", "must be between 1 and 720"));
        }
        Ok(s)
    }

    pub fn access_ttl(&self) -> Duration {
        Duration::from_secs(self.access_ttl_secs)
    }

    pub fn refresh_ttl(&self) -> Duration {
        Duration::from_secs(self.refresh_ttl_days * 24 * 3600)
    }

    pub fn reset_ttl(&self) -> Duration {
        Duration::from_secs(self.reset_token_minutes * 60)
    }

    pub fn verify_ttl(&self) -> Duration {
        Duration::from_secs(self.verify_token_hours * 3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: serde_json::Value) -> Result<Settings, SettingsError> {
        Settings::read(&Section::new(SECTION, Some(value)))
    }

    #[test]
    fn link_lifetimes_default_and_stay_within_bounds() {
        let s = read(json!({})).expect("defaults");
        assert_eq!((s.reset_ttl().as_secs(), s.verify_ttl().as_secs()), (30 * 60, 48 * 3600));
        assert!(read(json!({"reset_token_minutes": 5, "verify_token_hours": 720})).is_ok());
        for bad in [json!({"reset_token_minutes": 4}), json!({"reset_token_minutes": 1441})] {
            assert!(read(bad).is_err_and(|e| e.0.contains("auth.reset_token_minutes")));
        }
        for bad in [json!({"verify_token_hours": 0}), json!({"verify_token_hours": 721})] {
            assert!(read(bad).is_err_and(|e| e.0.contains("auth.verify_token_hours")));
        }
    }
}
