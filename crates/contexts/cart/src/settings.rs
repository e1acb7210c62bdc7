//! The `[cart]` section of the configuration.

use crate::CartConfig;
use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The most units of one variant a cart line may hold.
    pub max_quantity_per_line: i64,
    /// The most lines a cart may hold.
    pub max_lines: usize,
    /// A cart untouched this long is deleted.
    pub idle_days: u64,
    /// How many discount codes one cart may hold at once.
    pub max_codes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self { max_quantity_per_line: 99, max_lines: 100, idle_days: 7, max_codes: 1 }
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let s: Self = section.read()?;
        if !(1..=10_000).contains(&s.max_quantity_per_line) {
            return Err(section.bad("max_quantity_per_line", "must be between 1 and 10000"));
        }
        if !(1..=1000).contains(&s.max_lines) {
            return Err(section.bad("max_lines", "must be between 1 and 1000"));
        }
        if !(1..=90).contains(&s.idle_days) {
            return Err(section.bad("idle_days", "must be between 1 and 90"));
        }
        if !(1..=10).contains(&s.max_codes) {
            return Err(section.bad("max_codes", "must be between 1 and 10"));
        }
        Ok(s)
    }

    pub fn config(&self, currency: &str) -> CartConfig {
        CartConfig {
            currency: currency.to_owned(),
            max_quantity_per_line: self.max_quantity_per_line,
            max_lines: self.max_lines,
            idle: Duration::from_secs(self.idle_days * 24 * 3600),
            max_codes: self.max_codes,
        }
    }

    /// How often idle carts are looked for: a minute is far inside a deadline of days.
    pub fn purge_interval(&self) -> Duration {
        Duration::from_secs(60)
    }
}
