//! Browser sessions for the storefront. They are the API's login sessions (one row each, ended
//! by logout, a password reset or a disabled account), carried by an HttpOnly cookie's secret
//! instead of access and refresh tokens: a page needs no token refresh, and a stolen page
//! script has no token to read.

use super::UsersService;
use super::auth::ClientInfo;
use crate::credentials;
use crate::domain::TokenPurpose;
use crate::dto::{LoginRequest, RegisterRequest, UserDto};
use crate::store as sql;
use kernel::auth::{AuthMethod, Principal, Role};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::Tx;

/// A signed-in browser: the account and the cookie secret, given once.
pub struct BrowserSession {
    pub user: UserDto,
    pub secret: String,
    /// How long the cookie may live.
    pub max_age: std::time::Duration,
}

impl UsersService {
    pub async fn browser_login(&self, input: LoginRequest, client: &ClientInfo) -> Result<BrowserSession> {
        let account = self.credentials_check(&input, client).await?;
        let mut tx = self.db.begin().await?;
        self.rehash_if_needed(&mut tx, &account, &input.password).await?;
        let secret = self.browser_session_start(&mut tx, &account.id).await?;
        tx.commit().await?;
        tracing::info!(user = %account.id, ip = %client.ip, "browser login succeeded");
        Ok(BrowserSession { user: account.into(), secret, max_age: self.refresh_ttl })
    }

    pub async fn browser_register(&self, input: RegisterRequest) -> Result<BrowserSession> {
        let user = self.customer_create(input).await?;
        let mut tx = self.db.begin().await?;
        let secret = self.browser_session_start(&mut tx, &user.id).await?;
        let verify = self.link_token_issue(&mut tx, &user.id, TokenPurpose::Verify).await?;
        tx.commit().await?;
        self.registered(&user, verify);
        Ok(BrowserSession { user, secret, max_age: self.refresh_ttl })
    }

    async fn browser_session_start(&self, tx: &mut Tx, user_id: &str) -> Result<String> {
        let session_id = kernel::id::new_id("ses");
        let secret = format!("obs_{}", credentials::random_secret());
        let expires_at = Timestamp::now().plus(self.refresh_ttl);
        sql::session_insert_browser(tx, &session_id, user_id, expires_at, &credentials::secret_hash(&secret)).await?;
        Ok(secret)
    }

    /// The caller a cookie's secret stands for; `None` when the session has ended, expired or
    /// never was, or its account is disabled, so the page treats the visitor as signed out.
    pub async fn browser_session(&self, secret: &str) -> Result<Option<Principal>> {
        if !secret.starts_with("obs_") || secret.len() > 100 {
            return Ok(None);
        }
        let Some(row) = sql::session_by_cookie(&self.db, &credentials::secret_hash(secret)).await? else {
            return Ok(None);
        };
        if row.revoked_at.is_some() || row.disabled_at.is_some() || row.expires_at < Timestamp::now().as_micros() {
            return Ok(None);
        }
        let role = Role::parse(&row.role).ok_or_else(|| Error::internal("unknown role in database"))?;
        Ok(Some(Principal { user_id: row.user_id, role, method: AuthMethod::Session { session_id: row.session_id } }))
    }
}
