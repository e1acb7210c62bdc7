//! Use cases of the inventory. Every write happens here, in one transaction with the events it
//! announces; roles and ownership are checked here as well as in the handlers.

mod adjust;
mod reserve;
mod restock;
mod seed;
mod settings;

pub use seed::OpeningStock;

use crate::api::StockAvailability;
use crate::api::events::{AvailabilityChanged, LowStock};
use crate::store::items::{self, AlertRow, Flag};
use crate::store::levels;
use catalog::api::{VariantInfo, VariantLookup};
use kernel::auth::{Principal, Role};
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error, Result};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use store::{Db, Tx};

#[derive(Debug, Clone)]
pub struct InventoryConfig {
    /// How long a reservation holds stock unless committed or released first.
    pub reservation_ttl: Duration,
}

impl Default for InventoryConfig {
    fn default() -> Self {
        Self { reservation_ttl: Duration::from_secs(15 * 60) }
    }
}

pub struct InventoryService {
    db: Db,
    catalog: Arc<dyn VariantLookup>,
    config: InventoryConfig,
}

impl InventoryService {
    pub fn new(db: Db, catalog: Arc<dyn VariantLookup>, config: InventoryConfig) -> Self {
        Self { db, catalog, config }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The variant behind `sku` when the caller may keep its stock; 404 otherwise, so that a
    /// seller cannot learn which SKUs another seller has.
    async fn owned_variant(&self, p: &Principal, sku: &str) -> Result<VariantInfo> {
        let seller = seller_scope(p)?;
        let found = self.catalog.variants_by_sku(&[sku.to_owned()]).await?;
        found
            .into_iter()
            .find(|v| seller.is_none_or(|s| v.seller_id == s))
            .ok_or_else(|| Error::not_found("sku_not_found", "No such SKU among your products."))
    }
}

impl StockAvailability for InventoryService {
    fn available<'a>(&'a self, skus: &'a [String]) -> BoxFuture<'a, Result<HashMap<String, i64>>> {
        Box::pin(async move {
            let mut out = HashMap::with_capacity(skus.len());
            for chunk in skus.chunks(500) {
                for a in levels::available_many(&mut self.db.clone(), chunk).await? {
                    out.insert(a.sku, a.available);
                }
            }
            Ok(out)
        })
    }

    fn skus_in_stock(&self) -> BoxFuture<'_, Result<HashSet<String>>> {
        Box::pin(async move { Ok(levels::skus_in_stock(&mut self.db.clone()).await?.into_iter().collect()) })
    }
}

/// Whose stock the caller may keep: `Some(seller)` for a seller, `None` for an admin (any).
fn seller_scope(p: &Principal) -> Result<Option<&str>> {
    p.require_scope(crate::api::INVENTORY_WRITE)?;
    match p.role {
        Role::Admin => Ok(None),
        Role::Seller => Ok(Some(&p.user_id)),
        Role::Customer => Err(Error::forbidden("Only sellers and admins keep stock.")),
    }
}

pub(crate) fn normalize_sku(sku: &str) -> String {
    sku.trim().to_uppercase()
}

/// After a change of a SKU's stock: flips its in-stock and low-stock flags when it crossed a
/// line, and announces the crossing. The flip is conditional, so a crossing is announced once.
async fn refresh_item(tx: &mut Tx, sku: &str) -> Result<()> {
    let Some(item) = items::item_get(tx, sku).await? else { return Ok(()) };
    let in_stock = item.available > 0;
    if in_stock != item.in_stock && items::item_flip(tx, sku, Flag::InStock, item.in_stock, in_stock).await? {
        let event = AvailabilityChanged { sku: sku.to_owned(), seller_id: item.seller_id.clone(), in_stock };
        store::outbox::emit(tx, &event).await?;
    }
    let low = item.low_stock_threshold.is_some_and(|t| item.available <= t);
    if low == item.low_stock || !items::item_flip(tx, sku, Flag::LowStock, item.low_stock, low).await? {
        return Ok(());
    }
    match item.low_stock_threshold {
        Some(threshold) if low => {
            let alert = AlertRow {
                id: new_id("alr"),
                sku: sku.to_owned(),
                seller_id: item.seller_id.clone(),
                available: item.available,
                threshold,
                created_at: Timestamp::now().as_micros(),
                resolved_at: None,
            };
            items::alert_open(tx, &alert).await?;
            let event = LowStock {
                alert_id: alert.id,
                sku: alert.sku,
                seller_id: alert.seller_id,
                available: alert.available,
                threshold,
            };
            store::outbox::emit(tx, &event).await?;
        }
        _ => items::alerts_resolve(tx, sku).await?,
    }
    Ok(())
}

fn rfc3339(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}
