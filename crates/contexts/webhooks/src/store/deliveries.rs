//! Deliveries and their attempts.

use store::{AssertSqlSafe, Backend, Db, Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub event_type: String,
    pub payload: String,
    pub occurred_at: i64,
    pub state: String,
    pub attempts: i64,
    pub round_attempts: i64,
    pub queued_at: i64,
    pub next_attempt_at: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

const COLUMNS: &str = "id, endpoint_id, event_id, event_type, payload, occurred_at, state, attempts, round_attempts,
    queued_at, next_attempt_at, last_status, last_error, created_at, delivered_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub delivery_id: String,
    pub number: i64,
    pub at: i64,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
    pub response_excerpt: String,
}

/// Queues a delivery; nothing when the endpoint already has one for the event (the bus
/// delivered it twice). Answers whether it was new.
pub async fn delivery_insert(tx: &mut Tx, d: &DeliveryRow) -> Result<bool> {
    let n = tx
        .execute(
            "INSERT INTO webhooks_deliveries (id, endpoint_id, event_id, event_type, payload, occurred_at, state,
                 attempts, round_attempts, queued_at, next_attempt_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, 0, $7, $7, $7)
             ON CONFLICT (endpoint_id, event_id) DO NOTHING",
            args![&d.id, &d.endpoint_id, &d.event_id, &d.event_type, &d.payload, d.occurred_at, d.created_at],
        )
        .await?;
    Ok(n == 1)
}

/// Leases up to `limit` due deliveries of enabled endpoints, oldest due first: their next
/// attempt moves to `lease_until`, so no other sender takes them until the lease runs out
/// (a sender that died). One short statement; the calls happen outside any transaction.
pub async fn deliveries_claim(db: &Db, now: i64, lease_until: i64, limit: i64) -> Result<Vec<DeliveryRow>> {
    let lock = match db.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => "FOR UPDATE OF d SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE webhooks_deliveries SET next_attempt_at = $2
         WHERE id IN (SELECT d.id FROM webhooks_deliveries d JOIN webhooks_endpoints e ON e.id = d.endpoint_id
                      WHERE d.state = 'pending' AND d.next_attempt_at <= $1 AND e.enabled = TRUE
                      ORDER BY d.next_attempt_at LIMIT $3 {lock})
           AND state = 'pending' AND next_attempt_at <= $1
         RETURNING {COLUMNS}"
    );
    let mut tx = db.begin().await?;
    let rows = tx.fetch_all(AssertSqlSafe(sql), args![now, lease_until, limit]).await?;
    tx.commit().await?;
    Ok(rows)
}

/// An attempt's outcome, for the delivery row.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    pub state: &'a str,
    pub next_attempt_at: i64,
    pub status: Option<i64>,
    pub error: Option<&'a str>,
    pub delivered_at: Option<i64>,
}

/// Counts an attempt on a delivery still leased until `leased_until` (by this sender) and
/// records its outcome; answers the attempt's number, or `None` when the lease was lost or
/// the delivery is gone (its endpoint deleted meanwhile).
pub async fn delivery_attempted(tx: &mut Tx, id: &str, leased_until: i64, o: &Outcome<'_>) -> Result<Option<i64>> {
    let row: Option<(i64,)> = tx
        .fetch_optional(
            "UPDATE webhooks_deliveries SET attempts = attempts + 1, round_attempts = round_attempts + 1, state = $3,
                 next_attempt_at = $4, last_status = $5, last_error = $6, delivered_at = $7
             WHERE id = $1 AND state = 'pending' AND next_attempt_at = $2
             RETURNING attempts",
            args![id, leased_until, o.state, o.next_attempt_at, o.status, o.error, o.delivered_at],
        )
        .await?;
    Ok(row.map(|(n,)| n))
}

pub async fn attempt_insert(tx: &mut Tx, a: &AttemptRow) -> Result<()> {
    tx.execute(
        "INSERT INTO webhooks_attempts (delivery_id, number, at, status_code, error, duration_ms, response_excerpt)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        args![&a.delivery_id, a.number, a.at, a.status_code, a.error.clone(), a.duration_ms, &a.response_excerpt],
    )
    .await?;
    Ok(())
}

pub async fn delivery_get(q: &mut impl Query, id: &str) -> Result<Option<DeliveryRow>> {
    let sql = format!("SELECT {COLUMNS} FROM webhooks_deliveries WHERE id = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![id]).await
}

/// An endpoint's deliveries, newest first, before the cursor; in one state when given.
pub async fn delivery_list(
    q: &mut impl Query,
    endpoint_id: &str,
    state: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<DeliveryRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM webhooks_deliveries WHERE endpoint_id = $1 AND id < $2");
    let mut params = args![endpoint_id, before.unwrap_or("~")];
    if let Some(state) = state {
        params.push(state.into());
        sql.push_str(" AND state = $3");
    }
    params.push(limit.into());
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", params.len()));
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), params).await
}

/// A delivery's attempts, first first.
pub async fn attempts_of(q: &mut impl Query, delivery_id: &str) -> Result<Vec<AttemptRow>> {
    q.fetch_all(
        Sql::from(
            "SELECT delivery_id, number, at, status_code, error, duration_ms, response_excerpt
             FROM webhooks_attempts WHERE delivery_id = $1 ORDER BY number",
        ),
        args![delivery_id],
    )
    .await
}

/// Queues a delivered or failed delivery again, due `now`, its attempts kept and a new day
/// of retries ahead; false when it is pending (or gone).
pub async fn delivery_requeue(tx: &mut Tx, id: &str, now: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE webhooks_deliveries SET state = 'pending', round_attempts = 0, queued_at = $2,
                 next_attempt_at = $2, delivered_at = NULL
             WHERE id = $1 AND state IN ('delivered', 'failed')",
            args![id, now],
        )
        .await?;
    Ok(n == 1)
}
