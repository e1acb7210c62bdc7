//! Checking a promotion as submitted, reporting every faulty field at once.

use super::{normalize_code, valid_code};
use crate::dto::PromotionInput;
use crate::store::promotions::PromotionRow;
use kernel::time::Timestamp;
use kernel::{Result, Validation};
use std::collections::HashSet;

/// The largest fixed amount off, in minor units (a million in a two-decimal currency).
pub const MAX_FIXED: i64 = 100_000_000;
pub const MAX_TARGETS: usize = 500;
const MAX_TARGET_LEN: usize = 100;

/// A promotion's editable fields, checked.
#[derive(Debug, Clone)]
pub struct ValidPromotion {
    name: String,
    code: Option<String>,
    kind: &'static str,
    value: i64,
    scope: &'static str,
    targets: Vec<String>,
    min_subtotal: i64,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    pub usage_limit: Option<i64>,
    per_customer_limit: Option<i64>,
    combinable: bool,
    active: bool,
}

impl ValidPromotion {
    pub fn parse(input: PromotionInput) -> Result<Self> {
        let mut v = Validation::default();
        let name = input.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            v.push("name", "must be 1-200 characters");
        }
        let code = input.code.as_deref().map(normalize_code);
        if code.as_deref().is_some_and(|c| !valid_code(c)) {
            v.push("code", "must be 3-40 characters of A-Z, 0-9, - and _");
        }
        let (kind, value) = kind_and_value(&mut v, &input.kind, input.value);
        let (scope, targets) = scope_and_targets(&mut v, input.scope.as_deref(), input.targets);
        let min_subtotal = input.min_subtotal.unwrap_or(0);
        if min_subtotal < 0 {
            v.push("min_subtotal", "must be 0 or more");
        }
        let starts_at = time(&mut v, "starts_at", input.starts_at.as_deref());
        let ends_at = time(&mut v, "ends_at", input.ends_at.as_deref());
        if let (Some(start), Some(end)) = (starts_at, ends_at)
            && end <= start
        {
            v.push("ends_at", "must be after starts_at");
        }
        for (field, limit) in [("usage_limit", input.usage_limit), ("per_customer_limit", input.per_customer_limit)] {
            if limit.is_some_and(|n| n < 1) {
                v.push(field, "must be at least 1, or null for no limit");
            }
        }
        v.finish()?;
        Ok(Self {
            name,
            code,
            kind,
            value,
            scope,
            targets,
            min_subtotal,
            starts_at,
            ends_at,
            usage_limit: input.usage_limit,
            per_customer_limit: input.per_customer_limit,
            combinable: input.combinable.unwrap_or(true),
            active: input.active.unwrap_or(true),
        })
    }

    /// The row to store at `now`, for a promotion with this id, owner and history.
    pub fn into_row(
        self,
        id: String,
        seller_id: Option<String>,
        created_at: i64,
        times_used: i64,
        now: i64,
    ) -> PromotionRow {
        PromotionRow {
            id,
            seller_id,
            name: self.name,
            code: self.code,
            kind: self.kind.to_owned(),
            value: self.value,
            scope: self.scope.to_owned(),
            targets: serde_json::to_string(&self.targets).unwrap_or_else(|_| "[]".into()),
            min_subtotal: self.min_subtotal,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            usage_limit: self.usage_limit,
            times_used,
            per_customer_limit: self.per_customer_limit,
            combinable: self.combinable,
            active: self.active,
            created_at,
            updated_at: now,
        }
    }
}

fn kind_and_value(v: &mut Validation, kind: &str, value: Option<i64>) -> (&'static str, i64) {
    match kind {
        "percent" => match value {
            Some(n @ 1..=100) => ("percent", n),
            _ => {
                v.push("value", "a percentage must be 1-100");
                ("percent", 0)
            }
        },
        "fixed" => match value {
            Some(n @ 1..=MAX_FIXED) => ("fixed", n),
            _ => {
                v.push("value", format!("a fixed amount must be 1-{MAX_FIXED} (minor units)"));
                ("fixed", 0)
            }
        },
        "free_shipping" => {
            if value.is_some_and(|n| n != 0) {
                v.push("value", "free shipping takes no value");
            }
            ("free_shipping", 0)
        }
        _ => {
            v.push("kind", "must be percent, fixed or free_shipping");
            ("", 0)
        }
    }
}

fn scope_and_targets(v: &mut Validation, scope: Option<&str>, targets: Vec<String>) -> (&'static str, Vec<String>) {
    let scope = match scope.unwrap_or("order") {
        "order" => {
            if !targets.is_empty() {
                v.push("targets", "an order-wide promotion takes no targets");
            }
            return ("order", Vec::new());
        }
        "products" => "products",
        "categories" => "categories",
        _ => {
            v.push("scope", "must be order, products or categories");
            return ("", Vec::new());
        }
    };
    let mut seen = HashSet::new();
    let mut kept = Vec::with_capacity(targets.len());
    for target in targets {
        let target = target.trim().to_owned();
        if target.is_empty() || target.len() > MAX_TARGET_LEN {
            v.push("targets", format!("each id must be 1-{MAX_TARGET_LEN} characters"));
            return (scope, Vec::new());
        }
        if seen.insert(target.clone()) {
            kept.push(target);
        }
    }
    if kept.is_empty() || kept.len() > MAX_TARGETS {
        v.push("targets", format!("a {scope} promotion needs 1-{MAX_TARGETS} ids"));
    }
    (scope, kept)
}

fn time(v: &mut Validation, field: &str, value: Option<&str>) -> Option<i64> {
    let value = value?;
    let parsed = Timestamp::parse_rfc3339(value.trim());
    if parsed.is_none() {
        v.push(field, "must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z");
    }
    parsed.map(Timestamp::as_micros)
}
