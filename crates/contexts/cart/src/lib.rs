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
mod settings;
pub mod store;

pub use api::{CartCheckout, CheckoutCart, CheckoutLine, EstimateLine, Estimates, LineBlocker, OrderedLine};
pub use http::{CART_TOKEN, router};
pub use service::{Caller, CartConfig, CartDeps, CartService, NoEstimates};
pub use settings::Settings;

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "cart",
    version: 1,
    name: "cart",
    sql: include_str!("../migrations/0001_cart.sql"),
    postgres: None,
}];

/// The cart for the application: its service and its [`module::Module`], with the sweeper
/// that deletes carts idle past their time. Prices are in `currency`, the catalog's.
pub fn module(
    deps: CartDeps,
    currency: &str,
    section: &module::Section,
) -> Result<(std::sync::Arc<CartService>, module::Module), module::SettingsError> {
    let settings = Settings::read(section)?;
    let cart = std::sync::Arc::new(CartService::new(deps, settings.config(currency)));
    let purging = cart.clone();
    let sweeper = module::Sweeper {
        done: "deleted idle carts",
        every: settings.purge_interval(),
        run: std::sync::Arc::new(move |now| {
            let cart = purging.clone();
            Box::pin(async move { cart.cart_purge(now).await })
        }),
    };
    let module = module::Module::new("cart", MIGRATIONS, router(cart.clone()))
        .errors(api::ERRORS)
        .scopes(api::SCOPES)
        .sweeper(sweeper);
    Ok((cart, module))
}
