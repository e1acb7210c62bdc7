//! The consumer of other contexts' events: each becomes its messages in the inbox
//! transaction, so a repeated event makes none twice.

use crate::NotificationsService;
use crate::service::intake::TOPICS;
use bus::Handler;
use kernel::BoxFuture;
use kernel::event::Envelope;
use std::sync::Arc;
use store::Tx;

pub struct Intake(pub Arc<NotificationsService>);

impl Handler for Intake {
    fn group(&self) -> &'static str {
        "notifications"
    }

    fn topics(&self) -> &'static [&'static str] {
        TOPICS
    }

    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            self.0.event_intake(tx, event).await?;
            Ok(())
        })
    }
}
