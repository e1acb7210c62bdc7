//! The default provider: the message stays in the shop's outbox (where the admin and the
//! recipient can read it) and the log says one line about it.

use super::{Outgoing, SendFailure, Sender};
use kernel::BoxFuture;

pub struct Outbox {
    channel: &'static str,
}

impl Outbox {
    pub fn new(channel: &'static str) -> Self {
        Self { channel }
    }
}

impl Sender for Outbox {
    fn provider(&self) -> &'static str {
        "outbox"
    }

    fn send<'a>(&'a self, m: &'a Outgoing) -> BoxFuture<'a, Result<String, SendFailure>> {
        Box::pin(async move {
            tracing::info!(
                id = %m.id,
                kind = m.kind,
                channel = self.channel,
                to = %crate::domain::address_masked(&m.to),
                "message kept in the outbox (no provider configured)"
            );
            Ok(m.id.clone())
        })
    }
}
