//! Returned goods back on the shelf: a `returned` adjustment per line, at the location named
//! or the one the units were sold from, once per return however often it is asked.

use super::{normalize_sku, refresh_item};
use crate::api::Restock;
use crate::domain::{AdjustmentKind, positive_quantity};
use crate::store::history::{AdjustmentRow, adjustment_insert};
use crate::store::{items, levels, locations, reservations};
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::{Db, Tx, args};

pub(super) async fn restock(db: &Db, r: &Restock) -> Result<()> {
    if r.reference.trim().is_empty() || r.reference.len() > 200 {
        return Err(Error::invalid_field("reference", "must be 1-200 characters"));
    }
    for (i, line) in r.lines.iter().enumerate() {
        positive_quantity(&format!("lines[{i}].quantity"), line.quantity)?;
    }
    let now = Timestamp::now().as_micros();
    let mut tx = db.begin().await?;
    let first = tx
        .execute(
            "INSERT INTO inventory_restocks (reference, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            args![&r.reference, now],
        )
        .await?;
    if first == 0 {
        return Ok(());
    }
    let sold_from = match reservations::reservation_get(&mut tx, &r.sale).await? {
        Some(reservation) => reservations::lines_of(&mut tx, &reservation.id).await?,
        None => Vec::new(),
    };
    for line in &r.lines {
        let sku = normalize_sku(&line.sku);
        let item = items::item_get(&mut tx, &sku)
            .await?
            .ok_or_else(|| Error::not_found("sku_not_found", format!("No stock is kept of {sku}.")))?;
        let location = match &r.location_id {
            Some(id) => id.clone(),
            None => match sold_from.iter().find(|l| l.sku == sku) {
                Some(l) => l.location_id.clone(),
                None => first_location(&mut tx, &item.seller_id).await?,
            },
        };
        let owned = locations::location_get(&mut tx, &location).await?.is_some_and(|l| l.seller_id == item.seller_id);
        if !owned {
            return Err(Error::not_found("location_not_found", "No such location of this seller."));
        }
        let stock = levels::level_receive(&mut tx, &sku, &location, &item.seller_id, line.quantity).await?;
        let row = AdjustmentRow {
            id: new_id("adj"),
            sku: sku.clone(),
            location_id: location,
            seller_id: item.seller_id,
            kind: AdjustmentKind::Returned.as_str().into(),
            delta: line.quantity,
            on_hand_after: stock.on_hand,
            reason: "customer return".into(),
            actor_id: None,
            reference: Some(r.reference.clone()),
            created_at: now,
        };
        adjustment_insert(&mut tx, &row).await?;
        refresh_item(&mut tx, &sku).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn first_location(tx: &mut Tx, seller: &str) -> Result<String> {
    locations::location_list(tx, Some(seller))
        .await?
        .into_iter()
        .find(|l| l.active)
        .map(|l| l.id)
        .ok_or_else(|| Error::not_found("location_not_found", "The seller has no active location."))
}
