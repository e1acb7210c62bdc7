//! The order state machine (seed 001, diagram 8).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Made from the cart; stock not yet held.
    Pending,
    /// Stock held; waiting for the payment (or the customer's action on it).
    PaymentPending,
    /// Paid (authorized), stock sold: the order stands.
    Confirmed,
    Processing,
    Packed,
    Shipped,
    InTransit,
    OutForDelivery,
    Delivered,
    Cancelled,
    ReturnRequested,
    ReturnApproved,
    Refunded,
}

impl OrderState {
    pub const ALL: [OrderState; 13] = [
        Self::Pending,
        Self::PaymentPending,
        Self::Confirmed,
        Self::Processing,
        Self::Packed,
        Self::Shipped,
        Self::InTransit,
        Self::OutForDelivery,
        Self::Delivered,
        Self::Cancelled,
        Self::ReturnRequested,
        Self::ReturnApproved,
        Self::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::PaymentPending => "payment_pending",
            Self::Confirmed => "confirmed",
            Self::Processing => "processing",
            Self::Packed => "packed",
            Self::Shipped => "shipped",
            Self::InTransit => "in_transit",
            Self::OutForDelivery => "out_for_delivery",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::ReturnRequested => "return_requested",
            Self::ReturnApproved => "return_approved",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// Whether the machine allows going from `self` to `to`. Anything else is a 409. Past
    /// confirmation the order follows its parts and returns ([`super::order_state_derive`]);
    /// a carrier may skip scans, so shipping states go forward by more than one.
    pub fn can(self, to: OrderState) -> bool {
        use OrderState::*;
        matches!(
            (self, to),
            (Pending, PaymentPending | Cancelled)
                | (PaymentPending, Confirmed | Cancelled)
                | (Confirmed, Processing | Cancelled)
                | (Processing, Packed | Cancelled)
                | (Packed, Shipped | Cancelled)
                | (Shipped, InTransit | OutForDelivery | Delivered)
                | (InTransit, OutForDelivery | Delivered)
                | (OutForDelivery, Delivered)
                // The last part arrives while an earlier one is being returned.
                | (Shipped | InTransit | OutForDelivery, ReturnRequested | ReturnApproved)
                | (Delivered, ReturnRequested)
                | (ReturnRequested, ReturnApproved | Delivered)
                // A partial refund is done (back to delivered), or the rest was asked back too.
                | (ReturnApproved, Refunded | Delivered | ReturnRequested)
        )
    }

    /// Nothing has left the warehouse: the customer may still cancel.
    pub fn cancellable(self) -> bool {
        self.can(OrderState::Cancelled)
    }

    /// The order stands: paid and not undone.
    pub fn placed(self) -> bool {
        !matches!(self, Self::Pending | Self::PaymentPending | Self::Cancelled)
    }

    pub fn terminal(self) -> bool {
        Self::ALL.iter().all(|to| !self.can(*to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in OrderState::ALL {
            assert_eq!(OrderState::parse(s.as_str()), Some(s));
        }
        assert_eq!(OrderState::parse("lost"), None);
    }

    #[test]
    fn after_shipping_there_is_no_cancelling() {
        use OrderState::*;
        for s in [Shipped, InTransit, OutForDelivery, Delivered, ReturnRequested, ReturnApproved, Refunded] {
            assert!(!s.cancellable(), "{s:?}");
        }
        assert!(Cancelled.terminal() && Refunded.terminal() && !Confirmed.terminal());
    }
}
