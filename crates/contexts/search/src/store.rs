//! SQL for the search context's one table: `search_pending`, the queue of products whose index
//! entry must be rebuilt.

use ::store::{Db, Tx, args};
use kernel::time::Timestamp;

#[derive(Debug, sqlx::FromRow)]
pub struct PendingRow {
    pub product_id: String,
    pub queued_at: i64,
}

/// Queues `id` (again): a later change moves its time forward, so the indexer's delete of the
/// earlier row version leaves it queued.
pub async fn pending_queue(tx: &mut Tx, id: &str, at: Timestamp) -> ::store::Result<()> {
    tx.execute(
        "INSERT INTO search_pending (product_id, queued_at) VALUES ($1, $2)
         ON CONFLICT (product_id) DO UPDATE SET queued_at = excluded.queued_at",
        args![id, at],
    )
    .await?;
    Ok(())
}

/// The oldest `limit` queued products.
pub async fn pending_batch(db: &Db, limit: i64) -> ::store::Result<Vec<PendingRow>> {
    db.fetch_all("SELECT product_id, queued_at FROM search_pending ORDER BY queued_at LIMIT $1", args![limit]).await
}

/// Done with `row`, unless it was queued again since it was read.
pub async fn pending_done(tx: &mut Tx, row: &PendingRow) -> ::store::Result<()> {
    tx.execute(
        "DELETE FROM search_pending WHERE product_id = $1 AND queued_at = $2",
        args![row.product_id.as_str(), row.queued_at],
    )
    .await?;
    Ok(())
}

/// Forgets everything queued before `snapshot` (a rebuild from that moment covers it).
pub async fn pending_clear_before(db: &Db, snapshot: i64) -> ::store::Result<()> {
    db.execute("DELETE FROM search_pending WHERE queued_at < $1", args![snapshot]).await?;
    Ok(())
}
