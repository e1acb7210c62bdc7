//! SQL for the payments tables only.

use store::{Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentRow {
    pub id: String,
    pub reference: String,
    pub customer_id: Option<String>,
    pub amount: i64,
    pub currency: String,
    pub provider: String,
    pub method_token: String,
    pub provider_ref: Option<String>,
    pub state: String,
    pub attempts: i64,
    pub next_action: Option<String>,
    pub failure_code: Option<String>,
    pub refund_held: i64,
    pub captured: i64,
    pub idempotency_key: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, reference, customer_id, amount, currency, provider, method_token, provider_ref, state, \
    attempts, next_action, failure_code, refund_held, captured, idempotency_key, created_at, updated_at";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub id: String,
    pub payment_id: String,
    pub kind: String,
    pub amount: i64,
    pub currency: String,
    pub provider_ref: Option<String>,
    pub idempotency_key: String,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub id: String,
    pub payment_id: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor: String,
    pub reason: Option<String>,
    pub at: i64,
}

/// True when inserted; false when the reference already has a payment under this key.
pub async fn payment_insert(tx: &mut Tx, p: &PaymentRow, sellers: &[String]) -> Result<bool> {
    let inserted = tx
        .execute(
            "INSERT INTO payments_payments (id, reference, customer_id, amount, currency, provider, method_token,
                provider_ref, state, attempts, next_action, failure_code, refund_held, captured, idempotency_key,
                created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, 0, NULL, NULL, 0, 0, $9, $10, $10)
             ON CONFLICT (reference, idempotency_key) DO NOTHING",
            args![
                &p.id,
                &p.reference,
                p.customer_id.as_deref(),
                p.amount,
                &p.currency,
                &p.provider,
                &p.method_token,
                &p.state,
                &p.idempotency_key,
                p.created_at
            ],
        )
        .await?;
    if inserted == 1 {
        for seller in sellers {
            tx.execute(
                "INSERT INTO payments_sellers (payment_id, seller_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                args![&p.id, seller.as_str()],
            )
            .await?;
        }
    }
    Ok(inserted == 1)
}

pub async fn payment_get(q: &mut impl Query, id: &str) -> Result<Option<PaymentRow>> {
    let sql = format!("SELECT {COLUMNS} FROM payments_payments WHERE id = $1");
    q.fetch_optional(Sql::from(store::AssertSqlSafe(sql)), args![id]).await
}

pub async fn payment_by_key(q: &mut impl Query, reference: &str, key: &str) -> Result<Option<PaymentRow>> {
    let sql = format!("SELECT {COLUMNS} FROM payments_payments WHERE reference = $1 AND idempotency_key = $2");
    q.fetch_optional(Sql::from(store::AssertSqlSafe(sql)), args![reference, key]).await
}

/// Moves the payment from `from` to the row's state, with its other fields; false when another
/// request moved it first (the caller rereads and answers what happened).
pub async fn payment_transition(tx: &mut Tx, p: &PaymentRow, from: &str) -> Result<bool> {
    let changed = tx
        .execute(
            "UPDATE payments_payments SET state = $3, provider_ref = $4, attempts = $5, next_action = $6,
                failure_code = $7, captured = $8, updated_at = $9
             WHERE id = $1 AND state = $2",
            args![
                &p.id,
                from,
                &p.state,
                p.provider_ref.as_deref(),
                p.attempts,
                p.next_action.as_deref(),
                p.failure_code.as_deref(),
                p.captured,
                p.updated_at
            ],
        )
        .await?;
    Ok(changed == 1)
}

/// Holds `amount` of what was captured for a refund, in one conditional statement: concurrent
/// refunds queue on the row and none can take the total past the capture.
pub async fn refund_hold(tx: &mut Tx, id: &str, amount: i64, now: i64) -> Result<bool> {
    let changed = tx
        .execute(
            "UPDATE payments_payments SET refund_held = refund_held + $2, updated_at = $3
             WHERE id = $1 AND refund_held + $2 <= captured",
            args![id, amount, now],
        )
        .await?;
    Ok(changed == 1)
}

/// Takes the payment's row lock for the rest of the transaction (a no-op write: SQLite has one
/// writer anyway), so that what the transaction reads next includes every refund settled before.
pub async fn payment_lock(tx: &mut Tx, id: &str) -> Result<()> {
    tx.execute("UPDATE payments_payments SET updated_at = updated_at WHERE id = $1", args![id]).await?;
    Ok(())
}

/// Gives back a hold whose refund the provider refused.
pub async fn refund_release(tx: &mut Tx, id: &str, amount: i64) -> Result<()> {
    tx.execute("UPDATE payments_payments SET refund_held = refund_held - $2 WHERE id = $1", args![id, amount]).await?;
    Ok(())
}

/// The payments a caller may see, newest first: a customer's own, a seller's sales, or all.
pub async fn payment_list(
    q: &mut impl Query,
    customer: Option<&str>,
    seller: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<PaymentRow>> {
    let before = before.unwrap_or("~");
    let sql = match (customer, seller) {
        (Some(_), _) => format!(
            "SELECT {COLUMNS} FROM payments_payments WHERE customer_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
        ),
        (None, Some(_)) => format!(
            "SELECT {COLUMNS} FROM payments_payments WHERE id IN
                (SELECT payment_id FROM payments_sellers WHERE seller_id = $1) AND id < $2 ORDER BY id DESC LIMIT $3"
        ),
        (None, None) => {
            format!("SELECT {COLUMNS} FROM payments_payments WHERE $1 = '' AND id < $2 ORDER BY id DESC LIMIT $3")
        }
    };
    let owner = customer.or(seller).unwrap_or("");
    q.fetch_all(Sql::from(store::AssertSqlSafe(sql)), args![owner, before, limit]).await
}

pub async fn seller_has(q: &mut impl Query, payment: &str, seller: &str) -> Result<bool> {
    let found: Option<(String,)> = q
        .fetch_optional(
            Sql::from("SELECT payment_id FROM payments_sellers WHERE payment_id = $1 AND seller_id = $2"),
            args![payment, seller],
        )
        .await?;
    Ok(found.is_some())
}

/// Payments whose provider call never got a recorded answer, oldest first.
pub async fn payment_stuck(q: &mut impl Query, older_than: i64, limit: i64) -> Result<Vec<PaymentRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM payments_payments WHERE state IN ('initiated', 'processing') AND updated_at < $1
         ORDER BY updated_at LIMIT $2"
    );
    q.fetch_all(Sql::from(store::AssertSqlSafe(sql)), args![older_than, limit]).await
}

/// True when inserted; false when this movement was recorded before under the same key.
pub async fn entry_insert(tx: &mut Tx, e: &EntryRow) -> Result<bool> {
    let inserted = tx
        .execute(
            "INSERT INTO payments_ledger (id, payment_id, kind, amount, currency, provider_ref, idempotency_key, status,
                reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (payment_id, kind, idempotency_key) DO NOTHING",
            args![
                &e.id,
                &e.payment_id,
                &e.kind,
                e.amount,
                &e.currency,
                e.provider_ref.as_deref(),
                &e.idempotency_key,
                &e.status,
                e.reason.as_deref(),
                e.created_at
            ],
        )
        .await?;
    Ok(inserted == 1)
}

/// Settles a pending entry (a refund the provider answered); the ledger only ever appends
/// rows or settles a pending one, never rewrites an amount.
pub async fn entry_settle(tx: &mut Tx, id: &str, status: &str, provider_ref: Option<&str>) -> Result<()> {
    tx.execute(
        "UPDATE payments_ledger SET status = $2, provider_ref = COALESCE($3, provider_ref) WHERE id = $1 AND status = 'pending'",
        args![id, status, provider_ref],
    )
    .await?;
    Ok(())
}

pub async fn entry_by_key(q: &mut impl Query, payment: &str, kind: &str, key: &str) -> Result<Option<EntryRow>> {
    q.fetch_optional(
        Sql::from(
            "SELECT id, payment_id, kind, amount, currency, provider_ref, idempotency_key, status, reason, created_at
         FROM payments_ledger WHERE payment_id = $1 AND kind = $2 AND idempotency_key = $3",
        ),
        args![payment, kind, key],
    )
    .await
}

pub async fn entry_list(q: &mut impl Query, payment: &str) -> Result<Vec<EntryRow>> {
    q.fetch_all(
        Sql::from(
            "SELECT id, payment_id, kind, amount, currency, provider_ref, idempotency_key, status, reason, created_at
         FROM payments_ledger WHERE payment_id = $1 ORDER BY created_at, id",
        ),
        args![payment],
    )
    .await
}

pub async fn history_insert(tx: &mut Tx, h: &HistoryRow) -> Result<()> {
    tx.execute(
        "INSERT INTO payments_history (id, payment_id, from_state, to_state, actor, reason, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        args![&h.id, &h.payment_id, h.from_state.as_deref(), &h.to_state, &h.actor, h.reason.as_deref(), h.at],
    )
    .await?;
    Ok(())
}

pub async fn history_list(q: &mut impl Query, payment: &str) -> Result<Vec<HistoryRow>> {
    q.fetch_all(
        Sql::from(
            "SELECT id, payment_id, from_state, to_state, actor, reason, at FROM payments_history
         WHERE payment_id = $1 ORDER BY at, id",
        ),
        args![payment],
    )
    .await
}

pub async fn payment_by_provider_ref(
    q: &mut impl Query,
    provider: &str,
    provider_ref: &str,
) -> Result<Option<PaymentRow>> {
    let sql = format!("SELECT {COLUMNS} FROM payments_payments WHERE provider = $1 AND provider_ref = $2");
    q.fetch_optional(Sql::from(store::AssertSqlSafe(sql)), args![provider, provider_ref]).await
}

/// True the first time an event id is seen.
pub async fn webhook_seen(tx: &mut Tx, event_id: &str, event_type: &str, now: i64) -> Result<bool> {
    let inserted = tx
        .execute(
            "INSERT INTO payments_webhook_events (event_id, event_type, received_at) VALUES ($1, $2, $3)
             ON CONFLICT (event_id) DO NOTHING",
            args![event_id, event_type, now],
        )
        .await?;
    Ok(inserted == 1)
}
