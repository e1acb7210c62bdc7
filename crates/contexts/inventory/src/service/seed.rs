//! Opening stock in bulk, for demo and benchmark catalogs: a main warehouse per seller and one
//! `received` adjustment per SKU, written with multi-row inserts.

use super::InventoryService;
use crate::domain::AdjustmentKind;
use crate::store::locations::{self, LocationRow};
use kernel::Result;
use kernel::id::new_id;
use kernel::time::Timestamp;
use std::collections::HashMap;
use store::{Arg, bulk};

/// Opening stock of one SKU.
#[derive(Debug, Clone)]
pub struct OpeningStock {
    pub seller_id: String,
    pub sku: String,
    pub quantity: i64,
}

const WAREHOUSE: &str = "Main warehouse";

impl InventoryService {
    /// Records opening stock for SKUs that have none yet, in one transaction.
    pub async fn stock_seed(&self, stock: Vec<OpeningStock>) -> Result<()> {
        let now = Timestamp::now().as_micros();
        let mut tx = self.db.begin().await?;
        let mut warehouses: HashMap<String, String> = HashMap::new();
        for s in &stock {
            if warehouses.contains_key(&s.seller_id) {
                continue;
            }
            let existing = locations::location_list(&mut tx, Some(&s.seller_id)).await?;
            let id = match existing.into_iter().find(|l| l.name == WAREHOUSE) {
                Some(l) => l.id,
                None => {
                    let row = LocationRow {
                        id: new_id("loc"),
                        seller_id: s.seller_id.clone(),
                        name: WAREHOUSE.into(),
                        active: true,
                        created_at: now,
                    };
                    locations::location_insert(&mut tx, &row).await?;
                    row.id
                }
            };
            warehouses.insert(s.seller_id.clone(), id);
        }
        let (mut items, mut levels, mut history) = (Vec::new(), Vec::new(), Vec::new());
        for s in stock {
            let location = warehouses.get(&s.seller_id).cloned().unwrap_or_default();
            let sku = Arg::from(s.sku.to_uppercase());
            let seller = Arg::from(s.seller_id);
            items.push(vec![sku.clone(), seller.clone(), Arg::from(s.quantity > 0), Arg::from(now)]);
            levels.push(vec![
                sku.clone(),
                Arg::from(location.clone()),
                seller.clone(),
                Arg::from(s.quantity),
                Arg::from(now),
            ]);
            if s.quantity > 0 {
                history.push(vec![
                    Arg::from(new_id("adj")),
                    sku,
                    Arg::from(location),
                    seller,
                    Arg::from(AdjustmentKind::Received.as_str()),
                    Arg::from(s.quantity),
                    Arg::from(s.quantity),
                    Arg::from("opening stock"),
                    Arg::from(now),
                ]);
            }
        }
        bulk::insert_rows(&mut tx, "inventory_items", &["sku", "seller_id", "in_stock", "updated_at"], items).await?;
        bulk::insert_rows(
            &mut tx,
            "inventory_levels",
            &["sku", "location_id", "seller_id", "on_hand", "updated_at"],
            levels,
        )
        .await?;
        let columns =
            ["id", "sku", "location_id", "seller_id", "kind", "delta", "on_hand_after", "reason", "created_at"];
        bulk::insert_rows(&mut tx, "inventory_adjustments", &columns, history).await?;
        tx.commit().await?;
        Ok(())
    }
}
