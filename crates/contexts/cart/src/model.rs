//! The stored cart document. Prices are snapshots taken when a line was added or last
//! re-priced; the view compares them with the catalog on every read.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartDoc {
    pub id: String,
    /// The owner: a customer, or a guest known by the hash of their token.
    pub customer_id: Option<String>,
    pub token_hash: Option<String>,
    pub lines: Vec<CartLine>,
    pub codes: Vec<String>,
    /// The last orders whose lines left this cart, so that clearing for one is done once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orders: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Bumped by every save; a save expecting another version fails.
    #[serde(skip)]
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub variant_id: String,
    pub quantity: i64,
    /// Unit price when added or last re-priced, in minor units.
    pub unit_price: i64,
    pub added_at: i64,
}

/// Who a cart belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Customer(String),
    /// The SHA-256 of a guest's cart token, hex.
    Guest(String),
}
