//! What a context hands the application: one [`Module`] value holding everything the binary
//! wires for it (tables, routes, event consumers, background jobs, error codes, API-key
//! scopes), and the [`Section`] of the configuration file it reads its settings from.
//!
//! Adding a context is its crate plus one line in the application's wiring that builds it and
//! pushes its module; nothing else in the platform names it.

use bus::Handler;
use kernel::BoxFuture;
use kernel::auth::Scope;
use kernel::error::ErrorCode;
use kernel::time::Timestamp;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use store::Migration;
use utoipa_axum::router::OpenApiRouter;

pub struct Module {
    /// The context's name: its table prefix and the owner of its routes in the document.
    pub name: &'static str,
    /// The configuration section it reads (its name, unless it says otherwise).
    pub section: &'static str,
    pub migrations: &'static [Migration],
    /// Its HTTP API, relative to `/api/v1`, with the operations it documents.
    pub routes: OpenApiRouter,
    /// Consumers of other contexts' events (and its own).
    pub handlers: Vec<Arc<dyn Handler>>,
    pub sweepers: Vec<Sweeper>,
    /// Every error code it answers, for `/docs` and the API document.
    pub errors: &'static [ErrorCode],
    /// The API-key scopes its routes and services check.
    pub scopes: &'static [Scope],
}

impl Module {
    pub fn new(name: &'static str, migrations: &'static [Migration], routes: OpenApiRouter) -> Self {
        Self {
            name,
            section: name,
            migrations,
            routes,
            handlers: Vec::new(),
            sweepers: Vec::new(),
            errors: &[],
            scopes: &[],
        }
    }

    pub fn section(mut self, section: &'static str) -> Self {
        self.section = section;
        self
    }

    pub fn errors(mut self, errors: &'static [ErrorCode]) -> Self {
        self.errors = errors;
        self
    }

    pub fn scopes(mut self, scopes: &'static [Scope]) -> Self {
        self.scopes = scopes;
        self
    }

    pub fn handler(mut self, handler: Arc<dyn Handler>) -> Self {
        self.handlers.push(handler);
        self
    }

    pub fn sweeper(mut self, sweeper: Sweeper) -> Self {
        self.sweepers.push(sweeper);
        self
    }
}

/// A clean-up the server runs on a timer (expired holds, idle carts…). It answers how many
/// things it cleaned, for the log.
pub type SweepFn = Arc<dyn Fn(Timestamp) -> BoxFuture<'static, kernel::Result<u64>> + Send + Sync>;

#[derive(Clone)]
pub struct Sweeper {
    /// What it does, past tense, for the log line ("released expired reservations").
    pub done: &'static str,
    pub every: Duration,
    pub run: SweepFn,
}

/// A configuration error, naming the key at fault (`catalog.currency: must be …`).
#[derive(Debug)]
pub struct SettingsError(pub String);

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SettingsError {}

/// A context's part of the configuration (`[catalog]` in `oxcart.toml`, `OXCART_CATALOG__…`
/// in the environment), not yet typed.
#[derive(Debug, Clone)]
pub struct Section {
    name: &'static str,
    value: serde_json::Value,
}

impl Section {
    pub fn new(name: &'static str, value: Option<serde_json::Value>) -> Self {
        Self { name, value: value.unwrap_or_else(|| serde_json::json!({})) }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The section as `T`, its defaults filling what is left out; an unknown or mistyped key
    /// is an error naming it.
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, SettingsError> {
        serde_path_to_error::deserialize(&self.value).map_err(|e| {
            let path = e.path().to_string();
            let key = if path == "." { self.name.to_owned() } else { format!("{}.{path}", self.name) };
            SettingsError(format!("{key}: {}", e.inner()))
        })
    }

    /// An error about one key of this section.
    pub fn bad(&self, key: &str, problem: &str) -> SettingsError {
        SettingsError(format!("{}.{key}: {problem}", self.name))
    }
}
