//! Configuration: built-in defaults, then `oxcart.toml`, then `OXCART_…` environment
//! variables (`OXCART_SERVER__BIND` sets `server.bind`), then command-line flags.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Where the SQLite database, the generated token key and uploads live.
    pub data_dir: PathBuf,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub redis: RedisConfig,
    pub bus: BusConfig,
    pub media: MediaConfig,
    pub log: LogConfig,
    /// Every other section belongs to a context (`[catalog]`, `[cart]`…), which reads and
    /// checks it when the application is built; a section no context claims is an error then.
    #[serde(flatten)]
    pub sections: BTreeMap<String, serde_json::Value>,
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
    /// How long the first answer to an `Idempotency-Key` is kept for replays.
    pub idempotency_ttl_hours: u64,
    /// Exact origins allowed to call the API from a browser, e.g. `https://shop.example.com`.
    pub cors_origins: Vec<String>,
    /// API requests per client address and minute (across replicas with Redis); 0: no limit.
    pub rate_limit_per_minute: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH` or `postgres://…`; empty means `<data_dir>/oxcart.db`.
    pub url: Option<String>,
    pub max_connections: Option<u32>,
    /// A PostgreSQL read replica for public product pages, which may lag it a little.
    pub read_url: Option<String>,
}

/// Redis, when set, holds what every replica must share: the product and search cache, carts
/// (expired by Redis after their idle time), login throttles and mail limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedisConfig {
    /// `redis://[:password@]host[:port][/db]`; empty keeps all of it in this process and the
    /// database.
    pub url: Option<String>,
    /// Starts every key, so that several shops can share one server.
    pub prefix: String,
}

impl Default for RedisConfig {
    fn default() -> Self {
        Self { url: None, prefix: "oxcart:".into() }
    }
}

/// Where events go between contexts: straight to this process's consumers by default, or
/// through RabbitMQ, which every replica's consumers share.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BusConfig {
    /// `amqp://user:password@host:5672/%2f`; empty keeps events in this process.
    pub url: Option<String>,
    /// Starts every exchange and queue name, so that several shops can share one broker.
    pub prefix: String,
    /// Deliveries of one event to a consumer before it goes to the dead-letter queue.
    pub max_attempts: u32,
}

impl Default for BusConfig {
    fn default() -> Self {
        Self { url: None, prefix: "oxcart".into(), max_attempts: 10 }
    }
}

/// Where pictures live: `<data_dir>/media` by default, an S3-compatible bucket when `media.s3`
/// is set. Clients see them at `catalog.media_base` (`/media`, or a CDN in front of the bucket).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    pub s3: Option<S3Config>,
}

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Config {
    /// Empty for AWS; the server's address for MinIO, Ceph, R2 or a local fake.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// The keys stay out of logs and error messages.
impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("endpoint", &self.endpoint)
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
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
            redis: RedisConfig::default(),
            bus: BusConfig::default(),
            media: MediaConfig::default(),
            log: LogConfig::default(),
            sections: BTreeMap::new(),
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
            idempotency_ttl_hours: 24,
            cors_origins: Vec::new(),
            rate_limit_per_minute: 0,
        }
    }
}

impl ServerConfig {
    /// The metrics listen address, when metrics are served.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_bind.parse().ok()
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
        if !(1..=720).contains(&self.server.idempotency_ttl_hours) {
            return bad("server.idempotency_ttl_hours", "must be between 1 and 720 (30 days)");
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
        if let Some(url) = &self.database.read_url
            && !(url.starts_with("postgres:") || url.starts_with("postgresql:"))
        {
            return bad("database.read_url", "must start with postgres:// (a read replica of PostgreSQL)");
        }
        if self.database.read_url.is_some() && !self.database_url().starts_with("postgres") {
            return bad("database.read_url", "needs database.url on PostgreSQL");
        }
        if let Some(url) = &self.redis.url
            && !url.starts_with("redis://")
        {
            return bad("redis.url", "must start with redis://");
        }
        if self.redis.prefix.is_empty()
            || self.redis.prefix.len() > 64
            || self.redis.prefix.contains(char::is_whitespace)
        {
            return bad("redis.prefix", "must be 1 to 64 characters without spaces");
        }
        if let Some(url) = &self.bus.url
            && !url.starts_with("amqp://")
        {
            return bad("bus.url", "must start with amqp://");
        }
        if self.bus.prefix.is_empty()
            || self.bus.prefix.len() > 64
            || !self.bus.prefix.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return bad("bus.prefix", "must be 1 to 64 of A-Z, a-z, 0-9, '.', '-' and '_'");
        }
        if !(1..=100).contains(&self.bus.max_attempts) {
            return bad("bus.max_attempts", "must be between 1 and 100");
        }
        if let Some(s3) = &self.media.s3 {
            for (key, value) in [
                ("media.s3.bucket", &s3.bucket),
                ("media.s3.region", &s3.region),
                ("media.s3.access_key_id", &s3.access_key_id),
                ("media.s3.secret_access_key", &s3.secret_access_key),
            ] {
                if value.trim().is_empty() {
                    return bad(key, "must be set when media.s3 is");
                }
            }
            if let Some(endpoint) = &s3.endpoint
                && !(endpoint.starts_with("https://") || endpoint.starts_with("http://"))
            {
                return bad("media.s3.endpoint", "must start with https:// or http://");
            }
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            return bad("log.format", "must be `text` or `json`");
        }
        Ok(())
    }

    /// A context's section, as written in the file and the environment.
    pub fn section(&self, name: &'static str) -> module::Section {
        module::Section::new(name, self.sections.get(name).cloned())
    }

    /// Sets one key of a context's section (`config.set("cart.max_lines", 5)`), as a file would.
    pub fn set(&mut self, key: &str, value: impl Serialize) {
        let (section, field) = key.split_once('.').expect("a key is `section.field`");
        let entry = self.sections.entry(section.to_owned()).or_insert_with(|| serde_json::json!({}));
        if let Some(map) = entry.as_object_mut() {
            map.insert(field.to_owned(), serde_json::to_value(value).unwrap_or_default());
        }
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
