//! SQL for the notifications context's own tables, and nothing else.

mod push;

pub use push::*;

use store::{AssertSqlSafe, Db, Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: String,
    pub dedup_key: String,
    pub kind: String,
    pub channel: String,
    pub recipient_id: Option<String>,
    pub address: String,
    pub name: String,
    pub reference: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub unsubscribe_url: Option<String>,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub provider: Option<String>,
    pub provider_id: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

const COLUMNS: &str = "id, dedup_key, kind, channel, recipient_id, address, name, reference, subject, body_text, \
    body_html, unsubscribe_url, state, attempts, next_attempt_at, last_error, provider, provider_id, created_at, \
    sent_at";

/// False when a message with the same key exists (the event came again).
pub async fn message_insert(tx: &mut Tx, m: &MessageRow) -> Result<bool> {
    let n = tx
        .execute(
            "INSERT INTO notifications_messages (id, dedup_key, kind, channel, recipient_id, address, name, reference,
                 subject, body_text, body_html, unsubscribe_url, state, attempts, next_attempt_at, last_error,
                 provider, provider_id, created_at, sent_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $15, NULL, NULL, $16, NULL, $16)
             ON CONFLICT (dedup_key) DO NOTHING",
            args![
                &m.id,
                &m.dedup_key,
                &m.kind,
                &m.channel,
                m.recipient_id.clone(),
                &m.address,
                &m.name,
                m.reference.clone(),
                &m.subject,
                &m.body_text,
                m.body_html.clone(),
                m.unsubscribe_url.clone(),
                &m.state,
                m.next_attempt_at,
                m.last_error.clone(),
                m.created_at
            ],
        )
        .await?;
    Ok(n == 1)
}

/// Leases up to `limit` due messages of `channel` (queued, or sending with a lapsed lease
/// after a crash) until `lease_until`. The update re-checks each row, so two workers never
/// both take one.
pub async fn messages_claim(db: &Db, channel: &str, now: i64, lease_until: i64, limit: i64) -> Result<Vec<MessageRow>> {
    let sql = format!(
        "UPDATE notifications_messages SET state = 'sending', next_attempt_at = $3, updated_at = $2
         WHERE id IN (SELECT id FROM notifications_messages
                      WHERE channel = $1 AND state IN ('queued', 'sending') AND next_attempt_at <= $2
                      ORDER BY next_attempt_at LIMIT $4)
           AND state IN ('queued', 'sending') AND next_attempt_at <= $2
         RETURNING {COLUMNS}"
    );
    // A write that answers rows: through the writer, in a short transaction of its own.
    let mut tx = db.begin().await?;
    let rows = tx.fetch_all(AssertSqlSafe(sql), args![channel, now, lease_until, limit]).await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn message_sent(db: &Db, id: &str, provider: &str, provider_id: &str, now: i64) -> Result<()> {
    db.execute(
        "UPDATE notifications_messages SET state = 'sent', attempts = attempts + 1, provider = $2, provider_id = $3,
             sent_at = $4, updated_at = $4, last_error = NULL WHERE id = $1 AND state = 'sending'",
        args![id, provider, provider_id, now],
    )
    .await?;
    Ok(())
}

/// Another attempt at `next` (`parked`: none, an admin decides).
pub async fn message_failed(db: &Db, id: &str, provider: &str, error: &str, next: Option<i64>, now: i64) -> Result<()> {
    let (state, next) = match next {
        Some(at) => ("queued", at),
        None => ("parked", now),
    };
    db.execute(
        "UPDATE notifications_messages SET state = $2, attempts = attempts + 1, next_attempt_at = $3, last_error = $4,
             provider = $5, updated_at = $6 WHERE id = $1 AND state = 'sending'",
        args![id, state, next, error, provider, now],
    )
    .await?;
    Ok(())
}

/// A parked message back in the queue with fresh attempts; false when it is not parked.
pub async fn message_requeue(tx: &mut Tx, id: &str, now: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE notifications_messages SET state = 'queued', attempts = 0, next_attempt_at = $2, updated_at = $2
             WHERE id = $1 AND state = 'parked'",
            args![id, now],
        )
        .await?;
    Ok(n == 1)
}

pub async fn message_get(q: &mut impl Query, id: &str) -> Result<Option<MessageRow>> {
    let sql = format!("SELECT {COLUMNS} FROM notifications_messages WHERE id = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![id]).await
}

#[derive(Debug, Default)]
pub struct ListFilter {
    pub recipient_id: Option<String>,
    pub state: Option<String>,
    pub kind: Option<String>,
    pub channel: Option<String>,
    pub reference: Option<String>,
}

/// Newest first, from before the cursor `before`.
pub async fn message_list(
    q: &mut impl Query,
    f: &ListFilter,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM notifications_messages WHERE 1 = 1");
    let mut values = Vec::new();
    for (column, value) in [
        ("recipient_id", &f.recipient_id),
        ("state", &f.state),
        ("kind", &f.kind),
        ("channel", &f.channel),
        ("reference", &f.reference),
    ] {
        if let Some(v) = value {
            values.push(store::Arg::from(v.clone()));
            sql.push_str(&format!(" AND {column} = ${}", values.len()));
        }
    }
    if let Some(before) = before {
        values.push(store::Arg::from(before.to_owned()));
        sql.push_str(&format!(" AND id < ${}", values.len()));
    }
    values.push(store::Arg::from(limit));
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", values.len()));
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), values).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PreferencesRow {
    pub user_id: String,
    pub phone: Option<String>,
    /// JSON: `{"order_shipped": {"email": false, "sms": true}}`.
    pub choices: String,
    pub updated_at: i64,
}

pub async fn preferences_get(q: &mut impl Query, user_id: &str) -> Result<Option<PreferencesRow>> {
    q.fetch_optional(
        Sql::from("SELECT user_id, phone, choices, updated_at FROM notifications_preferences WHERE user_id = $1"),
        args![user_id],
    )
    .await
}

pub async fn preferences_put(tx: &mut Tx, p: &PreferencesRow) -> Result<()> {
    tx.execute(
        "INSERT INTO notifications_preferences (user_id, phone, choices, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET phone = $2, choices = $3, updated_at = $4",
        args![&p.user_id, p.phone.clone(), &p.choices, p.updated_at],
    )
    .await?;
    Ok(())
}

pub async fn cursor_get(tx: &mut Tx, name: &str) -> Result<Option<i64>> {
    #[derive(sqlx::FromRow)]
    struct Position {
        position: i64,
    }
    let row: Option<Position> =
        tx.fetch_optional("SELECT position FROM notifications_cursors WHERE name = $1", args![name]).await?;
    Ok(row.map(|r| r.position))
}

pub async fn cursor_set(tx: &mut Tx, name: &str, position: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO notifications_cursors (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = $2",
        args![name, position],
    )
    .await?;
    Ok(())
}
