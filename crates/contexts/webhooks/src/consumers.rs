//! The consumer of every event: each becomes its deliveries in the inbox transaction.

use crate::WebhooksService;
use bus::Handler;
use kernel::BoxFuture;
use kernel::event::Envelope;
use std::sync::Arc;
use store::Tx;

pub struct Intake(pub Arc<WebhooksService>);

impl Handler for Intake {
    fn group(&self) -> &'static str {
        "webhooks"
    }

    fn topics(&self) -> &'static [&'static str] {
        &["*"]
    }

    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            self.0.event_intake(tx, event).await?;
            Ok(())
        })
    }
}
