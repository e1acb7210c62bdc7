//! Admins hear of events the relay parked after too many failed deliveries: those are changes
//! some consumer has not applied, and only a person can decide what to do.

use super::NotificationsService;
use crate::domain::Kind;
use kernel::Result;
use kernel::event::Envelope;
use kernel::time::Timestamp;
use serde_json::json;

const CURSOR: &str = "parked_events";

impl NotificationsService {
    /// One pass: a message to every admin for each event parked since the last pass.
    pub async fn parked_events_notify(&self, _now: Timestamp) -> Result<u64> {
        let mut tx = self.db.begin().await?;
        let after = crate::store::cursor_get(&mut tx, CURSOR).await?.unwrap_or(0);
        let parked = store::outbox::parked_after(&self.db, after, 50).await?;
        let Some(last) = parked.last().map(|p| p.dead_at) else { return Ok(0) };
        let mut made = 0;
        for p in &parked {
            // The draft is keyed by the parked event's id, as if it were an event of its own.
            let e = Envelope {
                id: format!("parked:{}", p.id),
                event_type: p.event_type.clone(),
                version: 1,
                occurred_at: Timestamp::from_micros(p.dead_at),
                aggregate_id: p.id.clone(),
                payload: serde_json::Value::Null,
                trace: None,
                origin: None,
            };
            let context = json!({"event": {
                "id": p.id, "type": p.event_type, "attempts": p.attempts,
                "error": p.last_error.clone().unwrap_or_default(),
            }});
            for draft in self.admin_drafts(&e, Kind::AdminEventParked, Some(&p.id), context).await? {
                made += self.draft_enqueue(&mut tx, draft).await?;
            }
        }
        crate::store::cursor_set(&mut tx, CURSOR, last).await?;
        tx.commit().await?;
        Ok(u64::from(made))
    }
}
