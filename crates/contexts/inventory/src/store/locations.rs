//! Stock locations.

use kernel::time::Timestamp;
use store::{Query, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LocationRow {
    pub id: String,
    pub seller_id: String,
    pub name: String,
    pub active: bool,
    pub created_at: i64,
}

pub async fn location_insert(tx: &mut Tx, l: &LocationRow) -> Result<()> {
    tx.execute(
        "INSERT INTO inventory_locations (id, seller_id, name, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
        args![&l.id, &l.seller_id, &l.name, l.active, l.created_at],
    )
    .await?;
    Ok(())
}

pub async fn location_update(tx: &mut Tx, l: &LocationRow) -> Result<()> {
    tx.execute(
        "UPDATE inventory_locations SET name = $2, active = $3, updated_at = $4 WHERE id = $1",
        args![&l.id, &l.name, l.active, Timestamp::now()],
    )
    .await?;
    Ok(())
}

pub async fn location_get(q: &mut impl Query, id: &str) -> Result<Option<LocationRow>> {
    q.fetch_optional(
        store::Sql::from("SELECT id, seller_id, name, active, created_at FROM inventory_locations WHERE id = $1"),
        args![id],
    )
    .await
}

pub async fn location_list(q: &mut impl Query, seller: Option<&str>) -> Result<Vec<LocationRow>> {
    q.fetch_all(
        store::Sql::from(
            "SELECT id, seller_id, name, active, created_at FROM inventory_locations
             WHERE ($1 IS NULL OR seller_id = $1) ORDER BY seller_id, name LIMIT 1000",
        ),
        args![seller],
    )
    .await
}

/// SKUs with stock in a location, whose availability moves when the location is switched.
pub async fn skus_at(q: &mut impl Query, location: &str) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct Sku {
        sku: String,
    }
    let rows: Vec<Sku> = q
        .fetch_all(store::Sql::from("SELECT sku FROM inventory_levels WHERE location_id = $1"), args![location])
        .await?;
    Ok(rows.into_iter().map(|r| r.sku).collect())
}
