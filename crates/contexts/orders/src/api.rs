//! The orders context's contract: the events it publishes ([`events`]: checkout, the order's
//! progress, its sellers' parts, returns and refunds), its error codes and its API-key scopes.
//! Other contexts react to its events; notifications also reads an order through
//! [`OrderNotices`] to say what is in it.

pub mod events;

use kernel::{BoxFuture, Result};
use serde::Serialize;

/// An order as a message about it shows it: its lines with their names, its totals, and how
/// its parcels travel. Amounts are minor units of `currency`.
#[derive(Debug, Clone, Serialize)]
pub struct OrderNotice {
    pub id: String,
    pub number: String,
    pub state: String,
    pub customer_id: String,
    pub guest: bool,
    pub email: String,
    /// The name on the shipping address.
    pub name: String,
    pub currency: String,
    pub lines: Vec<NoticeLine>,
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub tax: i64,
    pub total: i64,
    pub shipping_method: String,
    pub shipments: Vec<NoticeShipment>,
    pub cancel_code: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoticeLine {
    pub seller_id: String,
    pub sku: String,
    pub title: String,
    pub variant_title: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoticeShipment {
    pub id: String,
    pub seller_id: String,
    pub state: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
}

/// Reads an order for a message about it.
pub trait OrderNotices: Send + Sync + 'static {
    /// The order, whoever placed it; `None` when there is no such order.
    fn order_notice<'a>(&'a self, order_id: &'a str) -> BoxFuture<'a, Result<Option<OrderNotice>>>;
}

pub use crate::domain::{FulfilmentState, OrderState, ReturnState};
use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;

pub const ORDERS_READ: Scope =
    Scope::new("orders:read", Role::Customer, "Read the caller's orders (admin: every order).");
pub const ORDERS_WRITE: Scope = Scope::new(
    "orders:write",
    Role::Customer,
    "Check out the caller's cart and cancel the caller's orders (admin: cancel any).",
);

pub const FULFILMENTS_READ: Scope = Scope::new(
    "fulfilments:read",
    Role::Seller,
    "Read the caller's parts of orders and their returns (admin: every seller's).",
);
pub const FULFILMENTS_WRITE: Scope = Scope::new(
    "fulfilments:write",
    Role::Seller,
    "Pack and ship the caller's parts of orders, and decide on and receive their returns (admin: any).",
);

pub const SCOPES: &[Scope] = &[ORDERS_READ, ORDERS_WRITE, FULFILMENTS_READ, FULFILMENTS_WRITE];

/// Every error code the orders context answers, with its kind and meaning.
pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("order_not_found", NotFound, "No such order among those the caller may see."),
    ErrorCode::new("order_state", Conflict, "The order's state does not allow this (e.g. cancelling after shipping)."),
    ErrorCode::new("cart_empty", Invalid, "The cart has nothing to check out."),
    ErrorCode::new(
        "cart_unpurchasable",
        Conflict,
        "A line of the cart cannot be bought as it stands; `errors` names each line and why. Nothing was held.",
    ),
    ErrorCode::new(
        "out_of_stock",
        Conflict,
        "Not enough stock for every line; `errors` names each short SKU; nothing was held or charged.",
    ),
    ErrorCode::new(
        "total_changed",
        Conflict,
        "The cart no longer comes to the total the customer was shown; `totals` has the new figures. Nothing was held.",
    ),
    ErrorCode::new(
        "payment_declined",
        PaymentRequired,
        "The payment was declined (`errors` says the provider's reason); the stock went back and the order was cancelled.",
    ),
    ErrorCode::new(
        "payment_failed",
        Unavailable,
        "The payment could not be made (the provider did not answer); nothing was charged and the order was cancelled.",
    ),
    ErrorCode::new(
        "payment_timeout",
        Conflict,
        "The payment was not completed while the stock was held; the order was cancelled and nothing charged.",
    ),
    ErrorCode::new(
        "checkout_stalled",
        Unavailable,
        "A step of the checkout kept failing; the order was cancelled and anything charged given back.",
    ),
    ErrorCode::new("email_required", Invalid, "A guest checkout needs an e-mail address to send the order to."),
    ErrorCode::new(
        "checkout_in_progress",
        Conflict,
        "This checkout is still under way, or this cart as it stands was checked out already (under another key).",
    ),
    ErrorCode::new(
        "fulfilment_not_found",
        NotFound,
        "No such part of an order among the caller's (a seller's own, any for an admin).",
    ),
    ErrorCode::new(
        "fulfilment_state",
        Conflict,
        "The part's state does not allow this (e.g. a tracking number on a part that is not packed); nothing changed.",
    ),
    ErrorCode::new("label_not_found", NotFound, "The part has no label from the built-in provider."),
    ErrorCode::new("return_not_found", NotFound, "No such return among those the caller may see."),
    ErrorCode::new(
        "return_state",
        Conflict,
        "The return's state does not allow this (e.g. receiving before approval).",
    ),
    ErrorCode::new(
        "return_exceeds_delivered",
        Invalid,
        "The return names lines not delivered, or more units than are left to return; `errors` names each line.",
    ),
    ErrorCode::new(
        "return_window_closed",
        Invalid,
        "A line named was delivered longer ago than returns are taken (`[orders] return_days`).",
    ),
    // `refund_exceeds_captured` (more than is left of the payment) is the payments context's.
    ErrorCode::new(
        "refund_exceeds_return",
        Invalid,
        "The amount granted is more than the return's lines and shipping come to.",
    ),
];
