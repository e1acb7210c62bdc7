//! The consumers the catalog runs: other contexts' events it keeps step with, and its own it
//! reacts to in every replica.

use crate::api::events::{ProductChanged, SellerVisibilityChanged};
use crate::store as sql;
use bus::Handler;
use kernel::BoxFuture;
use kernel::event::{Envelope, Event};
use store::Tx;
use users::api::events::SellerStatusChanged;

/// Keeps the catalog's list of approved sellers in step with the users context.
pub struct SellerStatusConsumer;

impl Handler for SellerStatusConsumer {
    fn group(&self) -> &'static str {
        "catalog.sellers"
    }

    fn topics(&self) -> &'static [&'static str] {
        &[SellerStatusChanged::TYPE]
    }

    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            let s: SellerStatusChanged = event.decode()?;
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
                let c: ProductChanged = event.decode()?;
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
