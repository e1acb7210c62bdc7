//! The `[notifications]` section: the shop's name and address for links, and which provider
//! each channel goes out through. With nothing set, every message stays in the outbox.

use module::{Section, SettingsError};
use serde::{Deserialize, Serialize, Serializer};
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The name messages are signed with.
    pub shop_name: String,
    /// Where the shop's pages live, for the links in messages.
    pub base_url: String,
    /// A folder of templates that replace the built-in ones of the same name.
    pub templates_dir: Option<PathBuf>,
    /// Attempts before a message is parked for an admin.
    pub max_attempts: u32,
    pub email: EmailSettings,
    pub sms: SmsSettings,
    pub smtp: SmtpSettings,
    pub sendgrid: SendgridSettings,
    pub twilio: TwilioSettings,
    pub push: PushSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            shop_name: "Oxcart".into(),
            base_url: "http://127.0.0.1:8080".into(),
            templates_dir: None,
            max_attempts: 8,
            email: EmailSettings::default(),
            sms: SmsSettings::default(),
            smtp: SmtpSettings::default(),
            sendgrid: SendgridSettings::default(),
            twilio: TwilioSettings::default(),
            push: PushSettings::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailSettings {
    /// `outbox` (kept, not sent), `smtp` or `sendgrid`.
    pub provider: String,
    /// `Name <address>` messages come from.
    pub from: String,
    /// The most messages handed to the provider per second, whatever the burst.
    pub per_second: u32,
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self { provider: "outbox".into(), from: "Oxcart <shop@localhost>".into(), per_second: 20 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsSettings {
    /// `outbox` or `twilio`.
    pub provider: String,
    pub per_second: u32,
}

impl Default for SmsSettings {
    fn default() -> Self {
        Self { provider: "outbox".into(), per_second: 1 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// `starttls`, `tls` (implicit, port 465) or `none` (a relay on a trusted network only).
    pub security: String,
    pub username: Option<String>,
    pub password: Option<Secret>,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self { host: "localhost".into(), port: 587, security: "starttls".into(), username: None, password: None }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SendgridSettings {
    pub api_key: Option<Secret>,
    pub api_base: String,
    /// Authorities to trust besides the Mozilla roots (a proxy's, a test's).
    pub ca_file: Option<PathBuf>,
}

impl Default for SendgridSettings {
    fn default() -> Self {
        Self { api_key: None, api_base: "https://api.sendgrid.com".into(), ca_file: None }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TwilioSettings {
    pub account_sid: String,
    pub auth_token: Option<Secret>,
    /// The sending number (E.164) or a Messaging Service SID (`MG…`).
    pub from: String,
    pub api_base: String,
    pub ca_file: Option<PathBuf>,
}

impl Default for TwilioSettings {
    fn default() -> Self {
        Self {
            account_sid: String::new(),
            auth_token: None,
            from: String::new(),
            api_base: "https://api.twilio.com".into(),
            ca_file: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PushSettings {
    /// `outbox` (kept, not sent) or `webpush` (to the browsers that subscribed).
    pub provider: String,
    /// Who push services may contact about the shop's pushes (`mailto:` or `https:`).
    pub subject: String,
    pub per_second: u32,
    /// How long a push service keeps a push for a browser that is offline.
    pub ttl_seconds: u32,
    /// Endpoints over plain HTTP (a local push service in a test), and on loopback or
    /// private addresses: off, since a subscription's endpoint is whatever a browser sent.
    pub allow_http: bool,
    pub allow_private: bool,
}

impl Default for PushSettings {
    fn default() -> Self {
        Self {
            provider: "outbox".into(),
            subject: "mailto:shop@localhost".into(),
            per_second: 50,
            ttl_seconds: 86_400,
            allow_http: false,
            allow_private: false,
        }
    }
}

/// A credential: `…` in `Debug` and when serialised, so no log line or dump carries it.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"…\"")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("…")
    }
}

impl Settings {
    pub fn read(section: &Section) -> Result<Self, SettingsError> {
        let mut s: Self = section.read()?;
        s.base_url = s.base_url.trim().trim_end_matches('/').to_owned();
        if !(s.base_url.starts_with("http://") || s.base_url.starts_with("https://")) {
            return Err(section.bad("base_url", "must be an http:// or https:// address"));
        }
        if s.shop_name.trim().is_empty() {
            return Err(section.bad("shop_name", "must not be empty"));
        }
        if !(1..=50).contains(&s.max_attempts) {
            return Err(section.bad("max_attempts", "must be from 1 to 50"));
        }
        if s.email.per_second == 0 || s.sms.per_second == 0 || s.push.per_second == 0 {
            return Err(section.bad("email.per_second", "rates must be at least 1 per second"));
        }
        if s.email.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(section.bad("email.from", "must be an address such as `Shop <shop@example.com>`"));
        }
        match s.email.provider.as_str() {
            "outbox" => {}
            "smtp" => {
                if s.smtp.host.trim().is_empty() {
                    return Err(section.bad("smtp.host", "must name the SMTP server"));
                }
                if !matches!(s.smtp.security.as_str(), "starttls" | "tls" | "none") {
                    return Err(section.bad("smtp.security", "must be starttls, tls or none"));
                }
                if s.smtp.username.is_some() != s.smtp.password.is_some() {
                    return Err(section.bad("smtp.password", "username and password go together"));
                }
            }
            "sendgrid" => {
                if s.sendgrid.api_key.as_ref().is_none_or(|k| k.0.trim().is_empty()) {
                    return Err(section.bad("sendgrid.api_key", "is needed to send through SendGrid"));
                }
                if outbound::Endpoint::parse(&s.sendgrid.api_base).is_err() {
                    return Err(section.bad("sendgrid.api_base", "must be an http(s) base URL"));
                }
            }
            _ => return Err(section.bad("email.provider", "must be outbox, smtp or sendgrid")),
        }
        match s.sms.provider.as_str() {
            "outbox" => {}
            "twilio" => {
                if !s.twilio.account_sid.starts_with("AC") || s.twilio.auth_token.is_none() {
                    return Err(section.bad("twilio.account_sid", "an AC… account SID and an auth_token are needed"));
                }
                if !(crate::domain::phone_valid(&s.twilio.from) || s.twilio.from.starts_with("MG")) {
                    return Err(section.bad("twilio.from", "must be an E.164 number or a Messaging Service SID"));
                }
                if outbound::Endpoint::parse(&s.twilio.api_base).is_err() {
                    return Err(section.bad("twilio.api_base", "must be an http(s) base URL"));
                }
            }
            _ => return Err(section.bad("sms.provider", "must be outbox or twilio")),
        }
        if !matches!(s.push.provider.as_str(), "outbox" | "webpush") {
            return Err(section.bad("push.provider", "must be outbox or webpush"));
        }
        if !(s.push.subject.starts_with("mailto:") || s.push.subject.starts_with("https://")) {
            return Err(section.bad("push.subject", "must be a mailto: or https:// address"));
        }
        if !(60..=2_419_200).contains(&s.push.ttl_seconds) {
            return Err(section.bad("push.ttl_seconds", "must be from 60 (a minute) to 2419200 (four weeks)"));
        }
        Ok(s)
    }
}
