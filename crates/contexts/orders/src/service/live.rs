//! Following an order as it changes: its transitions after the one a client saw last (the
//! resume point after a reconnect), and a wake-up whenever this process hears that an order
//! moved. A follower re-reads on each wake-up and on a slow timer, so a change relayed by
//! another process still arrives, only later.

use super::OrdersService;
use crate::store::orders::{self as sql, HistoryRow};
use bus::Handler;
use kernel::auth::Principal;
use kernel::event::Envelope;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Result};
use serde::Serialize;
use std::sync::Arc;
use store::Tx;
use tokio::sync::broadcast;

/// One transition as a follower receives it; `id` is its resume point.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LiveChange {
    pub id: String,
    pub order_id: String,
    pub from: Option<String>,
    pub state: String,
    pub reason: Option<String>,
    pub at: Timestamp,
}

impl OrdersService {
    /// The order's transitions after `after` (all of them without it, or when `after` is not
    /// one of its own), if the caller may see the order; 404 otherwise.
    pub async fn order_changes(&self, p: &Principal, id: &str, after: Option<&str>) -> Result<Vec<LiveChange>> {
        p.require_scope(crate::api::ORDERS_READ)?;
        let order = self.order_visible(p, id).await?;
        let history = sql::history_of(&mut self.db(), &order.id).await?;
        let start = after.and_then(|a| history.iter().position(|h| h.id == a)).map_or(0, |i| i + 1);
        Ok(history.into_iter().skip(start).map(change).collect())
    }

    /// Wakes on every order change this process hears of.
    pub fn live_subscribe(&self) -> broadcast::Receiver<String> {
        self.live.subscribe()
    }
}

fn change(h: HistoryRow) -> LiveChange {
    LiveChange {
        id: h.id,
        order_id: h.order_id,
        from: h.from_state,
        state: h.to_state,
        reason: h.reason,
        at: Timestamp::from_micros(h.at),
    }
}

/// The consumer that turns the order's own events into wake-ups.
pub fn live_events(orders: &Arc<OrdersService>) -> Arc<dyn Handler> {
    Arc::new(LiveEvents(orders.live.clone()))
}

struct LiveEvents(broadcast::Sender<String>);

impl Handler for LiveEvents {
    fn group(&self) -> &'static str {
        "orders.live"
    }

    fn topics(&self) -> &'static [&'static str] {
        &["order.*"]
    }

    fn handle<'a>(&'a self, _tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            // Nobody following is no error.
            let _ = self.0.send(event.aggregate_id.clone());
            Ok(())
        })
    }
}
