//! The webhooks context: integrations' HTTPS endpoints and the events delivered to them.
//!
//! An admin registers an endpoint for any event type, a seller for those that name their
//! seller ([`domain::types`]). The consumer (`consumers.rs`) hears every event and, in its
//! inbox transaction, queues one delivery per enabled endpoint it is for; the sender (a
//! sweeper, every second) POSTs each, signed with the endpoint's secret, to the address its
//! host resolves to if that address is public, retries failures with backoff for a day, and
//! keeps every attempt. Delivered and failed deliveries can be replayed. See
//! `docs/webhooks.md`.

pub mod api;
mod consumers;
pub mod domain;
pub mod dto;
mod http;
mod service;
mod settings;
mod store;

pub use http::router;
pub use service::{WebhooksConfig, WebhooksService};
pub use settings::Settings;

use std::sync::Arc;
use std::time::Duration;

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "webhooks",
    version: 1,
    name: "webhooks",
    sql: include_str!("../migrations/0001_webhooks.sql"),
    postgres: None,
}];

/// The webhooks context for the application: its service and its module (the consumer of
/// every event, the sender every second).
pub fn module(
    db: ::store::Db,
    section: &module::Section,
) -> Result<(Arc<WebhooksService>, module::Module), module::SettingsError> {
    let s = Settings::read(section)?;
    let config = WebhooksConfig {
        allow_http: s.allow_http,
        allow_private: s.allow_private,
        max_endpoints_per_owner: s.max_endpoints_per_owner,
    };
    let service = Arc::new(WebhooksService::new(db, config));
    let sender = service.clone();
    let module = module::Module::new("webhooks", MIGRATIONS, router(service.clone()))
        .errors(api::ERRORS)
        .scopes(api::SCOPES)
        .handler(Arc::new(consumers::Intake(service.clone())))
        .sweeper(module::Sweeper {
            done: "attempted webhook deliveries",
            every: Duration::from_secs(1),
            run: Arc::new(move |now| {
                let s = sender.clone();
                Box::pin(async move { s.deliveries_send(now).await })
            }),
        });
    Ok((service, module))
}
