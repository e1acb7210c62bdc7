//! SQL for the users context's own tables, and nothing else.

mod tokens;

pub use tokens::{token_consume, token_insert, token_live, tokens_void};

use kernel::time::Timestamp;
use store::{Db, Result, Tx, args};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub name: String,
    pub phone: Option<String>,
    pub role: String,
    pub disabled_at: Option<i64>,
    pub email_verified_at: Option<i64>,
    pub created_at: i64,
}

const ACCOUNT_COLUMNS: &str = "id, email, password_hash, name, phone, role, disabled_at, email_verified_at, created_at";

pub struct NewAccount<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub name: &'a str,
    pub role: &'a str,
}

pub async fn account_insert(tx: &mut Tx, a: &NewAccount<'_>) -> Result<()> {
    let now = Timestamp::now();
    tx.execute(
        "INSERT INTO users_accounts (id, email, password_hash, name, role, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
        args![a.id, a.email, a.password_hash, a.name, a.role, now],
    )
    .await?;
    Ok(())
}

pub async fn account_by_email(db: &Db, email: &str) -> Result<Option<AccountRow>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM users_accounts WHERE email = $1");
    db.fetch_optional(store::AssertSqlSafe(sql), args![email]).await
}

pub async fn account_by_id(tx: &mut Tx, id: &str) -> Result<Option<AccountRow>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM users_accounts WHERE id = $1");
    tx.fetch_optional(store::AssertSqlSafe(sql), args![id]).await
}

pub async fn account_get(db: &Db, id: &str) -> Result<Option<AccountRow>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM users_accounts WHERE id = $1");
    db.fetch_optional(store::AssertSqlSafe(sql), args![id]).await
}

pub async fn account_profile_set(tx: &mut Tx, id: &str, name: &str, phone: Option<&str>) -> Result<()> {
    tx.execute(
        "UPDATE users_accounts SET name = $1, phone = $2, updated_at = $3 WHERE id = $4",
        args![name, phone, Timestamp::now(), id],
    )
    .await?;
    Ok(())
}

pub async fn account_password_set(tx: &mut Tx, id: &str, hash: &str) -> Result<()> {
    tx.execute(
        "UPDATE users_accounts SET password_hash = $1, updated_at = $2 WHERE id = $3",
        args![hash, Timestamp::now(), id],
    )
    .await?;
    Ok(())
}

/// Marks the address verified; a later verification keeps the first time.
pub async fn account_email_verified_set(tx: &mut Tx, id: &str) -> Result<()> {
    let now = Timestamp::now();
    tx.execute(
        "UPDATE users_accounts SET email_verified_at = COALESCE(email_verified_at, $1), updated_at = $1 WHERE id = $2",
        args![now, id],
    )
    .await?;
    Ok(())
}

pub async fn account_role_set(tx: &mut Tx, id: &str, role: &str) -> Result<()> {
    tx.execute("UPDATE users_accounts SET role = $1, updated_at = $2 WHERE id = $3", args![role, Timestamp::now(), id])
        .await?;
    Ok(())
}

pub async fn account_disabled_set(tx: &mut Tx, id: &str, disabled_at: Option<Timestamp>) -> Result<()> {
    tx.execute(
        "UPDATE users_accounts SET disabled_at = $1, updated_at = $2 WHERE id = $3",
        args![disabled_at, Timestamp::now(), id],
    )
    .await?;
    Ok(())
}

/// Accounts in id order after `after`, optionally filtered by a text in e-mail or name and by role.
pub async fn account_search(
    db: &Db,
    text: Option<&str>,
    role: Option<&str>,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<AccountRow>> {
    let pattern = text.map(|t| format!("%{}%", escape_like(&t.to_lowercase())));
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM users_accounts
         WHERE ($1 IS NULL OR email LIKE $1 ESCAPE '\\' OR LOWER(name) LIKE $1 ESCAPE '\\')
           AND ($2 IS NULL OR role = $2)
           AND ($3 IS NULL OR id > $3)
         ORDER BY id LIMIT $4"
    );
    db.fetch_all(store::AssertSqlSafe(sql), args![pattern, role, after, i64::from(limit) + 1]).await
}

#[derive(Debug, sqlx::FromRow)]
pub struct StaffRow {
    pub id: String,
    pub email: String,
    pub name: String,
}

/// Enabled accounts of exactly `role`, oldest first.
pub async fn staff_list(db: &Db, role: &str, limit: i64) -> Result<Vec<StaffRow>> {
    db.fetch_all(
        "SELECT id, email, name FROM users_accounts WHERE role = $1 AND disabled_at IS NULL
         ORDER BY created_at, id LIMIT $2",
        args![role, limit],
    )
    .await
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

// --- sessions and refresh tokens ---

pub async fn session_insert(tx: &mut Tx, id: &str, user_id: &str, expires_at: Timestamp) -> Result<()> {
    tx.execute(
        "INSERT INTO users_sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        args![id, user_id, Timestamp::now(), expires_at],
    )
    .await?;
    Ok(())
}

pub async fn session_revoke(tx: &mut Tx, id: &str, reason: &str) -> Result<()> {
    tx.execute(
        "UPDATE users_sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL",
        args![Timestamp::now(), reason, id],
    )
    .await?;
    Ok(())
}

/// Revokes every live session of a user, except `keep` when given.
pub async fn sessions_revoke_all(tx: &mut Tx, user_id: &str, keep: Option<&str>, reason: &str) -> Result<()> {
    tx.execute(
        "UPDATE users_sessions SET revoked_at = $1, revoked_reason = $2
         WHERE user_id = $3 AND revoked_at IS NULL AND ($4 IS NULL OR id <> $4)",
        args![Timestamp::now(), reason, user_id, keep],
    )
    .await?;
    Ok(())
}

/// A browser session: a session row whose cookie secret's hash is kept with it.
pub async fn session_insert_browser(
    tx: &mut Tx,
    id: &str,
    user_id: &str,
    expires_at: Timestamp,
    cookie_hash: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO users_sessions (id, user_id, created_at, expires_at, cookie_hash) VALUES ($1, $2, $3, $4, $5)",
        args![id, user_id, Timestamp::now(), expires_at, cookie_hash],
    )
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct BrowserSessionCheck {
    pub session_id: String,
    pub user_id: String,
    pub role: String,
    pub disabled_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub expires_at: i64,
}

pub async fn session_by_cookie(db: &Db, cookie_hash: &str) -> Result<Option<BrowserSessionCheck>> {
    db.fetch_optional(
        "SELECT s.id AS session_id, s.user_id, a.role, a.disabled_at, s.revoked_at, s.expires_at
         FROM users_sessions s JOIN users_accounts a ON a.id = s.user_id
         WHERE s.cookie_hash = $1",
        args![cookie_hash],
    )
    .await
}

/// What every authenticated request checks: the session is live and its account enabled.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionCheck {
    pub role: String,
    pub disabled_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub expires_at: i64,
}

pub async fn session_check(db: &Db, session_id: &str, user_id: &str) -> Result<Option<SessionCheck>> {
    db.fetch_optional(
        "SELECT a.role, a.disabled_at, s.revoked_at, s.expires_at
         FROM users_sessions s JOIN users_accounts a ON a.id = s.user_id
         WHERE s.id = $1 AND a.id = $2",
        args![session_id, user_id],
    )
    .await
}

pub async fn refresh_insert(tx: &mut Tx, hash: &str, session_id: &str, expires_at: Timestamp) -> Result<()> {
    tx.execute(
        "INSERT INTO users_refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        args![hash, session_id, Timestamp::now(), expires_at],
    )
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct RefreshRow {
    pub session_id: String,
    pub user_id: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub disabled_at: Option<i64>,
}

pub async fn refresh_get(tx: &mut Tx, hash: &str) -> Result<Option<RefreshRow>> {
    tx.fetch_optional(
        "SELECT r.session_id, s.user_id, r.expires_at, r.used_at, s.revoked_at, a.disabled_at
         FROM users_refresh_tokens r
         JOIN users_sessions s ON s.id = r.session_id
         JOIN users_accounts a ON a.id = s.user_id
         WHERE r.token_hash = $1",
        args![hash],
    )
    .await
}

/// Marks a refresh token used; false when it already was (a replay, or a concurrent refresh).
pub async fn refresh_use(tx: &mut Tx, hash: &str) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE users_refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL",
            args![Timestamp::now(), hash],
        )
        .await?;
    Ok(n == 1)
}

// --- addresses ---

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AddressRow {
    pub id: String,
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub phone: Option<String>,
    pub is_default_shipping: bool,
    pub created_at: i64,
}

const ADDRESS_COLUMNS: &str =
    "id, name, line1, line2, city, region, postal_code, country, phone, is_default_shipping, created_at";

pub async fn address_list(db: &Db, user_id: &str) -> Result<Vec<AddressRow>> {
    let sql = format!("SELECT {ADDRESS_COLUMNS} FROM users_addresses WHERE user_id = $1 ORDER BY id");
    db.fetch_all(store::AssertSqlSafe(sql), args![user_id]).await
}

pub async fn address_get(tx: &mut Tx, user_id: &str, id: &str) -> Result<Option<AddressRow>> {
    let sql = format!("SELECT {ADDRESS_COLUMNS} FROM users_addresses WHERE user_id = $1 AND id = $2");
    tx.fetch_optional(store::AssertSqlSafe(sql), args![user_id, id]).await
}

pub async fn address_count(tx: &mut Tx, user_id: &str) -> Result<i64> {
    let (n,): (i64,) = tx.fetch_one("SELECT COUNT(*) FROM users_addresses WHERE user_id = $1", args![user_id]).await?;
    Ok(n)
}

/// Writes a whole address (insert or replace), owner-scoped.
pub async fn address_upsert(tx: &mut Tx, user_id: &str, a: &AddressRow) -> Result<()> {
    let now = Timestamp::now();
    tx.execute(
        "INSERT INTO users_addresses
           (id, user_id, name, line1, line2, city, region, postal_code, country, phone, is_default_shipping, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
         ON CONFLICT (id) DO UPDATE SET name = $3, line1 = $4, line2 = $5, city = $6, region = $7,
           postal_code = $8, country = $9, phone = $10, is_default_shipping = $11, updated_at = $12
         WHERE users_addresses.user_id = $2",
        args![
            a.id.as_str(),
            user_id,
            a.name.as_str(),
            a.line1.as_str(),
            a.line2.clone(),
            a.city.as_str(),
            a.region.clone(),
            a.postal_code.as_str(),
            a.country.as_str(),
            a.phone.clone(),
            a.is_default_shipping,
            now
        ],
    )
    .await?;
    Ok(())
}

/// Makes `id` the only default shipping address of the user.
pub async fn address_default_set(tx: &mut Tx, user_id: &str, id: &str) -> Result<()> {
    tx.execute("UPDATE users_addresses SET is_default_shipping = (id = $1) WHERE user_id = $2", args![id, user_id])
        .await?;
    Ok(())
}

pub async fn address_delete(tx: &mut Tx, user_id: &str, id: &str) -> Result<bool> {
    Ok(tx.execute("DELETE FROM users_addresses WHERE user_id = $1 AND id = $2", args![user_id, id]).await? == 1)
}

// --- seller profiles ---

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SellerRow {
    pub user_id: String,
    pub store_name: String,
    pub description: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub status: String,
    pub decided_at: Option<i64>,
    pub created_at: i64,
}

const SELLER_COLUMNS: &str =
    "user_id, store_name, description, contact_email, contact_phone, status, decided_at, created_at";

pub async fn seller_get(tx: &mut Tx, user_id: &str) -> Result<Option<SellerRow>> {
    let sql = format!("SELECT {SELLER_COLUMNS} FROM users_seller_profiles WHERE user_id = $1");
    tx.fetch_optional(store::AssertSqlSafe(sql), args![user_id]).await
}

pub async fn seller_upsert(tx: &mut Tx, s: &SellerRow) -> Result<()> {
    let now = Timestamp::now();
    tx.execute(
        "INSERT INTO users_seller_profiles
           (user_id, store_name, description, contact_email, contact_phone, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
         ON CONFLICT (user_id) DO UPDATE SET store_name = $2, description = $3, contact_email = $4,
           contact_phone = $5, status = $6, decided_by = NULL, decided_at = NULL, updated_at = $7",
        args![
            s.user_id.as_str(),
            s.store_name.as_str(),
            s.description.as_str(),
            s.contact_email.as_str(),
            s.contact_phone.clone(),
            s.status.as_str(),
            now
        ],
    )
    .await?;
    Ok(())
}

pub async fn seller_decide(tx: &mut Tx, user_id: &str, status: &str, by: &str) -> Result<()> {
    let now = Timestamp::now();
    tx.execute(
        "UPDATE users_seller_profiles SET status = $1, decided_by = $2, decided_at = $3, updated_at = $3 WHERE user_id = $4",
        args![status, by, now, user_id],
    )
    .await?;
    Ok(())
}

pub async fn seller_list(db: &Db, status: Option<&str>, after: Option<&str>, limit: u32) -> Result<Vec<SellerRow>> {
    let sql = format!(
        "SELECT {SELLER_COLUMNS} FROM users_seller_profiles
         WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR user_id > $2)
         ORDER BY user_id LIMIT $3"
    );
    db.fetch_all(store::AssertSqlSafe(sql), args![status, after, i64::from(limit) + 1]).await
}

// --- API keys ---

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    pub scopes: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

pub async fn api_key_insert(tx: &mut Tx, user_id: &str, row: &ApiKeyRow, secret_hash: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO users_api_keys (id, user_id, name, secret_hash, scopes, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        args![row.id.as_str(), user_id, row.name.as_str(), secret_hash, row.scopes.as_str(), Timestamp::from_micros(row.created_at)],
    )
    .await?;
    Ok(())
}

pub async fn api_key_list(db: &Db, user_id: &str) -> Result<Vec<ApiKeyRow>> {
    db.fetch_all(
        "SELECT id, name, scopes, created_at, last_used_at, revoked_at FROM users_api_keys WHERE user_id = $1 ORDER BY id",
        args![user_id],
    )
    .await
}

pub async fn api_key_revoke(tx: &mut Tx, user_id: &str, id: &str) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE users_api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE user_id = $2 AND id = $3",
            args![Timestamp::now(), user_id, id],
        )
        .await?;
    Ok(n == 1)
}

#[derive(Debug, sqlx::FromRow)]
pub struct ApiKeyCheck {
    pub user_id: String,
    pub secret_hash: String,
    pub scopes: String,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub role: String,
    pub disabled_at: Option<i64>,
}

pub async fn api_key_check(db: &Db, id: &str) -> Result<Option<ApiKeyCheck>> {
    db.fetch_optional(
        "SELECT k.user_id, k.secret_hash, k.scopes, k.last_used_at, k.revoked_at, a.role, a.disabled_at
         FROM users_api_keys k JOIN users_accounts a ON a.id = k.user_id WHERE k.id = $1",
        args![id],
    )
    .await
}

pub async fn api_key_touch(db: &Db, id: &str) -> Result<()> {
    db.execute("UPDATE users_api_keys SET last_used_at = $1 WHERE id = $2", args![Timestamp::now(), id]).await?;
    Ok(())
}

pub async fn address_list_tx(tx: &mut Tx, user_id: &str) -> Result<Vec<AddressRow>> {
    let sql = format!("SELECT {ADDRESS_COLUMNS} FROM users_addresses WHERE user_id = $1 ORDER BY id");
    tx.fetch_all(store::AssertSqlSafe(sql), args![user_id]).await
}
