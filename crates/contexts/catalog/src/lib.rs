//! The catalog context: products and their variants, categories, brands, images and reviews.
//!
//! Other contexts reach it through its contract in [`api`] (the traits they call, the events
//! it publishes, its error codes and scopes); the HTTP API is [`router`]; the application
//! wires it through [`module`].

pub mod api;
mod consumers;
pub mod domain;
pub mod dto;
mod http;
mod service;
mod settings;
mod store;

pub use http::{media_get, router};
pub use service::{BulkProduct, BulkReview, BulkVariant, CatalogConfig, CatalogService, Taxonomy};
pub use settings::Settings;
pub use store::taxonomy::{BrandRow, CategoryRow};

/// The largest CSV import accepted, in bytes.
pub const IMPORT_BODY_LIMIT: usize = 32 * 1024 * 1024;

pub const MIGRATIONS: &[::store::Migration] = &[
    ::store::Migration {
        context: "catalog",
        version: 1,
        name: "catalog",
        sql: include_str!("../migrations/0001_catalog.sql"),
        postgres: None,
    },
    ::store::Migration {
        context: "catalog",
        version: 2,
        name: "sku_owners",
        sql: include_str!("../migrations/0002_sku_owners.sql"),
        postgres: None,
    },
];

/// The catalog for the application: its service and its [`module::Module`].
pub fn module(
    db: ::store::Db,
    cache: std::sync::Arc<dyn cache::Cache>,
    objects: std::sync::Arc<dyn media::ObjectStore>,
    section: &module::Section,
) -> Result<(std::sync::Arc<CatalogService>, module::Module), module::SettingsError> {
    let settings = Settings::read(section)?;
    let catalog = std::sync::Arc::new(CatalogService::new(db, cache, objects, settings.config()));
    let module = module::Module::new("catalog", MIGRATIONS, router(catalog.clone()))
        .errors(api::ERRORS)
        .scopes(api::SCOPES)
        .handler(std::sync::Arc::new(consumers::SellerStatusConsumer))
        .handler(std::sync::Arc::new(consumers::CacheConsumer(catalog.clone())));
    Ok((catalog, module))
}
