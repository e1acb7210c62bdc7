//! Stored answers for `Idempotency-Key` requests: a key is claimed before its request is
//! served and the answer kept afterwards, so a retry gets the same answer and never a second
//! effect. The HTTP layer that uses it lives at the edge.

use crate::args;
use crate::db::Db;
use crate::error::Result;
use crate::migrate::Migration;

pub const MIGRATIONS: &[Migration] = &[Migration {
    context: "store",
    version: 2,
    name: "idempotency",
    sql: include_str!("../migrations/0002_idempotency.sql"),
    postgres: None,
}];

/// A key already claimed: by a request still in flight (`status` none) or with its answer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub request_hash: String,
    pub created_at: i64,
    pub status: Option<i64>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub expires_at: i64,
}

/// Claims `key` for this request; `Ok(None)` when it is ours to serve, else what holds it.
/// An expired claim is taken over, and so is one without an answer made before
/// `abandoned_before` (microseconds): its request died (a panic, a crash), since none runs
/// longer than the server's request deadline.
pub async fn claim(
    db: &Db,
    scope: &str,
    key: &str,
    hash: &str,
    now: i64,
    expires_at: i64,
    abandoned_before: i64,
) -> Result<Option<Claimed>> {
    for _ in 0..2 {
        let inserted = db
            .execute(
                "INSERT INTO store_idempotency (scope, key, request_hash, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope, key) DO NOTHING",
                args![scope, key, hash, now, expires_at],
            )
            .await?;
        if inserted == 1 {
            return Ok(None);
        }
        let held: Option<Claimed> = db
            .fetch_optional(
                "SELECT request_hash, created_at, status, content_type, body, expires_at FROM store_idempotency
                 WHERE scope = $1 AND key = $2",
                args![scope, key],
            )
            .await?;
        match held {
            Some(h) if h.expires_at > now && (h.status.is_some() || h.created_at >= abandoned_before) => {
                return Ok(Some(h));
            }
            Some(h) => {
                // Only the row just read goes, so two takers cannot both delete a fresh claim.
                db.execute(
                    "DELETE FROM store_idempotency WHERE scope = $1 AND key = $2 AND created_at = $3",
                    args![scope, key, h.created_at],
                )
                .await?;
            }
            None => {}
        }
    }
    Ok(None)
}

/// Keeps the answer of a claimed key.
pub async fn finish(db: &Db, scope: &str, key: &str, status: u16, content_type: &str, body: &str) -> Result<()> {
    db.execute(
        "UPDATE store_idempotency SET status = $3, content_type = $4, body = $5 WHERE scope = $1 AND key = $2",
        args![scope, key, i64::from(status), content_type, body],
    )
    .await?;
    Ok(())
}

/// Gives a claim up (the request failed in a way worth retrying), so the key may be used again.
pub async fn release(db: &Db, scope: &str, key: &str) -> Result<()> {
    db.execute("DELETE FROM store_idempotency WHERE scope = $1 AND key = $2", args![scope, key]).await?;
    Ok(())
}

/// Deletes expired answers; returns how many.
pub async fn purge(db: &Db, now: i64) -> Result<u64> {
    db.execute("DELETE FROM store_idempotency WHERE expires_at <= $1", args![now]).await
}
