//! Promotions and their usage counters.

use store::{AssertSqlSafe, Query, Result, Sql, Tx, args, placeholders};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PromotionRow {
    pub id: String,
    pub seller_id: Option<String>,
    pub name: String,
    pub code: Option<String>,
    pub kind: String,
    pub value: i64,
    pub scope: String,
    /// A JSON array of ids.
    pub targets: String,
    pub min_subtotal: i64,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub usage_limit: Option<i64>,
    pub times_used: i64,
    pub per_customer_limit: Option<i64>,
    pub combinable: bool,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, seller_id, name, code, kind, value, scope, targets, min_subtotal, starts_at, ends_at, \
    usage_limit, times_used, per_customer_limit, combinable, active, created_at, updated_at";

pub async fn promotion_insert(tx: &mut Tx, p: &PromotionRow) -> Result<()> {
    tx.execute(
        "INSERT INTO pricing_promotions (id, seller_id, name, code, kind, value, scope, targets, min_subtotal,
            starts_at, ends_at, usage_limit, times_used, per_customer_limit, combinable, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $15, $16, $16)",
        args![
            &p.id,
            p.seller_id.as_deref(),
            &p.name,
            p.code.as_deref(),
            &p.kind,
            p.value,
            &p.scope,
            &p.targets,
            p.min_subtotal,
            p.starts_at,
            p.ends_at,
            p.usage_limit,
            p.per_customer_limit,
            p.combinable,
            p.active,
            p.created_at,
        ],
    )
    .await?;
    Ok(())
}

/// Replaces the editable fields; false when the row is gone or the new usage limit is below the
/// uses already counted (checked in the statement, so a concurrent redemption cannot slip past).
pub async fn promotion_update(tx: &mut Tx, p: &PromotionRow) -> Result<bool> {
    let changed = tx
        .execute(
            "UPDATE pricing_promotions SET name = $2, code = $3, kind = $4, value = $5, scope = $6, targets = $7,
                min_subtotal = $8, starts_at = $9, ends_at = $10, usage_limit = $11, per_customer_limit = $12,
                combinable = $13, active = $14, updated_at = $15
             WHERE id = $1 AND ($11 IS NULL OR times_used <= $11)",
            args![
                &p.id,
                &p.name,
                p.code.as_deref(),
                &p.kind,
                p.value,
                &p.scope,
                &p.targets,
                p.min_subtotal,
                p.starts_at,
                p.ends_at,
                p.usage_limit,
                p.per_customer_limit,
                p.combinable,
                p.active,
                p.updated_at,
            ],
        )
        .await?;
    Ok(changed == 1)
}

pub async fn promotion_get(q: &mut impl Query, id: &str) -> Result<Option<PromotionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM pricing_promotions WHERE id = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![id]).await
}

/// Newest first; `seller` keeps one seller's, `None` lists all.
pub async fn promotion_list(
    q: &mut impl Query,
    seller: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<PromotionRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM pricing_promotions
         WHERE ($1 IS NULL OR seller_id = $1) AND ($2 IS NULL OR id < $2) ORDER BY id DESC LIMIT $3"
    );
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), args![seller, before, limit]).await
}

/// Switches a promotion off; false when it is gone. Takes the row's lock on PostgreSQL, so a
/// redemption of it waits for the caller's transaction.
pub async fn promotion_deactivate(tx: &mut Tx, id: &str, now: i64) -> Result<bool> {
    let changed = tx
        .execute("UPDATE pricing_promotions SET active = FALSE, updated_at = $2 WHERE id = $1", args![id, now])
        .await?;
    Ok(changed == 1)
}

pub async fn promotion_delete(tx: &mut Tx, id: &str) -> Result<()> {
    tx.execute("DELETE FROM pricing_promotions WHERE id = $1", args![id]).await?;
    Ok(())
}

/// The automatic promotions that may apply at `now` to lines of `sellers` (platform-wide ones
/// included), oldest first.
pub async fn automatic_candidates(q: &mut impl Query, now: i64, sellers: &[String]) -> Result<Vec<PromotionRow>> {
    let seller_filter = if sellers.is_empty() {
        "seller_id IS NULL".to_owned()
    } else {
        format!("(seller_id IS NULL OR seller_id IN ({}))", placeholders(2, sellers.len()))
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM pricing_promotions
         WHERE code IS NULL AND active AND {seller_filter}
           AND (starts_at IS NULL OR starts_at <= $1) AND (ends_at IS NULL OR ends_at > $1)
           AND (usage_limit IS NULL OR times_used < usage_limit)
         ORDER BY id LIMIT 500"
    );
    let mut params = args![now];
    params.extend(sellers.iter().map(store::Arg::from));
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), params).await
}

/// The promotions behind `codes` (upper-case), whatever their state.
pub async fn promotions_by_code(q: &mut impl Query, codes: &[String]) -> Result<Vec<PromotionRow>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM pricing_promotions WHERE code IN ({})", placeholders(1, codes.len()));
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), codes.iter().map(store::Arg::from).collect()).await
}

/// Counts one use unless the limit is reached: the check and the change are one statement, so
/// concurrent orders can never use a promotion more often than allowed. True when counted.
pub async fn times_used_increment(tx: &mut Tx, id: &str, now: i64) -> Result<bool> {
    let changed = tx
        .execute(
            "UPDATE pricing_promotions SET times_used = times_used + 1, updated_at = $2
             WHERE id = $1 AND (usage_limit IS NULL OR times_used < usage_limit)",
            args![id, now],
        )
        .await?;
    Ok(changed == 1)
}

/// Takes back a use counted in the same transaction.
pub async fn times_used_decrement(tx: &mut Tx, id: &str) -> Result<()> {
    tx.execute("UPDATE pricing_promotions SET times_used = times_used - 1 WHERE id = $1", args![id]).await?;
    Ok(())
}
