//! Events between contexts: the [`Bus`] trait, the in-process bus, the outbox [`relay`] and the
//! idempotent consumer [`inbox`].
//!
//! Delivery is at-least-once end to end: the outbox row survives until the bus accepted the
//! event, and a consumer's inbox row is written in the same transaction as its effect, so a
//! re-delivered event changes nothing. At-least-once delivery thus gives exactly-once effects.

pub mod amqp;
pub mod inbox;
mod memory;
pub mod relay;

pub use amqp::{AmqpBus, AmqpOptions};
pub use inbox::Handler;
pub use memory::InProcessBus;
pub use relay::{Relay, RelayOptions};

use kernel::BoxFuture;
use kernel::event::Envelope;
use store::Migration;

pub const MIGRATIONS: &[Migration] = &[Migration {
    context: "bus",
    version: 1,
    name: "inbox",
    sql: include_str!("../migrations/0001_inbox.sql"),
    postgres: None,
}];

#[derive(Debug, thiserror::Error)]
#[error("{reason}")]
pub struct PublishError {
    pub reason: String,
    /// The bus itself could not be reached, so the event was never offered: the attempt does
    /// not count towards parking it, and the relay tries again in a second. A broker down for an
    /// hour parks nothing.
    pub unreachable: bool,
}

impl PublishError {
    pub fn failed(reason: impl Into<String>) -> Self {
        Self { reason: reason.into(), unreachable: false }
    }

    pub fn unreachable(reason: impl Into<String>) -> Self {
        Self { reason: reason.into(), unreachable: true }
    }
}

/// Where the relay hands events. `publish` returns once the event is durably accepted: by the
/// broker (RabbitMQ), or by every in-process consumer having processed it.
pub trait Bus: Send + Sync {
    fn publish<'a>(&'a self, envelope: &'a Envelope) -> BoxFuture<'a, Result<(), PublishError>>;

    /// Publishes a batch, one result per event in order; a broker overrides it to wait for all
    /// its confirms at once.
    fn publish_all<'a>(&'a self, envelopes: &'a [&'a Envelope]) -> BoxFuture<'a, Vec<Result<(), PublishError>>> {
        Box::pin(async move {
            let mut results = Vec::with_capacity(envelopes.len());
            for envelope in envelopes {
                results.push(self.publish(envelope).await);
            }
            results
        })
    }
}
