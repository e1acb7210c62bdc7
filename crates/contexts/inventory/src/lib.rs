//! The inventory context: stock per SKU and location, adjustments with their history,
//! reservations for orders, low-stock alerts and reorder suggestions.
//!
//! Other contexts reach it through its contract in [`api`] ([`api::StockReservations`] for
//! orders, [`api::StockAvailability`] for the cart and search, its events, error codes and
//! scopes); the HTTP API is [`router`]; the application wires it through [`module`].

pub mod api;
pub mod domain;
pub mod dto;
mod http;
mod service;
mod settings;
mod store;

pub use http::router;
pub use service::{InventoryConfig, InventoryService, OpeningStock};
pub use settings::Settings;

/// What tests and tools read to check the invariant; not part of the service API.
pub mod audit {
    pub use crate::store::levels::{LevelRow, level_list};
    pub use crate::store::reservations::{LineRow, live_totals};
}

pub const MIGRATIONS: &[::store::Migration] = &[
    ::store::Migration {
        context: "inventory",
        version: 1,
        name: "inventory",
        sql: include_str!("../migrations/0001_inventory.sql"),
        postgres: None,
    },
    ::store::Migration {
        context: "inventory",
        version: 2,
        name: "restocks",
        sql: include_str!("../migrations/0002_restocks.sql"),
        postgres: None,
    },
];

/// The inventory for the application: its service and its [`module::Module`], with the
/// sweeper that releases holds whose time ran out.
pub fn module(
    db: ::store::Db,
    catalog: std::sync::Arc<dyn catalog::api::VariantLookup>,
    section: &module::Section,
) -> Result<(std::sync::Arc<InventoryService>, module::Module), module::SettingsError> {
    let settings = Settings::read(section)?;
    let inventory = std::sync::Arc::new(InventoryService::new(db, catalog, settings.config()));
    let sweeping = inventory.clone();
    let sweeper = module::Sweeper {
        done: "released expired reservations",
        every: settings.sweep_interval(),
        run: std::sync::Arc::new(move |now| {
            let inventory = sweeping.clone();
            Box::pin(async move { inventory.stock_sweep(now).await.map(|n| n as u64) })
        }),
    };
    let module = module::Module::new("inventory", MIGRATIONS, router(inventory.clone()))
        .errors(api::ERRORS)
        .scopes(api::SCOPES)
        .sweeper(sweeper);
    Ok((inventory, module))
}
