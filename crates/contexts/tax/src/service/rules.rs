//! Managing the tax rules (admins), each field checked and every fault reported at once.

use super::{TaxService, require_admin, rule_dto, rule_exists, rule_not_found};
use crate::domain::MAX_RATE_BPS;
use crate::dto::{TaxRuleDto, TaxRuleInput, TaxRuleUpdate};
use crate::store::{self as sql, RuleRow};
use kernel::auth::Principal;
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Result, Validation};

impl TaxService {
    /// 409 `tax_rule_exists` when a rule for the same country and region exists.
    pub async fn rule_create(&self, p: &Principal, input: TaxRuleInput) -> Result<TaxRuleDto> {
        require_admin(p)?;
        let now = Timestamp::now().as_micros();
        let row = rule_row(input, new_id("txr"), now, now)?;
        let mut tx = self.db.begin().await?;
        sql::rule_insert(&mut tx, &row).await.map_err(rule_exists)?;
        tx.commit().await?;
        self.rules_forget();
        Ok(rule_dto(row))
    }

    /// Every rule, by country and region.
    pub async fn rule_list(&self, p: &Principal) -> Result<Vec<TaxRuleDto>> {
        require_admin(p)?;
        Ok(sql::rule_list(&mut self.db.clone()).await?.into_iter().map(rule_dto).collect())
    }

    pub async fn rule_get(&self, p: &Principal, id: &str) -> Result<TaxRuleDto> {
        require_admin(p)?;
        sql::rule_get(&mut self.db.clone(), id).await?.map(rule_dto).ok_or_else(rule_not_found)
    }

    /// Changes the fields given; the rule as a whole is checked again.
    pub async fn rule_update(&self, p: &Principal, id: &str, patch: TaxRuleUpdate) -> Result<TaxRuleDto> {
        require_admin(p)?;
        let mut tx = self.db.begin().await?;
        let current = sql::rule_get(&mut tx, id).await?.ok_or_else(rule_not_found)?;
        let region = Some(current.region.clone()).filter(|r| !r.is_empty());
        let input = TaxRuleInput {
            name: patch.name.unwrap_or(current.name),
            country: patch.country.unwrap_or(current.country),
            region: patch.region.unwrap_or(region),
            rate_bps: patch.rate_bps.unwrap_or(current.rate_bps),
            inclusive: patch.inclusive.unwrap_or(current.inclusive),
            shipping_taxed: Some(patch.shipping_taxed.unwrap_or(current.shipping_taxed)),
        };
        let row = rule_row(input, current.id, current.created_at, Timestamp::now().as_micros())?;
        if !sql::rule_update(&mut tx, &row).await.map_err(rule_exists)? {
            return Err(rule_not_found());
        }
        tx.commit().await?;
        self.rules_forget();
        Ok(rule_dto(row))
    }

    pub async fn rule_delete(&self, p: &Principal, id: &str) -> Result<()> {
        require_admin(p)?;
        let mut tx = self.db.begin().await?;
        if !sql::rule_delete(&mut tx, id).await? {
            return Err(rule_not_found());
        }
        tx.commit().await?;
        self.rules_forget();
        Ok(())
    }
}

/// The row for a rule as submitted, checked within the bounds the API document gives.
pub(super) fn rule_row(input: TaxRuleInput, id: String, created_at: i64, now: i64) -> Result<RuleRow> {
    let mut v = Validation::default();
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        v.push("name", "must be 1-100 characters");
    }
    let country = input.country.trim().to_ascii_uppercase();
    if !kernel::geo::Destination::new(&country, None, None).country_valid() {
        v.push("country", "must be an ISO 3166-1 alpha-2 code such as DE");
    }
    let region = input.region.as_deref().map(|r| r.trim().to_ascii_uppercase());
    let region_ok = |r: &str| {
        (1..=10).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    };
    if region.as_deref().is_some_and(|r| !region_ok(r)) {
        v.push("region", "must be 1-10 of A-Z, 0-9 and -, or null for the whole country");
    }
    if !(0..=MAX_RATE_BPS).contains(&input.rate_bps) {
        v.push("rate_bps", format!("must be 0-{MAX_RATE_BPS} (basis points: 1900 is 19 %)"));
    }
    v.finish()?;
    Ok(RuleRow {
        id,
        name,
        country,
        region: region.unwrap_or_default(),
        rate_bps: input.rate_bps,
        inclusive: input.inclusive,
        shipping_taxed: input.shipping_taxed.unwrap_or(false),
        created_at,
        updated_at: now,
    })
}
