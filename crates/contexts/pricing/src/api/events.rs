//! Events the pricing context publishes: a promotion made, changed or removed, with its terms
//! before and after, for the audit log.

use kernel::event::Event;
use serde::{Deserialize, Serialize};

/// What a promotion offers and when: the part of it a change is judged by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionTerms {
    pub name: String,
    pub code: Option<String>,
    /// `percent`, `fixed` or `free_shipping`.
    pub kind: String,
    /// A percentage for `percent`, minor units for `fixed`.
    pub value: i64,
    pub min_subtotal: i64,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    pub usage_limit: Option<i64>,
    pub active: bool,
}

/// `change` is `created`, `updated`, `deactivated` (deleted, but kept for the orders that used
/// it) or `deleted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionChanged {
    pub promotion_id: String,
    /// The seller whose promotion it is; none for a platform-wide one.
    pub seller_id: Option<String>,
    pub change: String,
    pub before: Option<PromotionTerms>,
    pub after: Option<PromotionTerms>,
}

impl Event for PromotionChanged {
    const TYPE: &'static str = "promotion.changed";
    fn aggregate_id(&self) -> &str {
        &self.promotion_id
    }
}
