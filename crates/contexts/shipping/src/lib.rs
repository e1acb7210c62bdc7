//! The shipping context: zones (the countries, or some regions of a country, a set of methods
//! serves), their methods with rate tables by flat price, weight or value, free shipping from
//! a threshold, and quotes priced per seller's parcel.
//!
//! The rules in [`domain`] are pure (which zone serves a destination, what a method charges).
//! [`ShippingService`] stores zones and methods and answers quotes; other contexts reach it
//! through [`api::ShippingQuotes`] (the cart's estimate, checkout's shipping line). The HTTP
//! API is [`router`]: admin CRUD and a public quote. This is the built-in provider of
//! DESIGN §7; a carrier API can fill the same trait.

pub mod api;
mod barcode;
pub mod domain;
pub mod dto;
mod http;
mod label_pdf;
mod service;
mod settings;
mod store;
mod webhook;

pub use http::router;
pub use service::{CARRIER, ShippingConfig, ShippingService, TrackingOutcome};
pub use settings::{Settings, WebhookSecret};

pub const MIGRATIONS: &[::store::Migration] = &[
    ::store::Migration {
        context: "shipping",
        version: 1,
        name: "shipping",
        sql: include_str!("../migrations/0001_shipping.sql"),
        postgres: None,
    },
    ::store::Migration {
        context: "shipping",
        version: 2,
        name: "labels_tracking",
        sql: include_str!("../migrations/0002_labels_tracking.sql"),
        postgres: None,
    },
];

/// The shipping context for the application: its service and its [`module::Module`]. Rates
/// are in `currency`, the catalog's.
pub fn module(
    db: ::store::Db,
    currency: &str,
    section: &module::Section,
) -> Result<(std::sync::Arc<ShippingService>, module::Module), module::SettingsError> {
    let settings = Settings::read(section)?;
    let config = ShippingConfig {
        currency: currency.to_owned(),
        default_country: settings.default_country,
        webhooks: settings.webhooks,
    };
    let shipping = std::sync::Arc::new(ShippingService::new(db, config));
    let module =
        module::Module::new("shipping", MIGRATIONS, router(shipping.clone())).errors(api::ERRORS).scopes(api::SCOPES);
    Ok((shipping, module))
}
