//! Events the shipping context publishes: what carriers report about parcels.

use kernel::event::Event;
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A carrier reported a parcel's progress (through `POST /webhooks/shipping/{provider}`).
/// Published once per provider event id: a webhook delivered twice is announced once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingUpdated {
    /// The provider's id of this report (what duplicates are recognised by).
    pub event_id: String,
    /// The webhook's provider (`builtin`…).
    pub provider: String,
    pub tracking_number: String,
    /// `pre_transit`, `in_transit`, `out_for_delivery`, `delivered`, `exception` or
    /// `returned`.
    pub status: String,
    /// The carrier's words ("Arrived at sorting facility").
    pub detail: String,
    pub location: Option<String>,
    /// When the carrier saw it happen (not when we heard of it).
    pub occurred_at: Timestamp,
}

impl Event for TrackingUpdated {
    const TYPE: &'static str = "shipping.tracking_updated";
    fn aggregate_id(&self) -> &str {
        &self.tracking_number
    }
}
