//! Wiring: one process holding every context, each given its database, the bus and its peers.

use crate::config::Config;
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bus::InProcessBus;
use cache::{Cache, MemoryCache};
use cart::{CartConfig, CartDeps, CartService, NoEstimates, store::SqlCartStore};
use catalog::{CatalogConfig, CatalogService};
use inventory::{InventoryConfig, InventoryService};
use media::LocalStore;
use pricing::PricingService;
use search::{SearchIndex, SearchService};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use store::{Db, DbOptions, Migration};
use users::{UsersConfig, UsersService};

/// Every context's migrations, in the order they must apply.
pub fn migrations() -> Vec<Migration> {
    [
        store::outbox::MIGRATIONS,
        bus::MIGRATIONS,
        users::MIGRATIONS,
        catalog::MIGRATIONS,
        search::MIGRATIONS,
        inventory::MIGRATIONS,
        pricing::MIGRATIONS,
        cart::MIGRATIONS,
    ]
    .concat()
}

pub struct App {
    pub config: Config,
    pub db: Db,
    pub bus: Arc<InProcessBus>,
    pub users: Arc<UsersService>,
    pub catalog: Arc<CatalogService>,
    pub search: Arc<SearchService>,
    pub inventory: Arc<InventoryService>,
    pub pricing: Arc<PricingService>,
    pub cart: Arc<CartService>,
    /// True when the search index was created empty on this start and must be built.
    pub search_fresh: bool,
}

impl App {
    /// Connects to the database and builds every context. `migrate` applies pending migrations.
    pub async fn build(config: Config, migrate: bool) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
        let mut options = DbOptions::new(config.database_url());
        if let Some(n) = config.database.max_connections {
            options.max_connections = n;
        }
        let db = Db::connect(&options).await.context("cannot open the database")?;
        Self::with_db(config, db, migrate).await
    }

    pub async fn with_db(config: Config, db: Db, migrate: bool) -> anyhow::Result<Self> {
        if migrate {
            store::migrate::run(&db, &migrations()).await.context("migrations failed")?;
        }
        let secret = match &config.auth.jwt_secret {
            Some(s) => s.as_bytes().to_vec(),
            None => jwt_secret_file(&config.data_dir)?,
        };
        let users_config = UsersConfig {
            access_ttl: Duration::from_secs(config.auth.access_ttl_secs),
            refresh_ttl: Duration::from_secs(config.auth.refresh_ttl_days * 24 * 3600),
            ..UsersConfig::new(secret)
        };
        let users = Arc::new(UsersService::new(db.clone(), users_config));
        let bus = Arc::new(InProcessBus::new(db.clone()));

        let cache: Arc<dyn Cache> = Arc::new(MemoryCache::default());
        let media_dir = config.data_dir.join("media");
        let objects = LocalStore::new(&media_dir).with_context(|| format!("cannot create {}", media_dir.display()))?;
        let catalog_config = CatalogConfig {
            currency: config.catalog.currency.clone(),
            media_base: config.catalog.media_base.clone(),
            cache_ttl: Duration::from_secs(config.catalog.cache_ttl_secs),
            max_upload_bytes: config.catalog.max_upload_bytes,
            ..CatalogConfig::default()
        };
        let catalog = Arc::new(CatalogService::new(db.clone(), cache.clone(), Arc::new(objects), catalog_config));
        let inventory_config =
            InventoryConfig { reservation_ttl: Duration::from_secs(config.inventory.reservation_ttl_secs) };
        let inventory = Arc::new(InventoryService::new(db.clone(), catalog.clone(), inventory_config));
        let pricing = Arc::new(PricingService::new(db.clone()));
        let index_dir = config.data_dir.join("search");
        let (index, search_fresh) = SearchIndex::open(&index_dir)
            .with_context(|| format!("cannot open the search index in {}", index_dir.display()))?;
        let search =
            Arc::new(SearchService::new(db.clone(), Arc::new(index), catalog.clone(), inventory.clone(), cache));

        bus.subscribe(Arc::new(catalog::events::SellerStatusConsumer));
        bus.subscribe(Arc::new(catalog::events::CacheConsumer(catalog.clone())));
        bus.subscribe(Arc::new(search::SearchFeed(search.clone())));
        let cart_config = CartConfig {
            currency: config.catalog.currency.clone(),
            max_quantity_per_line: config.cart.max_quantity_per_line,
            max_lines: config.cart.max_lines,
            idle: Duration::from_secs(config.cart.idle_days * 24 * 3600),
            max_codes: config.cart.max_codes,
        };
        let cart_deps = CartDeps {
            store: Arc::new(SqlCartStore::new(db.clone())),
            catalog: catalog.clone(),
            stock: inventory.clone(),
            pricing: pricing.clone(),
            estimates: Arc::new(NoEstimates),
        };
        let cart = Arc::new(CartService::new(cart_deps, cart_config));
        Ok(Self { config, db, bus, users, catalog, search, inventory, pricing, cart, search_fresh })
    }

    /// Delivers every pending event and applies the search queue: what a test or a command
    /// needs before it reads what it just wrote.
    pub async fn settle(&self) -> anyhow::Result<()> {
        let relay = bus::Relay::new(self.db.clone(), self.bus.clone(), bus::RelayOptions::default());
        // Consumers emit events of their own; go on until a pass finds nothing.
        while relay.drain().await.context("outbox relay")? > 0 {}
        self.search.drain().await.map_err(|e| anyhow::anyhow!("search indexer: {e}"))?;
        Ok(())
    }
}

/// The token-signing key kept in the data dir, made on first use (readable by the owner only).
fn jwt_secret_file(dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let key = existing.trim();
        anyhow::ensure!(key.len() >= 43, "{} is too short; delete it to generate a new key", path.display());
        return Ok(key.as_bytes().to_vec());
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let key = URL_SAFE_NO_PAD.encode(bytes);
    write_private(&path, &key).with_context(|| format!("cannot write {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new token-signing key");
    Ok(key.into_bytes())
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}
