//! Registration, login, token refresh, logout, and checking credentials on every request.

use super::UsersService;
use crate::api::events::UserRegistered;
use crate::api::{AccountNotice, AccountNoticeKind};
use crate::credentials::{self, PasswordHashing};
use crate::domain::{Email, Password, TokenPurpose, optional_text};
use crate::dto::{AuthResponse, LoginRequest, RegisterRequest, TokenPair, UserDto};
use crate::store::{self as sql, NewAccount};
use kernel::auth::{AuthMethod, Credentials, Principal, Role};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::{Tx, outbox};

/// Where a login comes from, for throttling and the security log.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: String,
}

fn login_failed() -> Error {
    Error::unauthenticated("invalid_login", "The e-mail address or the password is wrong.")
}

fn session_ended() -> Error {
    Error::unauthenticated("session_ended", "This session has ended; log in again.")
}

impl UsersService {
    pub async fn register(&self, input: RegisterRequest) -> Result<AuthResponse> {
        let user = self.customer_create(input).await?;
        let mut tx = self.db.begin().await?;
        let tokens = self.session_start(&mut tx, &user.id).await?;
        let verify = self.link_token_issue(&mut tx, &user.id, TokenPurpose::Verify).await?;
        tx.commit().await?;
        self.registered(&user, verify);
        Ok(AuthResponse { user, tokens })
    }

    /// The checked fields of a registration, as a new customer account.
    pub(crate) async fn customer_create(&self, input: RegisterRequest) -> Result<UserDto> {
        let email = Email::parse("email", &input.email);
        let password = Password::parse("password", &input.password);
        let name = optional_text("name", input.name.as_deref(), 100);
        let (email, password, name) = collect3(email, password, name)?;
        self.account_create(&email, &password, name.as_deref().unwrap_or(""), Role::Customer).await
    }

    /// Sends the new account its verification link.
    pub(crate) fn registered(&self, user: &UserDto, (token, expires_at): (String, Timestamp)) {
        tracing::info!(user = %user.id, "account registered");
        self.notice_send(AccountNotice {
            user_id: user.id.clone(),
            email: user.email.clone(),
            name: user.name.clone(),
            kind: AccountNoticeKind::EmailVerification,
            token: Some(token),
            expires_at: Some(expires_at),
        });
    }

    /// The account of an e-mail address, for tools that create accounts idempotently.
    pub async fn account_by_email(&self, email: &Email) -> Result<UserDto> {
        let row = sql::account_by_email(&self.db, email.as_str()).await?;
        row.map(Into::into).ok_or_else(|| Error::not_found("user_not_found", "No such user."))
    }

    /// Creates an account with `role`; 409 `email_taken` when the address has one.
    pub async fn account_create(&self, email: &Email, password: &Password, name: &str, role: Role) -> Result<UserDto> {
        let hash = self.hashing.hash(password.expose()).await?;
        let id = kernel::id::new_id("usr");
        let mut tx = self.db.begin().await?;
        let insert = sql::account_insert(
            &mut tx,
            &NewAccount { id: &id, email: email.as_str(), password_hash: &hash, name, role: role.as_str() },
        )
        .await;
        match insert {
            Err(e) if e.is_unique_violation() => {
                return Err(Error::conflict("email_taken", "An account with this e-mail address exists."));
            }
            other => other?,
        }
        outbox::emit(&mut tx, &UserRegistered { user_id: id.clone(), role }).await?;
        let row = sql::account_by_id(&mut tx, &id).await?.ok_or_else(|| Error::internal("account vanished"))?;
        tx.commit().await?;
        Ok(row.into())
    }

    pub async fn login(&self, input: LoginRequest, client: &ClientInfo) -> Result<AuthResponse> {
        let account = self.credentials_check(&input, client).await?;
        let mut tx = self.db.begin().await?;
        self.rehash_if_needed(&mut tx, &account, &input.password).await?;
        let tokens = self.session_start(&mut tx, &account.id).await?;
        tx.commit().await?;
        tracing::info!(user = %account.id, ip = %client.ip, "login succeeded");
        Ok(AuthResponse { user: account.into(), tokens })
    }

    /// The enabled account these credentials open, throttled on what was typed so unknown and
    /// known addresses behave alike.
    pub(crate) async fn credentials_check(&self, input: &LoginRequest, client: &ClientInfo) -> Result<sql::AccountRow> {
        let key = input.email.trim().to_lowercase();
        self.throttle.check(&key, &client.ip).await?;
        let account = sql::account_by_email(&self.db, &key).await?;
        let ok = self.hashing.verify(&input.password, account.as_ref().map(|a| a.password_hash.as_str())).await?;
        match account {
            Some(a) if ok && a.disabled_at.is_none() => {
                self.throttle.succeeded(&key, &client.ip).await?;
                Ok(a)
            }
            _ => {
                self.throttle.failed(&key, &client.ip).await?;
                tracing::info!(ip = %client.ip, "login failed");
                Err(login_failed())
            }
        }
    }

    pub(crate) async fn rehash_if_needed(&self, tx: &mut Tx, account: &sql::AccountRow, password: &str) -> Result<()> {
        if PasswordHashing::needs_rehash(&account.password_hash) {
            let hash = self.hashing.hash(password).await?;
            sql::account_password_set(tx, &account.id, &hash).await?;
        }
        Ok(())
    }

    /// Starts a session: a refresh-token family and its first access token.
    pub(crate) async fn session_start(&self, tx: &mut Tx, user_id: &str) -> Result<TokenPair> {
        let session_id = kernel::id::new_id("ses");
        let expires_at = Timestamp::now().plus(self.refresh_ttl);
        sql::session_insert(tx, &session_id, user_id, expires_at).await?;
        self.tokens_issue(tx, user_id, &session_id).await
    }

    async fn tokens_issue(&self, tx: &mut Tx, user_id: &str, session_id: &str) -> Result<TokenPair> {
        let refresh = credentials::refresh_token();
        let expires_at = Timestamp::now().plus(self.refresh_ttl);
        sql::refresh_insert(tx, &credentials::secret_hash(&refresh), session_id, expires_at).await?;
        Ok(TokenPair {
            token_type: "Bearer",
            access_token: self.access.issue(user_id, session_id)?,
            expires_in: self.access.ttl.as_secs(),
            refresh_token: refresh,
            refresh_expires_in: self.refresh_ttl.as_secs(),
        })
    }

    /// Swaps a refresh token for a new pair. A token used twice means it leaked: the whole
    /// session (every token of its family) ends.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair> {
        let hash = credentials::secret_hash(refresh_token.trim());
        let mut tx = self.db.begin().await?;
        let Some(row) = sql::refresh_get(&mut tx, &hash).await? else {
            return Err(Error::unauthenticated("invalid_refresh_token", "The refresh token is not valid."));
        };
        if row.revoked_at.is_some() || row.disabled_at.is_some() {
            return Err(session_ended());
        }
        if row.used_at.is_some() || !sql::refresh_use(&mut tx, &hash).await? {
            sql::session_revoke(&mut tx, &row.session_id, "refresh_token_reused").await?;
            tx.commit().await?;
            tracing::warn!(user = %row.user_id, session = %row.session_id, "refresh token reused; session revoked");
            return Err(Error::unauthenticated(
                "refresh_token_reused",
                "This refresh token was already used; the session has been ended for safety.",
            ));
        }
        if row.expires_at < Timestamp::now().as_micros() {
            return Err(session_ended());
        }
        let tokens = self.tokens_issue(&mut tx, &row.user_id, &row.session_id).await?;
        tx.commit().await?;
        Ok(tokens)
    }

    /// Ends the caller's session: its access and refresh tokens stop working at once.
    pub async fn logout(&self, principal: &Principal) -> Result<()> {
        let session_id = principal.require_session()?;
        let mut tx = self.db.begin().await?;
        sql::session_revoke(&mut tx, session_id, "logout").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks credentials against the current state: a disabled account, a revoked session or a
    /// revoked key fails at once, and the role is today's.
    pub async fn authenticate(&self, credentials: Credentials<'_>) -> Result<Principal> {
        match credentials {
            Credentials::Bearer(token) => {
                let claims = self.access.verify(token)?;
                let check = sql::session_check(&self.db, &claims.sid, &claims.sub).await?.ok_or_else(session_ended)?;
                if check.revoked_at.is_some()
                    || check.disabled_at.is_some()
                    || check.expires_at < Timestamp::now().as_micros()
                {
                    return Err(session_ended());
                }
                Ok(Principal {
                    user_id: claims.sub,
                    role: Role::parse(&check.role).ok_or_else(|| Error::internal("unknown role in database"))?,
                    method: AuthMethod::Session { session_id: claims.sid },
                })
            }
            Credentials::ApiKey(token) => self.api_key_authenticate(token).await,
        }
    }

    async fn api_key_authenticate(&self, token: &str) -> Result<Principal> {
        let invalid = || Error::unauthenticated("invalid_api_key", "The API key is not valid.");
        let (key_id, secret) = credentials::api_key_parts(token).ok_or_else(invalid)?;
        let row = sql::api_key_check(&self.db, key_id).await?.ok_or_else(invalid)?;
        if !credentials::constant_time_eq(&row.secret_hash, &credentials::secret_hash(secret))
            || row.revoked_at.is_some()
            || row.disabled_at.is_some()
        {
            return Err(invalid());
        }
        // Record use at most once a minute: a write per request would queue behind real writes.
        let minute_ago = Timestamp::now().minus(std::time::Duration::from_secs(60)).as_micros();
        if row.last_used_at.is_none_or(|t| t < minute_ago) {
            sql::api_key_touch(&self.db, key_id).await?;
        }
        Ok(Principal {
            user_id: row.user_id,
            role: Role::parse(&row.role).ok_or_else(|| Error::internal("unknown role in database"))?,
            method: AuthMethod::ApiKey {
                key_id: key_id.to_owned(),
                scopes: row.scopes.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            },
        })
    }
}

/// Gathers the field errors of three validations into one 422, so a form shows all at once.
pub(crate) fn collect3<A, B, C>(a: Result<A>, b: Result<B>, c: Result<C>) -> Result<(A, B, C)> {
    match (a, b, c) {
        (Ok(a), Ok(b), Ok(c)) => Ok((a, b, c)),
        (a, b, c) => {
            let errors = [a.err(), b.err(), c.err()].into_iter().flatten().flat_map(|e| e.errors).collect();
            Err(Error::invalid_fields(errors))
        }
    }
}
