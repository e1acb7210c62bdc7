//! Product images: the rows that point at objects in the object store.

use kernel::time::Timestamp;
use store::{AssertSqlSafe, Query, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct ImageRow {
    pub id: String,
    pub product_id: String,
    pub object_key: String,
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub position: i64,
}

pub(crate) const COLUMNS: &str = "id, product_id, object_key, content_type, width, height, alt, position";

pub async fn image_insert(tx: &mut Tx, i: &ImageRow) -> Result<()> {
    tx.execute(
        "INSERT INTO catalog_images (id, product_id, object_key, content_type, width, height, alt, position, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        args![&i.id, &i.product_id, &i.object_key, &i.content_type, i.width, i.height, &i.alt, i.position, Timestamp::now()],
    )
    .await?;
    Ok(())
}

pub async fn images_of(q: &mut impl Query, product_id: &str) -> Result<Vec<ImageRow>> {
    let sql = format!("SELECT {COLUMNS} FROM catalog_images WHERE product_id = $1 ORDER BY position, id");
    q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), args![product_id]).await
}

/// The first image of each of these products.
pub async fn first_images(q: &mut impl Query, product_ids: &[String]) -> Result<Vec<ImageRow>> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = store::placeholders(1, product_ids.len());
    let sql = format!(
        "SELECT {COLUMNS} FROM catalog_images i WHERE i.product_id IN ({}) AND i.position =
         (SELECT MIN(j.position) FROM catalog_images j WHERE j.product_id = i.product_id)",
        placeholders
    );
    q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), product_ids.iter().map(store::Arg::from).collect()).await
}

pub async fn image_delete(tx: &mut Tx, product_id: &str, id: &str) -> Result<u64> {
    tx.execute("DELETE FROM catalog_images WHERE product_id = $1 AND id = $2", args![product_id, id]).await
}

pub async fn image_position_set(tx: &mut Tx, id: &str, position: i64) -> Result<()> {
    tx.execute("UPDATE catalog_images SET position = $1 WHERE id = $2", args![position, id]).await?;
    Ok(())
}
