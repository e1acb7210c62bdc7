//! Events the payments context publishes. Payloads carry ids and amounts (minor units), never
//! a payment-method token.

use kernel::event::Event;
use serde::{Deserialize, Serialize};

macro_rules! payment_event {
    ($(#[$doc:meta])* $name:ident = $type:literal { $($field:ident: $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            pub payment_id: String,
            /// What the payment is for (an order id).
            pub reference: String,
            $(pub $field: $ty,)*
        }

        impl Event for $name {
            const TYPE: &'static str = $type;
            fn aggregate_id(&self) -> &str {
                &self.payment_id
            }
        }
    };
}

payment_event!(
    /// The money is held on the customer's method.
    PaymentAuthorized = "payment.authorized" { amount: i64, currency: String }
);
payment_event!(
    /// The customer must act before the provider decides.
    PaymentRequiresAction = "payment.requires_action" {}
);
payment_event!(
    /// The money was taken.
    PaymentCaptured = "payment.captured" { amount: i64, currency: String }
);
payment_event!(
    /// Declined, or out of attempts: `code` says why.
    PaymentFailed = "payment.failed" { code: String }
);
payment_event!(
    /// The authorization was released before any capture.
    PaymentCancelled = "payment.cancelled" {}
);
payment_event!(
    /// Money went back; `refunded` is the total refunded so far.
    PaymentRefunded = "payment.refunded" { amount: i64, refunded: i64, currency: String }
);
payment_event!(
    /// A chargeback was opened or decided at the provider: `status` is the provider's
    /// (`needs_response`, `won`, `lost`…), `reason` its category (`fraudulent`…).
    PaymentDisputed = "payment.disputed" { amount: i64, reason: String, status: String }
);
