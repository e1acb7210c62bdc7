//! Redemptions: which order used which promotion, for whom.

use store::{AssertSqlSafe, Query, Result, Sql, Tx, args, placeholders};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RedemptionRow {
    pub id: String,
    pub promotion_id: String,
    pub customer_id: Option<String>,
    pub order_id: String,
    pub created_at: i64,
}

/// True when inserted; false when this order had already redeemed this promotion.
pub async fn redemption_insert(tx: &mut Tx, r: &RedemptionRow) -> Result<bool> {
    let inserted = tx
        .execute(
            "INSERT INTO pricing_redemptions (id, promotion_id, customer_id, order_id, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (promotion_id, order_id) DO NOTHING",
            args![&r.id, &r.promotion_id, r.customer_id.as_deref(), &r.order_id, r.created_at],
        )
        .await?;
    Ok(inserted == 1)
}

pub async fn redemption_exists(q: &mut impl Query, promotion: &str, order: &str) -> Result<bool> {
    let found: Option<(String,)> = q
        .fetch_optional(
            Sql::from("SELECT id FROM pricing_redemptions WHERE promotion_id = $1 AND order_id = $2"),
            args![promotion, order],
        )
        .await?;
    Ok(found.is_some())
}

/// Whether any order used the promotion (it is then kept for the record, not deleted).
pub async fn promotion_redeemed(q: &mut impl Query, promotion: &str) -> Result<bool> {
    let found: Option<(String,)> = q
        .fetch_optional(
            Sql::from("SELECT id FROM pricing_redemptions WHERE promotion_id = $1 LIMIT 1"),
            args![promotion],
        )
        .await?;
    Ok(found.is_some())
}

/// How often `customer` used `promotion`.
pub async fn customer_count(q: &mut impl Query, promotion: &str, customer: &str) -> Result<i64> {
    let (n,): (i64,) = q
        .fetch_one(
            Sql::from("SELECT COUNT(*) FROM pricing_redemptions WHERE customer_id = $1 AND promotion_id = $2"),
            args![customer, promotion],
        )
        .await?;
    Ok(n)
}

/// `(promotion id, uses)` of `customer` for those of `promotions` used at least once.
pub async fn customer_uses(q: &mut impl Query, customer: &str, promotions: &[String]) -> Result<Vec<(String, i64)>> {
    if promotions.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT promotion_id, COUNT(*) FROM pricing_redemptions WHERE customer_id = $1 AND promotion_id IN ({})
         GROUP BY promotion_id",
        placeholders(2, promotions.len())
    );
    let mut params = args![customer];
    params.extend(promotions.iter().map(store::Arg::from));
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), params).await
}
