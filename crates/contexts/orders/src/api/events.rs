//! Events the orders context publishes, one per state the checkout and cancellation reach.
//! Payloads carry ids, quantities and amounts (minor units); never an address or a token.

use kernel::event::Event;
use serde::{Deserialize, Serialize};

/// A line as events carry it: enough for stock, analytics and a seller's notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLine {
    pub variant_id: String,
    pub product_id: String,
    pub sku: String,
    pub seller_id: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub total: i64,
}

/// An order was made from a cart (state `pending`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCreated {
    pub order_id: String,
    pub number: String,
    pub customer_id: String,
    pub total: i64,
    pub currency: String,
    pub lines: Vec<EventLine>,
}

impl Event for OrderCreated {
    const TYPE: &'static str = "order.created";
    fn aggregate_id(&self) -> &str {
        &self.order_id
    }
}

/// The order's stock is held and it waits for its payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPaymentPending {
    pub order_id: String,
    pub customer_id: String,
}

impl Event for OrderPaymentPending {
    const TYPE: &'static str = "order.payment_pending";
    fn aggregate_id(&self) -> &str {
        &self.order_id
    }
}

/// The order stands: paid and its stock sold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderConfirmed {
    pub order_id: String,
    pub number: String,
    pub customer_id: String,
    pub email: String,
    pub total: i64,
    pub currency: String,
    pub lines: Vec<EventLine>,
}

impl Event for OrderConfirmed {
    const TYPE: &'static str = "order.confirmed";
    fn aggregate_id(&self) -> &str {
        &self.order_id
    }
}

/// The order was cancelled: `code` says why (`payment_declined`, `out_of_stock`,
/// `customer_cancelled`…); `from` is the state it was in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCancelled {
    pub order_id: String,
    pub customer_id: String,
    pub from: String,
    pub code: String,
}

impl Event for OrderCancelled {
    const TYPE: &'static str = "order.cancelled";
    fn aggregate_id(&self) -> &str {
        &self.order_id
    }
}

/// Declares an event type whose aggregate is the field `$id`.
macro_rules! event {
    ($(#[$doc:meta])* $name:ident = $type:literal by $id:ident { $($(#[$fdoc:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            $($(#[$fdoc])* pub $field: $ty,)*
        }

        impl Event for $name {
            const TYPE: &'static str = $type;
            fn aggregate_id(&self) -> &str {
                &self.$id
            }
        }
    };
}

/// What every fulfilment event carries: the part, its order, and how to follow the parcel.
macro_rules! fulfilment_event {
    ($(#[$doc:meta])* $name:ident = $type:literal) => {
        event!($(#[$doc])* $name = $type by fulfilment_id {
            fulfilment_id: String,
            order_id: String,
            number: String,
            seller_id: String,
            customer_id: String,
            email: String,
            carrier: Option<String>,
            tracking_number: Option<String>,
        });
    };
}

fulfilment_event!(
    /// The seller started on their part.
    FulfilmentProcessing = "fulfilment.processing"
);
fulfilment_event!(
    /// The seller's part is packed, ready for the carrier.
    FulfilmentPacked = "fulfilment.packed"
);
fulfilment_event!(
    /// The part left with the carrier; `tracking_number` is set.
    FulfilmentShipped = "fulfilment.shipped"
);
fulfilment_event!(FulfilmentInTransit = "fulfilment.in_transit");
fulfilment_event!(FulfilmentOutForDelivery = "fulfilment.out_for_delivery");
fulfilment_event!(
    /// The part reached the customer: its lines may now be returned, and reviewed as bought.
    FulfilmentDelivered = "fulfilment.delivered"
);
fulfilment_event!(
    /// The order was cancelled before this part shipped.
    FulfilmentCancelled = "fulfilment.cancelled"
);

/// What every event of the order's progress after confirmation carries.
macro_rules! progress_event {
    ($(#[$doc:meta])* $name:ident = $type:literal) => {
        event!($(#[$doc])* $name = $type by order_id {
            order_id: String,
            number: String,
            customer_id: String,
            email: String,
            /// The state it left.
            from: String,
        });
    };
}

progress_event!(OrderProcessing = "order.processing");
progress_event!(OrderPacked = "order.packed");
progress_event!(
    /// Every part has shipped.
    OrderShipped = "order.shipped"
);
progress_event!(OrderInTransit = "order.in_transit");
progress_event!(OrderOutForDelivery = "order.out_for_delivery");
progress_event!(
    /// Every part was delivered.
    OrderDelivered = "order.delivered"
);
progress_event!(OrderReturnRequested = "order.return_requested");
progress_event!(OrderReturnApproved = "order.return_approved");
progress_event!(
    /// Every unit came back and was refunded.
    OrderRefunded = "order.refunded"
);

/// What every return event carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnEventFields {
    pub return_id: String,
    pub order_id: String,
    pub number: String,
    pub seller_id: String,
    pub customer_id: String,
    pub email: String,
    pub amount: i64,
    pub currency: String,
}

macro_rules! return_event {
    ($(#[$doc:meta])* $name:ident = $type:literal) => {
        event!($(#[$doc])* $name = $type by return_id {
            return_id: String,
            order_id: String,
            number: String,
            seller_id: String,
            customer_id: String,
            email: String,
            /// What the return gives back (as granted, once decided), in minor units.
            amount: i64,
            currency: String,
        });

        impl From<ReturnEventFields> for $name {
            fn from(f: ReturnEventFields) -> Self {
                Self {
                    return_id: f.return_id,
                    order_id: f.order_id,
                    number: f.number,
                    seller_id: f.seller_id,
                    customer_id: f.customer_id,
                    email: f.email,
                    amount: f.amount,
                    currency: f.currency,
                }
            }
        }
    };
}

return_event!(
    /// The customer asked to send lines back; the seller (or an admin) decides.
    ReturnRequested = "return.requested"
);
return_event!(ReturnApproved = "return.approved");
return_event!(ReturnRejected = "return.rejected");
return_event!(
    /// The goods arrived back; the refund follows.
    ReturnReceived = "return.received"
);

event!(
    /// A return's money went back to the customer's payment method.
    RefundCompleted = "refund.completed" by return_id {
        return_id: String,
        order_id: String,
        number: String,
        customer_id: String,
        email: String,
        payment_id: String,
        amount: i64,
        currency: String,
    }
);
