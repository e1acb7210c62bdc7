//! The `[payments]` section of the configuration.

use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The payment provider: `sandbox` (built in: test tokens, no money moves). Stripe follows.
    pub provider: String,
    /// A payment whose provider answer was lost is looked up after this many seconds.
    pub reconcile_after_secs: u64,
    /// How often such payments are looked for.
    pub reconcile_interval_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self { provider: "sandbox".into(), reconcile_after_secs: 60, reconcile_interval_secs: 30 }
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let s: Self = section.read()?;
        if s.provider != "sandbox" {
            return Err(section.bad("provider", "must be `sandbox` (the only provider built so far)"));
        }
        if !(5..=3600).contains(&s.reconcile_after_secs) {
            return Err(section.bad("reconcile_after_secs", "must be between 5 and 3600"));
        }
        if !(1..=3600).contains(&s.reconcile_interval_secs) {
            return Err(section.bad("reconcile_interval_secs", "must be between 1 and 3600"));
        }
        Ok(s)
    }

    pub fn reconcile_after(&self) -> Duration {
        Duration::from_secs(self.reconcile_after_secs)
    }

    pub fn reconcile_interval(&self) -> Duration {
        Duration::from_secs(self.reconcile_interval_secs)
    }
}
