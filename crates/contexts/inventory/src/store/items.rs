//! Per-SKU settings, the alert and in-stock flags, low-stock alerts and reorder suggestions.

use kernel::time::Timestamp;
use store::{Query, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub sku: String,
    pub seller_id: String,
    pub low_stock_threshold: Option<i64>,
    pub reorder_point: Option<i64>,
    pub reorder_quantity: Option<i64>,
    pub low_stock: bool,
    pub in_stock: bool,
    /// Sellable stock over active locations.
    pub available: i64,
    pub on_hand: i64,
    pub reserved: i64,
}

const ITEM_SELECT: &str = "SELECT i.sku, i.seller_id, i.low_stock_threshold, i.reorder_point, i.reorder_quantity,
        i.low_stock, i.in_stock,
        CAST(COALESCE(SUM(CASE WHEN loc.active THEN l.on_hand - l.reserved ELSE 0 END), 0) AS BIGINT) AS available,
        CAST(COALESCE(SUM(l.on_hand), 0) AS BIGINT) AS on_hand,
        CAST(COALESCE(SUM(l.reserved), 0) AS BIGINT) AS reserved
    FROM inventory_items i
    LEFT JOIN inventory_levels l ON l.sku = i.sku
    LEFT JOIN inventory_locations loc ON loc.id = l.location_id";
const ITEM_GROUP: &str = "GROUP BY i.sku, i.seller_id, i.low_stock_threshold, i.reorder_point, i.reorder_quantity, \
    i.low_stock, i.in_stock";

pub async fn item_ensure(tx: &mut Tx, sku: &str, seller: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO inventory_items (sku, seller_id, updated_at) VALUES ($1, $2, $3) ON CONFLICT (sku) DO NOTHING",
        args![sku, seller, Timestamp::now()],
    )
    .await?;
    Ok(())
}

pub async fn item_get(q: &mut impl Query, sku: &str) -> Result<Option<ItemRow>> {
    let sql = format!("{ITEM_SELECT} WHERE i.sku = $1 {ITEM_GROUP}");
    q.fetch_optional(store::Sql::from(store::AssertSqlSafe(sql)), args![sku]).await
}

pub async fn item_settings_set(
    tx: &mut Tx,
    sku: &str,
    threshold: Option<i64>,
    reorder_point: Option<i64>,
    reorder_quantity: Option<i64>,
) -> Result<()> {
    tx.execute(
        "UPDATE inventory_items SET low_stock_threshold = $2, reorder_point = $3, reorder_quantity = $4, updated_at = $5
         WHERE sku = $1",
        args![sku, threshold, reorder_point, reorder_quantity, Timestamp::now()],
    )
    .await?;
    Ok(())
}

/// Flips a flag from `from` to `to`; true for the one caller that made the flip.
pub async fn item_flip(tx: &mut Tx, sku: &str, flag: Flag, from: bool, to: bool) -> Result<bool> {
    let sql = match flag {
        Flag::LowStock => {
            "UPDATE inventory_items SET low_stock = $3, updated_at = $4 WHERE sku = $1 AND low_stock = $2"
        }
        Flag::InStock => "UPDATE inventory_items SET in_stock = $3, updated_at = $4 WHERE sku = $1 AND in_stock = $2",
    };
    Ok(tx.execute(sql, args![sku, from, to, Timestamp::now()]).await? == 1)
}

#[derive(Debug, Clone, Copy)]
pub enum Flag {
    LowStock,
    InStock,
}

/// Items at or below their reorder point, of one seller or all.
pub async fn reorder_due(q: &mut impl Query, seller: Option<&str>) -> Result<Vec<ItemRow>> {
    let sql = format!(
        "{ITEM_SELECT} WHERE ($1 IS NULL OR i.seller_id = $1) AND i.reorder_point IS NOT NULL {ITEM_GROUP}
         HAVING COALESCE(SUM(CASE WHEN loc.active THEN l.on_hand - l.reserved ELSE 0 END), 0) <= i.reorder_point
         ORDER BY i.sku LIMIT 1000"
    );
    q.fetch_all(store::Sql::from(store::AssertSqlSafe(sql)), args![seller]).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertRow {
    pub id: String,
    pub sku: String,
    pub seller_id: String,
    pub available: i64,
    pub threshold: i64,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

pub async fn alert_open(tx: &mut Tx, a: &AlertRow) -> Result<()> {
    tx.execute(
        "INSERT INTO inventory_alerts (id, sku, seller_id, available, threshold, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        args![&a.id, &a.sku, &a.seller_id, a.available, a.threshold, a.created_at],
    )
    .await?;
    Ok(())
}

pub async fn alerts_resolve(tx: &mut Tx, sku: &str) -> Result<()> {
    tx.execute(
        "UPDATE inventory_alerts SET resolved_at = $2 WHERE sku = $1 AND resolved_at IS NULL",
        args![sku, Timestamp::now()],
    )
    .await?;
    Ok(())
}

/// Alerts newest first; `open` keeps the unresolved ones.
pub async fn alert_list(
    q: &mut impl Query,
    seller: Option<&str>,
    open: bool,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<AlertRow>> {
    q.fetch_all(
        store::Sql::from(
            "SELECT id, sku, seller_id, available, threshold, created_at, resolved_at FROM inventory_alerts
             WHERE ($1 IS NULL OR seller_id = $1) AND ($2 = FALSE OR resolved_at IS NULL) AND ($3 IS NULL OR id < $3)
             ORDER BY id DESC LIMIT $4",
        ),
        args![seller, open, before, limit],
    )
    .await
}
