//! SQL for the catalog's own tables, and nothing else.

pub mod bulk;
pub mod images;
pub mod page;
pub mod products;
pub mod reviews;
pub mod taxonomy;

use kernel::time::Timestamp;
use store::{Result, Tx, args};

/// The condition under which customers see a product (`p` is `catalog_products`).
pub const VISIBLE: &str = "p.status = 'active' AND EXISTS (SELECT 1 FROM catalog_sellers s \
     WHERE s.seller_id = p.seller_id AND s.approved = TRUE)";

pub async fn seller_set(tx: &mut Tx, seller_id: &str, approved: bool) -> Result<()> {
    tx.execute(
        "INSERT INTO catalog_sellers (seller_id, approved, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (seller_id) DO UPDATE SET approved = excluded.approved, updated_at = excluded.updated_at",
        args![seller_id, approved, Timestamp::now()],
    )
    .await?;
    Ok(())
}
