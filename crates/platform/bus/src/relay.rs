//! The outbox relay: publishes committed events and marks them, retrying with backoff.

use crate::Bus;
use kernel::time::Timestamp;
use std::sync::Arc;
use std::time::Duration;
use store::{Db, outbox};
use tokio::sync::watch;

/// How soon an event is offered again when the bus could not be reached at all.
const UNREACHABLE_RETRY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct RelayOptions {
    pub batch: i64,
    /// How long a claimed event is reserved for this relay before another may take it.
    pub lease: Duration,
    /// Poll interval when nothing wakes the relay (events written by other replicas).
    pub idle_poll: Duration,
    /// After this many failed attempts an event is parked as dead for an operator.
    pub max_attempts: i64,
    /// The wait between attempts doubles from a second up to this.
    pub max_backoff: Duration,
}

impl Default for RelayOptions {
    fn default() -> Self {
        Self {
            batch: 100,
            lease: Duration::from_secs(30),
            idle_poll: Duration::from_secs(1),
            max_attempts: 10,
            max_backoff: Duration::from_secs(256),
        }
    }
}

pub struct Relay {
    db: Db,
    bus: Arc<dyn Bus>,
    options: RelayOptions,
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub published: usize,
    pub failed: usize,
}

impl Relay {
    pub fn new(db: Db, bus: Arc<dyn Bus>, options: RelayOptions) -> Self {
        Self { db, bus, options }
    }

    /// Publishes one batch of due events.
    pub async fn run_once(&self) -> store::Result<Pass> {
        let pending = outbox::claim(&self.db, self.options.batch, self.options.lease).await?;
        let mut pass = Pass::default();
        let mut published = Vec::with_capacity(pending.len());
        let envelopes: Vec<&kernel::event::Envelope> = pending.iter().map(|p| &p.envelope).collect();
        let results = self.bus.publish_all(&envelopes).await;
        for (p, result) in pending.iter().zip(results) {
            match result {
                Ok(()) => {
                    metrics::counter!("oxcart_events_published_total", "type" => p.envelope.event_type.clone())
                        .increment(1);
                    published.push(p.envelope.id.clone());
                }
                Err(e) if e.unreachable => {
                    outbox::mark_waiting(&self.db, &p.envelope.id, Timestamp::now().plus(UNREACHABLE_RETRY), &e.reason)
                        .await?;
                    pass.failed += 1;
                }
                Err(e) => {
                    let attempts = p.attempts + 1;
                    let dead = attempts >= self.options.max_attempts;
                    let backoff =
                        Duration::from_secs(1u64 << attempts.clamp(0, 8) as u32).min(self.options.max_backoff);
                    outbox::mark_failed(&self.db, &p.envelope.id, Timestamp::now().plus(backoff), dead, &e.reason)
                        .await?;
                    metrics::counter!("oxcart_events_failed_total", "type" => p.envelope.event_type.clone())
                        .increment(1);
                    if dead {
                        tracing::error!(event = %p.envelope.id, r#type = %p.envelope.event_type, attempts, error = %e, "event parked as dead");
                    }
                    pass.failed += 1;
                }
            }
        }
        pass.published = published.len();
        outbox::mark_published(&self.db, &published).await?;
        Ok(pass)
    }

    /// Publishes until nothing is due; returns how many were published.
    pub async fn drain(&self) -> store::Result<usize> {
        let mut total = 0;
        loop {
            let pass = self.run_once().await?;
            total += pass.published;
            if pass.published + pass.failed < self.options.batch as usize {
                return Ok(total);
            }
        }
    }

    /// Runs until `shutdown` turns true, then drains once more so committed events go out.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.drain().await {
                tracing::warn!(error = %e, "outbox relay pass failed");
            }
            if let Ok((backlog, age)) = outbox::backlog(&self.db).await {
                metrics::gauge!("oxcart_outbox_backlog").set(backlog as f64);
                metrics::gauge!("oxcart_outbox_oldest_age_seconds").set(age as f64);
            }
            tokio::select! {
                _ = self.db.outbox_signal().notified() => {}
                _ = tokio::time::sleep(self.options.idle_poll) => {}
                _ = async { let _ = shutdown.wait_for(|stop| *stop).await; } => {
                    if let Err(e) = self.drain().await {
                        tracing::warn!(error = %e, "outbox relay final drain failed");
                    }
                    return;
                }
            }
        }
    }
}
