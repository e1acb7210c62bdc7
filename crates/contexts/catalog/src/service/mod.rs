//! Use cases of the catalog. Every write happens here, in one transaction with the events it
//! announces; roles and ownership are checked here as well as in the handlers.

mod bulk;
mod feed;
mod guards;
mod images;
mod import;
mod lookup;
mod products;
mod reviews;
mod taxonomy;
mod variants;

pub use bulk::{BulkProduct, BulkReview, BulkVariant};
pub use taxonomy::Taxonomy;

use cache::Cache;
use kernel::auth::{Principal, Role};
use kernel::snapshot::Snapshot;
use kernel::{Error, Result};
use media::ObjectStore;
use std::sync::Arc;
use std::time::Duration;
use store::Db;

#[derive(Debug, Clone)]
pub struct CatalogConfig {
    /// The store's currency (ISO 4217); every price is in it.
    pub currency: String,
    /// Where `/media/...` is served from, as clients should see it (may be a CDN).
    pub media_base: String,
    /// How long a cached product answer may live, at most; events evict it sooner.
    pub cache_ttl: Duration,
    pub max_images_per_product: usize,
    pub max_upload_bytes: usize,
}

impl Default for CatalogConfig {
    fn default() -> Self {
        Self {
            currency: "USD".into(),
            media_base: "/media".into(),
            cache_ttl: Duration::from_secs(300),
            max_images_per_product: 12,
            max_upload_bytes: 10 * 1024 * 1024,
        }
    }
}

pub struct CatalogService {
    db: Db,
    cache: Arc<dyn Cache>,
    objects: Arc<dyn ObjectStore>,
    config: CatalogConfig,
    taxonomy: Snapshot<Taxonomy>,
    /// Who bought what, for verified reviews; set once the orders context exists.
    /// Weak: orders holds the catalog too, and a cycle would keep both (and their pools)
    /// alive after the application is dropped.
    purchases: std::sync::OnceLock<std::sync::Weak<dyn crate::api::Purchases>>,
}

/// Categories and brands change rarely; other replicas' changes show up within this long.
const TAXONOMY_TTL: Duration = Duration::from_secs(30);

impl CatalogService {
    pub fn new(db: Db, cache: Arc<dyn Cache>, objects: Arc<dyn ObjectStore>, config: CatalogConfig) -> Self {
        Self {
            db,
            cache,
            objects,
            config,
            taxonomy: Snapshot::new(TAXONOMY_TTL),
            purchases: std::sync::OnceLock::new(),
        }
    }

    /// Hands the catalog what tells a verified purchase; a second call changes nothing.
    pub fn purchases_set(&self, purchases: Arc<dyn crate::api::Purchases>) {
        let _ = self.purchases.set(Arc::downgrade(&purchases));
    }

    /// Whether `customer` bought `product` (false while nothing can tell).
    pub(crate) async fn purchased(&self, customer: &str, product: &str) -> Result<bool> {
        match self.purchases.get().and_then(std::sync::Weak::upgrade) {
            Some(p) => p.purchased(customer, product).await,
            None => Ok(false),
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn config(&self) -> &CatalogConfig {
        &self.config
    }

    pub fn objects(&self) -> &Arc<dyn ObjectStore> {
        &self.objects
    }

    pub fn cache(&self) -> &Arc<dyn Cache> {
        &self.cache
    }

    /// Categories and brands, from memory when fresh.
    pub async fn taxonomy(&self) -> Result<Arc<Taxonomy>> {
        self.taxonomy.get(|| Taxonomy::load(&self.db)).await
    }

    fn taxonomy_forget(&self) {
        self.taxonomy.forget();
    }

    /// Evicts what the cache holds about one product (by id and by each slug it had).
    pub async fn cache_evict_product(&self, id: &str, slugs: &[&str]) {
        let mut keys = vec![product_cache_key(id)];
        keys.extend(slugs.iter().map(|s| product_cache_key(s)));
        self.cache.delete(&keys).await;
    }

    pub async fn cache_evict_all_products(&self) {
        self.cache.delete_prefix(PRODUCT_CACHE_PREFIX).await;
    }
}

const PRODUCT_CACHE_PREFIX: &str = "catalog:product:";

fn product_cache_key(id_or_slug: &str) -> String {
    format!("{PRODUCT_CACHE_PREFIX}{id_or_slug}")
}

/// Whose products the caller may write: `Some(seller)` for a seller, `None` for an admin (any).
fn write_scope(p: &Principal) -> Result<Option<&str>> {
    p.require_scope(crate::api::CATALOG_WRITE)?;
    match p.role {
        Role::Admin => Ok(None),
        Role::Seller => Ok(Some(&p.user_id)),
        Role::Customer => Err(Error::forbidden("Only sellers and admins manage products.")),
    }
}

fn product_not_found() -> Error {
    Error::not_found("product_not_found", "No such product.")
}
