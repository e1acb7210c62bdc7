//! The cart context: guest and customer carts, their lines and discount codes, merged on
//! login, re-priced against the catalog and totalled by the pricing engine.
//!
//! Carts are documents behind [`store::CartStore`] (the database now; a key-value store can
//! fill it). The HTTP API is [`router`].

pub mod api;
pub mod domain;
pub mod dto;
mod http;
pub mod model;
mod service;
pub mod store;

pub use api::{CartCheckout, CheckoutCart, CheckoutLine, LineBlocker, OrderedLine};
pub use http::{CART_TOKEN, router};
pub use service::{Caller, CartConfig, CartDeps, CartService, Estimates, NoEstimates};

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "cart",
    version: 1,
    name: "cart",
    sql: include_str!("../migrations/0001_cart.sql"),
    postgres: None,
}];

/// The cart context's problem codes, for the API reference.
pub const PROBLEMS: &[(&str, &str)] = &[
    ("cart_not_found", "The cart token matches no cart (or one that expired)."),
    ("cart_busy", "The cart changed under too many requests at once; try again."),
    ("cart_empty", "The cart has nothing to apply a code to."),
    ("cart_full", "The cart holds the most different items it may."),
    ("line_not_found", "The cart has no line for this variant."),
    ("invalid_quantity", "The quantity is not a whole number of 1 or more."),
    ("quantity_too_large", "The quantity is above the per-line cap."),
    ("unknown_variant", "No such variant."),
    ("variant_unavailable", "The variant is not for sale (its product is not active or its seller not approved)."),
    ("insufficient_stock", "Not that many are in stock; the detail says how many are."),
    ("code_limit", "The cart holds as many codes as it may."),
    ("code_not_in_cart", "The cart holds no such code."),
];
