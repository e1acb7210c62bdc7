//! Reviews and the rating aggregates kept on the product row.

use kernel::time::Timestamp;
use store::{AssertSqlSafe, Query, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: String,
    pub product_id: String,
    pub customer_id: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub verified_purchase: bool,
    pub hidden_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "id, product_id, customer_id, rating, title, body, verified_purchase, hidden_at, created_at, updated_at";

pub async fn review_insert(tx: &mut Tx, r: &ReviewRow) -> Result<()> {
    tx.execute(
        "INSERT INTO catalog_reviews (id, product_id, customer_id, rating, title, body, verified_purchase, created_at,
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        args![&r.id, &r.product_id, &r.customer_id, r.rating, &r.title, &r.body, r.verified_purchase, r.created_at],
    )
    .await?;
    Ok(())
}

pub async fn review_update(tx: &mut Tx, r: &ReviewRow) -> Result<()> {
    tx.execute(
        "UPDATE catalog_reviews SET rating = $1, title = $2, body = $3, verified_purchase = $4, updated_at = $5
         WHERE id = $6",
        args![r.rating, &r.title, &r.body, r.verified_purchase, Timestamp::now(), &r.id],
    )
    .await?;
    Ok(())
}

pub async fn review_hidden_set(tx: &mut Tx, id: &str, hidden_by: Option<&str>) -> Result<()> {
    let hidden_at = hidden_by.map(|_| Timestamp::now());
    tx.execute(
        "UPDATE catalog_reviews SET hidden_at = $1, hidden_by = $2, updated_at = $3 WHERE id = $4",
        args![hidden_at, hidden_by, Timestamp::now(), id],
    )
    .await?;
    Ok(())
}

pub async fn review_get(q: &mut impl Query, id: &str) -> Result<Option<ReviewRow>> {
    let sql = format!("SELECT {COLUMNS} FROM catalog_reviews WHERE id = $1");
    q.fetch_optional(store::Sql::from(AssertSqlSafe(sql)), args![id]).await
}

pub async fn review_of(q: &mut impl Query, product_id: &str, customer_id: &str) -> Result<Option<ReviewRow>> {
    let sql = format!("SELECT {COLUMNS} FROM catalog_reviews WHERE product_id = $1 AND customer_id = $2");
    q.fetch_optional(store::Sql::from(AssertSqlSafe(sql)), args![product_id, customer_id]).await
}

/// A product's reviews, newest first; hidden ones only when `with_hidden`.
pub async fn review_list(
    q: &mut impl Query,
    product_id: &str,
    with_hidden: bool,
    before: Option<&str>,
    limit: u32,
) -> Result<Vec<ReviewRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM catalog_reviews WHERE product_id = $1 AND ($2 OR hidden_at IS NULL)
         AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4"
    );
    q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), args![product_id, with_hidden, before, i64::from(limit) + 1])
        .await
}

#[derive(Debug, sqlx::FromRow)]
struct StarCount {
    rating: i64,
    n: i64,
}

/// Recounts a product's visible reviews into its aggregate columns, in the caller's transaction,
/// so that the aggregates can never drift from the reviews.
pub async fn rating_recount(tx: &mut Tx, product_id: &str) -> Result<()> {
    let counts: Vec<StarCount> = tx
        .fetch_all(
            "SELECT rating, COUNT(*) AS n FROM catalog_reviews WHERE product_id = $1 AND hidden_at IS NULL
             GROUP BY rating",
            args![product_id],
        )
        .await?;
    let mut hist = [0i64; 5];
    for c in &counts {
        if let Some(slot) = usize::try_from(c.rating - 1).ok().and_then(|i| hist.get_mut(i)) {
            *slot = c.n;
        }
    }
    let count: i64 = hist.iter().sum();
    let sum: i64 = hist.iter().enumerate().map(|(i, n)| (i as i64 + 1) * n).sum();
    let hist_json = format!("[{},{},{},{},{}]", hist[0], hist[1], hist[2], hist[3], hist[4]);
    tx.execute(
        "UPDATE catalog_products SET rating_count = $1, rating_sum = $2, rating_hist = $3, updated_at = $4
         WHERE id = $5",
        args![count, sum, hist_json, Timestamp::now(), product_id],
    )
    .await?;
    Ok(())
}
