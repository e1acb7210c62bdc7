//! The `[orders]` section of the configuration.

use crate::service::OrdersConfig;
use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// How long checkout holds the stock: the time a customer has to finish a payment action
    /// (3-D Secure) or, in the two-step form, to pay.
    pub hold_minutes: u64,
    /// How long a checkout left half-way (its server stopped) waits before another run
    /// resumes or undoes it.
    pub resume_after_secs: u64,
    /// The first wait before a failed checkout step is tried again (it doubles each time).
    pub retry_secs: u64,
    /// How long after a part is delivered its lines may be returned.
    pub return_days: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self { hold_minutes: 15, resume_after_secs: 30, retry_secs: 2, return_days: 30 }
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let s: Self = section.read()?;
        if !(1..=24 * 60).contains(&s.hold_minutes) {
            return Err(section.bad("hold_minutes", "must be between 1 and 1440"));
        }
        if !(1..=3600).contains(&s.resume_after_secs) {
            return Err(section.bad("resume_after_secs", "must be between 1 and 3600"));
        }
        if !(1..=600).contains(&s.retry_secs) {
            return Err(section.bad("retry_secs", "must be between 1 and 600"));
        }
        if !(1..=365).contains(&s.return_days) {
            return Err(section.bad("return_days", "must be between 1 and 365"));
        }
        Ok(s)
    }

    pub fn config(&self, currency: &str) -> OrdersConfig {
        OrdersConfig {
            currency: currency.to_owned(),
            hold: Duration::from_secs(self.hold_minutes * 60),
            lease: Duration::from_secs(self.resume_after_secs),
            retry: Duration::from_secs(self.retry_secs),
            return_window: Duration::from_secs(self.return_days * 24 * 3600),
            ..OrdersConfig::default()
        }
    }

    /// How often due checkouts are looked for: a woken checkout waits at most this long.
    pub fn sweep_interval(&self) -> Duration {
        Duration::from_secs(self.resume_after_secs.clamp(1, 2))
    }
}
