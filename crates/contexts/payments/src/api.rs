//! The payments context's contract: [`Payments`] (what checkout calls to authorize, capture,
//! cancel and refund, and what it reads back), its plain types, the events it publishes
//! ([`events`]), its error codes and its API-key scopes.

pub mod events;

pub use crate::domain::{Amounts, PaymentState};
use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;
use kernel::{BoxFuture, Result};

/// Paying for one reference (an order), as checkout asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeRequest {
    /// What is paid for; the order id.
    pub reference: String,
    pub customer_id: Option<String>,
    /// The sellers whose items the payment covers: each sees the payment.
    pub seller_ids: Vec<String>,
    /// Minor units of `currency`, the store's.
    pub amount: i64,
    pub currency: String,
    /// The payment-method token the provider's client side made (never a card number).
    pub token: String,
    /// Asking again with the same reference and key answers the same payment.
    pub idempotency_key: String,
    /// Take the money at once instead of holding it for a later capture.
    pub capture: bool,
}

/// A payment as another context sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: String,
    pub reference: String,
    pub customer_id: Option<String>,
    pub state: PaymentState,
    pub amount: i64,
    pub currency: String,
    pub provider: String,
    /// Summed from the ledger.
    pub amounts: Amounts,
    /// What the customer must do next, when `state` is `requires_action`.
    pub next_action: Option<serde_json::Value>,
    /// Why it failed, when `state` is `failed` (`card_declined`…).
    pub failure_code: Option<String>,
}

/// Who asks for a change of a payment, for its history (`usr_…`, `system:checkout`).
pub type Actor<'a> = &'a str;

pub trait Payments: Send + Sync + 'static {
    /// Authorizes (and with `capture`, captures) a payment. A declined method is an answer, not
    /// an error: the payment comes back `failed` with its code. Transient provider failures are
    /// retried (at most three attempts); still failing, 503 `payment_provider_unavailable`.
    fn payment_authorize<'a>(&'a self, request: &'a AuthorizeRequest) -> BoxFuture<'a, Result<Payment>>;
    /// Takes `amount` (all when `None`) of an authorized payment. Idempotent per `key`.
    fn payment_capture<'a>(
        &'a self,
        id: &'a str,
        amount: Option<i64>,
        key: &'a str,
        actor: Actor<'a>,
    ) -> BoxFuture<'a, Result<Payment>>;
    /// Releases an authorization that was not captured. Idempotent.
    fn payment_cancel<'a>(&'a self, id: &'a str, actor: Actor<'a>) -> BoxFuture<'a, Result<Payment>>;
    /// Gives back `amount` of what was captured. Idempotent per `key`; concurrent refunds never
    /// add up to more than was captured.
    fn payment_refund<'a>(
        &'a self,
        id: &'a str,
        amount: i64,
        reason: &'a str,
        key: &'a str,
        actor: Actor<'a>,
    ) -> BoxFuture<'a, Result<Payment>>;
    fn payment_status<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Payment>>;
}

/// What a payment can be made for, as its owning context answers: an order waiting to be paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payable {
    pub reference: String,
    pub customer_id: Option<String>,
    pub seller_ids: Vec<String>,
    pub amount: i64,
    pub currency: String,
}

/// Who may pay a payable: a signed-in customer by account, a guest by the e-mail address the
/// order was placed with.
#[derive(Debug, Clone, Copy)]
pub enum Payer<'a> {
    Customer(&'a str),
    Guest { email: &'a str },
}

/// The context whose references payments are made for (orders). Payments calls it; it is
/// handed to payments once built (`PaymentsService::payables_set`), since it calls payments too.
pub trait Payables: Send + Sync + 'static {
    /// The payable, if `payer` may pay it now: 404 `payable_not_found` when unknown or not
    /// theirs, 409 `payable_not_due` when it is not waiting for a payment.
    fn payable_get<'a>(&'a self, reference: &'a str, payer: Payer<'a>) -> BoxFuture<'a, Result<Payable>>;
    /// A payment for it was authorized (or waits for the customer's action): go on with it.
    fn payable_paid<'a>(&'a self, reference: &'a str, payment_id: &'a str) -> BoxFuture<'a, Result<()>>;
}

pub const PAYMENTS_READ: Scope =
    Scope::new("payments:read", Role::Customer, "Read the caller's payments (a seller's: its sales'; admin: all).");
pub const PAYMENTS_WRITE: Scope =
    Scope::new("payments:write", Role::Admin, "Capture, cancel and refund payments (admin).");
pub const PAYMENTS_CONFIRM: Scope =
    Scope::new("payments:confirm", Role::Customer, "Finish the customer's action on the caller's own payment.");

pub const SCOPES: &[Scope] = &[PAYMENTS_READ, PAYMENTS_WRITE, PAYMENTS_CONFIRM];

/// Every error code the payments context answers, with its kind and meaning.
pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("payment_not_found", NotFound, "No such payment among those the caller may see."),
    ErrorCode::new(
        "payment_state",
        Conflict,
        "The payment's state does not allow this (e.g. refunding before capture).",
    ),
    ErrorCode::new("payable_not_found", NotFound, "Nothing the caller may pay has this reference."),
    ErrorCode::new("payable_not_due", Conflict, "The reference is not waiting for a payment (paid, or cancelled)."),
    ErrorCode::new("refund_exceeds_captured", Invalid, "The refund is more than what is left to refund."),
    ErrorCode::new("capture_exceeds_authorized", Invalid, "The capture is more than what was authorized."),
    ErrorCode::new("currency_mismatch", Invalid, "The amount is in another currency than the store's."),
    ErrorCode::new(
        "unknown_payment_method",
        Invalid,
        "The payment-method token is not one of the configured provider's.",
    ),
    ErrorCode::new(
        "card_number_refused",
        Invalid,
        "The body holds what looks like a card number; send the provider's token instead. Nothing was stored.",
    ),
    ErrorCode::new(
        "payment_provider_unavailable",
        Unavailable,
        "The payment provider did not answer after retries; try again shortly.",
    ),
    ErrorCode::new(
        "payment_provider_refused",
        Conflict,
        "The payment provider refused the operation; the detail says why.",
    ),
    ErrorCode::new(
        "webhook_signature_invalid",
        BadRequest,
        "The webhook's `Stripe-Signature` is missing, stale (over five minutes) or does not match the body; nothing changed.",
    ),
    ErrorCode::new("webhook_payload_invalid", BadRequest, "The webhook's body is not a Stripe event; nothing changed."),
    ErrorCode::new(
        "webhook_not_configured",
        NotFound,
        "This server takes no Stripe webhooks (`payments.stripe.webhook_secrets` is empty).",
    ),
];
