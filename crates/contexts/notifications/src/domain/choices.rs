//! What a person chose to receive: per kind, each channel on or off, and a number for SMS.
//! What they never chose follows the defaults: e-mail on, SMS on for the kinds worth a text,
//! push on (a browser subscribed on purpose). A secret link never goes by push, where a
//! locked phone's screen would show it.

use super::{Channel, Kind};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    pub phone: Option<String>,
    /// `kind → channel → on`.
    pub set: BTreeMap<String, BTreeMap<String, bool>>,
}

impl Choices {
    /// From the stored row; a garbled document counts as no choices made.
    pub fn parse(phone: Option<String>, json: &str) -> Self {
        Self { phone, set: serde_json::from_str(json).unwrap_or_default() }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.set).unwrap_or_else(|_| "{}".into())
    }

    /// Essential kinds always go by e-mail; sensitive ones never by push.
    pub fn allows(&self, kind: Kind, channel: Channel) -> bool {
        if kind.essential() && channel == Channel::Email {
            return true;
        }
        if kind.sensitive() && channel == Channel::Push {
            return false;
        }
        let default = match channel {
            Channel::Email | Channel::Push => true,
            Channel::Sms => kind.sms_by_default(),
        };
        self.set.get(kind.as_str()).and_then(|c| c.get(channel.as_str())).copied().unwrap_or(default)
    }

    pub fn choose(&mut self, kind: Kind, channel: Channel, on: bool) {
        self.set.entry(kind.as_str().to_owned()).or_default().insert(channel.as_str().to_owned(), on);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_then_choices() {
        let mut c = Choices::default();
        assert!(c.allows(Kind::OrderShipped, Channel::Email));
        assert!(c.allows(Kind::OrderShipped, Channel::Sms));
        assert!(!c.allows(Kind::OrderDelivered, Channel::Sms));
        c.choose(Kind::OrderShipped, Channel::Email, false);
        assert!(!c.allows(Kind::OrderShipped, Channel::Email));
        let back = Choices::parse(None, &c.to_json());
        assert_eq!(back, c);
    }

    #[test]
    fn essential_email_cannot_be_turned_off() {
        let mut c = Choices::default();
        c.choose(Kind::PasswordReset, Channel::Email, false);
        assert!(c.allows(Kind::PasswordReset, Channel::Email));
    }

    #[test]
    fn push_is_on_by_default_but_never_for_a_secret_link() {
        let mut c = Choices::default();
        assert!(c.allows(Kind::OrderShipped, Channel::Push));
        c.choose(Kind::PasswordReset, Channel::Push, true);
        assert!(!c.allows(Kind::PasswordReset, Channel::Push));
        c.choose(Kind::OrderShipped, Channel::Push, false);
        assert!(!c.allows(Kind::OrderShipped, Channel::Push));
    }
}
