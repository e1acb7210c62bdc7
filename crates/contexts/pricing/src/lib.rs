//! The pricing context: promotions and discount codes, and pricing a basket against them.
//!
//! The engine in [`domain`] is pure: it takes a basket and the candidate promotions and returns
//! a quote, without touching storage, clocks or the network. That keeps the money arithmetic
//! deterministic and testable on its own. [`PricingService`] loads the promotions and counts
//! their uses; other contexts reach it through [`api::Pricing`] (the cart prices with it, orders
//! count the promotions they used), and the HTTP API for sellers and admins is [`router`].

pub mod api;
pub mod domain;
pub mod dto;
mod http;
mod service;
mod store;

pub use http::router;
pub use service::PricingService;

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "pricing",
    version: 1,
    name: "pricing",
    sql: include_str!("../migrations/0001_pricing.sql"),
    postgres: None,
}];

/// The pricing context for the application: its service and its [`module::Module`].
pub fn module(db: ::store::Db) -> (std::sync::Arc<PricingService>, module::Module) {
    let pricing = std::sync::Arc::new(PricingService::new(db));
    let module =
        module::Module::new("pricing", MIGRATIONS, router(pricing.clone())).errors(api::ERRORS).scopes(api::SCOPES);
    (pricing, module)
}
