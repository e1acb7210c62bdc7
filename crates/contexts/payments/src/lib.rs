//! The payments context: a payment per payable reference (an order), its state machine, an
//! append-only ledger of every money movement, and the provider behind a [`gateway::Gateway`]
//! (the built-in sandbox now). Checkout reaches it through [`api::Payments`]; the HTTP API is
//! [`router`]; the application wires it through [`module`].

pub mod api;
pub mod domain;
pub mod dto;
pub mod gateway;
mod http;
mod service;
mod settings;
mod store;
pub mod webhook;

pub use http::router;
pub use service::{CardField, CardFieldConfig, PaymentsConfig, PaymentsService};
pub use settings::{PaypalSettings, Settings, StripeSettings};

/// What tests and tools read to check the ledger's invariants; not part of the service API.
pub mod audit {
    pub use crate::store::{EntryRow, PaymentRow, entry_list, payment_get};
}

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "payments",
    version: 1,
    name: "payments",
    sql: include_str!("../migrations/0001_payments.sql"),
    postgres: None,
}];

/// The payments context for the application: its service and its [`module::Module`], with the
/// reconciler that settles payments whose provider answer was lost. Prices are in `currency`.
pub fn module(
    db: ::store::Db,
    currency: &str,
    section: &module::Section,
) -> Result<(std::sync::Arc<PaymentsService>, module::Module), module::SettingsError> {
    let settings = Settings::read(section)?;
    let config = PaymentsConfig {
        currency: currency.to_owned(),
        reconcile_after: settings.reconcile_after(),
        webhook_secrets: settings.stripe.webhook_secrets.clone(),
        card_field: settings.card_field(),
        ..PaymentsConfig::default()
    };
    let gateway = settings.gateway().map_err(|e| section.bad("provider", &e))?;
    let payments = std::sync::Arc::new(PaymentsService::new(db, gateway, config));
    let reconciling = payments.clone();
    let sweeper = module::Sweeper {
        done: "settled payments whose provider answer was lost",
        every: settings.reconcile_interval(),
        run: std::sync::Arc::new(move |now| {
            let payments = reconciling.clone();
            Box::pin(async move { payments.payment_reconcile(now).await })
        }),
    };
    let module = module::Module::new("payments", MIGRATIONS, router(payments.clone()))
        .errors(api::ERRORS)
        .scopes(api::SCOPES)
        .sweeper(sweeper)
        .handler(service::stripe_events());
    Ok((payments, module))
}
