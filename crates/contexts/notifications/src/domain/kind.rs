//! The kinds of message the shop sends, who receives each, and which of them a person may
//! turn off.

/// Who a kind of message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Customer,
    Seller,
    Admin,
}

macro_rules! kinds {
    ($($variant:ident = $name:literal, $audience:ident, $essential:literal, $sensitive:literal;)*) => {
        /// A kind of message. Essential kinds (an account's security, an order's money) cannot
        /// be turned off; sensitive ones carry a secret link and are never shown to an admin.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Kind { $($variant,)* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Kind::$variant => $name,)* }
            }

            pub fn audience(self) -> Audience {
                match self { $(Kind::$variant => Audience::$audience,)* }
            }

            pub fn essential(self) -> bool {
                match self { $(Kind::$variant => $essential,)* }
            }

            pub fn sensitive(self) -> bool {
                match self { $(Kind::$variant => $sensitive,)* }
            }
        }
    };
}

kinds! {
    EmailVerification = "email_verification", Customer, true, true;
    PasswordReset = "password_reset", Customer, true, true;
    PasswordChanged = "password_changed", Customer, true, false;
    OrderConfirmed = "order_confirmed", Customer, true, false;
    PaymentFailed = "payment_failed", Customer, true, false;
    OrderShipped = "order_shipped", Customer, false, false;
    OrderOutForDelivery = "order_out_for_delivery", Customer, false, false;
    OrderDelivered = "order_delivered", Customer, false, false;
    OrderCancelled = "order_cancelled", Customer, true, false;
    ReturnApproved = "return_approved", Customer, false, false;
    RefundCompleted = "refund_completed", Customer, true, false;
    SellerNewOrder = "seller_new_order", Seller, false, false;
    SellerLowStock = "seller_low_stock", Seller, false, false;
    SellerReturnRequested = "seller_return_requested", Seller, false, false;
    AdminPaymentDisputed = "admin_payment_disputed", Admin, true, false;
    AdminEventParked = "admin_event_parked", Admin, false, false;
}

impl Kind {
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// Whether the kind goes out by SMS when the person gave a number and left SMS on: only
    /// what is worth a text (an order's money and its parcel at the door).
    pub fn sms_by_default(self) -> bool {
        matches!(self, Self::OrderConfirmed | Self::PaymentFailed | Self::OrderShipped | Self::OrderOutForDelivery)
    }
}
