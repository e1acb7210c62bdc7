//! The push subscriptions table.

use store::{Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubscriptionRow {
    pub id: String,
    pub user_id: String,
    pub endpoint: String,
    /// base64url, as the browser gave them.
    pub p256dh: String,
    pub auth: String,
    pub created_at: i64,
    pub last_sent_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, endpoint, p256dh, auth, created_at, last_sent_at";

/// Stores `s`, replacing any subscription of the same endpoint (a browser subscribing again,
/// or handed to another account: the endpoint now belongs to whoever sent it last).
pub async fn subscription_put(tx: &mut Tx, s: &SubscriptionRow) -> Result<()> {
    tx.execute("DELETE FROM notifications_push_subscriptions WHERE endpoint = $1", args![&s.endpoint]).await?;
    tx.execute(
        "INSERT INTO notifications_push_subscriptions (id, user_id, endpoint, p256dh, auth, created_at, last_sent_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL)",
        args![&s.id, &s.user_id, &s.endpoint, &s.p256dh, &s.auth, s.created_at],
    )
    .await?;
    Ok(())
}

pub async fn subscriptions_of(q: &mut impl Query, user_id: &str) -> Result<Vec<SubscriptionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM notifications_push_subscriptions WHERE user_id = $1 ORDER BY id");
    q.fetch_all(Sql::from(store::AssertSqlSafe(sql)), args![user_id]).await
}

pub async fn subscription_get(q: &mut impl Query, id: &str) -> Result<Option<SubscriptionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM notifications_push_subscriptions WHERE id = $1");
    q.fetch_optional(Sql::from(store::AssertSqlSafe(sql)), args![id]).await
}

/// False when there was none of that id for that user.
pub async fn subscription_delete(q: &mut impl Query, id: &str, user_id: Option<&str>) -> Result<bool> {
    let n = match user_id {
        Some(user) => {
            q.execute(
                Sql::from("DELETE FROM notifications_push_subscriptions WHERE id = $1 AND user_id = $2"),
                args![id, user],
            )
            .await?
        }
        None => q.execute(Sql::from("DELETE FROM notifications_push_subscriptions WHERE id = $1"), args![id]).await?,
    };
    Ok(n == 1)
}

pub async fn subscription_used(q: &mut impl Query, id: &str, now: i64) -> Result<()> {
    q.execute(Sql::from("UPDATE notifications_push_subscriptions SET last_sent_at = $2 WHERE id = $1"), args![id, now])
        .await?;
    Ok(())
}
