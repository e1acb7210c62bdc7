//! The `[catalog]` section of the configuration.

use crate::CatalogConfig;
use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The store's currency (ISO 4217 code); every price is in it.
    pub currency: String,
    /// Largest image upload, in bytes.
    pub max_upload_bytes: usize,
    /// Longest a cached product or listing answer may be served, in seconds.
    pub cache_ttl_secs: u64,
    /// Base URL of product pictures as clients reach them (e.g. a CDN in front of `/media`).
    pub media_base: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            currency: "USD".into(),
            max_upload_bytes: 10 * 1024 * 1024,
            cache_ttl_secs: 300,
            media_base: "/media".into(),
        }
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let s: Self = section.read()?;
        if s.currency.len() != 3 || !s.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(section.bad("currency", "must be an ISO 4217 code such as USD or EUR"));
        }
        if s.max_upload_bytes < 1024 || s.max_upload_bytes > 100 * 1024 * 1024 {
            return Err(section.bad("max_upload_bytes", "must be between 1024 and 104857600"));
        }
        if s.cache_ttl_secs > 300 {
            return Err(
                section.bad("cache_ttl_secs", "must be at most 300 (answers are never older than five minutes)")
            );
        }
        Ok(s)
    }

    pub fn config(&self) -> CatalogConfig {
        CatalogConfig {
            currency: self.currency.clone(),
            media_base: self.media_base.clone(),
            cache_ttl: Duration::from_secs(self.cache_ttl_secs),
            max_upload_bytes: self.max_upload_bytes,
            ..CatalogConfig::default()
        }
    }
}
