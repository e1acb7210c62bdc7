//! The adjustment history: every change of on-hand stock.

use store::{Query, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdjustmentRow {
    pub id: String,
    pub sku: String,
    pub location_id: String,
    pub seller_id: String,
    pub kind: String,
    pub delta: i64,
    pub on_hand_after: i64,
    pub reason: String,
    pub actor_id: Option<String>,
    pub reference: Option<String>,
    pub created_at: i64,
}

pub async fn adjustment_insert(tx: &mut Tx, a: &AdjustmentRow) -> Result<()> {
    tx.execute(
        "INSERT INTO inventory_adjustments
            (id, sku, location_id, seller_id, kind, delta, on_hand_after, reason, actor_id, reference, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        args![
            &a.id,
            &a.sku,
            &a.location_id,
            &a.seller_id,
            &a.kind,
            a.delta,
            a.on_hand_after,
            &a.reason,
            a.actor_id.as_deref(),
            a.reference.as_deref(),
            a.created_at
        ],
    )
    .await?;
    Ok(())
}

/// Newest first, of one seller (or all) and optionally one SKU.
pub async fn adjustment_list(
    q: &mut impl Query,
    seller: Option<&str>,
    sku: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<AdjustmentRow>> {
    q.fetch_all(
        store::Sql::from(
            "SELECT id, sku, location_id, seller_id, kind, delta, on_hand_after, reason, actor_id, reference, created_at
             FROM inventory_adjustments
             WHERE ($1 IS NULL OR seller_id = $1) AND ($2 IS NULL OR sku = $2) AND ($3 IS NULL OR id < $3)
             ORDER BY id DESC LIMIT $4",
        ),
        args![seller, sku, before, limit],
    )
    .await
}
