//! Idempotent consumption: the inbox row and the handler's effect share one transaction.

use kernel::BoxFuture;
use kernel::event::Envelope;
use kernel::time::Timestamp;
use store::{Db, Tx};

/// A consumer of events. Its effects go through `tx`, which also records the event as processed.
pub trait Handler: Send + Sync + 'static {
    /// The consumer group: the inbox key, and the queue name on a broker.
    fn group(&self) -> &'static str;
    /// Event types it wants: exact (`user.registered`), a prefix (`user.*`) or `*`.
    fn topics(&self) -> &'static [&'static str];
    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>>;
}

pub fn wants(handler: &dyn Handler, event: &Envelope) -> bool {
    handler.topics().iter().any(|p| event.matches(p))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Processed,
    Duplicate,
}

/// Runs `handler` on `event` exactly once per consumer group, however often it is delivered.
pub async fn deliver(db: &Db, handler: &dyn Handler, event: &Envelope) -> kernel::Result<Delivery> {
    let mut tx = db.begin().await?;
    let inserted = tx
        .execute(
            "INSERT INTO bus_inbox (consumer, event_id, processed_at) VALUES ($1, $2, $3)
             ON CONFLICT (consumer, event_id) DO NOTHING",
            store::args![handler.group(), event.id.as_str(), Timestamp::now()],
        )
        .await?;
    if inserted == 0 {
        return Ok(Delivery::Duplicate);
    }
    // What the handler causes is the doing of whoever caused the event.
    let origin = event.origin.clone().unwrap_or_default();
    kernel::origin::scope(origin, handler.handle(&mut tx, event)).await?;
    tx.commit().await?;
    metrics::counter!("oxcart_events_consumed_total", "group" => handler.group()).increment(1);
    Ok(Delivery::Processed)
}
