//! The unsubscribe link: who, which kind and which channel, signed with the shop's link key,
//! so that a person can stop a kind of message without logging in and nobody can stop
//! another's.

use super::{Channel, Kind};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsubscribeLink {
    pub user_id: String,
    pub kind: Kind,
    pub channel: Channel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Not a token this shop made (a bad signature, or garbled).
    Invalid,
}

impl UnsubscribeLink {
    /// `<user>.<kind>.<channel>.<signature>`, URL-safe.
    pub fn token(&self, key: &[u8]) -> String {
        let body = format!("{}.{}.{}", self.user_id, self.kind.as_str(), self.channel.as_str());
        format!("{body}.{}", URL_SAFE_NO_PAD.encode(sign(key, &body)))
    }

    pub fn parse(token: &str, key: &[u8]) -> Result<Self, LinkError> {
        let (body, signature) = token.rsplit_once('.').ok_or(LinkError::Invalid)?;
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| LinkError::Invalid)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| LinkError::Invalid)?;
        mac.update(b"unsubscribe:");
        mac.update(body.as_bytes());
        mac.verify_slice(&signature).map_err(|_| LinkError::Invalid)?;
        let mut parts = body.splitn(3, '.');
        let (Some(user_id), Some(kind), Some(channel)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(LinkError::Invalid);
        };
        Ok(Self {
            user_id: user_id.to_owned(),
            kind: Kind::parse(kind).ok_or(LinkError::Invalid)?,
            channel: Channel::parse(channel).ok_or(LinkError::Invalid)?,
        })
    }
}

fn sign(key: &[u8], body: &str) -> Vec<u8> {
    // A key of any length is accepted by HMAC; the expect cannot fire.
    #[allow(clippy::expect_used)]
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"unsubscribe:");
    mac.update(body.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> UnsubscribeLink {
        UnsubscribeLink { user_id: "usr_01J".into(), kind: Kind::OrderShipped, channel: Channel::Email }
    }

    #[test]
    fn a_token_reads_back_with_its_key_only() {
        let token = link().token(b"key one");
        assert_eq!(UnsubscribeLink::parse(&token, b"key one"), Ok(link()));
        assert_eq!(UnsubscribeLink::parse(&token, b"key two"), Err(LinkError::Invalid));
    }

    #[test]
    fn a_changed_token_is_refused() {
        let token = link().token(b"k");
        let forged = token.replacen("order_shipped", "order_delivered", 1);
        assert_eq!(UnsubscribeLink::parse(&forged, b"k"), Err(LinkError::Invalid));
        assert_eq!(UnsubscribeLink::parse("garbage", b"k"), Err(LinkError::Invalid));
        assert_eq!(UnsubscribeLink::parse("", b"k"), Err(LinkError::Invalid));
    }
}
