//! The pricing context: promotions and discount codes, and pricing a basket against them.
//!
//! The engine in [`domain`] is pure: it takes a basket and the candidate promotions and returns
//! a quote, without touching storage, clocks or the network. That keeps the money arithmetic
//! deterministic and testable on its own. [`PricingService`] loads the promotions and counts
//! their uses; other contexts reach it through [`Pricing`] (the cart prices with it, orders
//! count the promotions they used), and the HTTP API for sellers and admins is [`router`].

pub mod domain;
pub mod dto;
mod http;
mod service;
mod store;

pub use http::router;
pub use service::{CodeStatus, PriceRequest, Priced, Pricing, PricingService, PromotionSummary};

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "pricing",
    version: 1,
    name: "pricing",
    sql: include_str!("../migrations/0001_pricing.sql"),
    postgres: None,
}];

/// The pricing context's problem codes, for the API reference. The `code_*` ones other than
/// `code_taken` are also the reasons [`CodeStatus`] gives for a code that was not applied.
pub const PROBLEMS: &[(&str, &str)] = &[
    ("promotion_not_found", "No such promotion among those the caller manages."),
    ("code_taken", "Another promotion has this discount code."),
    ("code_unknown", "No promotion has this discount code."),
    ("code_inactive", "The code's promotion is switched off."),
    ("code_not_started", "The code's promotion has not started yet."),
    ("code_expired", "The code's promotion has ended."),
    ("code_exhausted", "The promotion has been used as often as it allows; nothing was counted."),
    ("code_customer_limit", "The customer has used the promotion as often as it allows; nothing was counted."),
    ("code_min_subtotal", "The eligible items come to less than the promotion's minimum."),
    ("code_not_applicable", "The promotion applies to none of the items."),
    ("code_not_combinable", "The promotion cannot be combined with a better offer that applies."),
    ("code_no_effect", "The promotion applies but takes nothing off (e.g. free shipping on free delivery)."),
    ("code_too_many", "More discount codes were entered than a cart takes."),
];
