//! SQL for the shipping context's own tables (zones, their areas, their methods), and nothing
//! else.

pub mod parcels;

use store::{AssertSqlSafe, Query, Result, Sql, Tx, args, placeholders};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ZoneRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AreaRow {
    pub zone_id: String,
    pub country: String,
    /// '' for the whole country.
    pub region: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MethodRow {
    pub id: String,
    pub zone_id: String,
    pub code: String,
    pub name: String,
    pub basis: String,
    /// JSON array of `{"from", "amount"}`.
    pub rates: String,
    pub free_over: Option<i64>,
    pub min_days: i64,
    pub max_days: i64,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

const METHOD_COLUMNS: &str =
    "id, zone_id, code, name, basis, rates, free_over, min_days, max_days, active, created_at, updated_at";

pub async fn zone_insert(tx: &mut Tx, z: &ZoneRow) -> Result<()> {
    tx.execute(
        "INSERT INTO shipping_zones (id, name, created_at, updated_at) VALUES ($1, $2, $3, $4)",
        args![&z.id, &z.name, z.created_at, z.updated_at],
    )
    .await?;
    Ok(())
}

/// False when the zone is gone.
pub async fn zone_update(tx: &mut Tx, z: &ZoneRow) -> Result<bool> {
    let changed = tx
        .execute(
            "UPDATE shipping_zones SET name = $2, updated_at = $3 WHERE id = $1",
            args![&z.id, &z.name, z.updated_at],
        )
        .await?;
    Ok(changed == 1)
}

pub async fn zone_get(q: &mut impl Query, id: &str) -> Result<Option<ZoneRow>> {
    q.fetch_optional(Sql::from("SELECT id, name, created_at, updated_at FROM shipping_zones WHERE id = $1"), args![id])
        .await
}

/// Every zone, oldest first: the order ties between zones are broken in.
pub async fn zone_list(q: &mut impl Query) -> Result<Vec<ZoneRow>> {
    let sql = "SELECT id, name, created_at, updated_at FROM shipping_zones ORDER BY created_at, id LIMIT 1000";
    q.fetch_all(Sql::from(sql), args![]).await
}

pub async fn zone_any(q: &mut impl Query) -> Result<bool> {
    let found: Option<(String,)> =
        q.fetch_optional(Sql::from("SELECT id FROM shipping_zones LIMIT 1"), args![]).await?;
    Ok(found.is_some())
}

/// Deletes a zone with its areas and methods; false when it was gone.
pub async fn zone_delete(tx: &mut Tx, id: &str) -> Result<bool> {
    tx.execute("DELETE FROM shipping_methods WHERE zone_id = $1", args![id]).await?;
    tx.execute("DELETE FROM shipping_zone_areas WHERE zone_id = $1", args![id]).await?;
    Ok(tx.execute("DELETE FROM shipping_zones WHERE id = $1", args![id]).await? == 1)
}

/// Replaces what a zone covers.
pub async fn areas_replace(tx: &mut Tx, zone_id: &str, areas: &[(String, String)]) -> Result<()> {
    tx.execute("DELETE FROM shipping_zone_areas WHERE zone_id = $1", args![zone_id]).await?;
    for (country, region) in areas {
        tx.execute(
            "INSERT INTO shipping_zone_areas (zone_id, country, region) VALUES ($1, $2, $3)",
            args![zone_id, country, region],
        )
        .await?;
    }
    Ok(())
}

/// The areas of `zone_ids`, in a stable order.
pub async fn area_list(q: &mut impl Query, zone_ids: &[String]) -> Result<Vec<AreaRow>> {
    if zone_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT zone_id, country, region FROM shipping_zone_areas WHERE zone_id IN ({}) ORDER BY zone_id, country, region",
        placeholders(1, zone_ids.len())
    );
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), zone_ids.iter().map(store::Arg::from).collect()).await
}

/// Every area in `country`, of whatever zone, oldest zone first: the candidates for a
/// destination there, in the order ties between zones are broken in.
/// Every zone's areas, zones oldest first.
pub async fn areas_all(q: &mut impl Query) -> Result<Vec<AreaRow>> {
    let sql = "SELECT a.zone_id, a.country, a.region FROM shipping_zone_areas a
        JOIN shipping_zones z ON z.id = a.zone_id ORDER BY z.created_at, z.id, a.region";
    q.fetch_all(Sql::from(sql), args![]).await
}

/// Every method of every zone, oldest first.
pub async fn methods_all(q: &mut impl Query) -> Result<Vec<MethodRow>> {
    let sql = format!("SELECT {METHOD_COLUMNS} FROM shipping_methods ORDER BY created_at, id");
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), args![]).await
}

pub async fn method_insert(tx: &mut Tx, m: &MethodRow) -> Result<()> {
    tx.execute(
        "INSERT INTO shipping_methods (id, zone_id, code, name, basis, rates, free_over, min_days, max_days, active,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        args![
            &m.id,
            &m.zone_id,
            &m.code,
            &m.name,
            &m.basis,
            &m.rates,
            m.free_over,
            m.min_days,
            m.max_days,
            m.active,
            m.created_at,
            m.updated_at
        ],
    )
    .await?;
    Ok(())
}

/// Replaces the editable fields; false when the method is gone.
pub async fn method_update(tx: &mut Tx, m: &MethodRow) -> Result<bool> {
    let changed = tx
        .execute(
            "UPDATE shipping_methods SET code = $2, name = $3, basis = $4, rates = $5, free_over = $6, min_days = $7,
                max_days = $8, active = $9, updated_at = $10
             WHERE id = $1",
            args![
                &m.id,
                &m.code,
                &m.name,
                &m.basis,
                &m.rates,
                m.free_over,
                m.min_days,
                m.max_days,
                m.active,
                m.updated_at
            ],
        )
        .await?;
    Ok(changed == 1)
}

pub async fn method_get(q: &mut impl Query, id: &str) -> Result<Option<MethodRow>> {
    let sql = format!("SELECT {METHOD_COLUMNS} FROM shipping_methods WHERE id = $1");
    q.fetch_optional(Sql::from(AssertSqlSafe(sql)), args![id]).await
}

/// The methods of `zone_ids`, oldest first.
pub async fn method_list(q: &mut impl Query, zone_ids: &[String]) -> Result<Vec<MethodRow>> {
    if zone_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {METHOD_COLUMNS} FROM shipping_methods WHERE zone_id IN ({}) ORDER BY created_at, id",
        placeholders(1, zone_ids.len())
    );
    q.fetch_all(Sql::from(AssertSqlSafe(sql)), zone_ids.iter().map(store::Arg::from).collect()).await
}

pub async fn method_delete(tx: &mut Tx, id: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM shipping_methods WHERE id = $1", args![id]).await? == 1)
}
