//! Reservations and their lines.

use kernel::time::Timestamp;
use store::{Query, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReservationRow {
    pub id: String,
    pub reference: String,
    pub state: String,
    pub expires_at: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LineRow {
    pub sku: String,
    pub location_id: String,
    pub quantity: i64,
}

pub async fn reservation_insert(tx: &mut Tx, r: &ReservationRow, lines: &[LineRow]) -> Result<()> {
    tx.execute(
        "INSERT INTO inventory_reservations (id, reference, state, expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)",
        args![&r.id, &r.reference, &r.state, r.expires_at, r.created_at],
    )
    .await?;
    for l in lines {
        tx.execute(
            "INSERT INTO inventory_reservation_lines (reservation_id, sku, location_id, quantity) VALUES ($1, $2, $3, $4)
             ON CONFLICT (reservation_id, sku, location_id)
             DO UPDATE SET quantity = inventory_reservation_lines.quantity + excluded.quantity",
            args![&r.id, &l.sku, &l.location_id, l.quantity],
        )
        .await?;
    }
    Ok(())
}

pub async fn reservation_get(q: &mut impl Query, id_or_reference: &str) -> Result<Option<ReservationRow>> {
    q.fetch_optional(
        store::Sql::from(
            "SELECT id, reference, state, expires_at, created_at FROM inventory_reservations
             WHERE id = $1 OR reference = $1",
        ),
        args![id_or_reference],
    )
    .await
}

pub async fn lines_of(q: &mut impl Query, id: &str) -> Result<Vec<LineRow>> {
    q.fetch_all(
        store::Sql::from(
            "SELECT sku, location_id, quantity FROM inventory_reservation_lines WHERE reservation_id = $1
             ORDER BY sku, location_id",
        ),
        args![id],
    )
    .await
}

/// Moves an active reservation to `state`; false when it was no longer active (someone else
/// released, committed or expired it first).
pub async fn reservation_close(tx: &mut Tx, id: &str, state: &str) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE inventory_reservations SET state = $2, updated_at = $3 WHERE id = $1 AND state = 'active'",
            args![id, state, Timestamp::now()],
        )
        .await?;
    Ok(n == 1)
}

/// Moves a committed reservation to `returned`; false when it was not committed (any more).
pub async fn reservation_return(tx: &mut Tx, id: &str) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE inventory_reservations SET state = 'returned', updated_at = $2 WHERE id = $1 AND state = 'committed'",
            args![id, Timestamp::now()],
        )
        .await?;
    Ok(n == 1)
}

/// Active reservations whose time ran out by `now`, oldest first.
pub async fn expired(q: &mut impl Query, now: Timestamp, limit: i64) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct Id {
        id: String,
    }
    let rows: Vec<Id> = q
        .fetch_all(
            store::Sql::from(
                "SELECT id FROM inventory_reservations WHERE state = 'active' AND expires_at <= $1
                 ORDER BY expires_at LIMIT $2",
            ),
            args![now, limit],
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Sum of live holds per (sku, location): what `reserved` must equal.
pub async fn live_totals(q: &mut impl Query) -> Result<Vec<LineRow>> {
    q.fetch_all(
        store::Sql::from(
            "SELECT l.sku, l.location_id, CAST(SUM(l.quantity) AS BIGINT) AS quantity
             FROM inventory_reservation_lines l JOIN inventory_reservations r ON r.id = l.reservation_id
             WHERE r.state = 'active' GROUP BY l.sku, l.location_id ORDER BY l.sku, l.location_id",
        ),
        Vec::new(),
    )
    .await
}
