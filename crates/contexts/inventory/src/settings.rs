//! The `[inventory]` section of the configuration.

use crate::InventoryConfig;
use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// How long a checkout's reservation holds stock unless it is committed or released.
    pub reservation_ttl_secs: u64,
    /// How often expired reservations are released.
    pub sweep_interval_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self { reservation_ttl_secs: 15 * 60, sweep_interval_secs: 30 }
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let s: Self = section.read()?;
        if !(10..=7 * 24 * 3600).contains(&s.reservation_ttl_secs) {
            return Err(section.bad("reservation_ttl_secs", "must be between 10 and 604800 (a week)"));
        }
        if !(1..=3600).contains(&s.sweep_interval_secs) {
            return Err(section.bad("sweep_interval_secs", "must be between 1 and 3600"));
        }
        Ok(s)
    }

    pub fn config(&self) -> InventoryConfig {
        InventoryConfig { reservation_ttl: Duration::from_secs(self.reservation_ttl_secs) }
    }

    pub fn sweep_interval(&self) -> Duration {
        Duration::from_secs(self.sweep_interval_secs)
    }
}
