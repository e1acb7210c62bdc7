//! The consumer of audited events: each becomes an entry in the inbox transaction.

use crate::AuditService;
use crate::record::AUDITED;
use bus::Handler;
use kernel::BoxFuture;
use kernel::event::Envelope;
use std::sync::Arc;
use store::Tx;

pub struct Recorder(pub Arc<AuditService>);

impl Handler for Recorder {
    fn group(&self) -> &'static str {
        "audit"
    }

    fn topics(&self) -> &'static [&'static str] {
        AUDITED
    }

    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            self.0.event_record(tx, event).await?;
            Ok(())
        })
    }
}
