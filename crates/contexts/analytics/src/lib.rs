//! The analytics context: sales aggregates per hour and day, for the shop and for each seller.
//!
//! A consumer folds order and payment events ([`FOLDED`]) into `analytics_sales` and
//! `analytics_product_sales` in its inbox transaction, so reports read a few rows per bucket and
//! never scan orders; what each number counts is in [`domain`] and `docs/analytics.md`. The same
//! figures are counted for Prometheus (`oxcart_orders_confirmed_total`,
//! `oxcart_revenue_minor_total`, `oxcart_refunds_minor_total`, `oxcart_orders_cancelled_total`).

pub mod api;
pub mod domain;
pub mod dto;
mod http;
mod service;
mod store;

pub use http::router;
pub use service::{AnalyticsService, FOLDED, MAX_BUCKETS};

use bus::Handler;
use kernel::BoxFuture;
use kernel::event::Envelope;
use std::sync::Arc;

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "analytics",
    version: 1,
    name: "analytics",
    sql: include_str!("../migrations/0001_analytics.sql"),
    postgres: None,
}];

/// The analytics context for the application: its service and its module (the consumer that
/// keeps the aggregates, the report route). `currency` is the shop's.
pub fn module(db: ::store::Db, currency: &str) -> (Arc<AnalyticsService>, module::Module) {
    let service = Arc::new(AnalyticsService::new(db, currency.to_owned()));
    let module = module::Module::new("analytics", MIGRATIONS, router(service.clone()))
        .errors(api::ERRORS)
        .scopes(api::SCOPES)
        .handler(Arc::new(Folder(service.clone())));
    (service, module)
}

struct Folder(Arc<AnalyticsService>);

impl Handler for Folder {
    fn group(&self) -> &'static str {
        "analytics"
    }

    fn topics(&self) -> &'static [&'static str] {
        FOLDED
    }

    fn handle<'a>(&'a self, tx: &'a mut ::store::Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(self.0.event_fold(tx, event))
    }
}
