//! Use cases of the tax context. Every write happens here, in one transaction; the admin role
//! and the `tax:write` scope are checked here as well as in the handlers.

mod quote;
mod rules;

use crate::domain::Rule;
use crate::dto::TaxRuleDto;
use crate::store::RuleRow;
use kernel::auth::{Principal, Role};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::Db;

pub struct TaxService {
    db: Db,
    /// The store's currency: every amount taxed is in it.
    currency: String,
}

impl TaxService {
    pub fn new(db: Db, currency: &str) -> Self {
        Self { db, currency: currency.to_owned() }
    }
}

/// Only admins (or their keys holding `tax:write`) manage the rules.
fn require_admin(p: &Principal) -> Result<()> {
    p.require_role(&[Role::Admin])?;
    p.require_scope(crate::api::TAX_WRITE)
}

fn rule_not_found() -> Error {
    Error::not_found("tax_rule_not_found", "No such tax rule.")
}

/// The unique key is (country, region): a second rule for the same place.
fn rule_exists(e: store::Error) -> Error {
    if e.is_unique_violation() {
        Error::conflict("tax_rule_exists", "Another rule covers this country and region.")
    } else {
        e.into()
    }
}

/// The rules' view of a stored rule.
fn rule_domain(r: RuleRow) -> Rule {
    Rule {
        region: Some(r.region).filter(|s| !s.is_empty()),
        id: r.id,
        name: r.name,
        country: r.country,
        rate_bps: r.rate_bps,
        inclusive: r.inclusive,
        shipping_taxed: r.shipping_taxed,
    }
}

fn rule_dto(r: RuleRow) -> TaxRuleDto {
    TaxRuleDto {
        region: Some(r.region).filter(|s| !s.is_empty()),
        id: r.id,
        name: r.name,
        country: r.country,
        rate_bps: r.rate_bps,
        inclusive: r.inclusive,
        shipping_taxed: r.shipping_taxed,
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
    }
}

fn rfc3339(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}
