//! What the orders context does when a carrier reports on a parcel (the shipping context's
//! `shipping.tracking_updated`): the report joins the part's tracking, and moves the part on
//! when it is further than the part has got. A report seen before, or one that arrives after
//! a later one (delivered, then "in transit" late), changes nothing.

use super::follow::{order_follow, part_move, part_state};
use crate::domain::FulfilmentState;
use crate::store::fulfilments::{self as fsql, TrackingRow};
use crate::store::orders as sql;
use bus::Handler;
use kernel::event::{Envelope, Event};
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Result};
use shipping::api::events::TrackingUpdated;
use std::sync::Arc;
use store::Tx;

struct TrackingEvents;

/// The consumer of the shipping context's tracking reports.
pub fn tracking_events() -> Arc<dyn Handler> {
    Arc::new(TrackingEvents)
}

impl Handler for TrackingEvents {
    fn group(&self) -> &'static str {
        "orders.tracking"
    }

    fn topics(&self) -> &'static [&'static str] {
        &[TrackingUpdated::TYPE]
    }

    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move { tracking_apply(tx, &event.decode::<TrackingUpdated>()?).await })
    }
}

async fn tracking_apply(tx: &mut Tx, e: &TrackingUpdated) -> Result<()> {
    let tracking = e.tracking_number.trim().to_uppercase();
    for part in fsql::fulfilments_by_tracking(tx, &tracking).await? {
        let now = Timestamp::now().as_micros();
        let row = TrackingRow {
            id: new_id("trk"),
            fulfilment_id: part.id.clone(),
            source: e.provider.clone(),
            source_event_id: e.event_id.clone(),
            status: e.status.clone(),
            detail: e.detail.clone(),
            location: e.location.clone(),
            occurred_at: e.occurred_at.as_micros(),
            recorded_at: now,
        };
        if !fsql::tracking_insert(tx, &row).await? {
            continue;
        }
        let Some(to) = FulfilmentState::from_tracking(&e.status) else { continue };
        let Some(order) = sql::order_lock(tx, &part.order_id, now).await? else { continue };
        let Some(part) = fsql::fulfilment_get(tx, &part.id).await? else { continue };
        let from = part_state(&part)?;
        // Only forward: a late report of an earlier step is kept in the list, not applied.
        if !from.shipped() || to <= from || !from.can(to) {
            continue;
        }
        let actor = format!("carrier:{}", e.provider);
        part_move(tx, &order, &part, to, &actor, Some(&e.detail)).await?;
        order_follow(tx, &order.id, &actor).await?;
    }
    Ok(())
}
