//! Use cases of the pricing context. Every write happens here, in one transaction; roles and
//! ownership are checked here as well as in the handlers.

mod input;
mod promotions;
mod quote;
mod redeem;

use crate::domain::{DiscountKind, Promotion, Scope};
use crate::dto::PromotionDto;
use crate::store::promotions::PromotionRow;
use kernel::auth::{Principal, Role};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::Db;

pub struct PricingService {
    db: Db,
}

impl PricingService {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

/// Whose promotions the caller may manage: `Some(seller)` for a seller (their own), `None` for
/// an admin (every one, the platform-wide ones included).
fn owner_scope(p: &Principal) -> Result<Option<&str>> {
    p.require_scope(crate::api::PROMOTIONS_WRITE)?;
    match p.role {
        Role::Admin => Ok(None),
        Role::Seller => Ok(Some(&p.user_id)),
        Role::Customer => Err(Error::forbidden("Only sellers and admins manage promotions.")),
    }
}

fn promotion_not_found() -> Error {
    Error::not_found("promotion_not_found", "No such promotion.")
}

/// A code as customers may type it: trimmed and upper-case.
pub(crate) fn normalize_code(code: &str) -> String {
    code.trim().to_uppercase()
}

/// 3-40 characters of `A-Z 0-9 - _` (after [`normalize_code`]).
pub(crate) fn valid_code(code: &str) -> bool {
    (3..=40).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn targets_of(r: &PromotionRow) -> Vec<String> {
    // Written by this context from a Vec<String>; unreadable targets match nothing.
    serde_json::from_str(&r.targets).unwrap_or_default()
}

/// The engine's view of a stored promotion.
fn promotion_domain(r: &PromotionRow) -> Promotion {
    let kind = match r.kind.as_str() {
        "percent" => DiscountKind::Percent(u32::try_from(r.value.clamp(0, 100)).unwrap_or(0)),
        "free_shipping" => DiscountKind::FreeShipping,
        // The table's CHECK allows nothing else; an unknown kind takes nothing off.
        "fixed" => DiscountKind::Fixed(r.value),
        _ => DiscountKind::Fixed(0),
    };
    let scope = match r.scope.as_str() {
        "products" => Scope::Products(targets_of(r)),
        "categories" => Scope::Categories(targets_of(r)),
        _ => Scope::Order,
    };
    Promotion {
        id: r.id.clone(),
        code: r.code.clone(),
        seller_id: r.seller_id.clone(),
        kind,
        scope,
        min_subtotal: r.min_subtotal,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        usage_limit: r.usage_limit,
        times_used: r.times_used,
        per_customer_limit: r.per_customer_limit,
        combinable: r.combinable,
        active: r.active,
    }
}

fn promotion_dto(r: PromotionRow) -> PromotionDto {
    PromotionDto {
        targets: targets_of(&r),
        id: r.id,
        seller_id: r.seller_id,
        name: r.name,
        code: r.code,
        kind: r.kind,
        value: r.value,
        scope: r.scope,
        min_subtotal: r.min_subtotal,
        starts_at: r.starts_at.map(rfc3339),
        ends_at: r.ends_at.map(rfc3339),
        usage_limit: r.usage_limit,
        times_used: r.times_used,
        per_customer_limit: r.per_customer_limit,
        combinable: r.combinable,
        active: r.active,
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
    }
}

fn rfc3339(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}
