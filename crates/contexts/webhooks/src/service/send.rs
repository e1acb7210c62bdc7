//! Deliveries out: each pass leases what is due in one short statement, POSTs it outside any
//! transaction (a few at once), and records the attempt. 2xx is delivered; anything else (a
//! redirect too: none is followed) is tried again on the schedule of `domain::retry`, and
//! parked as failed once the next try would fall a day after the delivery was queued.

use super::WebhooksService;
use crate::domain::retry::{jitter, next_attempt};
use crate::domain::signature;
use crate::store::{self as sql, AttemptRow, DeliveryRow, EndpointRow, Outcome};
use bytes::Bytes;
use http_body_util::Full;
use kernel::Result;
use kernel::time::Timestamp;
use outbound::target::{Unreachable, target_resolve, url_parse};
use outbound::{Answer, Client, Endpoint};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// How long a leased delivery is its sender's before another may take it (a crash): well
/// past an attempt's deadline.
const LEASE: Duration = Duration::from_secs(60);
const BATCH: i64 = 32;
/// Calls in flight at once.
const IN_FLIGHT: usize = 8;
/// Batches one pass takes at most, so a backlog cannot hold the pass for long.
const MAX_BATCHES: usize = 8;
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// An attempt's whole deadline: lookup, connect, TLS, request and answer.
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(10);
/// What is kept of an answer's body.
pub const EXCERPT: usize = 512;
pub const USER_AGENT: &str = "Oxcart-Webhooks/1";

/// What an attempt came to.
struct Tried {
    status: Option<u16>,
    error: Option<String>,
    excerpt: String,
}

impl WebhooksService {
    /// One pass of the sender at `now` (the clock tests move ahead; never before the real
    /// time); answers how many deliveries were attempted.
    pub async fn deliveries_send(self: &Arc<Self>, now: Timestamp) -> Result<u64> {
        let mut attempted = 0;
        for _ in 0..MAX_BATCHES {
            // A later batch starts later: its lease must run from when it is taken.
            let now = now.max(Timestamp::now());
            let lease_until = now.plus(LEASE).as_micros();
            let rows = sql::deliveries_claim(&self.db, now.as_micros(), lease_until, BATCH).await?;
            let claimed = rows.len();
            let mut set = JoinSet::new();
            for row in rows {
                if set.len() >= IN_FLIGHT
                    && let Some(done) = set.join_next().await
                {
                    attempted += u64::from(done.unwrap_or(Ok(false)).unwrap_or(false));
                }
                let svc = self.clone();
                set.spawn(async move { svc.delivery_attempt(row, now, lease_until).await });
            }
            while let Some(done) = set.join_next().await {
                attempted += u64::from(done.unwrap_or(Ok(false)).unwrap_or(false));
            }
            if claimed < BATCH as usize {
                break;
            }
        }
        Ok(attempted)
    }

    /// Makes one attempt at a leased delivery and records it; true when it was recorded.
    async fn delivery_attempt(&self, row: DeliveryRow, now: Timestamp, leased_until: i64) -> Result<bool> {
        let Some(endpoint) = sql::endpoint_get(&mut self.db.clone(), &row.endpoint_id).await? else {
            return Ok(false);
        };
        let started = Instant::now();
        let tried = self.post(&endpoint, &row, now).await;
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let ok = tried.status.is_some_and(|s| (200..300).contains(&s));
        let error = match (&tried.error, tried.status) {
            (Some(e), _) => Some(e.clone()),
            (None, Some(s)) if !ok => Some(format!("answered {s}")),
            _ => None,
        };
        let round = row.round_attempts + 1;
        let retry = if ok { None } else { next_attempt(now, round, Timestamp::from_micros(row.queued_at), jitter()) };
        let (state, next) = match (ok, retry) {
            (true, _) => ("delivered", now),
            (false, Some(at)) => ("pending", at),
            (false, None) => ("failed", now),
        };
        let outcome = Outcome {
            state,
            next_attempt_at: next.as_micros(),
            status: tried.status.map(i64::from),
            error: error.as_deref(),
            delivered_at: ok.then_some(now.as_micros()),
        };
        let mut tx = self.db.begin().await?;
        let Some(number) = sql::delivery_attempted(&mut tx, &row.id, leased_until, &outcome).await? else {
            tracing::warn!(delivery = %row.id, "webhook delivery changed hands during its attempt; not recorded");
            return Ok(false);
        };
        let attempt = AttemptRow {
            delivery_id: row.id.clone(),
            number,
            at: now.as_micros(),
            status_code: outcome.status,
            error: error.clone(),
            duration_ms,
            response_excerpt: tried.excerpt,
        };
        sql::attempt_insert(&mut tx, &attempt).await?;
        tx.commit().await?;
        metrics::counter!("oxcart_webhook_attempts_total", "outcome" => state).increment(1);
        match state {
            "failed" => tracing::warn!(delivery = %row.id, endpoint = %endpoint.id, attempts = number,
                error = error.as_deref().unwrap_or_default(), "webhook delivery parked as failed"),
            "pending" => tracing::info!(delivery = %row.id, endpoint = %endpoint.id, attempts = number,
                error = error.as_deref().unwrap_or_default(), "webhook delivery will be tried again"),
            _ => tracing::debug!(delivery = %row.id, endpoint = %endpoint.id, "webhook delivered"),
        }
        Ok(true)
    }

    /// POSTs the delivery to the address its host resolves to now, if that is allowed.
    async fn post(&self, endpoint: &EndpointRow, row: &DeliveryRow, now: Timestamp) -> Tried {
        let failed = |error: String| Tried { status: None, error: Some(error), excerpt: String::new() };
        let deadline = Instant::now() + TOTAL_TIMEOUT;
        // Checked again: the settings may have tightened since the endpoint was registered.
        let target = match url_parse(&endpoint.url, self.config.allow_http) {
            Ok(t) => t,
            Err(why) => return failed(format!("webhook_url_invalid: the URL {why}")),
        };
        let address = match target_resolve(&target, self.config.allow_private).await {
            Ok(a) => a,
            Err(Unreachable::Forbidden(why)) => return failed(format!("webhook_url_forbidden: {why}")),
            Err(Unreachable::Unresolved(why)) => return failed(why),
        };
        let endpoint_of = Endpoint { host: target.host.clone(), port: target.port, tls: target.tls };
        let client = match Client::new(endpoint_of, None) {
            Ok(c) => c.connect_to(address).body_limit(EXCERPT),
            Err(e) => return failed(e),
        };
        let body = envelope(row);
        let request = hyper::Request::post(target.path.as_str())
            .header("host", client.endpoint().host_header())
            .header("content-type", "application/json")
            .header("user-agent", USER_AGENT)
            .header("oxcart-event-id", row.event_id.as_str())
            .header("oxcart-event-type", row.event_type.as_str())
            .header("oxcart-delivery-id", row.id.as_str())
            .header("oxcart-signature", signature::header(&endpoint.secret, now.as_secs(), body.as_bytes()))
            .body(Full::new(Bytes::from(body)));
        let request = match request {
            Ok(r) => r,
            Err(e) => return failed(format!("request: {e}")),
        };
        let left = deadline.saturating_duration_since(Instant::now());
        match client.send(request, CONNECT_TIMEOUT.min(left), left).await {
            Ok(Answer { status, body, .. }) => Tried { status: Some(status), error: None, excerpt: excerpt(&body) },
            Err(e) => failed(e),
        }
    }
}

/// The body sent: `{"id", "type", "created_at", "data"}`, `data` the stored payload as is.
fn envelope(row: &DeliveryRow) -> String {
    let text = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    format!(
        r#"{{"id":{},"type":{},"created_at":{},"data":{}}}"#,
        text(&row.event_id),
        text(&row.event_type),
        text(&Timestamp::from_micros(row.occurred_at).to_rfc3339()),
        row.payload
    )
}

/// Up to [`EXCERPT`] bytes of an answer as text, cut at a character boundary.
fn excerpt(body: &[u8]) -> String {
    let mut text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT)]).into_owned();
    let mut end = text.len().min(EXCERPT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_stay_within_bounds_and_characters() {
        assert_eq!(excerpt(b"ok"), "ok");
        let long = "é".repeat(400);
        let e = excerpt(long.as_bytes());
        assert!(e.len() <= EXCERPT && e.chars().all(|c| c == 'é'), "{}", e.len());
        let e = excerpt(&[0xff; 600]);
        assert!(e.len() <= EXCERPT);
    }
}
