//! Locations, per-SKU settings, stock views, alerts and reorder suggestions.

use super::{InventoryService, normalize_sku, refresh_item, rfc3339, seller_scope};
use crate::domain::MAX_QUANTITY;
use crate::dto::*;
use crate::store::items::{self, AlertRow, ItemRow};
use crate::store::levels::{self, LevelRow};
use crate::store::locations::{self as sql, LocationRow};
use kernel::auth::Principal;
use kernel::id::new_id;
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result};

impl InventoryService {
    pub async fn location_create(&self, p: &Principal, input: LocationInput) -> Result<LocationDto> {
        let seller = match (seller_scope(p)?, input.seller_id) {
            (Some(own), None) => own.to_owned(),
            (Some(_), Some(_)) => return Err(Error::invalid_field("seller_id", "only admins name the seller")),
            (None, Some(s)) => s,
            (None, None) => return Err(Error::invalid_field("seller_id", "name the seller the location belongs to")),
        };
        let row = LocationRow {
            id: new_id("loc"),
            seller_id: seller,
            name: location_name(&input.name)?,
            active: input.active.unwrap_or(true),
            created_at: Timestamp::now().as_micros(),
        };
        let mut tx = self.db.begin().await?;
        sql::location_insert(&mut tx, &row).await.map_err(name_taken)?;
        tx.commit().await?;
        Ok(location_dto(row))
    }

    pub async fn location_list(&self, p: &Principal) -> Result<Vec<LocationDto>> {
        let seller = seller_scope(p)?;
        Ok(sql::location_list(&mut self.db.clone(), seller).await?.into_iter().map(location_dto).collect())
    }

    /// Renames a location or switches it on or off; stock in an inactive one is not sold.
    pub async fn location_update(&self, p: &Principal, id: &str, input: LocationInput) -> Result<LocationDto> {
        let seller = seller_scope(p)?;
        if input.seller_id.is_some() {
            return Err(Error::invalid_field("seller_id", "a location cannot change hands"));
        }
        let mut tx = self.db.begin().await?;
        let mut row = sql::location_get(&mut tx, id)
            .await?
            .filter(|l| seller.is_none_or(|s| s == l.seller_id))
            .ok_or_else(|| Error::not_found("location_not_found", "No such location."))?;
        row.name = location_name(&input.name)?;
        let switched = input.active.is_some_and(|a| a != row.active);
        row.active = input.active.unwrap_or(row.active);
        sql::location_update(&mut tx, &row).await.map_err(name_taken)?;
        if switched {
            for sku in sql::skus_at(&mut tx, id).await? {
                refresh_item(&mut tx, &sku).await?;
            }
        }
        tx.commit().await?;
        Ok(location_dto(row))
    }

    /// A SKU's stock in every location, with its settings.
    pub async fn item_get(&self, p: &Principal, sku: &str) -> Result<ItemDto> {
        let variant = self.owned_variant(p, &normalize_sku(sku)).await?;
        let mut db = self.db.clone();
        let item = items::item_get(&mut db, &variant.sku).await?;
        let levels = levels::level_list(&mut db, None, Some(&variant.sku), None, None, 1000).await?;
        Ok(item_dto(&variant.sku, &variant.seller_id, item, levels))
    }

    pub async fn item_settings_set(&self, p: &Principal, sku: &str, input: ItemSettingsInput) -> Result<ItemDto> {
        let mut v = kernel::Validation::default();
        for (field, value) in [
            ("low_stock_threshold", input.low_stock_threshold),
            ("reorder_point", input.reorder_point),
            ("reorder_quantity", input.reorder_quantity),
        ] {
            if value.is_some_and(|n| !(0..=MAX_QUANTITY).contains(&n)) {
                v.push(field, format!("must be between 0 and {MAX_QUANTITY}"));
            }
        }
        if input.reorder_point.is_some() && input.reorder_quantity.is_none_or(|q| q == 0) {
            v.push("reorder_quantity", "a reorder point needs a reorder quantity above 0");
        }
        v.finish()?;
        let variant = self.owned_variant(p, &normalize_sku(sku)).await?;
        let mut tx = self.db.begin().await?;
        items::item_ensure(&mut tx, &variant.sku, &variant.seller_id).await?;
        items::item_settings_set(
            &mut tx,
            &variant.sku,
            input.low_stock_threshold,
            input.reorder_point,
            input.reorder_quantity,
        )
        .await?;
        refresh_item(&mut tx, &variant.sku).await?;
        tx.commit().await?;
        self.item_get(p, &variant.sku).await
    }

    /// Stock levels, by SKU then location.
    pub async fn level_list(&self, p: &Principal, filter: LevelFilter) -> Result<Page<LevelDto>> {
        let seller = seller_scope(p)?;
        let after = filter.cursor.as_deref().map(level_cursor).transpose()?;
        let page = PageParams { limit: filter.limit, cursor: None }.validate()?;
        let sku = filter.sku.as_deref().map(normalize_sku);
        let rows = levels::level_list(
            &mut self.db.clone(),
            seller,
            sku.as_deref(),
            filter.location_id.as_deref(),
            after,
            i64::from(page.limit) + 1,
        )
        .await?;
        let more = rows.len() > page.limit as usize;
        let items: Vec<LevelDto> = rows.into_iter().take(page.limit as usize).map(level_dto).collect();
        let next_cursor = more.then(|| items.last().map(|l| format!("{}~{}", l.sku, l.location_id))).flatten();
        Ok(Page { items, next_cursor })
    }

    pub async fn alert_list(&self, p: &Principal, filter: AlertFilter) -> Result<Page<AlertDto>> {
        let seller = seller_scope(p)?;
        let page = PageParams { limit: filter.limit, cursor: filter.cursor }.validate()?;
        let rows = items::alert_list(
            &mut self.db.clone(),
            seller,
            filter.open.unwrap_or(true),
            page.after.as_deref(),
            i64::from(page.limit) + 1,
        )
        .await?;
        Ok(Page::from_rows(rows, page.limit, |r| &r.id).map(alert_dto))
    }

    /// SKUs at or below their reorder point, with how much to order.
    pub async fn reorder_suggestions(&self, p: &Principal) -> Result<Vec<ReorderSuggestionDto>> {
        let seller = seller_scope(p)?;
        let rows = items::reorder_due(&mut self.db.clone(), seller).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let point = r.reorder_point?;
                let quantity = r.reorder_quantity.unwrap_or(0).max(point - r.available + 1);
                Some(ReorderSuggestionDto {
                    sku: r.sku,
                    available: r.available,
                    on_hand: r.on_hand,
                    reorder_point: point,
                    suggested_quantity: quantity,
                })
            })
            .collect())
    }
}

fn location_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid_field("name", "must be 1-100 characters"));
    }
    Ok(name.to_owned())
}

fn name_taken(e: store::Error) -> Error {
    if e.is_unique_violation() {
        Error::conflict("location_name_taken", "You have a location of this name.")
    } else {
        e.into()
    }
}

fn location_dto(l: LocationRow) -> LocationDto {
    LocationDto { id: l.id, seller_id: l.seller_id, name: l.name, active: l.active, created_at: rfc3339(l.created_at) }
}

fn level_dto(l: LevelRow) -> LevelDto {
    LevelDto {
        available: l.on_hand - l.reserved,
        sku: l.sku,
        location_id: l.location_id,
        on_hand: l.on_hand,
        reserved: l.reserved,
        updated_at: rfc3339(l.updated_at),
    }
}

fn item_dto(sku: &str, seller: &str, item: Option<ItemRow>, levels: Vec<LevelRow>) -> ItemDto {
    let levels: Vec<LevelDto> = levels.into_iter().map(level_dto).collect();
    match item {
        Some(i) => ItemDto {
            sku: i.sku,
            seller_id: i.seller_id,
            on_hand: i.on_hand,
            reserved: i.reserved,
            available: i.available,
            low_stock_threshold: i.low_stock_threshold,
            reorder_point: i.reorder_point,
            reorder_quantity: i.reorder_quantity,
            low_stock: i.low_stock,
            levels,
        },
        None => ItemDto {
            sku: sku.to_owned(),
            seller_id: seller.to_owned(),
            on_hand: 0,
            reserved: 0,
            available: 0,
            low_stock_threshold: None,
            reorder_point: None,
            reorder_quantity: None,
            low_stock: false,
            levels,
        },
    }
}

fn alert_dto(a: AlertRow) -> AlertDto {
    AlertDto {
        id: a.id,
        sku: a.sku,
        available: a.available,
        threshold: a.threshold,
        created_at: rfc3339(a.created_at),
        resolved_at: a.resolved_at.map(rfc3339),
    }
}

/// A level list's cursor, `SKU~location id`: the last row seen in (SKU, location) order.
fn level_cursor(cursor: &str) -> Result<(&str, &str)> {
    cursor
        .split_once('~')
        .filter(|(sku, location)| crate::domain::sku_ok(sku) && kernel::id::is_valid("loc", location))
        .ok_or_else(|| Error::bad_request("invalid_cursor", "`cursor` is not a cursor this API issued."))
}
