//! The providers a message goes out through, one trait for all: the outbox (the default:
//! kept and logged, not sent), SMTP, SendGrid's v3 API, Twilio's Messages API and Web Push.

mod outbox;
mod sendgrid;
mod smtp;
mod twilio;
pub mod webpush;

use crate::settings::Settings;
use kernel::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

pub use outbox::Outbox;

/// A message as a provider takes it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: String,
    pub kind: &'static str,
    /// An e-mail address or an E.164 number.
    pub to: String,
    pub name: String,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// Where a one-click unsubscribe goes (`List-Unsubscribe`).
    pub unsubscribe: Option<String>,
    /// The browser's subscription, for a push (`to` is then the subscription's id).
    pub push: Option<webpush::PushTarget>,
}

/// Why a provider did not take a message, and whether asking again may help.
#[derive(Debug, Clone)]
pub struct SendFailure {
    pub retryable: bool,
    pub detail: String,
    /// The provider's own word on when to come back (a 429's `Retry-After`).
    pub retry_after: Option<Duration>,
    /// The address is no more (a push subscription the browser dropped): forget it.
    pub gone: bool,
}

impl SendFailure {
    pub fn retry(detail: impl Into<String>) -> Self {
        Self { retryable: true, detail: detail.into(), retry_after: None, gone: false }
    }

    pub fn permanent(detail: impl Into<String>) -> Self {
        Self { retryable: false, detail: detail.into(), retry_after: None, gone: false }
    }

    pub fn gone(detail: impl Into<String>) -> Self {
        Self { gone: true, ..Self::permanent(detail) }
    }
}

pub trait Sender: Send + Sync + 'static {
    /// The provider's name, kept on each message it took.
    fn provider(&self) -> &'static str;
    /// Hands the message over; the answer is the provider's id for it.
    fn send<'a>(&'a self, message: &'a Outgoing) -> BoxFuture<'a, Result<String, SendFailure>>;
}

/// The e-mail provider the settings name.
pub fn email(settings: &Settings) -> Result<Arc<dyn Sender>, String> {
    Ok(match settings.email.provider.as_str() {
        "smtp" => Arc::new(smtp::Smtp::new(&settings.smtp, &settings.email.from)?),
        "sendgrid" => Arc::new(sendgrid::Sendgrid::new(&settings.sendgrid, &settings.email.from)?),
        _ => Arc::new(Outbox::new("email")),
    })
}

/// The SMS provider the settings name.
pub fn sms(settings: &Settings) -> Result<Arc<dyn Sender>, String> {
    Ok(match settings.sms.provider.as_str() {
        "twilio" => Arc::new(twilio::Twilio::new(&settings.twilio)?),
        _ => Arc::new(Outbox::new("sms")),
    })
}

/// The push provider the settings name; `vapid` signs for it.
pub fn push(settings: &Settings, vapid: webpush::Vapid) -> Arc<dyn Sender> {
    match settings.push.provider.as_str() {
        "webpush" => Arc::new(webpush::WebPush::new(&settings.push, vapid)),
        _ => Arc::new(Outbox::new("push")),
    }
}

/// A provider's HTTP status as a failure: 408, 429 and 5xx heal by themselves, the rest do
/// not (a bad address, a bad key).
fn http_failure(provider: &str, status: u16, retry_after: Option<&str>, detail: String) -> SendFailure {
    let retryable = status == 408 || status == 429 || status >= 500;
    SendFailure {
        retryable,
        detail: format!("{provider} answered {status}: {detail}"),
        retry_after: retry_after.and_then(|v| v.trim().parse::<u64>().ok()).map(|s| Duration::from_secs(s.min(3600))),
        gone: false,
    }
}
