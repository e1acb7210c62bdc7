//! Carriers' tracking webhooks: a delivery is authenticated by its provider's shared secret,
//! read in the provider's format, recorded once per provider event id, and announced as
//! [`TrackingUpdated`] through the outbox in the same transaction.

use super::ShippingService;
use crate::api::events::TrackingUpdated;
use crate::store::parcels::{self as sql, TrackingEventRow};
use crate::webhook::{self, Delivery, Format};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::outbox;

/// What became of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackingOutcome {
    /// New: recorded and announced.
    Recorded,
    /// This provider's event id was recorded before; nothing changed.
    Duplicate,
    /// Nothing to record (a status still unknown, another kind of event).
    Ignored,
}

impl ShippingService {
    /// Takes one webhook delivery of `provider`. `secret` is what the caller presented (header
    /// or `?token=`). The checks go from what costs nothing to say to what does: 404
    /// `tracking_webhook_not_configured` for a provider with no secret set here, 401
    /// `tracking_webhook_unauthorized` for a missing or wrong secret, 422
    /// `tracking_payload_invalid` for a body that is not the provider's format.
    pub async fn tracking_webhook(&self, provider: &str, secret: Option<&str>, body: &[u8]) -> Result<TrackingOutcome> {
        let (Some(format), Some(expected)) = (Format::of(provider), self.config.webhooks.get(provider)) else {
            return Err(Error::not_found(
                "tracking_webhook_not_configured",
                "No tracking webhook is configured here for this provider.",
            ));
        };
        if !secret.is_some_and(|s| webhook::secret_matches(s, expected.expose())) {
            return Err(Error::unauthenticated(
                "tracking_webhook_unauthorized",
                "Send the provider's webhook secret as `X-Webhook-Secret: <secret>` or `?token=<secret>`.",
            ));
        }
        let Delivery::Report(report) = webhook::parse(format, body)? else { return Ok(TrackingOutcome::Ignored) };
        let row = TrackingEventRow {
            provider: provider.to_owned(),
            event_id: report.event_id,
            tracking_number: report.tracking_number,
            status: report.status.as_str().to_owned(),
            detail: report.detail,
            location: report.location,
            occurred_at: report.occurred_at.as_micros(),
            received_at: Timestamp::now().as_micros(),
        };
        let mut tx = self.db.begin().await?;
        if !sql::tracking_event_insert(&mut tx, &row).await? {
            tx.rollback().await?;
            return Ok(TrackingOutcome::Duplicate);
        }
        let event = TrackingUpdated {
            event_id: row.event_id,
            provider: row.provider,
            tracking_number: row.tracking_number,
            status: row.status,
            detail: row.detail,
            location: row.location,
            occurred_at: report.occurred_at,
        };
        outbox::emit(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(TrackingOutcome::Recorded)
    }
}
