//! Configuration: built-in defaults, then `oxcart.toml`, then `OXCART_…` environment
//! variables (`OXCART_SERVER__BIND` sets `server.bind`), then command-line flags.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite database, the generated token key and uploads live.
    pub data_dir: PathBuf,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub catalog: CatalogSection,
    pub inventory: InventorySection,
    pub cart: CartSection,
    pub log: LogConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InventorySection {
    /// How long a checkout's reservation holds stock unless it is committed or released.
    pub reservation_ttl_secs: u64,
    /// How often expired reservations are released.
    pub sweep_interval_secs: u64,
}

impl Default for InventorySection {
    fn default() -> Self {
        Self { reservation_ttl_secs: 15 * 60, sweep_interval_secs: 30 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CartSection {
    /// The most units of one variant a cart line may hold.
    pub max_quantity_per_line: i64,
    /// The most lines a cart may hold.
    pub max_lines: usize,
    /// A cart untouched this long is deleted.
    pub idle_days: u64,
    /// How many discount codes one cart may hold at once.
    pub max_codes: usize,
}

impl Default for CartSection {
    fn default() -> Self {
        Self { max_quantity_per_line: 99, max_lines: 100, idle_days: 7, max_codes: 1 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogSection {
    /// The store's currency (ISO 4217 code); every price is in it.
    pub currency: String,
    /// Largest image upload, in bytes.
    pub max_upload_bytes: usize,
    /// Longest a cached product or listing answer may be served, in seconds.
    pub cache_ttl_secs: u64,
    /// Base URL of product pictures as clients reach them (e.g. a CDN in front of `/media`).
    pub media_base: String,
}

impl Default for CatalogSection {
    fn default() -> Self {
        Self {
            currency: "USD".into(),
            max_upload_bytes: 10 * 1024 * 1024,
            cache_ttl_secs: 300,
            media_base: "/media".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    pub request_timeout_secs: u64,
    pub body_limit_bytes: usize,
    /// A request's headers must arrive within this time.
    pub header_read_timeout_secs: u64,
    /// A connection with no traffic either way for this long is closed (idle keep-alive too).
    pub idle_timeout_secs: u64,
    /// A request body that sends nothing for this long is answered 408.
    pub body_read_timeout_secs: u64,
    /// Open connections at most; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Where Prometheus `/metrics` is served, apart from the shop's own address; "": nowhere.
    pub metrics_bind: String,
    /// Exact origins allowed to call the API from a browser, e.g. `https://shop.example.com`.
    pub cors_origins: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` or `postgres://…`; empty means `<data_dir>/oxcart.db`.
    pub url: Option<String>,
    pub max_connections: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// Key that signs access tokens (32+ characters). Empty: generated once in the data dir.
    pub jwt_secret: Option<String>,
    pub access_ttl_secs: u64,
    pub refresh_ttl_days: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `text` for people, `json` for log collectors.
    pub format: String,
    /// A tracing filter such as `info` or `info,users=debug`; `RUST_LOG` wins when set.
    pub level: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            server: ServerConfig::default(),
            database: DatabaseConfig::default(),
            auth: AuthConfig::default(),
            catalog: CatalogSection::default(),
            inventory: InventorySection::default(),
            cart: CartSection::default(),
            log: LogConfig::default(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            request_timeout_secs: 30,
            body_limit_bytes: 1024 * 1024,
            header_read_timeout_secs: 10,
            idle_timeout_secs: 60,
            body_read_timeout_secs: 10,
            max_connections: 4096,
            metrics_bind: "127.0.0.1:9464".into(),
            cors_origins: Vec::new(),
        }
    }
}

impl ServerConfig {
    /// The metrics listen address, when metrics are served.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_bind.parse().ok()
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self { jwt_secret: None, access_ttl_secs: 15 * 60, refresh_ttl_days: 30 }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { format: "text".into(), level: "info".into() }
    }
}

/// Flags that override the file and the environment.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<SocketAddr>,
}

impl Config {
    /// Loads and checks the configuration; the error is one line naming the key at fault.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Self, String> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => return Err(format!("config file {} does not exist", path.display())),
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None => figment = figment.merge(Toml::file("oxcart.toml")),
        }
        // OXCART_TEST_* belong to the test suites and OXCART_CONFIG names the file.
        let env = Env::prefixed("OXCART_")
            .filter(|k| {
                let k = k.as_str().to_ascii_lowercase();
                !k.starts_with("test_") && k != "config"
            })
            .split("__");
        figment = figment.merge(env);
        if let Some(dir) = &overrides.data_dir {
            figment = figment.merge(("data_dir", dir));
        }
        if let Some(bind) = overrides.bind {
            figment = figment.merge(("server.bind", bind.to_string()));
        }
        let config: Config = figment.extract().map_err(|e| one_line(&e))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        let bad = |key: &str, problem: &str| Err(format!("{key}: {problem}"));
        if self.server.request_timeout_secs == 0 {
            return bad("server.request_timeout_secs", "must be at least 1");
        }
        if self.server.body_limit_bytes < 1024 {
            return bad("server.body_limit_bytes", "must be at least 1024");
        }
        for (key, secs) in [
            ("server.header_read_timeout_secs", self.server.header_read_timeout_secs),
            ("server.idle_timeout_secs", self.server.idle_timeout_secs),
            ("server.body_read_timeout_secs", self.server.body_read_timeout_secs),
        ] {
            if secs == 0 {
                return bad(key, "must be at least 1");
            }
        }
        if self.server.max_connections == 0 {
            return bad("server.max_connections", "must be at least 1");
        }
        if !self.server.metrics_bind.is_empty() && self.server.metrics_addr().is_none() {
            return bad("server.metrics_bind", "must be an address like 127.0.0.1:9464, or empty");
        }
        for origin in &self.server.cors_origins {
            let ok = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin.ends_with('/')
                && origin.split("://").nth(1).is_some_and(|h| !h.is_empty() && !h.contains('/'));
            if !ok {
                return bad(
                    "server.cors_origins",
                    &format!("`{origin}` is not an origin like https://shop.example.com"),
                );
            }
        }
        if let Some(url) = &self.database.url
            && !(url.starts_with("sqlite:") || url.starts_with("postgres:") || url.starts_with("postgresql:"))
        {
            return bad("database.url", "must start with sqlite:// or postgres://");
        }
        if self.auth.jwt_secret.as_ref().is_some_and(|s| s.len() < 32) {
            return bad("auth.jwt_secret", "must be at least 32 characters (or left out to generate one)");
        }
        let c = &self.catalog;
        if c.currency.len() != 3 || !c.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return bad("catalog.currency", "must be an ISO 4217 code such as USD or EUR");
        }
        if c.max_upload_bytes < 1024 || c.max_upload_bytes > 100 * 1024 * 1024 {
            return bad("catalog.max_upload_bytes", "must be between 1024 and 104857600");
        }
        if c.cache_ttl_secs > 300 {
            return bad("catalog.cache_ttl_secs", "must be at most 300 (answers are never older than five minutes)");
        }
        if self.auth.access_ttl_secs == 0 || self.auth.access_ttl_secs > 3600 {
            return bad("auth.access_ttl_secs", "must be between 1 and 3600");
        }
        if self.auth.refresh_ttl_days == 0 || self.auth.refresh_ttl_days > 365 {
            return bad("auth.refresh_ttl_days", "must be between 1 and 365");
        }
        if !(10..=7 * 24 * 3600).contains(&self.inventory.reservation_ttl_secs) {
            return bad("inventory.reservation_ttl_secs", "must be between 10 and 604800 (a week)");
        }
        if !(1..=3600).contains(&self.inventory.sweep_interval_secs) {
            return bad("inventory.sweep_interval_secs", "must be between 1 and 3600");
        }
        let cart = &self.cart;
        if !(1..=10_000).contains(&cart.max_quantity_per_line) {
            return bad("cart.max_quantity_per_line", "must be between 1 and 10000");
        }
        if !(1..=1000).contains(&cart.max_lines) {
            return bad("cart.max_lines", "must be between 1 and 1000");
        }
        if !(1..=90).contains(&cart.idle_days) {
            return bad("cart.idle_days", "must be between 1 and 90");
        }
        if !(1..=10).contains(&cart.max_codes) {
            return bad("cart.max_codes", "must be between 1 and 10");
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            return bad("log.format", "must be `text` or `json`");
        }
        Ok(())
    }

    pub fn database_url(&self) -> String {
        self.database.url.clone().unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("oxcart.db").display()))
    }
}

fn one_line(e: &figment::Error) -> String {
    let key = e.path.join(".");
    let msg = e.kind.to_string();
    let source = e.metadata.as_ref().map(|m| format!(" (from {})", m.name)).unwrap_or_default();
    if key.is_empty() { format!("{msg}{source}") } else { format!("{key}: {msg}{source}") }
}
