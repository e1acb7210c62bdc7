//! The tax context: rules per country or region (a rate in basis points, inclusive like EU
//! VAT or added on top like US sales tax, shipping taxed or not) and quotes rounded per line.
//!
//! The rules in [`domain`] are pure, and state the rounding (per line, half away from zero,
//! in integer arithmetic). [`TaxService`] stores the rules and answers quotes; other contexts
//! reach it through [`api::TaxQuotes`]. That trait is the provider seam "ready for an external
//! tax service" (DESIGN §7): an adapter for one implements it, and the callers, holding
//! `Arc<dyn TaxQuotes>`, do not change. The HTTP API is [`router`]: admin CRUD and a public
//! quote.

pub mod api;
pub mod domain;
pub mod dto;
mod http;
mod service;
mod store;

pub use http::router;
pub use service::TaxService;

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "tax",
    version: 1,
    name: "tax",
    sql: include_str!("../migrations/0001_tax.sql"),
    postgres: None,
}];

/// The `[tax]` section: no keys yet (the rules live in the database), but reading it refuses
/// unknown ones, as every section does.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {}

/// The tax context for the application: its service and its [`module::Module`]. Amounts are
/// in `currency`, the catalog's.
pub fn module(
    db: ::store::Db,
    currency: &str,
    section: &module::Section,
) -> Result<(std::sync::Arc<TaxService>, module::Module), module::SettingsError> {
    let _: Settings = section.read()?;
    let tax = std::sync::Arc::new(TaxService::new(db, currency));
    let module = module::Module::new("tax", MIGRATIONS, router(tax.clone())).errors(api::ERRORS).scopes(api::SCOPES);
    Ok((tax, module))
}
