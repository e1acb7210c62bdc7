//! The event envelope every context publishes through the outbox.

use crate::error::{Error, Result};
use crate::time::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A typed domain event, declared once in its publisher's `api::events` and read by consumers
/// through that same type. `TYPE` is `<aggregate>.<past-tense verb>`, e.g. `user.registered`;
/// `VERSION` goes up when a field changes meaning or goes away (adding one does not).
pub trait Event: Serialize + DeserializeOwned {
    const TYPE: &'static str;
    const VERSION: u32 = 1;
    fn aggregate_id(&self) -> &str;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub version: u32,
    pub occurred_at: Timestamp,
    pub aggregate_id: String,
    pub payload: serde_json::Value,
    /// W3C `traceparent` of the request that caused the event, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
    /// Who caused it, from which request and address ([`crate::origin`]), when a request did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<crate::origin::Origin>,
}

impl Envelope {
    pub fn new<E: Event>(event: &E) -> Self {
        Self {
            id: crate::id::new_id("evt"),
            event_type: E::TYPE.to_owned(),
            version: E::VERSION,
            occurred_at: Timestamp::now(),
            aggregate_id: event.aggregate_id().to_owned(),
            payload: serde_json::to_value(event).unwrap_or(serde_json::Value::Null),
            trace: None,
            origin: crate::origin::current(),
        }
    }

    /// The payload as the event type `E`. A consumer fails (and the event is retried, then
    /// parked) rather than guess at another type or a version it was not written for.
    pub fn decode<E: Event>(&self) -> Result<E> {
        if self.event_type != E::TYPE || self.version != E::VERSION {
            return Err(Error::internal(format!(
                "expected {} v{}, got {} v{}",
                E::TYPE,
                E::VERSION,
                self.event_type,
                self.version
            )));
        }
        serde_json::from_value(self.payload.clone())
            .map_err(|e| Error::internal(format!("{} payload does not match its type: {e}", E::TYPE)))
    }

    /// True when `pattern` matches the type: exact, `*`, or a prefix ending in `.*`.
    pub fn matches(&self, pattern: &str) -> bool {
        pattern == "*"
            || pattern == self.event_type
            || pattern
                .strip_suffix(".*")
                .is_some_and(|p| self.event_type.strip_prefix(p).is_some_and(|r| r.starts_with('.')))
    }
}
