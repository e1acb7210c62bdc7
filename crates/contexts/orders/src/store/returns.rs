//! Returns, their lines and history, and the per-line counters that keep returns within what
//! was bought.

use store::{AssertSqlSafe, Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReturnRow {
    pub id: String,
    pub order_id: String,
    pub customer_id: String,
    pub seller_id: String,
    pub fulfilment_id: String,
    pub state: String,
    pub reason: String,
    pub lines_amount: i64,
    pub shipping_amount: i64,
    pub refund_amount: Option<i64>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub restock: bool,
    pub location_id: Option<String>,
    pub refunded: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, order_id, customer_id, seller_id, fulfilment_id, state, reason, lines_amount, \
    shipping_amount, refund_amount, decided_by, decision_note, restock, location_id, refunded, last_error, created_at, \
    updated_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReturnLineRow {
    pub return_id: String,
    pub position: i64,
    pub customer_id: String,
    pub quantity: i64,
    pub amount: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReturnHistoryRow {
    pub id: String,
    pub return_id: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor: String,
    pub note: Option<String>,
    pub at: i64,
}

pub async fn return_insert(tx: &mut Tx, r: &ReturnRow, lines: &[ReturnLineRow]) -> Result<()> {
    tx.execute(
        "INSERT INTO orders_returns (id, order_id, customer_id, seller_id, fulfilment_id, state, reason, lines_amount,
            shipping_amount, refund_amount, decided_by, decision_note, restock, location_id, refunded, last_error,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        args![
            &r.id,
            &r.order_id,
            &r.customer_id,
            &r.seller_id,
            &r.fulfilment_id,
            &r.state,
            &r.reason,
            r.lines_amount,
            r.shipping_amount,
            r.refund_amount,
            r.decided_by.as_deref(),
            r.decision_note.as_deref(),
            r.restock,
            r.location_id.as_deref(),
            r.refunded,
            r.last_error.as_deref(),
            r.created_at,
            r.updated_at
        ],
    )
    .await?;
    for l in lines {
        tx.execute(
            "INSERT INTO orders_return_lines (return_id, position, customer_id, quantity, amount)
             VALUES ($1, $2, $3, $4, $5)",
            args![&l.return_id, l.position, &l.customer_id, l.quantity, l.amount],
        )
        .await?;
    }
    Ok(())
}

pub async fn return_get(q: &mut impl Query, id: &str) -> Result<Option<ReturnRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders_returns WHERE id = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![id]).await
}

pub async fn returns_of(q: &mut impl Query, order: &str) -> Result<Vec<ReturnRow>> {
    let sql = format!("SELECT {COLUMNS} FROM orders_returns WHERE order_id = $1 ORDER BY id");
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), args![order]).await
}

pub async fn lines_of(q: &mut impl Query, ret: &str) -> Result<Vec<ReturnLineRow>> {
    q.fetch_all(
        Sql::from(
            "SELECT return_id, position, customer_id, quantity, amount FROM orders_return_lines
             WHERE return_id = $1 ORDER BY position",
        ),
        args![ret],
    )
    .await
}

#[derive(Debug, Clone, Default)]
pub struct ReturnFilter {
    pub seller_id: Option<String>,
    pub customer_id: Option<String>,
    pub state: Option<String>,
    pub order_id: Option<String>,
}

/// Newest first, before the id `before`.
pub async fn return_list(
    q: &mut impl Query,
    f: &ReturnFilter,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<ReturnRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM orders_returns WHERE id < $1");
    let mut params = args![before.unwrap_or("~")];
    for (column, value) in
        [("seller_id", &f.seller_id), ("customer_id", &f.customer_id), ("state", &f.state), ("order_id", &f.order_id)]
    {
        if let Some(v) = value {
            params.push(v.into());
            sql.push_str(&format!(" AND {column} = ${}", params.len()));
        }
    }
    params.push(limit.into());
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", params.len()));
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), params).await
}

/// Returns received whose refund has not gone through, last touched before `before`.
pub async fn returns_unrefunded(q: &mut impl Query, before: i64, limit: i64) -> Result<Vec<ReturnRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM orders_returns WHERE state = 'received' AND updated_at < $1 ORDER BY updated_at LIMIT $2"
    );
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), args![before, limit]).await
}

/// The approver's decision on a requested return.
pub async fn return_decide(
    tx: &mut Tx,
    r: &ReturnRow,
    to: &str,
    refund_amount: Option<i64>,
    actor: &str,
    note: Option<&str>,
    now: i64,
) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_returns SET state = $2, refund_amount = $3, shipping_amount = $4, decided_by = $5,
                decision_note = $6, updated_at = $7
             WHERE id = $1 AND state = 'requested'",
            args![&r.id, to, refund_amount, r.shipping_amount, actor, note, now],
        )
        .await?;
    Ok(n == 1)
}

/// The goods arrived: where (and whether) they go back on the shelf.
pub async fn return_receive(tx: &mut Tx, id: &str, restock: bool, location: Option<&str>, now: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_returns SET state = 'received', restock = $2, location_id = $3, updated_at = $4
             WHERE id = $1 AND state = 'approved'",
            args![id, restock, location, now],
        )
        .await?;
    Ok(n == 1)
}

pub async fn return_refunded(tx: &mut Tx, id: &str, amount: i64, now: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_returns SET state = 'refunded', refunded = $2, last_error = NULL, updated_at = $3
             WHERE id = $1 AND state = 'received'",
            args![id, amount, now],
        )
        .await?;
    Ok(n == 1)
}

/// Why the refund has not gone through yet (it is tried again by the sweeper).
pub async fn return_failed(q: &mut impl Query, id: &str, error: &str, now: i64) -> Result<()> {
    q.execute(
        Sql::from("UPDATE orders_returns SET last_error = $2, updated_at = $3 WHERE id = $1"),
        args![id, error, now],
    )
    .await?;
    Ok(())
}

pub async fn history_insert(tx: &mut Tx, h: &ReturnHistoryRow) -> Result<()> {
    tx.execute(
        "INSERT INTO orders_return_history (id, return_id, from_state, to_state, actor, note, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        args![&h.id, &h.return_id, h.from_state.as_deref(), &h.to_state, &h.actor, h.note.as_deref(), h.at],
    )
    .await?;
    Ok(())
}

pub async fn history_of(q: &mut impl Query, ret: &str) -> Result<Vec<ReturnHistoryRow>> {
    q.fetch_all(
        Sql::from(
            "SELECT id, return_id, from_state, to_state, actor, note, at FROM orders_return_history
             WHERE return_id = $1 ORDER BY at, id",
        ),
        args![ret],
    )
    .await
}

/// Claims `units` more of a line for a return, with their refund; false when that would be
/// more units than the line has (nothing written).
pub async fn line_claim(tx: &mut Tx, order: &str, position: i64, units: i64, amount: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_lines SET returned_units = returned_units + $3, returned_amount = returned_amount + $4
             WHERE order_id = $1 AND position = $2 AND returned_units + $3 <= quantity",
            args![order, position, units, amount],
        )
        .await?;
    Ok(n == 1)
}

/// Gives a rejected return's units back to the line.
pub async fn line_release(tx: &mut Tx, order: &str, position: i64, units: i64, amount: i64) -> Result<()> {
    tx.execute(
        "UPDATE orders_lines SET returned_units = returned_units - $3, returned_amount = returned_amount - $4
         WHERE order_id = $1 AND position = $2",
        args![order, position, units, amount],
    )
    .await?;
    Ok(())
}

/// Makes `ret` the return that gives the shipping back; false when another one is.
pub async fn shipping_claim(tx: &mut Tx, order: &str, ret: &str) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_orders SET shipping_return_id = $2 WHERE id = $1 AND shipping_return_id IS NULL",
            args![order, ret],
        )
        .await?;
    Ok(n == 1)
}

/// What the return that claimed the shipping gives back for it.
pub async fn shipping_amount_set(tx: &mut Tx, ret: &str, amount: i64) -> Result<()> {
    tx.execute("UPDATE orders_returns SET shipping_amount = $2 WHERE id = $1", args![ret, amount]).await?;
    Ok(())
}

pub async fn shipping_release(tx: &mut Tx, order: &str, ret: &str) -> Result<()> {
    tx.execute(
        "UPDATE orders_orders SET shipping_return_id = NULL WHERE id = $1 AND shipping_return_id = $2",
        args![order, ret],
    )
    .await?;
    Ok(())
}
