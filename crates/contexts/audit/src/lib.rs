//! The audit context: an append-only log of financial and admin actions.
//!
//! It listens to the events that announce them (payments captured, refunded, cancelled or
//! disputed; orders cancelled; roles, access and seller status changed; see
//! [`record::AUDITED`]) and records each as an entry: who (the event's
//! [`kernel::origin::Origin`]), what, when, the object, the state before and after, the request
//! id and the client's address. Entries are numbered and chained by SHA-256, so a row changed or
//! deleted in the database is found by [`AuditService::chain_verify`] (`oxcart audit verify`);
//! the tables refuse updates and deletes, and the application has no route that changes them.

pub mod api;
mod consumers;
pub mod domain;
pub mod dto;
mod http;
pub mod record;
mod service;
mod store;

pub use http::router;
pub use service::{AuditService, EXPORT_MAX};

use std::sync::Arc;

pub const MIGRATIONS: &[::store::Migration] = &[
    ::store::Migration {
        context: "audit",
        version: 1,
        name: "audit",
        sql: include_str!("../migrations/0001_audit.sql"),
        postgres: None,
    },
    // Triggers are the one thing the two dialects write apart.
    ::store::Migration {
        context: "audit",
        version: 2,
        name: "audit_append_only",
        sql: include_str!("../migrations/0002_audit_append_only.sql"),
        postgres: Some(include_str!("../migrations/0002_audit_append_only.postgres.sql")),
    },
];

/// The audit context for the application: its service and its module (the recorder of audited
/// events, the admins' routes).
pub fn module(db: ::store::Db) -> (Arc<AuditService>, module::Module) {
    let service = Arc::new(AuditService::new(db));
    let module = module::Module::new("audit", MIGRATIONS, router(service.clone()))
        .errors(api::ERRORS)
        .scopes(api::SCOPES)
        .handler(Arc::new(consumers::Recorder(service.clone())));
    (service, module)
}
