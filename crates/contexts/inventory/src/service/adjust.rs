//! Stock adjustments: received, returned, damaged, corrected. Each is recorded with its reason
//! and the person who made it.

use super::{InventoryService, normalize_sku, refresh_item, rfc3339, seller_scope};
use crate::api::events::StockAdjusted;
use crate::domain::{AdjustmentKind, MAX_QUANTITY, positive_quantity};
use crate::dto::{AdjustmentDto, AdjustmentInput, HistoryFilter};
use crate::store::history::{self as sql, AdjustmentRow};
use crate::store::levels::{self, Stock};
use crate::store::{items, locations};
use kernel::auth::Principal;
use kernel::id::new_id;
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::Tx;

const MAX_REASON: usize = 500;

impl InventoryService {
    pub async fn adjustment_create(&self, p: &Principal, input: AdjustmentInput) -> Result<AdjustmentDto> {
        let kind = AdjustmentKind::parse_manual(&input.kind)?;
        let reason = input.reason.trim().to_owned();
        if reason.is_empty() || reason.len() > MAX_REASON {
            return Err(Error::invalid_field("reason", format!("must be 1-{MAX_REASON} characters")));
        }
        let change = match kind {
            AdjustmentKind::Corrected => match input.counted {
                Some(c) if (0..=MAX_QUANTITY).contains(&c) => Change::SetTo(c),
                _ => return Err(Error::invalid_field("counted", "a correction needs the count found, 0 or more")),
            },
            AdjustmentKind::Damaged => Change::Remove(positive_quantity("quantity", input.quantity.unwrap_or(0))?),
            _ => Change::Add(positive_quantity("quantity", input.quantity.unwrap_or(0))?),
        };
        let sku = normalize_sku(&input.sku);
        let variant = self.owned_variant(p, &sku).await?;
        let location = locations::location_get(&mut self.db.clone(), &input.location_id)
            .await?
            .filter(|l| l.seller_id == variant.seller_id)
            .ok_or_else(|| Error::not_found("location_not_found", "No such location of this seller."))?;

        let mut tx = self.db.begin().await?;
        items::item_ensure(&mut tx, &sku, &variant.seller_id).await?;
        let (delta, stock) = apply(&mut tx, &sku, &location.id, &variant.seller_id, change).await?;
        let row = AdjustmentRow {
            id: new_id("adj"),
            sku: sku.clone(),
            location_id: location.id,
            seller_id: variant.seller_id,
            kind: kind.as_str().into(),
            delta,
            on_hand_after: stock.on_hand,
            reason,
            actor_id: Some(p.user_id.clone()),
            reference: None,
            created_at: Timestamp::now().as_micros(),
        };
        sql::adjustment_insert(&mut tx, &row).await?;
        refresh_item(&mut tx, &sku).await?;
        let adjusted = StockAdjusted {
            adjustment_id: row.id.clone(),
            sku: row.sku.clone(),
            location_id: row.location_id.clone(),
            seller_id: row.seller_id.clone(),
            kind: row.kind.clone(),
            delta: row.delta,
            on_hand_after: row.on_hand_after,
            reason: row.reason.clone(),
        };
        store::outbox::emit(&mut tx, &adjusted).await?;
        tx.commit().await?;
        Ok(adjustment_dto(row))
    }

    /// The adjustment history, newest first.
    pub async fn adjustment_list(&self, p: &Principal, filter: HistoryFilter) -> Result<Page<AdjustmentDto>> {
        let seller = seller_scope(p)?;
        let page = PageParams { limit: filter.limit, cursor: filter.cursor }.validate()?;
        let sku = filter.sku.as_deref().map(normalize_sku);
        let rows = sql::adjustment_list(
            &mut self.db.clone(),
            seller,
            sku.as_deref(),
            page.after.as_deref(),
            i64::from(page.limit) + 1,
        )
        .await?;
        Ok(Page::from_rows(rows, page.limit, |r| &r.id).map(adjustment_dto))
    }
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Add(i64),
    Remove(i64),
    SetTo(i64),
}

/// Applies a change as one conditional statement; if the level moved between the read and the
/// write, reads again. Returns the delta applied and the level after it.
async fn apply(tx: &mut Tx, sku: &str, location: &str, seller: &str, change: Change) -> Result<(i64, Stock)> {
    if let Change::Add(q) = change {
        return Ok((q, levels::level_receive(tx, sku, location, seller, q).await?));
    }
    for _ in 0..8 {
        let current = levels::level_get(tx, sku, location).await?;
        let (on_hand, reserved) = current.as_ref().map_or((0, 0), |l| (l.on_hand, l.reserved));
        let delta = match change {
            Change::Remove(q) => -q,
            Change::SetTo(c) => c - on_hand,
            Change::Add(q) => q,
        };
        if on_hand + delta < 0 {
            return Err(Error::conflict(
                "stock_negative",
                format!("On-hand stock is {on_hand}; removing {} would make it negative.", -delta),
            ));
        }
        if on_hand + delta < reserved {
            return Err(Error::conflict(
                "stock_reserved",
                format!("{reserved} units are reserved for orders; on-hand cannot go below that."),
            ));
        }
        if current.is_none() {
            // Nothing here yet: a count of 0 records the check; a positive count creates the level.
            let stock = levels::level_receive(tx, sku, location, seller, delta).await?;
            return Ok((delta, stock));
        }
        if let Some(stock) = levels::level_shift(tx, sku, location, on_hand, delta).await? {
            return Ok((delta, stock));
        }
    }
    Err(Error::new(kernel::ErrorKind::Unavailable, "stock_busy", "Stock of this item is changing fast; try again."))
}

fn adjustment_dto(r: AdjustmentRow) -> AdjustmentDto {
    AdjustmentDto {
        id: r.id,
        sku: r.sku,
        location_id: r.location_id,
        kind: r.kind,
        delta: r.delta,
        on_hand_after: r.on_hand_after,
        reason: r.reason,
        actor_id: r.actor_id,
        reference: r.reference,
        created_at: rfc3339(r.created_at),
    }
}
