//! The pricing context's contract: [`Pricing`] (what the cart prices with and what orders
//! count promotions through), its plain request and answer types (the basket [`Line`] and the
//! [`Quote`] are the engine's own pure types), its error codes and its API-key scope.

pub mod events;

pub use crate::domain::{Applied, Ineligible, Line, Quote};
use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Result};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct PriceRequest {
    pub lines: Vec<Line>,
    /// The shipping estimate, in minor units.
    pub shipping: i64,
    /// As the customer typed them; matched case-insensitively, duplicates ignored.
    pub codes: Vec<String>,
    /// `None` for a guest: per-customer limits are then checked when the order is placed.
    pub customer_id: Option<String>,
    pub now: Timestamp,
}

/// What became of one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeStatus {
    /// Normalised (trimmed, upper-case).
    pub code: String,
    pub promotion_id: Option<String>,
    pub applied: bool,
    /// Why not: (stable code, human message), e.g. ("code_unknown", "No such discount code.").
    /// Amounts in messages are in minor units.
    pub reason: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromotionSummary {
    pub id: String,
    pub name: String,
    pub code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Priced {
    pub quote: Quote,
    /// One per distinct code entered, in the order entered.
    pub codes: Vec<CodeStatus>,
    /// The promotions the quote applied and those behind the codes entered, by id.
    pub promotions: HashMap<String, PromotionSummary>,
}

/// Prices carts and counts the promotions orders used: what the cart and the orders call.
pub trait Pricing: Send + Sync + 'static {
    /// The best allowed discounts for a cart. Reads only: applying a code uses nothing up.
    fn price<'a>(&'a self, request: &'a PriceRequest) -> BoxFuture<'a, Result<Priced>>;
    /// Counts a use of each promotion an order got, all or none: 409 `code_exhausted` /
    /// `code_customer_limit` when one is used up. Idempotent per (promotion, order).
    fn promotions_redeem<'a>(
        &'a self,
        promotion_ids: &'a [String],
        customer_id: Option<&'a str>,
        order_id: &'a str,
    ) -> BoxFuture<'a, Result<()>>;
}

pub const PROMOTIONS_WRITE: Scope = Scope::new(
    "promotions:write",
    Role::Seller,
    "Manage promotions and discount codes of the caller's store (admin: platform-wide).",
);

pub const SCOPES: &[Scope] = &[PROMOTIONS_WRITE];

/// The `code_*` entries other than `code_taken` are also the reasons [`CodeStatus`] gives for a
/// code that was not applied.
pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("promotion_not_found", NotFound, "No such promotion among those the caller manages."),
    ErrorCode::new("code_taken", Conflict, "Another promotion has this discount code."),
    ErrorCode::new("code_unknown", Invalid, "No promotion has this discount code."),
    ErrorCode::new("code_inactive", Invalid, "The code's promotion is switched off."),
    ErrorCode::new("code_not_started", Invalid, "The code's promotion has not started yet."),
    ErrorCode::new("code_expired", Invalid, "The code's promotion has ended."),
    ErrorCode::new(
        "code_exhausted",
        Conflict,
        "The promotion has been used as often as it allows; nothing was counted.",
    ),
    ErrorCode::new(
        "code_customer_limit",
        Conflict,
        "The customer has used the promotion as often as it allows; nothing was counted.",
    ),
    ErrorCode::new("code_min_subtotal", Invalid, "The eligible items come to less than the promotion's minimum."),
    ErrorCode::new("code_not_applicable", Invalid, "The promotion applies to none of the items."),
    ErrorCode::new(
        "code_not_combinable",
        Invalid,
        "The promotion cannot be combined with a better offer that applies.",
    ),
    ErrorCode::new(
        "code_no_effect",
        Invalid,
        "The promotion applies but takes nothing off (e.g. free shipping on free delivery).",
    ),
    ErrorCode::new("code_too_many", Invalid, "More discount codes were entered than a cart takes."),
];
