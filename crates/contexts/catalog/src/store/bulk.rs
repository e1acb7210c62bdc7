//! SQL of the bulk loader (`seed`): many rows per statement, one transaction per batch.

use store::{Arg, Db, Result, Tx, bulk::insert_rows};

const PRODUCT_COLUMNS: [&str; 15] = [
    "id",
    "seller_id",
    "slug",
    "title",
    "description",
    "brand_id",
    "category_id",
    "status",
    "attributes",
    "options",
    "rating_count",
    "rating_sum",
    "rating_hist",
    "created_at",
    "updated_at",
];
const VARIANT_COLUMNS: [&str; 12] = [
    "id",
    "product_id",
    "sku",
    "title",
    "option_values",
    "price_minor",
    "compare_at_minor",
    "currency",
    "weight_g",
    "barcode",
    "position",
    "created_at",
];
const IMAGE_COLUMNS: [&str; 9] =
    ["id", "product_id", "object_key", "content_type", "width", "height", "alt", "position", "created_at"];
const REVIEW_COLUMNS: [&str; 8] =
    ["id", "product_id", "customer_id", "rating", "title", "body", "created_at", "updated_at"];

const SKU_OWNER_COLUMNS: [&str; 3] = ["sku", "seller_id", "claimed_at"];

/// Rows in the column order above.
pub struct BulkRows {
    pub products: Vec<Vec<Arg>>,
    pub variants: Vec<Vec<Arg>>,
    pub images: Vec<Vec<Arg>>,
    pub reviews: Vec<Vec<Arg>>,
    pub sku_owners: Vec<Vec<Arg>>,
}

pub async fn bulk_insert(tx: &mut Tx, rows: BulkRows) -> Result<()> {
    insert_rows(tx, "catalog_products", &PRODUCT_COLUMNS, rows.products).await?;
    insert_rows(tx, "catalog_variants", &with_updated(&VARIANT_COLUMNS), add_updated(rows.variants)).await?;
    insert_rows(tx, "catalog_images", &IMAGE_COLUMNS, rows.images).await?;
    insert_rows(tx, "catalog_reviews", &REVIEW_COLUMNS, rows.reviews).await?;
    insert_rows(tx, "catalog_sku_owners", &SKU_OWNER_COLUMNS, rows.sku_owners).await?;
    Ok(())
}

/// How many products exist (any status).
pub async fn product_count(db: &Db) -> Result<i64> {
    #[derive(sqlx::FromRow)]
    struct N {
        n: i64,
    }
    let n: N = db.fetch_one("SELECT COUNT(*) AS n FROM catalog_products", vec![]).await?;
    Ok(n.n)
}

/// Variants carry `updated_at` equal to `created_at`.
fn with_updated(columns: &[&'static str]) -> Vec<&'static str> {
    let mut c = columns.to_vec();
    c.push("updated_at");
    c
}

fn add_updated(rows: Vec<Vec<Arg>>) -> Vec<Vec<Arg>> {
    rows.into_iter()
        .map(|mut r| {
            let created = r.last().cloned().unwrap_or(Arg::Int(None));
            r.push(created);
            r
        })
        .collect()
}
