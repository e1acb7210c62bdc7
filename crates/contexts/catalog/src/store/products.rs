//! Products and their variants.

use super::VISIBLE;
use kernel::time::Timestamp;
use store::{AssertSqlSafe, Query, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProductRow {
    pub id: String,
    pub seller_id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub brand_id: Option<String>,
    pub category_id: Option<String>,
    pub status: String,
    pub attributes: String,
    pub options: String,
    pub rating_count: i64,
    pub rating_sum: i64,
    pub rating_hist: String,
    pub created_at: i64,
    pub updated_at: i64,
}

pub(crate) const PRODUCT_COLUMNS: &str = "p.id, p.seller_id, p.slug, p.title, p.description, p.brand_id, p.category_id, \
    p.status, p.attributes, p.options, p.rating_count, p.rating_sum, p.rating_hist, p.created_at, p.updated_at";

#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct VariantRow {
    pub id: String,
    pub product_id: String,
    pub sku: String,
    pub title: String,
    pub option_values: String,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub currency: String,
    pub weight_g: Option<i64>,
    pub length_mm: Option<i64>,
    pub width_mm: Option<i64>,
    pub height_mm: Option<i64>,
    pub barcode: Option<String>,
    pub position: i64,
}

pub(crate) const VARIANT_COLUMNS: &str = "id, product_id, sku, title, option_values, price_minor, compare_at_minor, currency, \
    weight_g, length_mm, width_mm, height_mm, barcode, position";

pub async fn product_insert(tx: &mut Tx, p: &ProductRow) -> Result<()> {
    tx.execute(
        "INSERT INTO catalog_products (id, seller_id, slug, title, description, brand_id, category_id, status,
         attributes, options, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        args![
            &p.id,
            &p.seller_id,
            &p.slug,
            &p.title,
            &p.description,
            p.brand_id.clone(),
            p.category_id.clone(),
            &p.status,
            &p.attributes,
            &p.options,
            p.created_at,
            p.updated_at
        ],
    )
    .await?;
    Ok(())
}

pub async fn product_update(tx: &mut Tx, p: &ProductRow) -> Result<()> {
    tx.execute(
        "UPDATE catalog_products SET slug = $1, title = $2, description = $3, brand_id = $4, category_id = $5,
         status = $6, attributes = $7, options = $8, updated_at = $9 WHERE id = $10",
        args![
            &p.slug,
            &p.title,
            &p.description,
            p.brand_id.clone(),
            p.category_id.clone(),
            &p.status,
            &p.attributes,
            &p.options,
            Timestamp::now(),
            &p.id
        ],
    )
    .await?;
    Ok(())
}

/// Marks a product changed (a variant, image or review moved) so that readers re-fetch it.
pub async fn product_touch(tx: &mut Tx, id: &str) -> Result<()> {
    tx.execute("UPDATE catalog_products SET updated_at = $1 WHERE id = $2", args![Timestamp::now(), id]).await?;
    Ok(())
}

/// A product by id or slug, whatever its status.
pub async fn product_get(q: &mut impl Query, key: &str) -> Result<Option<ProductRow>> {
    let sql = format!("SELECT {PRODUCT_COLUMNS} FROM catalog_products p WHERE p.id = $1 OR p.slug = $1");
    q.fetch_optional(store::Sql::from(AssertSqlSafe(sql)), args![key]).await
}

/// A product by id or slug if customers may see it.
pub async fn product_visible(q: &mut impl Query, key: &str) -> Result<Option<ProductRow>> {
    let sql =
        format!("SELECT {PRODUCT_COLUMNS} FROM catalog_products p WHERE (p.id = $1 OR p.slug = $1) AND {VISIBLE}");
    q.fetch_optional(store::Sql::from(AssertSqlSafe(sql)), args![key]).await
}

pub async fn slug_taken(q: &mut impl Query, slug: &str, except_id: &str) -> Result<bool> {
    #[derive(sqlx::FromRow)]
    struct Id {
        #[allow(dead_code)]
        id: String,
    }
    let row: Option<Id> = q
        .fetch_optional(
            store::Sql::from("SELECT id FROM catalog_products WHERE slug = $1 AND id <> $2"),
            args![slug, except_id],
        )
        .await?;
    Ok(row.is_some())
}

/// A seller's products (all sellers' when `seller_id` is None), newest first.
pub async fn product_list(
    q: &mut impl Query,
    seller_id: Option<&str>,
    status: Option<&str>,
    before: Option<&str>,
    limit: u32,
) -> Result<Vec<ProductRow>> {
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} FROM catalog_products p
         WHERE ($1 IS NULL OR p.seller_id = $1) AND ($2 IS NULL OR p.status = $2) AND ($3 IS NULL OR p.id < $3)
         ORDER BY p.id DESC LIMIT $4"
    );
    q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), args![seller_id, status, before, i64::from(limit) + 1]).await
}

/// Records the SKU as its product's store's for good (see `catalog_sku_owners`).
async fn sku_claim(tx: &mut Tx, sku: &str, product_id: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO catalog_sku_owners (sku, seller_id, claimed_at)
         SELECT $1, seller_id, $3 FROM catalog_products WHERE id = $2
         ON CONFLICT (sku) DO NOTHING",
        args![sku, product_id, Timestamp::now()],
    )
    .await?;
    Ok(())
}

pub async fn variant_insert(tx: &mut Tx, v: &VariantRow) -> Result<()> {
    sku_claim(tx, &v.sku, &v.product_id).await?;
    let now = Timestamp::now();
    tx.execute(
        "INSERT INTO catalog_variants (id, product_id, sku, title, option_values, price_minor, compare_at_minor,
         currency, weight_g, length_mm, width_mm, height_mm, barcode, position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
        args![
            &v.id,
            &v.product_id,
            &v.sku,
            &v.title,
            &v.option_values,
            v.price_minor,
            v.compare_at_minor,
            &v.currency,
            v.weight_g,
            v.length_mm,
            v.width_mm,
            v.height_mm,
            v.barcode.clone(),
            v.position,
            now
        ],
    )
    .await?;
    Ok(())
}

pub async fn variant_update(tx: &mut Tx, v: &VariantRow) -> Result<()> {
    sku_claim(tx, &v.sku, &v.product_id).await?;
    tx.execute(
        "UPDATE catalog_variants SET sku = $1, title = $2, option_values = $3, price_minor = $4, compare_at_minor = $5,
         weight_g = $6, length_mm = $7, width_mm = $8, height_mm = $9, barcode = $10, updated_at = $11 WHERE id = $12",
        args![
            &v.sku,
            &v.title,
            &v.option_values,
            v.price_minor,
            v.compare_at_minor,
            v.weight_g,
            v.length_mm,
            v.width_mm,
            v.height_mm,
            v.barcode.clone(),
            Timestamp::now(),
            &v.id
        ],
    )
    .await?;
    Ok(())
}

pub async fn variant_delete(tx: &mut Tx, id: &str) -> Result<u64> {
    tx.execute("DELETE FROM catalog_variants WHERE id = $1", args![id]).await
}

pub async fn variants_of(q: &mut impl Query, product_id: &str) -> Result<Vec<VariantRow>> {
    let sql = format!("SELECT {VARIANT_COLUMNS} FROM catalog_variants WHERE product_id = $1 ORDER BY position, id");
    q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), args![product_id]).await
}

/// Variants of many products at once (for lists and the search feed).
pub async fn variants_of_many(q: &mut impl Query, product_ids: &[String]) -> Result<Vec<VariantRow>> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = store::placeholders(1, product_ids.len());
    let sql = format!(
        "SELECT {VARIANT_COLUMNS} FROM catalog_variants WHERE product_id IN ({}) ORDER BY product_id, position, id",
        placeholders
    );
    q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), product_ids.iter().map(store::Arg::from).collect()).await
}

/// Which of these SKUs exist already, outside `except_product`.
/// The SKUs among `skus` that another product holds, or that another store has ever used.
pub async fn skus_taken(
    q: &mut impl Query,
    skus: &[String],
    except_product: &str,
    seller: &str,
) -> Result<Vec<String>> {
    if skus.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sqlx::FromRow)]
    struct Sku {
        sku: String,
    }
    let placeholders = store::placeholders(3, skus.len());
    let sql = format!(
        "SELECT sku FROM catalog_variants WHERE product_id <> $1 AND sku IN ({placeholders})
         UNION SELECT sku FROM catalog_sku_owners WHERE seller_id <> $2 AND sku IN ({placeholders})"
    );
    let mut a = args![except_product, seller];
    a.extend(skus.iter().map(store::Arg::from));
    let rows: Vec<Sku> = q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), a).await?;
    Ok(rows.into_iter().map(|r| r.sku).collect())
}

/// The search feed's page: visible products after `after_id`, by id.
pub async fn visible_after(q: &mut impl Query, after_id: &str, limit: i64) -> Result<Vec<ProductRow>> {
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} FROM catalog_products p WHERE p.id > $1 AND {VISIBLE} ORDER BY p.id LIMIT $2"
    );
    q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), args![after_id, limit]).await
}

/// The visible ones among `ids`.
pub async fn visible_by_ids(q: &mut impl Query, ids: &[String]) -> Result<Vec<ProductRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = store::placeholders(1, ids.len());
    let sql =
        format!("SELECT {PRODUCT_COLUMNS} FROM catalog_products p WHERE p.id IN ({}) AND {VISIBLE}", placeholders);
    q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), ids.iter().map(store::Arg::from).collect()).await
}

#[derive(Debug, sqlx::FromRow)]
pub struct Changed {
    pub id: String,
    pub updated_at: i64,
}

/// Products changed at or after `since` (any status), oldest change first, for catching up.
pub async fn changed_since(q: &mut impl Query, since: i64, limit: i64) -> Result<Vec<Changed>> {
    q.fetch_all(
        store::Sql::from(
            "SELECT id, updated_at FROM catalog_products WHERE updated_at >= $1 ORDER BY updated_at, id LIMIT $2",
        ),
        args![since, limit],
    )
    .await
}

/// A variant joined with what buyers need of its product; `sellable` is 1 or 0.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VariantInfoRow {
    pub id: String,
    pub product_id: String,
    pub seller_id: String,
    pub sku: String,
    pub slug: String,
    pub product_title: String,
    pub variant_title: String,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub currency: String,
    pub category_id: Option<String>,
    pub weight_g: Option<i64>,
    pub sellable: i64,
    /// The object key of the product's first picture.
    pub image_key: Option<String>,
}

/// Variants whose `column` (`v.id` or `v.sku`) is among `keys`.
pub async fn variant_infos(q: &mut impl Query, column: &'static str, keys: &[String]) -> Result<Vec<VariantInfoRow>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT v.id, v.product_id, p.seller_id, v.sku, p.slug, p.title AS product_title, v.title AS variant_title,
                v.price_minor, v.compare_at_minor, v.currency, p.category_id, v.weight_g,
                CAST(CASE WHEN {VISIBLE} THEN 1 ELSE 0 END AS BIGINT) AS sellable,
                (SELECT i.object_key FROM catalog_images i WHERE i.product_id = v.product_id
                 ORDER BY i.position, i.id LIMIT 1) AS image_key
         FROM catalog_variants v JOIN catalog_products p ON p.id = v.product_id
         WHERE {column} IN ({})",
        store::placeholders(1, keys.len())
    );
    q.fetch_all(store::Sql::from(AssertSqlSafe(sql)), keys.iter().map(store::Arg::from).collect()).await
}
