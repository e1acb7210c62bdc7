//! SQL for the search context's tables: `search_replicas`, the replicas that keep an index, and
//! `search_pending`, each replica's queue of products whose index entry must be rebuilt.

use ::store::{Db, Tx, args};
use kernel::time::Timestamp;

#[derive(Debug, sqlx::FromRow)]
pub struct PendingRow {
    pub product_id: String,
    pub queued_at: i64,
}

/// Queues `id` (again) for every replica: a later change moves its time forward, so an
/// indexer's delete of the earlier row version leaves it queued.
pub async fn pending_queue(tx: &mut Tx, id: &str, at: Timestamp) -> ::store::Result<()> {
    // `WHERE true` lets SQLite tell the upsert's ON CONFLICT from a join's.
    tx.execute(
        "INSERT INTO search_pending (replica_id, product_id, queued_at)
         SELECT id, $1, $2 FROM search_replicas WHERE true
         ON CONFLICT (replica_id, product_id) DO UPDATE SET queued_at = excluded.queued_at",
        args![id, at],
    )
    .await?;
    Ok(())
}

/// The oldest `limit` products queued for `replica`.
pub async fn pending_batch(db: &Db, replica: &str, limit: i64) -> ::store::Result<Vec<PendingRow>> {
    db.fetch_all(
        "SELECT product_id, queued_at FROM search_pending WHERE replica_id = $1 ORDER BY queued_at LIMIT $2",
        args![replica, limit],
    )
    .await
}

/// Done with `row`, unless it was queued again since it was read.
pub async fn pending_done(tx: &mut Tx, replica: &str, row: &PendingRow) -> ::store::Result<()> {
    tx.execute(
        "DELETE FROM search_pending WHERE replica_id = $1 AND product_id = $2 AND queued_at = $3",
        args![replica, row.product_id.as_str(), row.queued_at],
    )
    .await?;
    Ok(())
}

/// Forgets what was queued for `replica` before `snapshot` (a rebuild from then covers it).
pub async fn pending_clear_before(db: &Db, replica: &str, snapshot: i64) -> ::store::Result<()> {
    db.execute("DELETE FROM search_pending WHERE replica_id = $1 AND queued_at < $2", args![replica, snapshot]).await?;
    Ok(())
}

/// How many products wait for `replica`'s indexer.
pub async fn pending_count(db: &Db, replica: &str) -> ::store::Result<i64> {
    let (n,): (i64,) =
        db.fetch_one("SELECT COUNT(*) FROM search_pending WHERE replica_id = $1", args![replica]).await?;
    Ok(n)
}

/// Registers `replica` or marks it seen; true when it was registered already (its queue has
/// every change since), false when its index must be rebuilt.
pub async fn replica_seen(db: &Db, replica: &str, now: Timestamp) -> ::store::Result<bool> {
    let mut tx = db.begin().await?;
    let known: Option<(String,)> =
        tx.fetch_optional("SELECT id FROM search_replicas WHERE id = $1", args![replica]).await?;
    tx.execute(
        "INSERT INTO search_replicas (id, seen_at) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at",
        args![replica, now],
    )
    .await?;
    tx.commit().await?;
    Ok(known.is_some())
}

/// Forgets replicas unseen since `before`, with their queues.
pub async fn replicas_prune(db: &Db, before: Timestamp) -> ::store::Result<u64> {
    let mut tx = db.begin().await?;
    tx.execute(
        "DELETE FROM search_pending WHERE replica_id IN (SELECT id FROM search_replicas WHERE seen_at < $1)",
        args![before],
    )
    .await?;
    let n = tx.execute("DELETE FROM search_replicas WHERE seen_at < $1", args![before]).await?;
    tx.commit().await?;
    Ok(n)
}
