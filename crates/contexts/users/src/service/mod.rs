//! Use cases of the users context. Every write happens here, in one transaction with the
//! events it announces; authorization is checked here as well as in the handlers.

mod account;
mod admin;
mod api_keys;
mod auth;
mod browser;
mod notices;
mod recovery;
mod sellers;
mod verification;

use crate::api::AccountNotices;
use crate::credentials::{AccessTokens, PasswordHashing};
use crate::rate_limit::RateLimit;
use crate::throttle::LoginThrottle;
use cache::Counters;
use kernel::auth::Scope;
use std::sync::{Arc, OnceLock, RwLock, Weak};
use std::time::Duration;
use store::Db;

pub use auth::ClientInfo;
pub use browser::BrowserSession;

#[derive(Clone)]
pub struct UsersConfig {
    /// Key that signs access tokens: 32 random bytes or more.
    pub jwt_secret: Vec<u8>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// How long a password reset link works.
    pub reset_ttl: Duration,
    /// How long an address verification link works.
    pub verify_ttl: Duration,
    /// Password hashes computed at once (each takes ~19 MiB and a core for tens of ms).
    pub hash_concurrency: usize,
    /// Where login throttles and mail limits count: this process, or Redis for every replica.
    pub counters: Arc<dyn Counters>,
}

impl UsersConfig {
    pub fn new(jwt_secret: Vec<u8>) -> Self {
        Self {
            jwt_secret,
            access_ttl: Duration::from_secs(15 * 60),
            refresh_ttl: Duration::from_secs(30 * 24 * 3600),
            reset_ttl: Duration::from_secs(30 * 60),
            verify_ttl: Duration::from_secs(48 * 3600),
            hash_concurrency: 2,
            counters: Arc::new(cache::MemoryCounters::default()),
        }
    }
}

pub struct UsersService {
    db: Db,
    hashing: PasswordHashing,
    access: AccessTokens,
    refresh_ttl: Duration,
    throttle: LoginThrottle,
    reset_ttl: Duration,
    verify_ttl: Duration,
    limits: MailLimits,
    /// Who sends account messages; set once the higher context exists. Weak: that context
    /// holds this service too, and a cycle would keep both (and their pools) alive after the
    /// application is dropped. Replaceable, so a test can record what the wired one would send.
    notices: RwLock<Option<Weak<dyn AccountNotices>>>,
    /// Every scope the application's contexts check: what an API key may be given.
    scopes: Arc<OnceLock<Vec<Scope>>>,
}

impl UsersService {
    pub fn new(db: Db, config: UsersConfig) -> Self {
        Self {
            hashing: PasswordHashing::new(config.hash_concurrency),
            access: AccessTokens::new(&config.jwt_secret, config.access_ttl),
            refresh_ttl: config.refresh_ttl,
            throttle: LoginThrottle::new(config.counters.clone()),
            reset_ttl: config.reset_ttl,
            verify_ttl: config.verify_ttl,
            limits: MailLimits::new(&config.counters),
            notices: RwLock::new(None),
            scopes: Arc::default(),
            db,
        }
    }

    /// Names the scopes API keys may hold, once the application has gathered every context's.
    pub fn scopes_known(&self, scopes: Vec<Scope>) {
        let _ = self.scopes.set(scopes);
    }

    /// Hands over what sends account messages; a later call replaces the earlier sender.
    pub fn account_notices_set(&self, notices: Arc<dyn AccountNotices>) {
        *self.notices.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::downgrade(&notices));
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

/// Limits on what sends e-mail, so no one can flood a mailbox or mail the world from one address.
struct MailLimits {
    /// Reset requests per address typed (hashed), whether an account has it or not.
    forgot_email: RateLimit,
    /// Reset requests per client address.
    forgot_ip: RateLimit,
    /// Verification e-mails an account asks for again.
    verify_resend: RateLimit,
}

const MAIL_WINDOW: Duration = Duration::from_secs(15 * 60);

impl MailLimits {
    fn new(counters: &Arc<dyn Counters>) -> Self {
        Self {
            forgot_email: RateLimit::new("forgot-email", 3, MAIL_WINDOW, counters.clone()),
            forgot_ip: RateLimit::new("forgot-ip", 20, MAIL_WINDOW, counters.clone()),
            verify_resend: RateLimit::new("verify-resend", 3, MAIL_WINDOW, counters.clone()),
        }
    }
}
