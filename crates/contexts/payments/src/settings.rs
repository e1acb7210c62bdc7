//! The `[payments]` section of the configuration.

use module::{Section, SettingsError};
use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The payment provider: `sandbox` (built in: test tokens, no money moves), `stripe` or
    /// `paypal`.
    pub provider: String,
    pub stripe: StripeSettings,
    pub paypal: PaypalSettings,
    /// A payment whose provider answer was lost is looked up after this many seconds.
    pub reconcile_after_secs: u64,
    /// How often such payments are looked for.
    pub reconcile_interval_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            provider: "sandbox".into(),
            stripe: StripeSettings::default(),
            paypal: PaypalSettings::default(),
            reconcile_after_secs: 60,
            reconcile_interval_secs: 30,
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StripeSettings {
    /// The secret API key (`sk_…`); never logged.
    pub secret_key: String,
    /// Where the API is reached.
    pub api_base: String,
    /// A PEM file of authorities to trust besides the Mozilla roots (a TLS-inspecting proxy).
    pub ca_file: Option<std::path::PathBuf>,
    /// Secrets that sign webhooks (`whsec_…`); two while one is being rotated.
    pub webhook_secrets: Vec<String>,
    /// The longest one call to Stripe may take.
    pub timeout_secs: u64,
    /// The publishable key (`pk_…`) Stripe.js starts with, for the card field on the
    /// storefront's checkout; without it the storefront takes no cards (the API still does).
    pub publishable_key: String,
    /// Where the storefront loads Stripe.js from (a local fake's copy in tests).
    pub js_url: String,
}

impl std::fmt::Debug for StripeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets never reach a log line.
        f.debug_struct("StripeSettings")
            .field("api_base", &self.api_base)
            .field("secret_key", &"…")
            .field("webhook_secrets", &self.webhook_secrets.len())
            .finish_non_exhaustive()
    }
}

impl Default for StripeSettings {
    fn default() -> Self {
        Self {
            secret_key: String::new(),
            api_base: "https://api.stripe.com".into(),
            ca_file: None,
            webhook_secrets: Vec::new(),
            timeout_secs: 10,
            publishable_key: String::new(),
            js_url: "https://js.stripe.com/v3/".into(),
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaypalSettings {
    pub client_id: String,
    /// Never logged.
    pub client_secret: String,
    /// `https://api-m.paypal.com`, or `https://api-m.sandbox.paypal.com` for PayPal's sandbox.
    pub api_base: String,
    pub ca_file: Option<std::path::PathBuf>,
    /// The id PayPal gave `POST /api/v1/webhooks/paypal`; without it no delivery is taken.
    pub webhook_id: Option<String>,
    pub timeout_secs: u64,
}

impl std::fmt::Debug for PaypalSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaypalSettings")
            .field("client_id", &self.client_id)
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

impl Default for PaypalSettings {
    fn default() -> Self {
        Self {
            client_id: String::new(),
            client_secret: String::new(),
            api_base: "https://api-m.paypal.com".into(),
            ca_file: None,
            webhook_id: None,
            timeout_secs: 10,
        }
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let s: Self = section.read()?;
        match s.provider.as_str() {
            "sandbox" => {}
            "stripe" => {
                if !s.stripe.secret_key.starts_with("sk_") {
                    return Err(
                        section.bad("stripe.secret_key", "must be a secret key (`sk_…`) with provider = \"stripe\"")
                    );
                }
                if let Err(e) = crate::gateway::Endpoint::parse(&s.stripe.api_base) {
                    return Err(section.bad("stripe.api_base", &e));
                }
                if !(1..=60).contains(&s.stripe.timeout_secs) {
                    return Err(section.bad("stripe.timeout_secs", "must be between 1 and 60"));
                }
                let key = &s.stripe.publishable_key;
                let key_shaped = key.starts_with("pk_") && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                if !key.is_empty() && !key_shaped {
                    return Err(section.bad("stripe.publishable_key", "must be a publishable key (`pk_…`)"));
                }
                if let Err(e) = script_origin(&s.stripe.js_url) {
                    return Err(section.bad("stripe.js_url", &e));
                }
            }
            "paypal" => {
                if s.paypal.client_id.trim().is_empty() || s.paypal.client_secret.trim().is_empty() {
                    return Err(section
                        .bad("paypal.client_id", "and paypal.client_secret are needed with provider = \"paypal\""));
                }
                if let Err(e) = crate::gateway::Endpoint::parse(&s.paypal.api_base) {
                    return Err(section.bad("paypal.api_base", &e));
                }
                if !(1..=60).contains(&s.paypal.timeout_secs) {
                    return Err(section.bad("paypal.timeout_secs", "must be between 1 and 60"));
                }
            }
            _ => return Err(section.bad("provider", "must be `sandbox`, `stripe` or `paypal`")),
        }
        if !(5..=3600).contains(&s.reconcile_after_secs) {
            return Err(section.bad("reconcile_after_secs", "must be between 5 and 3600"));
        }
        if !(1..=3600).contains(&s.reconcile_interval_secs) {
            return Err(section.bad("reconcile_interval_secs", "must be between 1 and 3600"));
        }
        Ok(s)
    }

    /// The provider the settings name, built.
    pub fn gateway(&self) -> Result<std::sync::Arc<dyn crate::gateway::Gateway>, String> {
        Ok(match self.provider.as_str() {
            "stripe" => {
                let mut config = crate::gateway::StripeConfig::new(&self.stripe.api_base, &self.stripe.secret_key);
                config.timeout = Duration::from_secs(self.stripe.timeout_secs);
                config.ca_file = self.stripe.ca_file.clone();
                std::sync::Arc::new(crate::gateway::Stripe::new(config)?)
            }
            "paypal" => {
                let p = &self.paypal;
                let mut config = crate::gateway::PaypalConfig::new(&p.api_base, &p.client_id, &p.client_secret);
                config.timeout = Duration::from_secs(p.timeout_secs);
                config.ca_file = p.ca_file.clone();
                config.webhook_id = p.webhook_id.clone().filter(|id| !id.trim().is_empty());
                std::sync::Arc::new(crate::gateway::Paypal::new(config)?)
            }
            _ => std::sync::Arc::new(crate::gateway::Sandbox::default()),
        })
    }

    /// Stripe's card field for the storefront, when Stripe is the provider and its
    /// publishable key is set.
    pub fn card_field(&self) -> Option<crate::CardFieldConfig> {
        if self.provider != "stripe" || self.stripe.publishable_key.is_empty() {
            return None;
        }
        Some(crate::CardFieldConfig {
            script_url: self.stripe.js_url.clone(),
            script_origin: script_origin(&self.stripe.js_url).ok()?,
            publishable_key: self.stripe.publishable_key.clone(),
        })
    }

    pub fn reconcile_after(&self) -> Duration {
        Duration::from_secs(self.reconcile_after_secs)
    }

    pub fn reconcile_interval(&self) -> Duration {
        Duration::from_secs(self.reconcile_interval_secs)
    }
}

/// The origin (`https://js.stripe.com`) of a script URL a page may load: HTTPS, or plain HTTP
/// on a loopback host for a local fake.
fn script_origin(url: &str) -> Result<String, String> {
    let (scheme, rest) = url.split_once("://").ok_or("must be an absolute URL")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    if authority.is_empty() || !authority.chars().all(fine) {
        return Err("must name a host".into());
    }
    match scheme {
        "https" => {}
        "http" if matches!(host, "127.0.0.1" | "localhost" | "[::1]") => {}
        _ => return Err("must be an https:// URL (http:// only on a loopback host)".into()),
    }
    Ok(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::script_origin;

    #[test]
    fn a_script_comes_over_https_or_from_a_loopback_fake() {
        assert_eq!(script_origin("https://js.stripe.com/v3/").as_deref(), Ok("https://js.stripe.com"));
        assert_eq!(script_origin("http://127.0.0.1:8420/js.stripe.com/v3/").as_deref(), Ok("http://127.0.0.1:8420"));
        for bad in ["http://js.stripe.com/v3/", "js.stripe.com/v3/", "https:///v3", "https://a b/", "ftp://x/"] {
            assert!(script_origin(bad).is_err(), "{bad}");
        }
    }
}
