//! API keys for integrations: scoped, shown once, stored hashed, revocable.

use super::UsersService;
use crate::credentials;
use crate::domain::required_text;
use crate::dto::{ApiKeyCreate, ApiKeyCreated, ApiKeyDto};
use crate::store::{self as sql, ApiKeyRow};
use kernel::auth::Principal;
use kernel::time::Timestamp;
use kernel::{Error, Result, Validation};

const MAX_ACTIVE_KEYS: usize = 20;

impl UsersService {
    /// Creates a key. Only a login session may (a key cannot mint keys), and only with scopes
    /// the caller's role may hold.
    pub async fn api_key_create(&self, p: &Principal, input: ApiKeyCreate) -> Result<ApiKeyCreated> {
        p.require_scope(crate::api::ACCOUNT_WRITE)?;
        p.require_session()?;
        let mut v = Validation::default();
        let name = v.check(required_text("name", &input.name, 100));
        let mut names = input.scopes;
        names.sort();
        names.dedup();
        if names.is_empty() {
            v.push("scopes", "must name at least one scope");
        }
        let known = self.scopes.get().map_or(&[][..], Vec::as_slice);
        let scopes: Vec<_> = names.iter().filter_map(|n| known.iter().find(|s| s.as_str() == n)).collect();
        if scopes.len() < names.len() {
            v.push("scopes", "names a scope that does not exist");
        }
        if scopes.iter().any(|s| !p.role.at_least(s.min_role())) {
            v.push("scopes", "includes a scope your role cannot hold");
        }
        v.finish()?;
        let active =
            sql::api_key_list(&self.db, &p.user_id).await?.into_iter().filter(|k| k.revoked_at.is_none()).count();
        if active >= MAX_ACTIVE_KEYS {
            return Err(Error::conflict(
                "api_key_limit",
                format!("At most {MAX_ACTIVE_KEYS} active API keys; revoke one first."),
            ));
        }
        let secret = credentials::random_secret();
        let row = ApiKeyRow {
            id: kernel::id::new_id("oxk"),
            name,
            scopes: scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "),
            created_at: Timestamp::now().as_micros(),
            last_used_at: None,
            revoked_at: None,
        };
        let mut tx = self.db.begin().await?;
        sql::api_key_insert(&mut tx, &p.user_id, &row, &credentials::secret_hash(&secret)).await?;
        tx.commit().await?;
        tracing::info!(user = %p.user_id, key = %row.id, "API key created");
        let token = credentials::api_key_token(&row.id, &secret);
        Ok(ApiKeyCreated { key: row.into(), secret: token })
    }

    pub async fn api_key_list(&self, p: &Principal) -> Result<Vec<ApiKeyDto>> {
        p.require_scope(crate::api::ACCOUNT_READ)?;
        Ok(sql::api_key_list(&self.db, &p.user_id).await?.into_iter().map(Into::into).collect())
    }

    pub async fn api_key_revoke(&self, p: &Principal, id: &str) -> Result<()> {
        p.require_scope(crate::api::ACCOUNT_WRITE)?;
        let mut tx = self.db.begin().await?;
        if !sql::api_key_revoke(&mut tx, &p.user_id, id).await? {
            return Err(Error::not_found("api_key_not_found", "No such API key."));
        }
        tx.commit().await?;
        tracing::info!(user = %p.user_id, key = %id, "API key revoked");
        Ok(())
    }
}
