//! SQL for the tax context's own table, and nothing else.

use store::{Query, Result, Sql, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RuleRow {
    pub id: String,
    pub name: String,
    pub country: String,
    /// '' for the whole country.
    pub region: String,
    pub rate_bps: i64,
    pub inclusive: bool,
    pub shipping_taxed: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT: &str =
    "SELECT id, name, country, region, rate_bps, inclusive, shipping_taxed, created_at, updated_at FROM tax_rules";

pub async fn rule_insert(tx: &mut Tx, r: &RuleRow) -> Result<()> {
    tx.execute(
        "INSERT INTO tax_rules (id, name, country, region, rate_bps, inclusive, shipping_taxed, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        args![
            &r.id,
            &r.name,
            &r.country,
            &r.region,
            r.rate_bps,
            r.inclusive,
            r.shipping_taxed,
            r.created_at,
            r.updated_at
        ],
    )
    .await?;
    Ok(())
}

/// Replaces the editable fields; false when the rule is gone.
pub async fn rule_update(tx: &mut Tx, r: &RuleRow) -> Result<bool> {
    let changed = tx
        .execute(
            "UPDATE tax_rules SET name = $2, country = $3, region = $4, rate_bps = $5, inclusive = $6,
                shipping_taxed = $7, updated_at = $8
             WHERE id = $1",
            args![&r.id, &r.name, &r.country, &r.region, r.rate_bps, r.inclusive, r.shipping_taxed, r.updated_at],
        )
        .await?;
    Ok(changed == 1)
}

pub async fn rule_get(q: &mut impl Query, id: &str) -> Result<Option<RuleRow>> {
    q.fetch_optional(Sql::from(store::AssertSqlSafe(format!("{SELECT} WHERE id = $1"))), args![id]).await
}

/// Every rule, by country and region.
pub async fn rule_list(q: &mut impl Query) -> Result<Vec<RuleRow>> {
    let sql = format!("{SELECT} ORDER BY country, region LIMIT 10000");
    q.fetch_all(Sql::from(store::AssertSqlSafe(sql)), args![]).await
}

pub async fn rule_any(q: &mut impl Query) -> Result<bool> {
    let found: Option<(String,)> = q.fetch_optional(Sql::from("SELECT id FROM tax_rules LIMIT 1"), args![]).await?;
    Ok(found.is_some())
}

pub async fn rule_delete(tx: &mut Tx, id: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM tax_rules WHERE id = $1", args![id]).await? == 1)
}
