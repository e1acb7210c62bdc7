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
