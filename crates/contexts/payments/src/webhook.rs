//! Stripe's webhooks: `Stripe-Signature` checked over the raw body (HMAC-SHA256, constant
//! time, five minutes' tolerance, any of several secrets while one is rotated), each event
//! recorded once by its id and handed to the outbox in the same transaction, so the answer is
//! fast and a crash loses nothing. The consumer applies it to the payment; an event that comes
//! late or again (a `requires_action` after `succeeded`) finds no move to make and changes
//! nothing.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How far a signature's timestamp may be from now.
pub const TOLERANCE_SECS: i64 = 300;

/// Why a delivery was refused (all answered 400, nothing changed).
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    NoSignature,
    Stale,
    Mismatch,
}

/// Checks `header` (`t=…,v1=…[,v1=…]`) against `body` with any of `secrets`.
pub fn verify(header: &str, body: &[u8], secrets: &[String], now_secs: i64) -> Result<(), Refused> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", sig)) => signatures.extend(hex_decode(sig)),
            _ => {}
        }
    }
    let (Some(t), false) = (timestamp, signatures.is_empty()) else { return Err(Refused::NoSignature) };
    if (now_secs - t).abs() > TOLERANCE_SECS {
        return Err(Refused::Stale);
    }
    for secret in secrets {
        for sig in &signatures {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { continue };
            mac.update(t.to_string().as_bytes());
            mac.update(b".");
            mac.update(body);
            // `verify_slice` compares in constant time.
            if mac.verify_slice(sig).is_ok() {
                return Ok(());
            }
        }
    }
    Err(Refused::Mismatch)
}

/// The signature header Stripe would send for `body` at `t` (for tests and tools).
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let sig: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},v1={sig}")
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// The part of a Stripe event the payments context reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StripeEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub data: EventData,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_checked_in_every_way() {
        let body = br#"{"id":"evt_1"}"#;
        let secrets = vec!["whsec_old".to_owned(), "whsec_new".to_owned()];
        let now = 1_796_000_000;
        assert_eq!(verify(&sign("whsec_new", now, body), body, &secrets, now), Ok(()));
        assert_eq!(verify(&sign("whsec_old", now - 200, body), body, &secrets, now), Ok(()), "old secret, in time");
        assert_eq!(verify(&sign("whsec_new", now - 301, body), body, &secrets, now), Err(Refused::Stale));
        assert_eq!(verify(&sign("whsec_other", now, body), body, &secrets, now), Err(Refused::Mismatch));
        assert_eq!(verify(&sign("whsec_new", now, body), br#"{"id":"evt_2"}"#, &secrets, now), Err(Refused::Mismatch));
        assert_eq!(verify("t=1", body, &secrets, now), Err(Refused::NoSignature));
        assert_eq!(verify("", body, &secrets, now), Err(Refused::NoSignature));
        // Several v1 values: one good one is enough (Stripe sends one per active secret).
        let good = sign("whsec_new", now, body);
        let both = format!("t={now},v1={},{}", "00".repeat(32), good.split(',').nth(1).unwrap_or_default());
        assert_eq!(verify(&both, body, &secrets, now), Ok(()));
    }
}
