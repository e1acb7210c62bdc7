//! Reserve, release, commit and the sweeper. A hold is one conditional update per
//! (SKU, location); the set of lines is one transaction, so an order gets all of it or nothing.

use super::{InventoryService, normalize_sku, refresh_item, rfc3339};
use crate::api::events::{ReservedLine, StockCommitted, StockReleased, StockReserved, StockReturned};
use crate::api::{Reservation, ReserveLine, Restock, StockReservations};
use crate::domain::{AdjustmentKind, allocate, positive_quantity};
use crate::store::history::{AdjustmentRow, adjustment_insert};
use crate::store::levels;
use crate::store::reservations::{self as sql, LineRow, ReservationRow};
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error, ErrorKind, FieldError, Result};
use std::collections::BTreeMap;
use std::time::Duration;
use store::Tx;

/// The longest a reservation may hold stock.
const MAX_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// Tries per line when other holds take the stock between reading and holding it.
const ATTEMPTS: usize = 8;

impl StockReservations for InventoryService {
    fn stock_reserve<'a>(
        &'a self,
        reference: &'a str,
        lines: &'a [ReserveLine],
        ttl: Option<Duration>,
    ) -> BoxFuture<'a, Result<Reservation>> {
        Box::pin(async move {
            let wanted = merge_lines(lines)?;
            if reference.trim().is_empty() || reference.len() > 200 {
                return Err(Error::invalid_field("reference", "must be 1-200 characters"));
            }
            let ttl = ttl.unwrap_or(self.config.reservation_ttl).min(MAX_TTL);
            let mut tx = self.db.begin().await?;
            if let Some(existing) = sql::reservation_get(&mut tx, reference).await? {
                return reservation_of(&mut tx, existing).await;
            }
            let mut held = Vec::new();
            let mut short = Vec::new();
            for (sku, quantity) in &wanted {
                match hold_line(&mut tx, sku, *quantity).await? {
                    Ok(parts) => held.extend(parts),
                    Err(available) => short.push(FieldError {
                        field: sku.clone(),
                        message: format!("{quantity} wanted, {available} available"),
                    }),
                }
            }
            if !short.is_empty() {
                tx.rollback().await?;
                return Err(Error::conflict("out_of_stock", "Not enough stock for every line; nothing was reserved.")
                    .with_errors(short));
            }
            let now = Timestamp::now();
            let row = ReservationRow {
                id: new_id("rsv"),
                reference: reference.to_owned(),
                state: "active".into(),
                expires_at: now.plus(ttl).as_micros(),
                created_at: now.as_micros(),
            };
            if let Err(e) = sql::reservation_insert(&mut tx, &row, &held).await {
                if !e.is_unique_violation() {
                    return Err(e.into());
                }
                // A concurrent hold with this reference committed first: undo ours (its
                // levels too) and answer with that one, as a replay would be answered.
                tx.rollback().await?;
                let mut tx = self.db.begin().await?;
                let existing = sql::reservation_get(&mut tx, reference).await?.ok_or_else(|| Error::internal(e))?;
                return reservation_of(&mut tx, existing).await;
            }
            let lines = reserved_lines(sql::lines_of(&mut tx, &row.id).await?);
            let event = StockReserved {
                reservation_id: row.id.clone(),
                reference: row.reference.clone(),
                lines: lines.clone(),
                expires_at: rfc3339(row.expires_at),
            };
            store::outbox::emit(&mut tx, &event).await?;
            for sku in wanted.keys() {
                refresh_item(&mut tx, sku).await?;
            }
            tx.commit().await?;
            metrics::counter!("oxcart_stock_reservations_total").increment(1);
            Ok(Reservation {
                id: row.id,
                reference: row.reference,
                state: row.state,
                expires_at: Timestamp::from_micros(row.expires_at),
                lines,
            })
        })
    }

    fn stock_release<'a>(&'a self, id_or_reference: &'a str) -> BoxFuture<'a, Result<Reservation>> {
        Box::pin(self.release_as(id_or_reference, "released"))
    }

    fn stock_commit<'a>(&'a self, id_or_reference: &'a str) -> BoxFuture<'a, Result<Reservation>> {
        Box::pin(async move {
            let mut tx = self.db.begin().await?;
            let row = find(&mut tx, id_or_reference).await?;
            match row.state.as_str() {
                "committed" => return reservation_of(&mut tx, row).await,
                "active" => {}
                _ => return Err(Error::conflict("reservation_expired", "The reservation was released or expired.")),
            }
            if !sql::reservation_close(&mut tx, &row.id, "committed").await? {
                return Err(Error::conflict("reservation_expired", "The reservation was released or expired."));
            }
            let now = Timestamp::now().as_micros();
            let lines = sql::lines_of(&mut tx, &row.id).await?;
            for line in &lines {
                let stock = levels::level_commit(&mut tx, &line.sku, &line.location_id, line.quantity)
                    .await?
                    .ok_or_else(|| Error::internal(format!("reservation {} holds more than is reserved", row.id)))?;
                let sold = AdjustmentRow {
                    id: new_id("adj"),
                    sku: line.sku.clone(),
                    location_id: line.location_id.clone(),
                    seller_id: stock.seller_id,
                    kind: AdjustmentKind::Sold.as_str().into(),
                    delta: -line.quantity,
                    on_hand_after: stock.on_hand,
                    reason: String::new(),
                    actor_id: None,
                    reference: Some(row.reference.clone()),
                    created_at: now,
                };
                adjustment_insert(&mut tx, &sold).await?;
                refresh_item(&mut tx, &line.sku).await?;
            }
            let event = StockCommitted { reservation_id: row.id.clone(), reference: row.reference.clone() };
            store::outbox::emit(&mut tx, &event).await?;
            tx.commit().await?;
            // What this transaction left: the row closed as committed, with the lines read above.
            Ok(Reservation {
                id: row.id,
                reference: row.reference,
                state: "committed".into(),
                expires_at: Timestamp::from_micros(row.expires_at),
                lines: reserved_lines(lines),
            })
        })
    }

    fn stock_restock<'a>(&'a self, restock: &'a Restock) -> BoxFuture<'a, Result<()>> {
        Box::pin(super::restock::restock(&self.db, restock))
    }

    fn stock_return<'a>(&'a self, id_or_reference: &'a str) -> BoxFuture<'a, Result<Reservation>> {
        Box::pin(async move {
            let mut tx = self.db.begin().await?;
            let row = find(&mut tx, id_or_reference).await?;
            match row.state.as_str() {
                "returned" => return reservation_of(&mut tx, row).await,
                "committed" => {}
                _ => return Err(Error::conflict("reservation_not_committed", "The reservation was never sold.")),
            }
            if !sql::reservation_return(&mut tx, &row.id).await? {
                let current = find(&mut tx, &row.id).await?;
                return reservation_of(&mut tx, current).await;
            }
            let now = Timestamp::now().as_micros();
            for line in sql::lines_of(&mut tx, &row.id).await? {
                let level = levels::level_get(&mut tx, &line.sku, &line.location_id)
                    .await?
                    .ok_or_else(|| Error::internal(format!("reservation {} names a missing level", row.id)))?;
                let stock =
                    levels::level_receive(&mut tx, &line.sku, &line.location_id, &level.seller_id, line.quantity)
                        .await?;
                let back = AdjustmentRow {
                    id: new_id("adj"),
                    sku: line.sku.clone(),
                    location_id: line.location_id.clone(),
                    seller_id: level.seller_id,
                    kind: AdjustmentKind::Returned.as_str().into(),
                    delta: line.quantity,
                    on_hand_after: stock.on_hand,
                    reason: "order cancelled".into(),
                    actor_id: None,
                    reference: Some(row.reference.clone()),
                    created_at: now,
                };
                adjustment_insert(&mut tx, &back).await?;
                refresh_item(&mut tx, &line.sku).await?;
            }
            let event = StockReturned { reservation_id: row.id.clone(), reference: row.reference.clone() };
            store::outbox::emit(&mut tx, &event).await?;
            let out = reservation_of(&mut tx, ReservationRow { state: "returned".into(), ..row }).await?;
            tx.commit().await?;
            Ok(out)
        })
    }
}

impl InventoryService {
    /// Releases every reservation whose time ran out by `now`; returns how many it released.
    pub async fn stock_sweep(&self, now: Timestamp) -> Result<usize> {
        let mut released = 0;
        loop {
            let ids = sql::expired(&mut self.db.clone(), now, 100).await?;
            if ids.is_empty() {
                return Ok(released);
            }
            for id in &ids {
                if self.release_as(id, "expired").await?.state == "expired" {
                    released += 1;
                }
            }
            if ids.len() < 100 {
                return Ok(released);
            }
        }
    }

    async fn release_as(&self, id_or_reference: &str, state: &str) -> Result<Reservation> {
        let mut tx = self.db.begin().await?;
        let row = find(&mut tx, id_or_reference).await?;
        match row.state.as_str() {
            "active" => {}
            "committed" => return Err(Error::conflict("reservation_committed", "The reservation was sold already.")),
            _ => return reservation_of(&mut tx, row).await,
        }
        if !sql::reservation_close(&mut tx, &row.id, state).await? {
            let current = find(&mut tx, &row.id).await?;
            return reservation_of(&mut tx, current).await;
        }
        for line in sql::lines_of(&mut tx, &row.id).await? {
            if !levels::level_release(&mut tx, &line.sku, &line.location_id, line.quantity).await? {
                return Err(Error::internal(format!("reservation {} holds more than is reserved", row.id)));
            }
            refresh_item(&mut tx, &line.sku).await?;
        }
        let event =
            StockReleased { reservation_id: row.id.clone(), reference: row.reference.clone(), reason: state.into() };
        store::outbox::emit(&mut tx, &event).await?;
        let out = reservation_of(&mut tx, ReservationRow { state: state.into(), ..row }).await?;
        tx.commit().await?;
        Ok(out)
    }
}

/// Holds `quantity` of `sku`: the plan comes from a read, and each part is a conditional
/// update that fails if another hold took the stock meanwhile; then it reads again.
/// `Err(available)` when there is not enough.
async fn hold_line(tx: &mut Tx, sku: &str, quantity: i64) -> Result<std::result::Result<Vec<LineRow>, i64>> {
    let mut held: Vec<LineRow> = Vec::new();
    let mut left = quantity;
    for _ in 0..ATTEMPTS {
        let free = levels::free_by_location(tx, sku).await?;
        let free: Vec<(String, i64)> = free.into_iter().map(|f| (f.location_id, f.available)).collect();
        let Some(mut plan) = allocate(left, &free) else {
            let available = free.iter().map(|(_, a)| a).sum::<i64>() + (quantity - left);
            return Ok(Err(available));
        };
        // Rows are locked in location order, so two holds splitting the same SKU cannot wait
        // on each other in a cycle.
        plan.sort_by(|a, b| a.0.cmp(&b.0));
        for (location, take) in plan {
            if !levels::level_reserve(tx, sku, &location, take).await? {
                break;
            }
            left -= take;
            held.push(LineRow { sku: sku.to_owned(), location_id: location, quantity: take });
        }
        if left == 0 {
            return Ok(Ok(held));
        }
    }
    Err(Error::new(ErrorKind::Unavailable, "stock_busy", "Stock of this item is changing fast; try again."))
}

/// Lines by SKU with quantities summed, in SKU order (a fixed lock order across transactions).
fn merge_lines(lines: &[ReserveLine]) -> Result<BTreeMap<String, i64>> {
    if lines.is_empty() {
        return Err(Error::invalid_field("lines", "must not be empty"));
    }
    let mut merged = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        let q = positive_quantity(&format!("lines[{i}].quantity"), l.quantity)?;
        let sku = normalize_sku(&l.sku);
        if sku.is_empty() {
            return Err(Error::invalid_field(&format!("lines[{i}].sku"), "must not be empty"));
        }
        let total: &mut i64 = merged.entry(sku).or_default();
        *total = total.saturating_add(q);
    }
    Ok(merged)
}

async fn find(tx: &mut Tx, id_or_reference: &str) -> Result<ReservationRow> {
    sql::reservation_get(tx, id_or_reference)
        .await?
        .ok_or_else(|| Error::not_found("reservation_not_found", "No such reservation."))
}

async fn reservation_of(tx: &mut Tx, row: ReservationRow) -> Result<Reservation> {
    let lines = reserved_lines(sql::lines_of(tx, &row.id).await?);
    Ok(Reservation {
        id: row.id,
        reference: row.reference,
        state: row.state,
        expires_at: Timestamp::from_micros(row.expires_at),
        lines,
    })
}

fn reserved_lines(rows: Vec<LineRow>) -> Vec<ReservedLine> {
    rows.into_iter().map(|l| ReservedLine { sku: l.sku, location_id: l.location_id, quantity: l.quantity }).collect()
}
