//! What a message is about and where it goes, without I/O: the kinds and their audiences,
//! the channels, the retry schedule, and the signed unsubscribe link.

mod choices;
mod kind;
mod link;

pub use choices::Choices;
pub use kind::{Audience, Kind};
pub use link::{LinkError, UnsubscribeLink};

use std::time::Duration;

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    /// Web Push to each browser the person subscribed.
    Push,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Email, Channel::Sms, Channel::Push];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Push => "push",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A message's life: `queued` until a sender takes it (`sending`, leased), then `sent`, or
/// back to `queued` for a later attempt, or `parked` for an admin once attempts run out or
/// the failure cannot heal by itself (a bad address, a template that does not render).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageState {
    Queued,
    Sending,
    Sent,
    Parked,
}

impl MessageState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Parked => "parked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Queued, Self::Sending, Self::Sent, Self::Parked].into_iter().find(|m| m.as_str() == s)
    }
}

/// The wait before attempt `attempts + 1`: 30 s, doubling, at most an hour.
pub fn retry_after(attempts: u32) -> Duration {
    let secs = 30u64.saturating_mul(1u64 << attempts.saturating_sub(1).min(7));
    Duration::from_secs(secs.min(3600))
}

/// An address as the log shows it: enough to tell two apart, not enough to write to.
pub fn address_masked(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => {
            let digits: Vec<char> = address.chars().collect();
            let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
            format!("***{tail}")
        }
    }
}

/// An SMS number in E.164 (`+` and 8 to 15 digits).
pub fn phone_valid(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|d| (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_from_thirty_seconds_to_an_hour() {
        let waits: Vec<u64> = (1..=9).map(|n| retry_after(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn masks_keep_the_domain_and_the_last_digits() {
        assert_eq!(address_masked("jane@example.com"), "j***@example.com");
        assert_eq!(address_masked("+4915112345678"), "***78");
    }

    #[test]
    fn phones_are_e164() {
        assert!(phone_valid("+4915112345678"));
        assert!(!phone_valid("015112345678"));
        assert!(!phone_valid("+49 151"));
    }
}
