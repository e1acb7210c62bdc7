//! Managing promotions: sellers their own, admins the platform-wide ones and any other.

use super::input::ValidPromotion;
use super::{PricingService, owner_scope, promotion_dto, promotion_not_found};
use crate::api::events::{PromotionChanged, PromotionTerms};
use crate::dto::{PromotionDto, PromotionInput};
use crate::store::promotions::{self as sql, PromotionRow};
use crate::store::redemptions;
use kernel::auth::Principal;
use kernel::id::new_id;
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::{Query, Tx};

impl PricingService {
    /// A seller's promotion discounts only their own lines; an admin's is platform-wide.
    pub async fn promotion_create(&self, p: &Principal, input: PromotionInput) -> Result<PromotionDto> {
        let seller = owner_scope(p)?;
        let valid = ValidPromotion::parse(input)?;
        let now = Timestamp::now().as_micros();
        let row = valid.into_row(new_id("pro"), seller.map(str::to_owned), now, 0, now);
        let mut tx = self.db.begin().await?;
        sql::promotion_insert(&mut tx, &row).await.map_err(code_taken)?;
        announce(&mut tx, &row, "created", None, Some(&row)).await?;
        tx.commit().await?;
        Ok(promotion_dto(row))
    }

    /// The caller's promotions, newest first (admin: every one).
    pub async fn promotion_list(&self, p: &Principal, page: PageParams) -> Result<Page<PromotionDto>> {
        let seller = owner_scope(p)?;
        let page = page.validate()?;
        let rows =
            sql::promotion_list(&mut self.db.clone(), seller, page.after.as_deref(), i64::from(page.limit) + 1).await?;
        Ok(Page::from_rows(rows, page.limit, |r| &r.id).map(promotion_dto))
    }

    pub async fn promotion_get(&self, p: &Principal, id: &str) -> Result<PromotionDto> {
        let seller = owner_scope(p)?;
        Ok(promotion_dto(owned(&mut self.db.clone(), seller, id).await?))
    }

    /// Replaces every editable field; the owner, the uses counted and the creation time stay.
    pub async fn promotion_update(&self, p: &Principal, id: &str, input: PromotionInput) -> Result<PromotionDto> {
        let seller = owner_scope(p)?;
        let valid = ValidPromotion::parse(input)?;
        let mut tx = self.db.begin().await?;
        let current = owned(&mut tx, seller, id).await?;
        let used = current.times_used;
        let below_uses = || Error::invalid_field("usage_limit", format!("it was used {used} times already"));
        if valid.usage_limit.is_some_and(|limit| limit < used) {
            return Err(below_uses());
        }
        let now = Timestamp::now().as_micros();
        let row = valid.into_row(current.id.clone(), current.seller_id.clone(), current.created_at, used, now);
        // The statement re-checks the limit against the uses counted by then.
        if !sql::promotion_update(&mut tx, &row).await.map_err(code_taken)? {
            return Err(below_uses());
        }
        announce(&mut tx, &row, "updated", Some(&current), Some(&row)).await?;
        tx.commit().await?;
        Ok(promotion_dto(row))
    }

    /// Deletes a promotion no order used (`None`). One that orders used is kept for their
    /// record and switched off instead, and returned so the caller sees it is still there.
    pub async fn promotion_delete(&self, p: &Principal, id: &str) -> Result<Option<PromotionDto>> {
        let seller = owner_scope(p)?;
        let mut tx = self.db.begin().await?;
        let mut row = owned(&mut tx, seller, id).await?;
        let now = Timestamp::now().as_micros();
        // Switching it off first takes the row's lock, so no redemption can land in between.
        if !sql::promotion_deactivate(&mut tx, id, now).await? {
            return Err(promotion_not_found());
        }
        let before = row.clone();
        if redemptions::promotion_redeemed(&mut tx, id).await? {
            row.active = false;
            row.updated_at = now;
            announce(&mut tx, &row, "deactivated", Some(&before), Some(&row)).await?;
            tx.commit().await?;
            return Ok(Some(promotion_dto(row)));
        }
        sql::promotion_delete(&mut tx, id).await?;
        announce(&mut tx, &row, "deleted", Some(&before), None).await?;
        tx.commit().await?;
        Ok(None)
    }
}

fn terms(r: &PromotionRow) -> PromotionTerms {
    PromotionTerms {
        name: r.name.clone(),
        code: r.code.clone(),
        kind: r.kind.clone(),
        value: r.value,
        min_subtotal: r.min_subtotal,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        usage_limit: r.usage_limit,
        active: r.active,
    }
}

/// The change, in the transaction that makes it, for the audit log.
async fn announce(
    tx: &mut Tx,
    row: &PromotionRow,
    change: &str,
    before: Option<&PromotionRow>,
    after: Option<&PromotionRow>,
) -> Result<()> {
    let event = PromotionChanged {
        promotion_id: row.id.clone(),
        seller_id: row.seller_id.clone(),
        change: change.to_owned(),
        before: before.map(terms),
        after: after.map(terms),
    };
    store::outbox::emit(tx, &event).await?;
    Ok(())
}

/// The promotion when the caller may manage it; 404 otherwise, so that a seller cannot learn
/// which promotions others have.
async fn owned(q: &mut impl Query, seller: Option<&str>, id: &str) -> Result<PromotionRow> {
    sql::promotion_get(q, id)
        .await?
        .filter(|r| seller.is_none_or(|s| r.seller_id.as_deref() == Some(s)))
        .ok_or_else(promotion_not_found)
}

fn code_taken(e: store::Error) -> Error {
    if e.is_unique_violation() { Error::conflict("code_taken", "Another promotion has this code.") } else { e.into() }
}
