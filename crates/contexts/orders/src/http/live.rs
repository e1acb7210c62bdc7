//! An order's live status, over Server-Sent Events or a WebSocket: its transitions so far (or
//! after the one a reconnecting client names), then each new one as it happens.

use super::Svc;
use crate::service::{LiveChange, OrdersService};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::query::Query;
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// How often a follower looks again without a wake-up (a change made by another process).
const RECHECK: Duration = Duration::from_secs(10);
/// A stream ends after this long; the client reconnects with `Last-Event-ID`, which checks
/// its credentials again.
const LIFETIME: Duration = Duration::from_secs(3600);

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FollowQuery {
    /// Resume after this event id (as `Last-Event-ID` does).
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub after: Option<String>,
}

/// Follow the order's state as it changes, as Server-Sent Events: each transition is an
/// `order.state` event whose `id` resumes the stream after a reconnect (`Last-Event-ID`). The
/// caller's own orders only (admin: any); another's is 404.
#[utoipa::path(get, path = "/orders/{id}/events", tag = "orders", params(("id" = String, Path), FollowQuery,
    ("Last-Event-ID" = Option<String>, Header, description = "The last event id seen, to resume after it")),
    security(("bearer" = ["orders:read"]), ("api_key" = ["orders:read"])),
    responses((status = 200, description = "`text/event-stream` of `order.state` events", content_type = "text/event-stream",
    body = LiveChange), (status = 404, description = "`order_not_found`", body = Problem)))]
pub async fn order_events(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Query(q): Query<FollowQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = std::result::Result<Event, Infallible>>>> {
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).map(str::to_owned).or(q.after);
    // Subscribe before the first read, so a change between the two is not missed.
    let wake = svc.live_subscribe();
    let first = svc.order_changes(&p, &id, resume.as_deref()).await?;
    let last = first.last().map(|c| c.id.clone()).or(resume);
    let follower = Follower { svc, p, id, last, wake, pending: first.into(), until: Instant::now() + LIFETIME };
    let stream = futures_util::stream::unfold(follower, |mut f| async move {
        let change = f.next().await?;
        let event = Event::default()
            .id(change.id.clone())
            .event("order.state")
            .json_data(&change)
            .unwrap_or_else(|_| Event::default().comment("unserialisable"));
        Some((Ok(event), f))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Follow the order's state as it changes over a WebSocket: each transition is a text message,
/// the JSON of a `LiveChange`; `?after=` resumes after the change with that id. The caller's
/// own orders only (admin: any); another's is 404 before the upgrade. Messages from the
/// client are ignored; a ping is answered.
#[utoipa::path(get, path = "/orders/{id}/live", tag = "orders", params(("id" = String, Path), FollowQuery),
    security(("bearer" = ["orders:read"]), ("api_key" = ["orders:read"])),
    responses((status = 101, description = "Switching to a WebSocket of `LiveChange` messages"),
    (status = 404, description = "`order_not_found`", body = Problem)))]
pub async fn order_live(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Query(q): Query<FollowQuery>,
    upgrade: WebSocketUpgrade,
) -> Result<Response> {
    let wake = svc.live_subscribe();
    let first = svc.order_changes(&p, &id, q.after.as_deref()).await?;
    let last = first.last().map(|c| c.id.clone()).or(q.after);
    let follower = Follower { svc, p, id, last, wake, pending: first.into(), until: Instant::now() + LIFETIME };
    Ok(upgrade.max_message_size(4096).on_upgrade(move |socket| socket_follow(socket, follower)))
}

async fn socket_follow(mut socket: WebSocket, mut f: Follower) {
    // A ping now and then keeps an idle socket from counting as a silent connection.
    let mut ping = tokio::time::interval(Duration::from_secs(15));
    loop {
        tokio::select! {
            _ = ping.tick() => {
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
            change = f.next() => {
                let Some(change) = change else { break };
                let Ok(text) = serde_json::to_string(&change) else { break };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => match incoming {
                // axum answers pings itself; anything else from the client is ignored.
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}

struct Follower {
    svc: Arc<OrdersService>,
    p: Principal,
    id: String,
    last: Option<String>,
    wake: broadcast::Receiver<String>,
    pending: VecDeque<LiveChange>,
    until: Instant,
}

impl Follower {
    /// The next transition; `None` ends the stream (its lifetime is over, or the order is no
    /// longer the caller's to see).
    async fn next(&mut self) -> Option<LiveChange> {
        loop {
            if let Some(change) = self.pending.pop_front() {
                self.last = Some(change.id.clone());
                return Some(change);
            }
            let left = self.until.checked_duration_since(Instant::now())?;
            let woken = tokio::select! {
                r = self.wake.recv() => match r {
                    Ok(order) => order == self.id,
                    Err(broadcast::error::RecvError::Lagged(_)) => true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = tokio::time::sleep(RECHECK.min(left)) => true,
            };
            if woken {
                self.pending = self.svc.order_changes(&self.p, &self.id, self.last.as_deref()).await.ok()?.into();
            }
        }
    }
}
