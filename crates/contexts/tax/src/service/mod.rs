//! Use cases of the tax context. Every write happens here, in one transaction; the admin role
//! and the `tax:write` scope are checked here as well as in the handlers.

mod quote;
mod rules;

use crate::domain::Rule;
use crate::dto::TaxRuleDto;
use crate::store::RuleRow;
use kernel::auth::{Principal, Role};
use kernel::snapshot::Snapshot;
use kernel::time::Timestamp;
use kernel::{Error, Result};
use std::time::Duration;
use store::Db;

pub struct TaxService {
    db: Db,
    /// The store's currency: every amount taxed is in it.
    currency: String,
    /// Every rule, read on every cart and checkout and changed a few times a year.
    rules: Snapshot<Vec<Rule>>,
}

/// Another replica's change to the rules is quoted within this long.
const RULES_TTL: Duration = Duration::from_secs(10);

impl TaxService {
    pub fn new(db: Db, currency: &str) -> Self {
        Self { db, currency: currency.to_owned(), rules: Snapshot::new(RULES_TTL) }
    }

    async fn rules(&self) -> Result<std::sync::Arc<Vec<Rule>>> {
        self.rules
            .get(|| async {
                let rows = crate::store::rule_list(&mut self.db.clone()).await?;
                Ok(rows.into_iter().map(rule_domain).collect())
            })
            .await
    }

    /// After a committed change to the rules.
    fn rules_forget(&self) {
        self.rules.forget();
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
