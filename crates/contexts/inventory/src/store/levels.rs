//! Stock levels: each change is one conditional statement, so `0 <= reserved <= on_hand` holds
//! whatever runs beside it (the table's checks back it up).

use kernel::time::Timestamp;
use store::{Query, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LevelRow {
    pub sku: String,
    pub location_id: String,
    pub seller_id: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct Stock {
    pub on_hand: i64,
}

/// Adds `quantity` (> 0) to on-hand, creating the level if needed.
pub async fn level_receive(tx: &mut Tx, sku: &str, location: &str, seller: &str, quantity: i64) -> Result<Stock> {
    tx.fetch_one(
        "INSERT INTO inventory_levels (sku, location_id, seller_id, on_hand, reserved, updated_at)
         VALUES ($1, $2, $3, $4, 0, $5)
         ON CONFLICT (sku, location_id) DO UPDATE
         SET on_hand = inventory_levels.on_hand + excluded.on_hand, updated_at = excluded.updated_at
         RETURNING on_hand",
        args![sku, location, seller, quantity, Timestamp::now()],
    )
    .await
}

/// Moves on-hand from `expected` by `delta`, unless it changed meanwhile or would fall below
/// what is reserved; `None` then.
pub async fn level_shift(tx: &mut Tx, sku: &str, location: &str, expected: i64, delta: i64) -> Result<Option<Stock>> {
    tx.fetch_optional(
        "UPDATE inventory_levels SET on_hand = on_hand + $4, updated_at = $5
         WHERE sku = $1 AND location_id = $2 AND on_hand = $3 AND on_hand + $4 >= reserved
         RETURNING on_hand",
        args![sku, location, expected, delta, Timestamp::now()],
    )
    .await
}

/// Holds `quantity` if that much is available: the check and the change are one statement.
pub async fn level_reserve(tx: &mut Tx, sku: &str, location: &str, quantity: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE inventory_levels SET reserved = reserved + $3, updated_at = $4
             WHERE sku = $1 AND location_id = $2 AND on_hand - reserved >= $3",
            args![sku, location, quantity, Timestamp::now()],
        )
        .await?;
    Ok(n == 1)
}

pub async fn level_release(tx: &mut Tx, sku: &str, location: &str, quantity: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE inventory_levels SET reserved = reserved - $3, updated_at = $4
             WHERE sku = $1 AND location_id = $2 AND reserved >= $3",
            args![sku, location, quantity, Timestamp::now()],
        )
        .await?;
    Ok(n == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Sold {
    pub on_hand: i64,
    pub seller_id: String,
}

/// Turns a hold into a sale: both on-hand and reserved drop by `quantity`.
pub async fn level_commit(tx: &mut Tx, sku: &str, location: &str, quantity: i64) -> Result<Option<Sold>> {
    tx.fetch_optional(
        "UPDATE inventory_levels SET on_hand = on_hand - $3, reserved = reserved - $3, updated_at = $4
         WHERE sku = $1 AND location_id = $2 AND reserved >= $3
         RETURNING on_hand, seller_id",
        args![sku, location, quantity, Timestamp::now()],
    )
    .await
}

pub async fn level_get(q: &mut impl Query, sku: &str, location: &str) -> Result<Option<LevelRow>> {
    q.fetch_optional(
        store::Sql::from(
            "SELECT sku, location_id, seller_id, on_hand, reserved, updated_at FROM inventory_levels
             WHERE sku = $1 AND location_id = $2",
        ),
        args![sku, location],
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Free {
    pub location_id: String,
    pub available: i64,
}

/// What each active location can still give of `sku`, most first (then by id, for a stable order).
pub async fn free_by_location(q: &mut impl Query, sku: &str) -> Result<Vec<Free>> {
    q.fetch_all(
        store::Sql::from(
            "SELECT l.location_id, l.on_hand - l.reserved AS available FROM inventory_levels l
             JOIN inventory_locations loc ON loc.id = l.location_id AND loc.active = TRUE
             WHERE l.sku = $1 AND l.on_hand > l.reserved
             ORDER BY available DESC, l.location_id",
        ),
        args![sku],
    )
    .await
}

/// Levels of a seller (or all, for `None`), optionally of one SKU or location, by (sku, location).
pub async fn level_list(
    q: &mut impl Query,
    seller: Option<&str>,
    sku: Option<&str>,
    location: Option<&str>,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<LevelRow>> {
    let (after_sku, after_loc) = after.unwrap_or(("", ""));
    q.fetch_all(
        store::Sql::from(
            "SELECT sku, location_id, seller_id, on_hand, reserved, updated_at FROM inventory_levels
             WHERE ($1 IS NULL OR seller_id = $1) AND ($2 IS NULL OR sku = $2) AND ($3 IS NULL OR location_id = $3)
               AND (sku > $4 OR (sku = $4 AND location_id > $5))
             ORDER BY sku, location_id LIMIT $6",
        ),
        args![seller, sku, location, after_sku, after_loc, limit],
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Available {
    pub sku: String,
    pub available: i64,
}

/// Sellable stock of each SKU among `skus` that has any level, over active locations.
pub async fn available_many(q: &mut impl Query, skus: &[String]) -> Result<Vec<Available>> {
    if skus.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT l.sku, CAST(SUM(l.on_hand - l.reserved) AS BIGINT) AS available FROM inventory_levels l
         JOIN inventory_locations loc ON loc.id = l.location_id AND loc.active = TRUE
         WHERE l.sku IN ({}) GROUP BY l.sku",
        store::placeholders(1, skus.len())
    );
    q.fetch_all(store::Sql::from(store::AssertSqlSafe(sql)), skus.iter().map(store::Arg::from).collect()).await
}

/// Every SKU with sellable stock, for a full search rebuild.
pub async fn skus_in_stock(q: &mut impl Query) -> Result<Vec<String>> {
    #[derive(sqlx::FromRow)]
    struct Sku {
        sku: String,
    }
    let rows: Vec<Sku> = q
        .fetch_all(
            store::Sql::from(
                "SELECT DISTINCT l.sku FROM inventory_levels l
                 JOIN inventory_locations loc ON loc.id = l.location_id AND loc.active = TRUE
                 WHERE l.on_hand > l.reserved",
            ),
            Vec::new(),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.sku).collect())
}
