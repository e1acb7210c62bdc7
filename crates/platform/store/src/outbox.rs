//! The transactional outbox: an event is a row written in the same transaction as the state
//! change it announces, so either both happen or neither does. The relay (in `bus`) publishes
//! rows and marks them; a crash between the two means a re-delivery, never a loss.

use crate::db::{Backend, Db, Tx};
use crate::error::Result;
use crate::migrate::Migration;
use kernel::event::{Envelope, Event};
use kernel::time::Timestamp;

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        context: "store",
        version: 1,
        name: "outbox",
        sql: include_str!("../migrations/0001_outbox.sql"),
        postgres: None,
    },
    Migration {
        context: "store",
        version: 3,
        name: "outbox_parked",
        sql: include_str!("../migrations/0003_outbox_parked.sql"),
        postgres: None,
    },
    Migration {
        context: "store",
        version: 4,
        name: "outbox_origin",
        sql: include_str!("../migrations/0004_outbox_origin.sql"),
        postgres: None,
    },
    Migration {
        context: "store",
        version: 5,
        name: "outbox_unpublished",
        sql: include_str!("../migrations/0005_outbox_unpublished.sql"),
        postgres: None,
    },
];

/// Records `event` in the outbox of `tx`; it is published once `tx` commits.
pub async fn emit<E: Event>(tx: &mut Tx, event: &E) -> Result<Envelope> {
    let envelope = Envelope::new(event);
    append(tx, &envelope).await?;
    Ok(envelope)
}

pub async fn append(tx: &mut Tx, e: &Envelope) -> Result<()> {
    tx.execute(
        "INSERT INTO store_outbox (id, event_type, version, aggregate_id, payload, trace, origin, occurred_at,
             next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        crate::args![
            e.id.as_str(),
            e.event_type.as_str(),
            i64::from(e.version),
            e.aggregate_id.as_str(),
            serde_json::to_string(&e.payload)?,
            e.trace.clone(),
            e.origin.as_ref().map(serde_json::to_string).transpose()?,
            e.occurred_at
        ],
    )
    .await?;
    tx.mark_outbox_written();
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
struct OutboxRow {
    id: String,
    event_type: String,
    version: i64,
    aggregate_id: String,
    payload: String,
    trace: Option<String>,
    origin: Option<String>,
    occurred_at: i64,
    attempts: i64,
}

/// An event taken from the outbox for publishing.
#[derive(Debug, Clone)]
pub struct Pending {
    pub envelope: Envelope,
    pub attempts: i64,
}

/// Leases up to `limit` due events, oldest first: their next attempt moves `lease` ahead, so
/// another relay (or this one after a crash) takes them only once the lease has run out. The
/// claim is one short statement; publishing happens outside any transaction, which keeps
/// SQLite's single writer free for the consumers the publish may run.
pub async fn claim(db: &Db, limit: i64, lease: std::time::Duration) -> Result<Vec<Pending>> {
    let lock = match db.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE store_outbox SET next_attempt_at = $1
         WHERE id IN (SELECT id FROM store_outbox
                      WHERE published_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $2
                      ORDER BY id LIMIT $3 {lock})
         RETURNING id, event_type, version, aggregate_id, payload, trace, origin, occurred_at, attempts"
    );
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    let mut rows: Vec<OutboxRow> =
        tx.fetch_all(sqlx::AssertSqlSafe(sql), crate::args![now.plus(lease), now, limit]).await?;
    tx.commit().await?;
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(rows
        .into_iter()
        .map(|r| Pending {
            attempts: r.attempts,
            envelope: Envelope {
                id: r.id,
                event_type: r.event_type,
                version: u32::try_from(r.version).unwrap_or(1),
                occurred_at: Timestamp::from_micros(r.occurred_at),
                aggregate_id: r.aggregate_id,
                payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
                trace: r.trace,
                origin: r.origin.and_then(|o| serde_json::from_str(&o).ok()),
            },
        })
        .collect())
}

pub async fn mark_published(db: &Db, ids: &[String]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let now = Timestamp::now();
    let mut tx = db.begin().await?;
    for id in ids {
        tx.execute("UPDATE store_outbox SET published_at = $1 WHERE id = $2", crate::args![now, id.as_str()]).await?;
    }
    tx.commit().await
}

/// Records a failed attempt; `dead` parks the event for an operator instead of retrying.
pub async fn mark_failed(db: &Db, id: &str, retry_at: Timestamp, dead: bool, error: &str) -> Result<()> {
    let dead_at = dead.then(Timestamp::now);
    db.execute(
        "UPDATE store_outbox SET attempts = attempts + 1, next_attempt_at = $1, dead_at = $2, last_error = $3 WHERE id = $4",
        crate::args![retry_at, dead_at, error, id],
    )
    .await?;
    Ok(())
}

/// Puts a claimed event back for `retry_at` without counting an attempt: the bus was not
/// reachable, so the event itself did not fail.
pub async fn mark_waiting(db: &Db, id: &str, retry_at: Timestamp, error: &str) -> Result<()> {
    db.execute(
        "UPDATE store_outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3",
        crate::args![retry_at, error, id],
    )
    .await?;
    Ok(())
}

/// Events not yet published (the relay's lag), and the age in seconds of the oldest.
pub async fn backlog(db: &Db) -> Result<(i64, i64)> {
    let (count, oldest): (i64, Option<i64>) = db
        .fetch_one(
            "SELECT COUNT(*), MIN(occurred_at) FROM store_outbox WHERE published_at IS NULL AND dead_at IS NULL",
            vec![],
        )
        .await?;
    let age = oldest.map_or(0, |t| (Timestamp::now().as_micros() - t).max(0) / 1_000_000);
    Ok((count, age))
}

/// An event the relay gave up on.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Parked {
    pub id: String,
    pub event_type: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub dead_at: i64,
}

/// Events parked after `after` (microseconds), oldest first.
pub async fn parked_after(db: &Db, after: i64, limit: i64) -> Result<Vec<Parked>> {
    db.fetch_all(
        "SELECT id, event_type, attempts, last_error, dead_at FROM store_outbox
         WHERE dead_at IS NOT NULL AND dead_at > $1 ORDER BY dead_at, id LIMIT $2",
        crate::args![after, limit],
    )
    .await
}
