//! The payment state machine, the ledger's arithmetic and the card-number guard. No I/O.

use serde::{Deserialize, Serialize};

/// Where a payment is (seed 001, payment states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Recorded, not yet sent to the provider.
    Initiated,
    /// The provider was asked and has not answered (or the answer was lost).
    Processing,
    /// The customer must act (a 3-D Secure challenge) before the provider decides.
    RequiresAction,
    /// The money is held on the customer's method.
    Authorized,
    /// The money was taken.
    Captured,
    /// The order it paid for is done; refunds may still follow.
    Completed,
    PartiallyRefunded,
    Refunded,
    /// Declined, or out of attempts.
    Failed,
    /// The authorization was released (voided) before any capture.
    Cancelled,
}

/// At most this many tries to authorize one payment (the first and two retries).
pub const MAX_ATTEMPTS: i64 = 3;

impl PaymentState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initiated => "initiated",
            Self::Processing => "processing",
            Self::RequiresAction => "requires_action",
            Self::Authorized => "authorized",
            Self::Captured => "captured",
            Self::Completed => "completed",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Refunded => "refunded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    pub const ALL: [PaymentState; 10] = [
        Self::Initiated,
        Self::Processing,
        Self::RequiresAction,
        Self::Authorized,
        Self::Captured,
        Self::Completed,
        Self::PartiallyRefunded,
        Self::Refunded,
        Self::Failed,
        Self::Cancelled,
    ];

    /// Whether the machine allows going from `self` to `to`. Anything else is a 409.
    pub fn can(self, to: PaymentState) -> bool {
        use PaymentState::*;
        matches!(
            (self, to),
            (Initiated, Processing | Cancelled)
                | (Processing, Authorized | RequiresAction | Failed)
                | (RequiresAction, Processing | Failed | Cancelled)
                // A retry after a transient failure, bounded by MAX_ATTEMPTS.
                | (Failed, Processing)
                | (Authorized, Captured | Cancelled)
                | (Captured, Completed | PartiallyRefunded | Refunded)
                | (Completed, PartiallyRefunded | Refunded)
                | (PartiallyRefunded, PartiallyRefunded | Refunded)
        )
    }

    /// Money was taken, so refunds are possible.
    pub fn refundable(self) -> bool {
        matches!(self, Self::Captured | Self::Completed | Self::PartiallyRefunded)
    }

    /// Nothing more happens to the payment by itself.
    pub fn settled(self) -> bool {
        matches!(self, Self::Refunded | Self::Failed | Self::Cancelled)
    }
}

/// The wait before retry `attempt` (1 for the first retry): `base` doubled per attempt, plus
/// up to half again from the clock's nanoseconds, enough to spread clients retrying at once.
pub fn backoff(base: std::time::Duration, attempt: u32) -> std::time::Duration {
    let wait = base * 2u32.pow(attempt.clamp(1, 8) - 1);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    wait + wait.mul_f64(f64::from(nanos % 1000) / 2000.0)
}

/// A ledger row's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Authorization,
    Capture,
    Void,
    Refund,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Authorization => "authorization",
            Self::Capture => "capture",
            Self::Void => "void",
            Self::Refund => "refund",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Authorization, Self::Capture, Self::Void, Self::Refund].into_iter().find(|k| k.as_str() == s)
    }
}

/// A payment's amounts, summed from its ledger (succeeded rows; refunds pending count as held).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Amounts {
    /// Held on the customer's method and not voided.
    pub authorized: i64,
    pub captured: i64,
    pub refunded: i64,
    /// Refunds asked of the provider and not yet answered.
    pub refund_pending: i64,
}

impl Amounts {
    /// Sums ledger rows `(kind, amount, status)`.
    pub fn of<'a>(rows: impl IntoIterator<Item = (EntryKind, i64, &'a str)>) -> Self {
        let mut a = Self::default();
        for (kind, amount, status) in rows {
            match (kind, status) {
                (EntryKind::Authorization, "succeeded") => a.authorized += amount,
                (EntryKind::Void, "succeeded") => a.authorized -= amount,
                (EntryKind::Capture, "succeeded") => a.captured += amount,
                (EntryKind::Refund, "succeeded") => a.refunded += amount,
                (EntryKind::Refund, "pending") => a.refund_pending += amount,
                _ => {}
            }
        }
        a
    }

    /// What may still be refunded.
    pub fn refundable(&self) -> i64 {
        self.captured - self.refunded - self.refund_pending
    }
}

/// True when `s` holds a run of 13–19 digits (spaces and dashes between them allowed) that
/// passes the Luhn check: the shape of a card number, which the platform must never take.
/// Longer runs are not cards (and would match by chance one time in ten), nor runs starting
/// with 0 (no card network's numbers do).
pub fn looks_like_card_number(s: &str) -> bool {
    let mut digits: Vec<u32> = Vec::with_capacity(20);
    for c in s.chars().chain(std::iter::once('x')) {
        match c {
            '0'..='9' => digits.push(c as u32 - '0' as u32),
            ' ' | '-' if !digits.is_empty() => {}
            _ => {
                if (13..=19).contains(&digits.len()) && digits[0] != 0 && luhn(&digits) {
                    return true;
                }
                digits.clear();
            }
        }
    }
    false
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether any string in a JSON document looks like a card number (numbers too: a client may
/// send one unquoted).
pub fn json_has_card_number(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => looks_like_card_number(s),
        serde_json::Value::Number(n) => looks_like_card_number(&n.to_string()),
        serde_json::Value::Array(items) => items.iter().any(json_has_card_number),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| looks_like_card_number(k) || json_has_card_number(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentState::*;

    #[test]
    fn the_machine_allows_only_its_arrows() {
        assert!(Initiated.can(Processing) && Processing.can(Authorized) && Authorized.can(Captured));
        assert!(Captured.can(Completed) && Completed.can(Refunded) && PartiallyRefunded.can(Refunded));
        assert!(Failed.can(Processing), "a bounded retry");
        for (from, to) in
            [(Captured, Authorized), (Refunded, Captured), (Cancelled, Authorized), (Authorized, Refunded)]
        {
            assert!(!from.can(to), "{from:?} -> {to:?}");
        }
        for s in PaymentState::ALL {
            assert_eq!(PaymentState::parse(s.as_str()), Some(s));
        }
        assert!(PaymentState::ALL.iter().all(|t| !Refunded.can(*t) && !Cancelled.can(*t)), "final states");
    }

    #[test]
    fn amounts_are_the_ledger_sums() {
        let rows = [
            (EntryKind::Authorization, 1000, "succeeded"),
            (EntryKind::Capture, 1000, "succeeded"),
            (EntryKind::Refund, 300, "succeeded"),
            (EntryKind::Refund, 200, "pending"),
            (EntryKind::Refund, 999, "failed"),
        ];
        let a = Amounts::of(rows);
        assert_eq!(
            (a.authorized, a.captured, a.refunded, a.refund_pending, a.refundable()),
            (1000, 1000, 300, 200, 500)
        );
    }

    #[test]
    fn card_numbers_are_recognised_in_any_shape() {
        for card in ["4242424242424242", "4242 4242 4242 4242", "5555-5555-5555-4444", "pay with 378282246310005 now"] {
            assert!(looks_like_card_number(card), "{card}");
        }
        for fine in ["4242424242424241", "1234", "ord_01JD3S0000000000000000000A", "tok_sandbox_ok", "2026-12-02"] {
            assert!(!looks_like_card_number(fine), "{fine}");
        }
        assert!(json_has_card_number(&serde_json::json!({"note": {"x": ["4111 1111 1111 1111"]}})));
        assert!(json_has_card_number(&serde_json::json!({"n": 4111111111111111_u64})));
    }
}
