//! Endpoints: the owner's registrations.

use store::{AssertSqlSafe, Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EndpointRow {
    pub id: String,
    pub owner_id: String,
    /// `admin` or `seller`.
    pub owner_role: String,
    pub url: String,
    pub description: String,
    /// JSON array of patterns.
    pub event_types: String,
    pub secret: String,
    pub enabled: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "id, owner_id, owner_role, url, description, event_types, secret, enabled, created_at, updated_at";

pub async fn endpoint_insert(tx: &mut Tx, e: &EndpointRow) -> Result<()> {
    tx.execute(
        "INSERT INTO webhooks_endpoints (id, owner_id, owner_role, url, description, event_types, secret, enabled,
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        args![
            &e.id,
            &e.owner_id,
            &e.owner_role,
            &e.url,
            &e.description,
            &e.event_types,
            &e.secret,
            e.enabled,
            e.created_at,
            e.updated_at
        ],
    )
    .await?;
    Ok(())
}

/// Writes the fields an owner may change (and the secret); false when the endpoint is gone.
pub async fn endpoint_update(tx: &mut Tx, e: &EndpointRow) -> Result<bool> {
    let changed = tx
        .execute(
            "UPDATE webhooks_endpoints SET url = $2, description = $3, event_types = $4, secret = $5, enabled = $6,
                 updated_at = $7 WHERE id = $1",
            args![&e.id, &e.url, &e.description, &e.event_types, &e.secret, e.enabled, e.updated_at],
        )
        .await?;
    Ok(changed == 1)
}

pub async fn endpoint_get(q: &mut impl Query, id: &str) -> Result<Option<EndpointRow>> {
    let sql = format!("SELECT {COLUMNS} FROM webhooks_endpoints WHERE id = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![id]).await
}

/// Its deliveries and their attempts go with it.
pub async fn endpoint_delete(tx: &mut Tx, id: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM webhooks_endpoints WHERE id = $1", args![id]).await? == 1)
}

pub async fn endpoint_count(q: &mut impl Query, owner_id: &str) -> Result<i64> {
    let (n,): (i64,) =
        q.fetch_one(Sql::from("SELECT COUNT(*) FROM webhooks_endpoints WHERE owner_id = $1"), args![owner_id]).await?;
    Ok(n)
}

/// Newest first, before the cursor `before`; of one owner and role when given.
pub async fn endpoint_list(
    q: &mut impl Query,
    owner: Option<&str>,
    role: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<EndpointRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM webhooks_endpoints WHERE id < $1");
    let mut params = args![before.unwrap_or("~")];
    for (column, value) in [("owner_id", owner), ("owner_role", role)] {
        if let Some(v) = value {
            params.push(v.into());
            sql.push_str(&format!(" AND {column} = ${}", params.len()));
        }
    }
    params.push(limit.into());
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", params.len()));
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), params).await
}

/// Every enabled endpoint: what an event is matched against.
pub async fn endpoints_enabled(q: &mut impl Query) -> Result<Vec<EndpointRow>> {
    let sql = format!("SELECT {COLUMNS} FROM webhooks_endpoints WHERE enabled = TRUE ORDER BY id");
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), args![]).await
}

/// Switches off the enabled endpoints `owner_id` holds (in `role` only, when given); answers
/// how many.
pub async fn endpoints_disable(tx: &mut Tx, owner_id: &str, role: Option<&str>, now: i64) -> Result<u64> {
    tx.execute(
        "UPDATE webhooks_endpoints SET enabled = FALSE, updated_at = $3
         WHERE owner_id = $1 AND enabled = TRUE AND ($2 = '' OR owner_role = $2)",
        args![owner_id, role.unwrap_or(""), now],
    )
    .await
}
