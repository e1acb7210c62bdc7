//! Events the inventory publishes. Consumers elsewhere (orders, search, notifications) react
//! to them; none of them carries more than ids and numbers.

use kernel::event::Event;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservedLine {
    pub sku: String,
    pub location_id: String,
    pub quantity: i64,
}

/// Stock is held for `reference` (an order) until `expires_at` (RFC 3339).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StockReserved {
    pub reservation_id: String,
    pub reference: String,
    pub lines: Vec<ReservedLine>,
    pub expires_at: String,
}

impl Event for StockReserved {
    const TYPE: &'static str = "inventory.reserved";
    fn aggregate_id(&self) -> &str {
        &self.reservation_id
    }
}

/// A hold ended without a sale: `reason` is `released` (asked for) or `expired` (swept).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StockReleased {
    pub reservation_id: String,
    pub reference: String,
    pub reason: String,
}

impl Event for StockReleased {
    const TYPE: &'static str = "inventory.released";
    fn aggregate_id(&self) -> &str {
        &self.reservation_id
    }
}

/// A sale went back on the shelf (its order was cancelled): on-hand went up by its lines.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StockReturned {
    pub reservation_id: String,
    pub reference: String,
}

impl Event for StockReturned {
    const TYPE: &'static str = "inventory.returned";
    fn aggregate_id(&self) -> &str {
        &self.reservation_id
    }
}

/// A hold became a sale: on-hand went down by its lines.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StockCommitted {
    pub reservation_id: String,
    pub reference: String,
}

impl Event for StockCommitted {
    const TYPE: &'static str = "inventory.committed";
    fn aggregate_id(&self) -> &str {
        &self.reservation_id
    }
}

/// A SKU went from sellable to sold out or back: what the storefront's in-stock filter follows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AvailabilityChanged {
    pub sku: String,
    pub seller_id: String,
    pub in_stock: bool,
}

impl Event for AvailabilityChanged {
    const TYPE: &'static str = "inventory.availability_changed";
    fn aggregate_id(&self) -> &str {
        &self.sku
    }
}

/// A SKU's available stock fell to its low-stock threshold or below; raised once per crossing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LowStock {
    pub alert_id: String,
    pub sku: String,
    pub seller_id: String,
    pub available: i64,
    pub threshold: i64,
}

impl Event for LowStock {
    const TYPE: &'static str = "inventory.low_stock";
    fn aggregate_id(&self) -> &str {
        &self.sku
    }
}

/// Someone changed a SKU's stock by hand (received, returned, damaged or lost, counted):
/// `delta` is the change, `on_hand_after` what the location holds now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockAdjusted {
    pub adjustment_id: String,
    pub sku: String,
    pub location_id: String,
    pub seller_id: String,
    pub kind: String,
    pub delta: i64,
    pub on_hand_after: i64,
    pub reason: String,
}

impl Event for StockAdjusted {
    const TYPE: &'static str = "inventory.adjusted";
    fn aggregate_id(&self) -> &str {
        &self.sku
    }
}
