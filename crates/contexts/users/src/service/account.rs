//! A user's own account: profile, password and addresses.

use super::UsersService;
use super::auth::collect3;
use super::notices::notice;
use crate::api::AccountNoticeKind;
use crate::domain::{Password, TokenPurpose, optional_text, required_text};
use crate::dto::{AddressDto, AddressInput, PasswordChange, ProfileUpdate, UserDto};
use crate::store::{self as sql, AddressRow};
use kernel::auth::Principal;
use kernel::time::Timestamp;
use kernel::{Error, Result, Validation};

/// A user may keep this many addresses; more is a sign of abuse, not of shopping.
const MAX_ADDRESSES: i64 = 50;

fn not_found() -> Error {
    Error::not_found("address_not_found", "No such address.")
}

impl UsersService {
    pub async fn profile_get(&self, p: &Principal) -> Result<UserDto> {
        p.require_scope(crate::api::ACCOUNT_READ)?;
        let row = sql::account_get(&self.db, &p.user_id)
            .await?
            .ok_or_else(|| Error::not_found("user_not_found", "No such user."))?;
        Ok(row.into())
    }

    pub async fn profile_update(&self, p: &Principal, input: ProfileUpdate) -> Result<UserDto> {
        p.require_scope(crate::api::ACCOUNT_WRITE)?;
        let name = input.name.as_deref().map(|n| optional_text("name", Some(n), 100)).transpose();
        let phone = input.phone.as_deref().map(|n| optional_text("phone", Some(n), 32)).transpose();
        let (name, phone, ()) = collect3(name, phone, Ok(()))?;
        let mut tx = self.db.begin().await?;
        let current = sql::account_by_id(&mut tx, &p.user_id)
            .await?
            .ok_or_else(|| Error::not_found("user_not_found", "No such user."))?;
        let name = name.map(Option::unwrap_or_default).unwrap_or(current.name);
        let phone = phone.unwrap_or(current.phone);
        sql::account_profile_set(&mut tx, &p.user_id, &name, phone.as_deref()).await?;
        let row = sql::account_by_id(&mut tx, &p.user_id).await?.ok_or_else(|| Error::internal("account vanished"))?;
        tx.commit().await?;
        Ok(row.into())
    }

    /// Changes the password after checking the current one; every other session ends.
    pub async fn password_change(&self, p: &Principal, input: PasswordChange) -> Result<()> {
        p.require_scope(crate::api::ACCOUNT_WRITE)?;
        let session_id = p.require_session()?.to_owned();
        let new = Password::parse("new_password", &input.new_password)?;
        let account =
            sql::account_get(&self.db, &p.user_id).await?.ok_or_else(|| Error::internal("account vanished"))?;
        self.throttle.check(&account.email, "password-change").await?;
        if !self.hashing.verify(&input.current_password, Some(&account.password_hash)).await? {
            self.throttle.failed(&account.email, "password-change").await?;
            return Err(Error::invalid_field("current_password", "is wrong"));
        }
        let hash = self.hashing.hash(new.expose()).await?;
        let mut tx = self.db.begin().await?;
        sql::account_password_set(&mut tx, &p.user_id, &hash).await?;
        sql::sessions_revoke_all(&mut tx, &p.user_id, Some(&session_id), "password_changed").await?;
        // A reset link mailed before must not undo the change.
        sql::tokens_void(&mut tx, &p.user_id, TokenPurpose::Reset.as_str()).await?;
        tx.commit().await?;
        tracing::info!(user = %p.user_id, "password changed; other sessions revoked");
        self.notice_send(notice(&account, AccountNoticeKind::PasswordChanged, None));
        Ok(())
    }

    pub async fn address_list(&self, p: &Principal) -> Result<Vec<AddressDto>> {
        p.require_scope(crate::api::ACCOUNT_READ)?;
        Ok(sql::address_list(&self.db, &p.user_id).await?.into_iter().map(Into::into).collect())
    }

    pub async fn address_create(&self, p: &Principal, input: AddressInput) -> Result<AddressDto> {
        p.require_scope(crate::api::ACCOUNT_WRITE)?;
        let mut row = address_parse(input)?;
        row.id = kernel::id::new_id("adr");
        let mut tx = self.db.begin().await?;
        let count = sql::address_count(&mut tx, &p.user_id).await?;
        if count >= MAX_ADDRESSES {
            return Err(Error::conflict(
                "address_limit",
                format!("An account keeps at most {MAX_ADDRESSES} addresses."),
            ));
        }
        let make_default = row.is_default_shipping || count == 0;
        row.is_default_shipping = make_default;
        sql::address_upsert(&mut tx, &p.user_id, &row).await?;
        if make_default {
            sql::address_default_set(&mut tx, &p.user_id, &row.id).await?;
        }
        let saved =
            sql::address_get(&mut tx, &p.user_id, &row.id).await?.ok_or_else(|| Error::internal("address vanished"))?;
        tx.commit().await?;
        Ok(saved.into())
    }

    pub async fn address_update(&self, p: &Principal, id: &str, input: AddressInput) -> Result<AddressDto> {
        p.require_scope(crate::api::ACCOUNT_WRITE)?;
        let mut row = address_parse(input)?;
        let mut tx = self.db.begin().await?;
        let current = sql::address_get(&mut tx, &p.user_id, id).await?.ok_or_else(not_found)?;
        row.id = current.id;
        // The default moves only by choosing another one, so a user always has one.
        row.is_default_shipping = row.is_default_shipping || current.is_default_shipping;
        sql::address_upsert(&mut tx, &p.user_id, &row).await?;
        if row.is_default_shipping {
            sql::address_default_set(&mut tx, &p.user_id, &row.id).await?;
        }
        let saved =
            sql::address_get(&mut tx, &p.user_id, &row.id).await?.ok_or_else(|| Error::internal("address vanished"))?;
        tx.commit().await?;
        Ok(saved.into())
    }

    pub async fn address_delete(&self, p: &Principal, id: &str) -> Result<()> {
        p.require_scope(crate::api::ACCOUNT_WRITE)?;
        let mut tx = self.db.begin().await?;
        let current = sql::address_get(&mut tx, &p.user_id, id).await?.ok_or_else(not_found)?;
        sql::address_delete(&mut tx, &p.user_id, id).await?;
        if current.is_default_shipping {
            // Hand the default to the oldest remaining address, if any.
            let remaining = sql::address_list_tx(&mut tx, &p.user_id).await?;
            if let Some(first) = remaining.first() {
                sql::address_default_set(&mut tx, &p.user_id, &first.id).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

fn address_parse(input: AddressInput) -> Result<AddressRow> {
    let mut v = Validation::default();
    let name = v.check(required_text("name", &input.name, 100));
    let line1 = v.check(required_text("line1", &input.line1, 200));
    let line2 = v.check(optional_text("line2", input.line2.as_deref(), 200));
    let city = v.check(required_text("city", &input.city, 100));
    let region = v.check(optional_text("region", input.region.as_deref(), 100));
    let postal_code = v.check(required_text("postal_code", &input.postal_code, 16));
    let phone = v.check(optional_text("phone", input.phone.as_deref(), 32));
    let country = input.country.trim().to_ascii_uppercase();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        v.push("country", "must be an ISO 3166-1 alpha-2 code such as DE");
    }
    v.finish()?;
    Ok(AddressRow {
        id: String::new(),
        name,
        line1,
        line2,
        city,
        region,
        postal_code,
        country,
        phone,
        is_default_shipping: input.is_default_shipping,
        created_at: Timestamp::now().as_micros(),
    })
}
