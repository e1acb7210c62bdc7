//! Categories and brands.

use kernel::time::Timestamp;
use store::{Db, Query, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CategoryRow {
    pub id: String,
    pub parent_id: Option<String>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BrandRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
}

pub async fn category_all(db: &Db) -> Result<Vec<CategoryRow>> {
    db.fetch_all(
        "SELECT id, parent_id, slug, name, description, position FROM catalog_categories ORDER BY position, name",
        vec![],
    )
    .await
}

pub async fn category_insert(tx: &mut Tx, c: &CategoryRow) -> Result<()> {
    let now = Timestamp::now();
    tx.execute(
        "INSERT INTO catalog_categories (id, parent_id, slug, name, description, position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        args![&c.id, c.parent_id.clone(), &c.slug, &c.name, &c.description, c.position, now],
    )
    .await?;
    Ok(())
}

pub async fn category_update(tx: &mut Tx, c: &CategoryRow) -> Result<u64> {
    tx.execute(
        "UPDATE catalog_categories SET parent_id = $1, slug = $2, name = $3, description = $4, position = $5,
         updated_at = $6 WHERE id = $7",
        args![c.parent_id.clone(), &c.slug, &c.name, &c.description, c.position, Timestamp::now(), &c.id],
    )
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct Count {
    pub n: i64,
}

/// Products and child categories that still point at a category.
pub async fn category_usage(tx: &mut Tx, id: &str) -> Result<i64> {
    let row: Count = tx
        .fetch_one(
            "SELECT (SELECT COUNT(*) FROM catalog_products WHERE category_id = $1)
                  + (SELECT COUNT(*) FROM catalog_categories WHERE parent_id = $1) AS n",
            args![id],
        )
        .await?;
    Ok(row.n)
}

pub async fn category_delete(tx: &mut Tx, id: &str) -> Result<u64> {
    tx.execute("DELETE FROM catalog_categories WHERE id = $1", args![id]).await
}

pub async fn brand_all(db: &Db) -> Result<Vec<BrandRow>> {
    db.fetch_all("SELECT id, slug, name, description FROM catalog_brands ORDER BY name", vec![]).await
}

pub async fn brand_insert(tx: &mut Tx, b: &BrandRow) -> Result<()> {
    let now = Timestamp::now();
    tx.execute(
        "INSERT INTO catalog_brands (id, slug, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
        args![&b.id, &b.slug, &b.name, &b.description, now],
    )
    .await?;
    Ok(())
}

pub async fn brand_update(tx: &mut Tx, b: &BrandRow) -> Result<u64> {
    tx.execute(
        "UPDATE catalog_brands SET slug = $1, name = $2, description = $3, updated_at = $4 WHERE id = $5",
        args![&b.slug, &b.name, &b.description, Timestamp::now(), &b.id],
    )
    .await
}

pub async fn brand_usage(tx: &mut Tx, id: &str) -> Result<i64> {
    let row: Count = tx.fetch_one("SELECT COUNT(*) AS n FROM catalog_products WHERE brand_id = $1", args![id]).await?;
    Ok(row.n)
}

pub async fn brand_delete(tx: &mut Tx, id: &str) -> Result<u64> {
    tx.execute("DELETE FROM catalog_brands WHERE id = $1", args![id]).await
}

/// Product ids in a brand or category, so that a rename reaches the search index.
pub async fn product_ids_by(q: &mut impl Query, column: Column, id: &str) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct Id {
        id: String,
    }
    let sql = match column {
        Column::Brand => "SELECT id FROM catalog_products WHERE brand_id = $1",
        Column::Category => "SELECT id FROM catalog_products WHERE category_id = $1",
        Column::Seller => "SELECT id FROM catalog_products WHERE seller_id = $1",
    };
    let rows: Vec<Id> = q.fetch_all(store::Sql::from(sql), args![id]).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

#[derive(Debug, Clone, Copy)]
pub enum Column {
    Brand,
    Category,
    Seller,
}
