//! Wiring: one process holding every context, each given its database, the bus and its peers.

use crate::config::Config;
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bus::{AmqpBus, AmqpOptions, InProcessBus};
use cache::redis::{Redis, RedisCache, RedisCounters};
use cache::{Cache, Counters, MemoryCache, MemoryCounters};
use cart::store::{CartStore, RedisCartStore, SqlCartStore};
use cart::{CartDeps, CartService};
use catalog::CatalogService;
use inventory::InventoryService;
use media::LocalStore;
use module::{Module, SettingsError};
use notifications::NotificationsService;
use orders::{OrdersDeps, OrdersService};
use payments::PaymentsService;
use pricing::PricingService;
use search::{SearchIndex, SearchService};
use shipping::ShippingService;
use std::path::Path;
use std::sync::Arc;
use store::{Db, DbOptions, Migration};
use tax::TaxService;
use users::UsersService;

/// The platform's own tables, which come before any context's.
const PLATFORM_MIGRATIONS: [&[Migration]; 3] =
    [store::outbox::MIGRATIONS, store::idempotency::MIGRATIONS, bus::MIGRATIONS];

pub struct App {
    pub config: Config,
    pub db: Db,
    /// Set by `redis.url`: the cache, carts and counters live there.
    pub redis: Option<Redis>,
    /// Where limits count: this process, or Redis for every replica.
    pub counters: Arc<dyn Counters>,
    /// Delivers events to this process's consumers: what `settle` and the default relay use.
    pub bus: Arc<InProcessBus>,
    /// Set by `bus.url`: the relay publishes there and every consumer reads its own queue.
    pub broker: Option<Arc<AmqpBus>>,
    /// Set by `media.s3`: where pictures are stored.
    pub bucket: Option<Arc<media::S3Store>>,
    /// Every context's registration: routes, consumers, sweepers, error codes, scopes.
    pub modules: Vec<Module>,
    pub users: Arc<UsersService>,
    pub catalog: Arc<CatalogService>,
    pub search: Arc<SearchService>,
    pub inventory: Arc<InventoryService>,
    pub pricing: Arc<PricingService>,
    pub cart: Arc<CartService>,
    pub payments: Arc<PaymentsService>,
    pub shipping: Arc<ShippingService>,
    pub tax: Arc<TaxService>,
    pub orders: Arc<OrdersService>,
    pub webhooks: Arc<webhooks::WebhooksService>,
    pub audit: Arc<audit::AuditService>,
    pub analytics: Arc<analytics::AnalyticsService>,
    /// Also the users context's sender of account messages, which holds it only weakly.
    pub notifications: Arc<NotificationsService>,
    /// The customer's web shop, on the services above.
    pub web: Arc<web::Storefront>,
    /// True when the search index was created empty on this start and must be built.
    pub search_fresh: bool,
}

impl App {
    /// Connects to the database and builds every context. `migrate` applies pending migrations.
    pub async fn build(config: Config, migrate: bool) -> anyhow::Result<Self> {
        let index_dir = config.data_dir.join("search");
        Self::build_with_index(config, migrate, &index_dir, true).await
    }

    /// As [`App::build`] for `oxcart worker`: it never searches, so its index is a scratch one
    /// of its own beside the server's, whose lock it must not take.
    pub async fn build_worker(config: Config, migrate: bool) -> anyhow::Result<Self> {
        let index_dir = config.data_dir.join("worker").join("search");
        Self::build_with_index(config, migrate, &index_dir, false).await
    }

    async fn build_with_index(config: Config, migrate: bool, index_dir: &Path, searches: bool) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create data directory {}", config.data_dir.display()))?;
        let mut options = DbOptions::new(config.database_url());
        if let Some(n) = config.database.max_connections {
            options.max_connections = n;
        }
        options.read_url = config.database.read_url.clone();
        let db = Db::connect(&options).await.context("cannot open the database")?;
        Self::with_db_and_index(config, db, migrate, index_dir, searches).await
    }

    /// Builds every context on `db`. A bad context section fails with a [`SettingsError`].
    pub async fn with_db(config: Config, db: Db, migrate: bool) -> anyhow::Result<Self> {
        let index_dir = config.data_dir.join("search");
        Self::with_db_and_index(config, db, migrate, &index_dir, true).await
    }

    /// `searches`: this process answers searches, so it joins the replicas that keep an index
    /// of their own (the worker does not).
    async fn with_db_and_index(
        config: Config,
        db: Db,
        migrate: bool,
        index_dir: &Path,
        searches: bool,
    ) -> anyhow::Result<Self> {
        let data_dir = config.data_dir.clone();
        let redis = match &config.redis.url {
            Some(url) => Some(
                Redis::connect(url, &config.redis.prefix)
                    .await
                    .map_err(|e| SettingsError(format!("redis.url: {e}")))?,
            ),
            None => None,
        };
        let shared = Shared::new(&redis, &db);
        let cache = shared.cache;
        let (objects, bucket) = objects(&config).await?;

        // One line per context: build it from its peers and its section, keep its module.
        let section = |name| config.section(name);
        let (users, users_module) =
            users::module(db.clone(), shared.counters.clone(), &section(users::SECTION), || {
                jwt_secret_file(&data_dir)
            })?;
        let (catalog, catalog_module) = catalog::module(db.clone(), cache.clone(), objects, &section("catalog"))?;
        let (inventory, inventory_module) = inventory::module(db.clone(), catalog.clone(), &section("inventory"))?;
        let (index, search_fresh) = SearchIndex::open(index_dir)
            .with_context(|| format!("cannot open the search index in {}", index_dir.display()))?;
        let search =
            Arc::new(SearchService::new(db.clone(), Arc::new(index), catalog.clone(), inventory.clone(), cache));
        let (pricing, pricing_module) = pricing::module(db.clone());
        let currency = catalog.config().currency.clone();
        let (shipping, shipping_module) = shipping::module(db.clone(), &currency, &section("shipping"))?;
        let (tax, tax_module) = tax::module(db.clone(), &currency, &section("tax"))?;
        let estimates = crate::estimates::DefaultEstimates {
            shipping: shipping.clone(),
            tax: tax.clone(),
            destination: kernel::geo::Destination::new(&shipping.config().default_country, None, None),
        };
        let cart_deps = CartDeps {
            store: shared.carts,
            catalog: catalog.clone(),
            stock: inventory.clone(),
            pricing: pricing.clone(),
            estimates: Arc::new(estimates),
        };
        let (cart, cart_module) = cart::module(cart_deps, &currency, &section("cart"))?;
        let (payments, payments_module) = payments::module(db.clone(), &currency, &section("payments"))?;
        let orders_deps = OrdersDeps {
            db: db.clone(),
            cart: cart.clone(),
            stock: inventory.clone(),
            payments: payments.clone(),
            pricing: pricing.clone(),
            shipping: shipping.clone(),
            labels: shipping.clone(),
            tax: tax.clone(),
            customers: users.clone(),
        };
        let (orders, orders_module) = orders::module(orders_deps, &currency, &section("orders"))?;
        payments.payables_set(orders.clone());
        catalog.purchases_set(orders.clone());
        let (webhooks, webhooks_module) = webhooks::module(db.clone(), &section("webhooks"))?;
        let (audit, audit_module) = audit::module(db.clone());
        let (analytics, analytics_module) = analytics::module(db.clone(), &currency);
        let peers = notifications::Peers {
            db: db.clone(),
            customers: users.clone(),
            orders: orders.clone(),
            link_key: secret_file(&data_dir, "link-secret").map_err(anyhow::Error::msg)?,
            vapid_key: key_file(&data_dir, "vapid-key", notifications::vapid_key_generate)
                .map_err(anyhow::Error::msg)?,
            return_days: (orders.config().return_window.as_secs() / 86_400) as i64,
        };
        let (notifications, notifications_module) = notifications::module(peers, &section("notifications"))?;
        users.account_notices_set(notifications.clone());
        let modules = vec![
            users_module,
            catalog_module,
            search::module(search.clone()),
            inventory_module,
            pricing_module,
            cart_module,
            payments_module,
            shipping_module,
            tax_module,
            orders_module,
            webhooks_module,
            notifications_module,
            audit_module,
            analytics_module,
        ];

        let web = web::Storefront::new(
            web::StorefrontDeps {
                catalog: catalog.clone(),
                search: search.clone(),
                stock: inventory.clone(),
                cart: cart.clone(),
                users: users.clone(),
                orders: orders.clone(),
                shop_name: notifications.config().shop_name.clone(),
                base_url: notifications.config().base_url.clone(),
                currency: currency.clone(),
                default_country: shipping.config().default_country.clone(),
                payments: payments.clone(),
                key: secret_file(&data_dir, "form-secret").map_err(anyhow::Error::msg)?,
                analytics: analytics.clone(),
                audit: audit.clone(),
                inventory: inventory.clone(),
            },
            web::Settings::read(&section(web::SECTION))?,
        );
        let known = |k: &str| k == web::SECTION || modules.iter().any(|m| m.section == k);
        if let Some(unknown) = config.sections.keys().find(|k| !known(k)) {
            return Err(SettingsError(format!("{unknown}: no such section")).into());
        }
        if migrate {
            store::migrate::run(&db, &migrations(&modules)).await.context("migrations failed")?;
        }
        let mut search_fresh = search_fresh;
        if searches {
            let replica =
                key_file(index_dir, "replica-id", || Ok(kernel::id::new_id("replica"))).map_err(anyhow::Error::msg)?;
            // A replica the others forgot missed changes: its index is rebuilt.
            search_fresh |= !search.replica_join(&replica).await.context("cannot join the search replicas")?;
        }
        let bus = Arc::new(InProcessBus::new(db.clone()));
        let handlers: Vec<Arc<dyn bus::Handler>> = modules.iter().flat_map(|m| m.handlers.iter().cloned()).collect();
        for handler in &handlers {
            bus.subscribe(handler.clone());
        }
        let broker = match &config.bus.url {
            Some(url) => {
                let options = AmqpOptions { max_attempts: config.bus.max_attempts, prefix: config.bus.prefix.clone() };
                Some(
                    AmqpBus::connect(url, options, &handlers)
                        .await
                        .map_err(|e| SettingsError(format!("bus.url: {e}")))?,
                )
            }
            None => None,
        };
        users.scopes_known(modules.iter().flat_map(|m| m.scopes).copied().collect());
        Ok(Self {
            config,
            db,
            redis,
            counters: shared.counters,
            bus,
            broker,
            bucket,
            modules,
            users,
            catalog,
            search,
            inventory,
            pricing,
            cart,
            payments,
            shipping,
            tax,
            orders,
            webhooks,
            audit,
            analytics,
            notifications,
            web,
            search_fresh,
        })
    }

    /// Every migration: the platform's, then each context's in the order they were built.
    pub fn migrations(&self) -> Vec<Migration> {
        migrations(&self.modules)
    }

    /// Every error code any context answers, the platform's first; a code listed twice (a
    /// context answering another's code) appears once.
    pub fn error_codes(&self) -> Vec<kernel::error::ErrorCode> {
        let mut codes: Vec<kernel::error::ErrorCode> = Vec::new();
        for code in kernel::error::PLATFORM_ERRORS.iter().chain(self.modules.iter().flat_map(|m| m.errors)) {
            if !codes.iter().any(|c| c.code == code.code) {
                codes.push(*code);
            }
        }
        codes
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

/// The picture store: a bucket when `media.s3` is set (checked now, so that a wrong address or
/// key stops the start, and answered apart for readiness), `<data_dir>/media` otherwise.
async fn objects(config: &Config) -> anyhow::Result<(Arc<dyn media::ObjectStore>, Option<Arc<media::S3Store>>)> {
    let Some(s3) = &config.media.s3 else {
        let dir = config.data_dir.join("media");
        let local = LocalStore::new(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        return Ok((Arc::new(local), None));
    };
    let settings = media::S3Settings {
        endpoint: s3.endpoint.clone(),
        bucket: s3.bucket.clone(),
        region: s3.region.clone(),
        access_key_id: s3.access_key_id.clone(),
        secret_access_key: s3.secret_access_key.clone(),
    };
    let store = media::S3Store::new(&settings).map_err(|e| SettingsError(format!("media.s3: {e}")))?;
    store.check().await.map_err(|e| SettingsError(format!("media.s3: the bucket does not answer ({e})")))?;
    let store = Arc::new(store);
    Ok((store.clone(), Some(store)))
}

/// What lives in Redis when it is configured, and in this process or the database otherwise.
struct Shared {
    cache: Arc<dyn Cache>,
    counters: Arc<dyn Counters>,
    carts: Arc<dyn CartStore>,
}

impl Shared {
    fn new(redis: &Option<Redis>, db: &Db) -> Self {
        match redis {
            Some(r) => Self {
                cache: Arc::new(RedisCache(r.clone())),
                counters: Arc::new(RedisCounters::new(r.clone())),
                carts: Arc::new(RedisCartStore::new(r.clone())),
            },
            None => Self {
                cache: Arc::new(MemoryCache::default()),
                counters: Arc::new(MemoryCounters::default()),
                carts: Arc::new(SqlCartStore::new(db.clone())),
            },
        }
    }
}

fn migrations(modules: &[Module]) -> Vec<Migration> {
    PLATFORM_MIGRATIONS.into_iter().flatten().chain(modules.iter().flat_map(|m| m.migrations)).cloned().collect()
}

/// The token-signing key kept in the data dir, made on first use (readable by the owner only).
fn jwt_secret_file(dir: &Path) -> Result<Vec<u8>, String> {
    secret_file(dir, "jwt-secret")
}

/// A random key kept in the data dir under `name`, made on first use.
fn secret_file(dir: &Path, name: &str) -> Result<Vec<u8>, String> {
    let key = key_file(dir, name, || {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    })?;
    if key.len() < 43 {
        return Err(format!("{} is too short; delete it to generate a new key", dir.join(name).display()));
    }
    Ok(key.into_bytes())
}

/// A key kept in the data dir under `name`, made by `make` on first use (readable by the
/// owner only).
fn key_file(dir: &Path, name: &str, make: impl FnOnce() -> Result<String, String>) -> Result<String, String> {
    let path = dir.join(name);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(existing.trim().to_owned());
    }
    let key = make()?;
    write_private(&path, &key).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new key");
    Ok(key)
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}
