//! Becoming a seller: a customer applies with a store profile; an admin decides.

use super::UsersService;
use crate::api::events::{SellerStatusChanged, UserRoleChanged};
use crate::domain::{Email, SellerStatus, optional_text, required_text};
use crate::dto::{SellerApplication, SellerProfileDto, SellerQuery};
use crate::store::{self as sql, SellerRow};
use kernel::auth::{Principal, Role};
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result, Validation};
use store::outbox;

fn not_found() -> Error {
    Error::not_found("seller_profile_not_found", "No seller profile.")
}

impl UsersService {
    pub async fn seller_apply(&self, p: &Principal, input: SellerApplication) -> Result<SellerProfileDto> {
        p.require_scope(crate::api::ACCOUNT_WRITE)?;
        let mut v = Validation::default();
        let store_name = v.check(required_text("store_name", &input.store_name, 80));
        let description = v.check(required_text("description", &input.description, 2000));
        let contact_email = v.check(Email::parse("contact_email", &input.contact_email).map(|e| Some(e.into_string())));
        let contact_phone = v.check(optional_text("contact_phone", input.contact_phone.as_deref(), 32));
        v.finish()?;
        let mut tx = self.db.begin().await?;
        match sql::seller_get(&mut tx, &p.user_id).await?.map(|s| SellerStatus::parse(&s.status)) {
            Some(Some(SellerStatus::Pending)) => {
                return Err(Error::conflict("application_pending", "Your application is waiting for a decision."));
            }
            Some(Some(SellerStatus::Approved)) => {
                return Err(Error::conflict("already_seller", "You are a seller already."));
            }
            _ => {}
        }
        let row = SellerRow {
            user_id: p.user_id.clone(),
            store_name,
            description,
            contact_email: contact_email.unwrap_or_default(),
            contact_phone,
            status: SellerStatus::Pending.as_str().into(),
            decided_at: None,
            created_at: Timestamp::now().as_micros(),
        };
        sql::seller_upsert(&mut tx, &row).await?;
        outbox::emit(
            &mut tx,
            &SellerStatusChanged { user_id: p.user_id.clone(), status: "pending".into(), by: p.user_id.clone() },
        )
        .await?;
        let saved = sql::seller_get(&mut tx, &p.user_id).await?.ok_or_else(|| Error::internal("profile vanished"))?;
        tx.commit().await?;
        Ok(saved.into())
    }

    pub async fn seller_profile_get(&self, p: &Principal) -> Result<SellerProfileDto> {
        p.require_scope(crate::api::ACCOUNT_READ)?;
        let mut tx = self.db.begin().await?;
        let row = sql::seller_get(&mut tx, &p.user_id).await?.ok_or_else(not_found)?;
        tx.commit().await?;
        Ok(row.into())
    }

    pub async fn seller_list(&self, p: &Principal, query: SellerQuery) -> Result<Page<SellerProfileDto>> {
        p.require_scope(crate::api::USERS_READ)?;
        let page = PageParams { limit: query.limit, cursor: query.cursor }.validate()?;
        let status = match query.status.as_deref() {
            None => None,
            Some(s) => Some(
                SellerStatus::parse(s)
                    .ok_or_else(|| Error::invalid_field("status", "must be pending, approved or rejected"))?,
            ),
        };
        let rows =
            sql::seller_list(&self.db, status.map(SellerStatus::as_str), page.after.as_deref(), page.limit).await?;
        Ok(Page::from_rows(rows, page.limit, |r| &r.user_id).map(Into::into))
    }

    /// Approves an application; the applicant becomes a seller (an admin stays an admin).
    pub async fn seller_approve(&self, p: &Principal, user_id: &str) -> Result<SellerProfileDto> {
        p.require_scope(crate::api::USERS_WRITE)?;
        self.seller_decide(&p.user_id, user_id, SellerStatus::Approved).await
    }

    pub async fn seller_reject(&self, p: &Principal, user_id: &str) -> Result<SellerProfileDto> {
        p.require_scope(crate::api::USERS_WRITE)?;
        self.seller_decide(&p.user_id, user_id, SellerStatus::Rejected).await
    }

    /// The decision itself; `by` is the deciding admin (or `system` for the demo seller).
    pub async fn seller_decide(&self, by: &str, user_id: &str, status: SellerStatus) -> Result<SellerProfileDto> {
        let mut tx = self.db.begin().await?;
        let profile = sql::seller_get(&mut tx, user_id).await?.ok_or_else(not_found)?;
        if profile.status != status.as_str() {
            sql::seller_decide(&mut tx, user_id, status.as_str(), by).await?;
            outbox::emit(
                &mut tx,
                &SellerStatusChanged { user_id: user_id.into(), status: status.as_str().into(), by: by.into() },
            )
            .await?;
        }
        let account = sql::account_by_id(&mut tx, user_id).await?.ok_or_else(not_found)?;
        let old_role = Role::parse(&account.role);
        let new_role = match (status, old_role) {
            (SellerStatus::Approved, Some(Role::Customer)) => Some(Role::Seller),
            (SellerStatus::Rejected, Some(Role::Seller)) => Some(Role::Customer),
            _ => None,
        };
        if let Some(role) = new_role {
            sql::account_role_set(&mut tx, user_id, role.as_str()).await?;
            outbox::emit(
                &mut tx,
                &UserRoleChanged {
                    user_id: user_id.into(),
                    from: old_role.unwrap_or(Role::Customer),
                    to: role,
                    by: by.into(),
                },
            )
            .await?;
        }
        let saved = sql::seller_get(&mut tx, user_id).await?.ok_or_else(not_found)?;
        tx.commit().await?;
        tracing::info!(user = %user_id, status = status.as_str(), by = %by, "seller application decided");
        Ok(saved.into())
    }
}
