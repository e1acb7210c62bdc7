//! Messages out: each pass leases what is due per channel, as many as the channel's rate
//! allows, hands them to the provider outside any transaction (a few at once), and records
//! the outcome. A failure that may heal is tried again later; after `max_attempts`, or a
//! failure that cannot heal, the message is parked for an admin.

use super::NotificationsService;
use crate::channel::Outgoing;
use crate::domain::{Channel, address_masked, retry_after};
use crate::store::{self as sql, MessageRow};
use kernel::Result;
use kernel::time::Timestamp;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// How long a taken message is the taker's before another worker may take it (a crash).
const LEASE: Duration = Duration::from_secs(120);
/// Sends in flight at once per channel.
const IN_FLIGHT: usize = 8;

/// A token bucket: `rate` messages a second, a burst of one second's worth.
#[derive(Debug)]
pub struct Bucket {
    rate: f64,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    pub fn new(rate: u32) -> Self {
        Self { rate: f64::from(rate), tokens: f64::from(rate), at: Instant::now() }
    }

    /// Takes up to `want` tokens; answers how many it gave.
    fn take(&mut self, want: usize) -> usize {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * self.rate).min(self.rate);
        self.at = now;
        let n = (self.tokens.floor() as usize).min(want);
        self.tokens -= n as f64;
        n
    }

    /// Gives back tokens taken for messages there were not.
    fn refund(&mut self, n: usize) {
        self.tokens = (self.tokens + n as f64).min(self.rate);
    }
}

impl NotificationsService {
    /// One pass of the sender; answers how many messages went out.
    pub async fn messages_deliver(self: &Arc<Self>, now: Timestamp) -> Result<u64> {
        let mut sent = 0;
        for (i, channel) in Channel::ALL.into_iter().enumerate() {
            let granted = self.buckets.lock().map(|mut b| b[i].take(100)).unwrap_or(0);
            if granted == 0 {
                continue;
            }
            let lease_until = now.as_micros() + LEASE.as_micros() as i64;
            let rows =
                sql::messages_claim(&self.db, channel.as_str(), now.as_micros(), lease_until, granted as i64).await?;
            if let Ok(mut b) = self.buckets.lock() {
                b[i].refund(granted - rows.len());
            }
            let mut set = JoinSet::new();
            for row in rows {
                if set.len() >= IN_FLIGHT
                    && let Some(done) = set.join_next().await
                {
                    sent += u64::from(done.unwrap_or(Ok(false)).unwrap_or(false));
                }
                let svc = self.clone();
                set.spawn(async move { svc.message_send(channel, row).await });
            }
            while let Some(done) = set.join_next().await {
                sent += u64::from(done.unwrap_or(Ok(false)).unwrap_or(false));
            }
        }
        Ok(sent)
    }

    /// Sends one leased message and records what happened; true when the provider took it.
    async fn message_send(&self, channel: Channel, row: MessageRow) -> Result<bool> {
        let sender = self.sender(channel);
        let outgoing = Outgoing {
            kind: crate::domain::Kind::parse(&row.kind).map(|k| k.as_str()).unwrap_or("unknown"),
            to: row.address.clone(),
            name: row.name.clone(),
            subject: row.subject.clone(),
            text: row.body_text.clone(),
            html: row.body_html.clone(),
            unsubscribe: row.unsubscribe_url.clone(),
            push: match channel {
                Channel::Push => self.push_target(&row.address).await?,
                _ => None,
            },
            id: row.id.clone(),
        };
        let result = sender.send(&outgoing).await;
        let now = Timestamp::now();
        match result {
            Ok(provider_id) => {
                sql::message_sent(&self.db, &row.id, sender.provider(), &provider_id, now.as_micros()).await?;
                if channel == Channel::Push {
                    sql::subscription_used(&mut self.db.clone(), &row.address, now.as_micros()).await?;
                }
                if sender.provider() != "outbox" {
                    tracing::info!(message_id = %row.id, kind = %row.kind, channel = channel.as_str(),
                        provider = sender.provider(), to = %address_masked(&row.address), "message sent");
                }
                Ok(true)
            }
            Err(failure) => {
                if failure.gone && channel == Channel::Push {
                    sql::subscription_delete(&mut self.db.clone(), &row.address, None).await?;
                    tracing::info!(subscription = %row.address, error = %failure.detail, "push subscription dropped");
                }
                let attempts = u32::try_from(row.attempts + 1).unwrap_or(u32::MAX);
                let next = (failure.retryable && attempts < self.config.max_attempts).then(|| {
                    let wait = retry_after(attempts).max(failure.retry_after.unwrap_or_default());
                    now.as_micros() + wait.as_micros() as i64
                });
                sql::message_failed(&self.db, &row.id, sender.provider(), &failure.detail, next, now.as_micros())
                    .await?;
                if next.is_none() {
                    tracing::warn!(message_id = %row.id, kind = %row.kind, attempts, error = %failure.detail,
                        "message parked; an admin can send it again");
                } else {
                    tracing::info!(message_id = %row.id, attempts, error = %failure.detail, "message will be tried again");
                }
                Ok(false)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bucket;

    #[test]
    fn a_bucket_gives_a_second_worth_then_waits() {
        let mut b = Bucket::new(5);
        assert_eq!(b.take(100), 5);
        assert_eq!(b.take(100), 0);
        b.refund(2);
        assert_eq!(b.take(1), 1);
        assert_eq!(b.take(100), 1);
    }
}
