//! The orders context: the order aggregate and its state machine, and the checkout saga that
//! makes an order from a cart: priced for an address and a shipping method (the shipping and
//! tax contexts), stock held (inventory), paid (payments), promotions counted (pricing), the
//! cart cleared. The saga's progress is a row per order, so a restart resumes or undoes every
//! checkout left half-way ([`OrdersService::saga_sweep`]).
//!
//! Once confirmed, an order has one part (fulfilment) per seller, which the seller packs and
//! ships, and which carriers' tracking reports move on; the order's state follows its parts.
//! Delivered lines can be returned and refunded through payments, the goods restocked. The
//! HTTP API is [`router`].

pub mod api;
pub mod domain;
pub mod dto;
mod http;
mod service;
mod settings;
mod store;

pub use http::{order_events, router};
pub use service::{Caller, CheckoutRequest, OrdersConfig, OrdersDeps, OrdersService, QuoteRequest};
pub use settings::Settings;

/// What tests and tools read to check the saga's invariants; not part of the service API.
pub mod audit {
    pub use crate::store::orders::{OrderRow, order_get};
    pub use crate::store::sagas::{SagaRow, saga_get};
}

pub const MIGRATIONS: &[::store::Migration] = &[
    ::store::Migration {
        context: "orders",
        version: 1,
        name: "orders",
        sql: include_str!("../migrations/0001_orders.sql"),
        postgres: None,
    },
    ::store::Migration {
        context: "orders",
        version: 2,
        name: "fulfilments_returns",
        sql: include_str!("../migrations/0002_fulfilments_returns.sql"),
        postgres: None,
    },
];

/// The orders context for the application: its service and its [`module::Module`], with the
/// sweeper that resumes or undoes checkouts and the consumer of payment events.
pub fn module(
    deps: OrdersDeps,
    currency: &str,
    section: &module::Section,
) -> Result<(std::sync::Arc<OrdersService>, module::Module), module::SettingsError> {
    let settings = Settings::read(section)?;
    let orders = std::sync::Arc::new(OrdersService::new(deps, settings.config(currency)));
    let sweeping = orders.clone();
    let sweeper = module::Sweeper {
        done: "resumed or undid checkouts, or finished refunds",
        every: settings.sweep_interval(),
        run: std::sync::Arc::new(move |now| {
            let orders = sweeping.clone();
            Box::pin(async move { Ok(orders.saga_sweep(now).await? + orders.returns_sweep(now).await?) })
        }),
    };
    let module = module::Module::new("orders", MIGRATIONS, router(orders.clone()))
        .errors(api::ERRORS)
        .scopes(api::SCOPES)
        .sweeper(sweeper)
        .handler(service::payment_events())
        .handler(service::tracking_events())
        .handler(service::live_events(&orders));
    Ok((orders, module))
}
