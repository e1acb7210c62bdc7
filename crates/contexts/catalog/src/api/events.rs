//! Events the catalog publishes.
//!
//! Payloads carry ids, not product data: a consumer that needs the product reads its current
//! state through the catalog, so that events arriving late or twice can never roll it back.

use kernel::event::Event;
use serde::{Deserialize, Serialize};

/// A product, its variants, images or rating changed (or it was created or archived).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProductChanged {
    pub product_id: String,
    pub seller_id: String,
    pub slug: String,
    /// The slug before this change, when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_slug: Option<String>,
}

impl Event for ProductChanged {
    const TYPE: &'static str = "product.changed";
    fn aggregate_id(&self) -> &str {
        &self.product_id
    }
}

/// A category or brand was renamed, moved or removed: every product under it shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TaxonomyChanged {
    /// `category` or `brand`.
    pub kind: String,
    pub id: String,
}

impl Event for TaxonomyChanged {
    const TYPE: &'static str = "catalog.taxonomy_changed";
    fn aggregate_id(&self) -> &str {
        &self.id
    }
}

/// A seller's products became visible or hidden because the seller was approved or not.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SellerVisibilityChanged {
    pub seller_id: String,
    pub visible: bool,
}

impl Event for SellerVisibilityChanged {
    const TYPE: &'static str = "catalog.seller_changed";
    fn aggregate_id(&self) -> &str {
        &self.seller_id
    }
}

/// A variant's price was changed by its seller or an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantPriceChanged {
    pub product_id: String,
    pub variant_id: String,
    pub sku: String,
    pub seller_id: String,
    /// Minor units of `currency`.
    pub from: i64,
    pub to: i64,
    pub currency: String,
}

impl Event for VariantPriceChanged {
    const TYPE: &'static str = "product.price_changed";
    fn aggregate_id(&self) -> &str {
        &self.variant_id
    }
}
