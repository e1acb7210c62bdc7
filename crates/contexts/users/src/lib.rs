//! The users context: accounts and authentication (passwords, access and refresh tokens, API
//! keys), profiles, addresses, seller profiles and roles.
//!
//! Other contexts reach it through [`UsersService`] (in process) and the events in [`events`];
//! the HTTP API is [`router`].

pub mod api;
mod credentials;
pub mod domain;
pub mod dto;
mod http;
mod rate_limit;
mod service;
mod store;
mod throttle;

pub use http::router;
pub use service::{BrowserSession, ClientInfo, UsersConfig, UsersService};
pub use settings::{SECTION, Settings};

mod settings;

use kernel::BoxFuture;
use kernel::auth::{Authenticate, Credentials, Principal};

pub const MIGRATIONS: &[::store::Migration] = &[
    ::store::Migration {
        context: "users",
        version: 1,
        name: "users",
        sql: include_str!("../migrations/0001_users.sql"),
        postgres: None,
    },
    ::store::Migration {
        context: "users",
        version: 2,
        name: "tokens",
        sql: include_str!("../migrations/0002_tokens.sql"),
        postgres: None,
    },
    ::store::Migration {
        context: "users",
        version: 3,
        name: "browser_sessions",
        sql: include_str!("../migrations/0003_browser_sessions.sql"),
        postgres: None,
    },
];

impl Authenticate for UsersService {
    fn authenticate<'a>(&'a self, credentials: Credentials<'a>) -> BoxFuture<'a, kernel::Result<Principal>> {
        Box::pin(UsersService::authenticate(self, credentials))
    }
}

/// The users context for the application: its service and its [`module::Module`]. Tokens are
/// signed with `auth.jwt_secret`, or else with the key `generated_key` gives.
pub fn module(
    db: ::store::Db,
    counters: std::sync::Arc<dyn cache::Counters>,
    section: &module::Section,
    generated_key: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<(std::sync::Arc<UsersService>, module::Module), module::SettingsError> {
    let settings = Settings::read(section)?;
    let secret = match &settings.jwt_secret {
        Some(s) => s.as_bytes().to_vec(),
        None => generated_key().map_err(module::SettingsError)?,
    };
    let config = UsersConfig {
        access_ttl: settings.access_ttl(),
        refresh_ttl: settings.refresh_ttl(),
        reset_ttl: settings.reset_ttl(),
        verify_ttl: settings.verify_ttl(),
        counters,
        ..UsersConfig::new(secret)
    };
    let users = std::sync::Arc::new(UsersService::new(db, config));
    let module = module::Module::new("users", MIGRATIONS, router(users.clone()))
        .section(SECTION)
        .errors(api::ERRORS)
        .scopes(api::SCOPES);
    Ok((users, module))
}
