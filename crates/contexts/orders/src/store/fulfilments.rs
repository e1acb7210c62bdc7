//! Sellers' parts of orders, their history and their tracking reports.

use store::{AssertSqlSafe, Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FulfilmentRow {
    pub id: String,
    pub order_id: String,
    pub seller_id: String,
    pub customer_id: String,
    pub state: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub label: bool,
    pub shipped_at: Option<i64>,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, order_id, seller_id, customer_id, state, carrier, tracking_number, label, shipped_at, \
    delivered_at, created_at, updated_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FulfilmentHistoryRow {
    pub id: String,
    pub fulfilment_id: String,
    pub order_id: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor: String,
    pub note: Option<String>,
    pub at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrackingRow {
    pub id: String,
    pub fulfilment_id: String,
    pub source: String,
    pub source_event_id: String,
    pub status: String,
    pub detail: String,
    pub location: Option<String>,
    pub occurred_at: i64,
    pub recorded_at: i64,
}

pub async fn fulfilment_insert(tx: &mut Tx, f: &FulfilmentRow) -> Result<()> {
    tx.execute(
        "INSERT INTO orders_fulfilments (id, order_id, seller_id, customer_id, state, carrier, tracking_number, label,
            shipped_at, delivered_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
        args![
            &f.id,
            &f.order_id,
            &f.seller_id,
            &f.customer_id,
            &f.state,
            f.carrier.as_deref(),
            f.tracking_number.as_deref(),
            f.label,
            f.shipped_at,
            f.delivered_at,
            f.created_at,
            f.updated_at
        ],
    )
    .await?;
    Ok(())
}

pub async fn fulfilment_get(q: &mut impl Query, id: &str) -> Result<Option<FulfilmentRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders_fulfilments WHERE id = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![id]).await
}

pub async fn fulfilments_of(q: &mut impl Query, order: &str) -> Result<Vec<FulfilmentRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders_fulfilments WHERE order_id = $1 ORDER BY id");
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), args![order]).await
}

pub async fn fulfilments_by_tracking(q: &mut impl Query, tracking: &str) -> Result<Vec<FulfilmentRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders_fulfilments WHERE tracking_number = $1");
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), args![tracking]).await
}

/// What a list of parts may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct FulfilmentFilter {
    pub seller_id: Option<String>,
    pub state: Option<String>,
    pub order_id: Option<String>,
}

/// Moves the part from `from` to `to`; false when it was no longer in `from`.
pub async fn fulfilment_move(tx: &mut Tx, id: &str, from: &str, to: &str, now: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_fulfilments SET state = $3, updated_at = $4,
                delivered_at = CASE WHEN $3 = 'delivered' THEN $4 ELSE delivered_at END
             WHERE id = $1 AND state = $2",
            args![id, from, to, now],
        )
        .await?;
    Ok(n == 1)
}

/// Sets the carrier and tracking number of a packed part as it ships.
pub async fn fulfilment_ship(
    tx: &mut Tx,
    id: &str,
    carrier: &str,
    tracking: &str,
    label: bool,
    now: i64,
) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_fulfilments SET state = 'shipped', carrier = $2, tracking_number = $3, label = $4,
                shipped_at = $5, updated_at = $5
             WHERE id = $1 AND state = 'packed'",
            args![id, carrier, tracking, label, now],
        )
        .await?;
    Ok(n == 1)
}

pub async fn history_insert(tx: &mut Tx, h: &FulfilmentHistoryRow) -> Result<()> {
    tx.execute(
        "INSERT INTO orders_fulfilment_history (id, fulfilment_id, order_id, from_state, to_state, actor, note, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        args![
            &h.id,
            &h.fulfilment_id,
            &h.order_id,
            h.from_state.as_deref(),
            &h.to_state,
            &h.actor,
            h.note.as_deref(),
            h.at
        ],
    )
    .await?;
    Ok(())
}

pub async fn history_of(q: &mut impl Query, fulfilment: &str) -> Result<Vec<FulfilmentHistoryRow>> {
    q.fetch_all(
        Sql::from(
            "SELECT id, fulfilment_id, order_id, from_state, to_state, actor, note, at
             FROM orders_fulfilment_history WHERE fulfilment_id = $1 ORDER BY at, id",
        ),
        args![fulfilment],
    )
    .await
}

/// False when this source's event was recorded already (nothing written).
pub async fn tracking_insert(tx: &mut Tx, t: &TrackingRow) -> Result<bool> {
    let n = tx
        .execute(
            "INSERT INTO orders_tracking_events (id, fulfilment_id, source, source_event_id, status, detail, location,
                occurred_at, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            args![
                &t.id,
                &t.fulfilment_id,
                &t.source,
                &t.source_event_id,
                &t.status,
                &t.detail,
                t.location.as_deref(),
                t.occurred_at,
                t.recorded_at
            ],
        )
        .await?;
    Ok(n == 1)
}

pub async fn tracking_of(q: &mut impl Query, fulfilment: &str) -> Result<Vec<TrackingRow>> {
    q.fetch_all(
        Sql::from(
            "SELECT id, fulfilment_id, source, source_event_id, status, detail, location, occurred_at, recorded_at
             FROM orders_tracking_events WHERE fulfilment_id = $1 ORDER BY occurred_at, id",
        ),
        args![fulfilment],
    )
    .await
}

/// A part as a seller's list shows it: with its order's number and destination, and its
/// lines' units and total, read in one statement.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SummaryRow {
    pub id: String,
    pub order_id: String,
    pub number: String,
    pub state: String,
    pub items: i64,
    pub total: i64,
    pub address: String,
    pub country: String,
    pub tracking_number: Option<String>,
    pub created_at: i64,
}

/// Newest first, before the id `before`. The page is chosen by the part's own index first;
/// only its rows' lines are summed.
pub async fn summary_list(
    q: &mut impl Query,
    f: &FulfilmentFilter,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<SummaryRow>> {
    let mut sql = String::from(
        "SELECT f.id, f.order_id, o.number, f.state,
            CAST((SELECT COALESCE(SUM(l.quantity), 0) FROM orders_lines l
                  WHERE l.seller_id = f.seller_id AND l.order_id = f.order_id) AS BIGINT) AS items,
            CAST((SELECT COALESCE(SUM(l.total), 0) FROM orders_lines l
                  WHERE l.seller_id = f.seller_id AND l.order_id = f.order_id) AS BIGINT) AS total,
            o.address, o.country, f.tracking_number, f.created_at
         FROM orders_fulfilments f
         JOIN orders_orders o ON o.id = f.order_id
         WHERE f.id < $1",
    );
    let mut params = args![before.unwrap_or("~")];
    for (column, value) in [("f.seller_id", &f.seller_id), ("f.state", &f.state), ("f.order_id", &f.order_id)] {
        if let Some(v) = value {
            params.push(v.into());
            sql.push_str(&format!(" AND {column} = ${}", params.len()));
        }
    }
    params.push(limit.into());
    sql.push_str(&format!(" ORDER BY f.id DESC LIMIT ${}", params.len()));
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), params).await
}
