//! Administering accounts: search, change a role, disable and enable.

use super::UsersService;
use crate::api::events::{UserAccessChanged, UserRoleChanged};
use crate::dto::{UserDto, UserQuery};
use crate::store as sql;
use kernel::auth::{Principal, Role};
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::outbox;

/// Enough for any shop's staff; the bound keeps a message "to every admin" from becoming a mass mailing.
const STAFF_CONTACTS_MAX: i64 = 200;

fn not_found() -> Error {
    Error::not_found("user_not_found", "No such user.")
}

fn not_self(p: &Principal, user_id: &str) -> Result<()> {
    if p.user_id == user_id {
        Err(Error::conflict("cannot_change_self", "Admins cannot change their own role or access; ask another admin."))
    } else {
        Ok(())
    }
}

impl UsersService {
    pub async fn user_list(&self, p: &Principal, query: UserQuery) -> Result<Page<UserDto>> {
        p.require_scope(crate::api::USERS_READ)?;
        let page = PageParams { limit: query.limit, cursor: query.cursor }.validate()?;
        let text = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if text.is_some_and(|t| t.chars().count() > 100) {
            return Err(Error::invalid_field("q", "must be at most 100 characters"));
        }
        let rows = sql::account_search(&self.db, text, query.role.map(Role::as_str), page.after.as_deref(), page.limit)
            .await?;
        Ok(Page::from_rows(rows, page.limit, |r| &r.id).map(Into::into))
    }

    pub async fn user_get(&self, p: &Principal, user_id: &str) -> Result<UserDto> {
        p.require_scope(crate::api::USERS_READ)?;
        Ok(sql::account_get(&self.db, user_id).await?.ok_or_else(not_found)?.into())
    }

    pub async fn user_role_set(&self, p: &Principal, user_id: &str, role: Role) -> Result<UserDto> {
        p.require_scope(crate::api::USERS_WRITE)?;
        not_self(p, user_id)?;
        let mut tx = self.db.begin().await?;
        let account = sql::account_by_id(&mut tx, user_id).await?.ok_or_else(not_found)?;
        if account.role != role.as_str() {
            sql::account_role_set(&mut tx, user_id, role.as_str()).await?;
            let event = UserRoleChanged {
                user_id: user_id.into(),
                from: Role::parse(&account.role).unwrap_or(Role::Customer),
                to: role,
                by: p.user_id.clone(),
            };
            outbox::emit(&mut tx, &event).await?;
        }
        let row = sql::account_by_id(&mut tx, user_id).await?.ok_or_else(not_found)?;
        tx.commit().await?;
        tracing::info!(user = %user_id, role = role.as_str(), by = %p.user_id, "role changed");
        Ok(row.into())
    }

    /// Disables or re-enables an account. Disabling ends every session and stops its API keys
    /// at once, because each request checks the account.
    pub async fn user_access_set(&self, p: &Principal, user_id: &str, disabled: bool) -> Result<UserDto> {
        p.require_scope(crate::api::USERS_WRITE)?;
        not_self(p, user_id)?;
        let mut tx = self.db.begin().await?;
        let account = sql::account_by_id(&mut tx, user_id).await?.ok_or_else(not_found)?;
        if account.disabled_at.is_some() != disabled {
            sql::account_disabled_set(&mut tx, user_id, disabled.then(Timestamp::now)).await?;
            if disabled {
                sql::sessions_revoke_all(&mut tx, user_id, None, "account_disabled").await?;
            }
            outbox::emit(&mut tx, &UserAccessChanged { user_id: user_id.into(), disabled, by: p.user_id.clone() })
                .await?;
        }
        let row = sql::account_by_id(&mut tx, user_id).await?.ok_or_else(not_found)?;
        tx.commit().await?;
        tracing::info!(user = %user_id, disabled, by = %p.user_id, "account access changed");
        Ok(row.into())
    }
}

impl crate::api::Customers for UsersService {
    fn customer_contact<'a>(&'a self, user_id: &'a str) -> kernel::BoxFuture<'a, Result<Option<crate::api::Contact>>> {
        Box::pin(async move {
            let account = sql::account_get(&self.db, user_id).await?;
            Ok(account
                .filter(|a| a.disabled_at.is_none())
                .map(|a| crate::api::Contact { email: a.email, name: a.name }))
        })
    }

    fn staff_contacts<'a>(&'a self, role: Role) -> kernel::BoxFuture<'a, Result<Vec<crate::api::StaffContact>>> {
        Box::pin(async move {
            let rows = sql::staff_list(&self.db, role.as_str(), STAFF_CONTACTS_MAX).await?;
            Ok(rows
                .into_iter()
                .map(|r| crate::api::StaffContact { user_id: r.id, email: r.email, name: r.name })
                .collect())
        })
    }
}
