//! The default bus: events go straight to the consumers of this process.

use crate::inbox::{self, Handler};
use crate::{Bus, PublishError};
use kernel::BoxFuture;
use kernel::event::Envelope;
use std::sync::{Arc, RwLock};
use store::Db;

/// Publishing runs every interested consumer before it returns, so the relay marks an event
/// published only after all its effects are committed; a crash before that re-delivers it.
pub struct InProcessBus {
    db: Db,
    handlers: RwLock<Vec<Arc<dyn Handler>>>,
}

impl InProcessBus {
    pub fn new(db: Db) -> Self {
        Self { db, handlers: RwLock::new(Vec::new()) }
    }

    pub fn subscribe(&self, handler: Arc<dyn Handler>) {
        self.handlers.write().unwrap_or_else(|p| p.into_inner()).push(handler);
    }
}

impl Bus for InProcessBus {
    fn publish<'a>(&'a self, envelope: &'a Envelope) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move {
            let handlers: Vec<Arc<dyn Handler>> = self
                .handlers
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .iter()
                .filter(|h| inbox::wants(h.as_ref(), envelope))
                .cloned()
                .collect();
            let mut failures = Vec::new();
            for handler in handlers {
                if let Err(e) = inbox::deliver(&self.db, handler.as_ref(), envelope).await {
                    tracing::warn!(group = handler.group(), event = %envelope.id, error = %e, "consumer failed");
                    failures.push(format!("{}: {}", handler.group(), e));
                }
            }
            if failures.is_empty() { Ok(()) } else { Err(PublishError::failed(failures.join("; "))) }
        })
    }
}
