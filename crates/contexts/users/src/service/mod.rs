//! Use cases of the users context. Every write happens here, in one transaction with the
//! events it announces; authorization is checked here as well as in the handlers.

mod account;
mod admin;
mod api_keys;
mod auth;
mod sellers;

use crate::credentials::{AccessTokens, PasswordHashing};
use crate::throttle::LoginThrottle;
use kernel::auth::Scope;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use store::Db;

pub use auth::ClientInfo;

#[derive(Clone)]
pub struct UsersConfig {
    /// Key that signs access tokens: 32 random bytes or more.
    pub jwt_secret: Vec<u8>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// Password hashes computed at once (each takes ~19 MiB and a core for tens of ms).
    pub hash_concurrency: usize,
}

impl UsersConfig {
    pub fn new(jwt_secret: Vec<u8>) -> Self {
        Self {
            jwt_secret,
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            hash_concurrency: 2,
        }
    }
}

pub struct UsersService {
    db: Db,
    hashing: PasswordHashing,
    access: AccessTokens,
    refresh_ttl: Duration,
    throttle: LoginThrottle,
    /// Every scope the application's contexts check: what an API key may be given.
    scopes: Arc<OnceLock<Vec<Scope>>>,
}

impl UsersService {
    pub fn new(db: Db, config: UsersConfig) -> Self {
        Self {
            hashing: PasswordHashing::new(config.hash_concurrency),
            access: AccessTokens::new(&config.jwt_secret, config.access_ttl),
            refresh_ttl: config.refresh_ttl,
            throttle: LoginThrottle::default(),
            scopes: Arc::default(),
            db,
        }
    }

    /// Names the scopes API keys may hold, once the application has gathered every context's.
    pub fn scopes_known(&self, scopes: Vec<Scope>) {
        let _ = self.scopes.set(scopes);
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}
