//! The checkout saga's steps, in the order they run. Each step's effect on another context is
//! idempotent (keyed by the order id), so a step interrupted by a crash is simply run again.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Hold every line's stock (order Pending → PaymentPending).
    Reserve,
    /// Ask the provider to authorize the total.
    Authorize,
    /// The customer must act on the payment (3-D Secure): wait for it or for the hold's end.
    AwaitAction,
    /// Two-step checkout: the order waits for `POST /payments` or for the hold's end.
    AwaitPayment,
    /// Count the promotions used (PaymentPending → Confirmed).
    Redeem,
    /// Take the money (only ever for a Confirmed order).
    Capture,
    /// Turn the stock hold into a sale.
    Commit,
    /// Take the ordered lines out of the cart.
    Clear,
    /// Undo what was done (void or refund, release or return the stock) and cancel the order.
    Compensate,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Self::Reserve,
        Self::Authorize,
        Self::AwaitAction,
        Self::AwaitPayment,
        Self::Redeem,
        Self::Capture,
        Self::Commit,
        Self::Clear,
        Self::Compensate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reserve => "reserve",
            Self::Authorize => "authorize",
            Self::AwaitAction => "await_action",
            Self::AwaitPayment => "await_payment",
            Self::Redeem => "redeem",
            Self::Capture => "capture",
            Self::Commit => "commit",
            Self::Clear => "clear",
            Self::Compensate => "compensate",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.as_str() == s)
    }

    /// Waiting on someone outside (the customer): not run before its deadline unless woken.
    pub fn waiting(self) -> bool {
        matches!(self, Self::AwaitAction | Self::AwaitPayment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Step::ALL {
            assert_eq!(Step::parse(s.as_str()), Some(s));
        }
    }
}
