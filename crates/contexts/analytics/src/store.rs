//! SQL for the aggregates: additive upserts, and the rows of a range.

use crate::domain::{Grain, Key, Tally};
use store::{Arg, AssertSqlSafe, Db, Result, Tx, args, placeholders};

/// Adds each tally to its bucket, every key in one statement (keys are distinct).
pub async fn sales_add(tx: &mut Tx, grain: Grain, bucket: i64, tallies: &[(Key, Tally)]) -> Result<()> {
    if tallies.is_empty() {
        return Ok(());
    }
    let mut values: Vec<Arg> = Vec::new();
    let rows: Vec<String> = tallies
        .iter()
        .map(|(k, t)| {
            let at = values.len() + 1;
            values.extend(args![
                grain.as_str(),
                &k.seller_id,
                &k.currency,
                bucket,
                t.orders,
                t.units,
                t.revenue,
                t.cancelled,
                t.refunded
            ]);
            format!("({})", placeholders(at, 9))
        })
        .collect();
    let sql = format!(
        "INSERT INTO analytics_sales (grain, seller_id, currency, bucket, orders, units, revenue, cancelled, refunded)
         VALUES {}
         ON CONFLICT (grain, seller_id, currency, bucket) DO UPDATE SET
             orders = analytics_sales.orders + excluded.orders,
             units = analytics_sales.units + excluded.units,
             revenue = analytics_sales.revenue + excluded.revenue,
             cancelled = analytics_sales.cancelled + excluded.cancelled,
             refunded = analytics_sales.refunded + excluded.refunded",
        rows.join(", ")
    );
    tx.execute(AssertSqlSafe(sql), values).await?;
    Ok(())
}

pub async fn products_add(tx: &mut Tx, day: i64, tallies: &[(Key, String, Tally)]) -> Result<()> {
    if tallies.is_empty() {
        return Ok(());
    }
    let mut values: Vec<Arg> = Vec::new();
    let rows: Vec<String> = tallies
        .iter()
        .map(|(k, product, t)| {
            let at = values.len() + 1;
            values.extend(args![&k.seller_id, &k.currency, day, product, t.units, t.revenue]);
            format!("({})", placeholders(at, 6))
        })
        .collect();
    let sql = format!(
        "INSERT INTO analytics_product_sales (seller_id, currency, day, product_id, units, revenue)
         VALUES {}
         ON CONFLICT (seller_id, currency, day, product_id) DO UPDATE SET
             units = analytics_product_sales.units + excluded.units,
             revenue = analytics_product_sales.revenue + excluded.revenue",
        rows.join(", ")
    );
    tx.execute(AssertSqlSafe(sql), values).await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SalesRow {
    pub bucket: i64,
    pub orders: i64,
    pub units: i64,
    pub revenue: i64,
    pub cancelled: i64,
    pub refunded: i64,
}

/// The buckets of one key in `[since, until)`, oldest first; empty buckets have no row.
pub async fn sales_range(db: &Db, grain: Grain, key: &Key, since: i64, until: i64) -> Result<Vec<SalesRow>> {
    db.fetch_all(
        "SELECT bucket, orders, units, revenue, cancelled, refunded FROM analytics_sales
         WHERE grain = $1 AND seller_id = $2 AND currency = $3 AND bucket >= $4 AND bucket < $5 ORDER BY bucket",
        args![grain.as_str(), &key.seller_id, &key.currency, since, until],
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProductRow {
    pub product_id: String,
    pub units: i64,
    pub revenue: i64,
}

/// A seller's products by revenue over `[since, until)`, best first.
pub async fn products_range(db: &Db, key: &Key, since: i64, until: i64, limit: i64) -> Result<Vec<ProductRow>> {
    db.fetch_all(
        "SELECT product_id, CAST(SUM(units) AS BIGINT) AS units, CAST(SUM(revenue) AS BIGINT) AS revenue
         FROM analytics_product_sales
         WHERE seller_id = $1 AND currency = $2 AND day >= $3 AND day < $4
         GROUP BY product_id ORDER BY revenue DESC, product_id LIMIT $5",
        args![&key.seller_id, &key.currency, since, until, limit],
    )
    .await
}

/// Rows the aggregates hold, for the report of their size.
pub async fn rows_count(db: &Db) -> Result<(i64, i64)> {
    let (sales,): (i64,) = db.fetch_one("SELECT COUNT(*) FROM analytics_sales", vec![]).await?;
    let (products,): (i64,) = db.fetch_one("SELECT COUNT(*) FROM analytics_product_sales", vec![]).await?;
    Ok((sales, products))
}
