//! Events the catalog publishes, and the consumers it runs.
//!
//! Payloads carry ids, not product data: a consumer that needs the product reads its current
//! state through the catalog, so that events arriving late or twice can never roll it back.

use crate::store as sql;
use bus::Handler;
use kernel::event::{Envelope, Event};
use kernel::{BoxFuture, Error};
use serde::{Deserialize, Serialize};
use store::Tx;

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

/// Keeps the catalog's list of approved sellers in step with the users context.
pub struct SellerStatusConsumer;

#[derive(Deserialize)]
struct SellerStatus {
    user_id: String,
    status: String,
}

impl Handler for SellerStatusConsumer {
    fn group(&self) -> &'static str {
        "catalog.sellers"
    }

    fn topics(&self) -> &'static [&'static str] {
        &["seller.status_changed"]
    }

    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            let s: SellerStatus = serde_json::from_value(event.payload.clone())
                .map_err(|e| Error::internal(format!("bad seller.status_changed payload: {e}")))?;
            let visible = s.status == "approved";
            sql::seller_set(tx, &s.user_id, visible).await?;
            store::outbox::emit(tx, &SellerVisibilityChanged { seller_id: s.user_id, visible }).await?;
            Ok(())
        })
    }
}

/// Evicts cached product answers when products change, here or in another replica.
pub struct CacheConsumer(pub std::sync::Arc<crate::CatalogService>);

impl Handler for CacheConsumer {
    fn group(&self) -> &'static str {
        "catalog.cache"
    }

    fn topics(&self) -> &'static [&'static str] {
        &["product.changed", "catalog.*"]
    }

    fn handle<'a>(&'a self, _tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            if event.event_type == ProductChanged::TYPE {
                let c: ProductChanged = serde_json::from_value(event.payload.clone())
                    .map_err(|e| Error::internal(format!("bad product.changed payload: {e}")))?;
                let mut slugs = vec![c.slug.as_str()];
                slugs.extend(c.previous_slug.as_deref());
                self.0.cache_evict_product(&c.product_id, &slugs).await;
            } else {
                self.0.cache_evict_all_products().await;
            }
            Ok(())
        })
    }
}
