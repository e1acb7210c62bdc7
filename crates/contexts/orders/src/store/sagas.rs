//! The checkout saga's progress rows.

use store::{Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SagaRow {
    pub order_id: String,
    pub customer_id: String,
    pub step: String,
    pub payment_token: Option<String>,
    pub cart_token: Option<String>,
    pub cancel_code: Option<String>,
    pub cancel_detail: Option<String>,
    pub cancel_actor: Option<String>,
    pub attempts: i64,
    pub due_at: i64,
    pub last_error: Option<String>,
    pub updated_at: i64,
}

const COLUMNS: &str = "SELECT order_id, customer_id, step, payment_token, cart_token, cancel_code, cancel_detail, \
    cancel_actor, attempts, due_at, last_error, updated_at FROM orders_sagas";

pub async fn saga_insert(tx: &mut Tx, s: &SagaRow) -> Result<()> {
    tx.execute(
        "INSERT INTO orders_sagas (order_id, customer_id, step, payment_token, cart_token, cancel_code, cancel_detail,
            cancel_actor, attempts, due_at, last_error, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (order_id) DO NOTHING",
        args![
            &s.order_id,
            &s.customer_id,
            &s.step,
            s.payment_token.as_deref(),
            s.cart_token.as_deref(),
            s.cancel_code.as_deref(),
            s.cancel_detail.as_deref(),
            s.cancel_actor.as_deref(),
            s.attempts,
            s.due_at,
            s.last_error.as_deref(),
            s.updated_at,
        ],
    )
    .await?;
    Ok(())
}

pub async fn saga_get(q: &mut impl Query, order: &str) -> Result<Option<SagaRow>> {
    q.fetch_optional(Sql::from(store::AssertSqlSafe(format!("{COLUMNS} WHERE order_id = $1"))), args![order]).await
}

/// Sagas whose time has come (a crashed run's lease ran out, a retry or a deadline is due).
pub async fn saga_due(q: &mut impl Query, now: i64, limit: i64) -> Result<Vec<SagaRow>> {
    let sql = format!("{COLUMNS} WHERE due_at <= $1 ORDER BY due_at LIMIT $2");
    q.fetch_all(Sql::from(store::AssertSqlSafe(sql)), args![now, limit]).await
}

/// Takes the saga for a run until `lease_until`, if it is still as it was read (`due_at`
/// unchanged): of two runners, one wins.
pub async fn saga_claim(tx: &mut Tx, order: &str, seen_due: i64, lease_until: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_sagas SET due_at = $3 WHERE order_id = $1 AND due_at = $2",
            args![order, seen_due, lease_until],
        )
        .await?;
    Ok(n == 1)
}

/// Moves from step `from` to `to`, due at `due_at` (a lease for the runner going on, or a
/// deadline); false when the saga is no longer at `from` (a cancellation turned it).
pub async fn saga_advance(
    q: &mut impl Query,
    order: &str,
    from: &str,
    to: &str,
    due_at: i64,
    now: i64,
) -> Result<bool> {
    let n = q
        .execute(
            Sql::from(
                "UPDATE orders_sagas SET step = $3, due_at = $4, attempts = 0, last_error = NULL, updated_at = $5
                 WHERE order_id = $1 AND step = $2",
            ),
            args![order, from, to, due_at, now],
        )
        .await?;
    Ok(n == 1)
}

/// Why and by whom a saga is turned to compensation.
#[derive(Debug, Clone)]
pub struct Undo<'a> {
    pub code: &'a str,
    pub detail: &'a str,
    pub actor: &'a str,
}

/// Turns the saga at step `from` to compensation; false when it is no longer at `from`.
pub async fn saga_compensate(
    tx: &mut Tx,
    order: &str,
    from: &str,
    undo: &Undo<'_>,
    due_at: i64,
    now: i64,
) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_sagas SET step = 'compensate', cancel_code = $3, cancel_detail = $4, cancel_actor = $5,
                due_at = $6, attempts = 0, updated_at = $7
             WHERE order_id = $1 AND step = $2",
            args![order, from, undo.code, undo.detail, undo.actor, due_at, now],
        )
        .await?;
    Ok(n == 1)
}

/// A step failed for a reason that may pass: try again at `due_at`.
pub async fn saga_retry(db: &mut impl Query, order: &str, error: &str, due_at: i64, now: i64) -> Result<()> {
    db.execute(
        Sql::from(
            "UPDATE orders_sagas SET attempts = attempts + 1, last_error = $2, due_at = $3, updated_at = $4
             WHERE order_id = $1",
        ),
        args![order, error, due_at, now],
    )
    .await?;
    Ok(())
}

/// Makes a waiting saga due at `at` (now: its payment moved; later: the caller runs it and
/// holds it till then); false when it is not waiting.
pub async fn saga_wake_until(tx: &mut Tx, order: &str, at: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE orders_sagas SET due_at = $2 WHERE order_id = $1 AND step IN ('await_action', 'await_payment')",
            args![order, at],
        )
        .await?;
    Ok(n == 1)
}

/// Ends the saga that is at `step`; false when it moved on meanwhile.
pub async fn saga_delete(q: &mut impl Query, order: &str, step: &str) -> Result<bool> {
    let n =
        q.execute(Sql::from("DELETE FROM orders_sagas WHERE order_id = $1 AND step = $2"), args![order, step]).await?;
    Ok(n == 1)
}
