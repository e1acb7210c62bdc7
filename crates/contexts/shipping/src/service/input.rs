//! Checking zones and methods as submitted, reporting every faulty field at once. The bounds
//! are the ones the API document states, so what the schema allows is what is accepted.

use crate::domain::{Basis, MAX_RATES};
use crate::dto::{
    CountryCode, MAX_AMOUNT, MAX_COUNTRIES, MAX_DAYS, MAX_VALUE, ShippingMethodInput, ShippingMethodUpdate,
    ShippingRate,
};
use crate::store::MethodRow;
use kernel::{Result, Validation};
use std::collections::BTreeMap;

const MAX_NAME: usize = 100;
const MAX_REGIONS: usize = 100;

/// A zone's name and areas, checked: `(country, region)` pairs, region '' for a whole country.
#[derive(Debug, Clone)]
pub struct ValidZone {
    pub name: String,
    pub areas: Vec<(String, String)>,
}

impl ValidZone {
    pub fn parse(name: &str, countries: &[CountryCode], regions: &BTreeMap<String, Vec<String>>) -> Result<Self> {
        let mut v = Validation::default();
        let name = checked_name(&mut v, "name", name);
        if countries.is_empty() || countries.len() > MAX_COUNTRIES {
            v.push("countries", format!("must list 1-{MAX_COUNTRIES} countries"));
        }
        let mut listed: Vec<String> = Vec::new();
        for (i, c) in countries.iter().enumerate() {
            match country(&c.0) {
                Some(c) if !listed.contains(&c) => listed.push(c),
                Some(_) => {}
                None => v.push(&format!("countries[{i}]"), "must be an ISO 3166-1 alpha-2 code such as DE"),
            }
        }
        let mut partial: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, list) in regions {
            let field = format!("regions.{key}");
            let Some(c) = country(key).filter(|c| listed.contains(c)) else {
                v.push(&field, "must be one of `countries`");
                continue;
            };
            if list.is_empty() || list.len() > MAX_REGIONS {
                v.push(&field, format!("must list 1-{MAX_REGIONS} regions (leave the country out to serve all of it)"));
            }
            let kept = partial.entry(c).or_default();
            for (i, r) in list.iter().enumerate() {
                match region(r) {
                    Some(r) if !kept.contains(&r) => kept.push(r),
                    Some(_) => {}
                    None => v.push(&format!("{field}[{i}]"), "must be 1-10 of A-Z, 0-9 and -"),
                }
            }
        }
        v.finish()?;
        let mut areas = Vec::new();
        for c in listed {
            match partial.remove(&c) {
                Some(rs) => areas.extend(rs.into_iter().map(|r| (c.clone(), r))),
                None => areas.push((c, String::new())),
            }
        }
        // In the order the store lists them back, so every answer shows a zone alike.
        areas.sort();
        Ok(Self { name, areas })
    }
}

/// A method's editable fields, checked; the rate table sorted by `from`.
#[derive(Debug, Clone)]
pub struct ValidMethod {
    code: String,
    name: String,
    basis: Basis,
    rates: Vec<ShippingRate>,
    free_over: Option<i64>,
    min_days: i64,
    max_days: i64,
    active: bool,
}

impl ValidMethod {
    pub fn parse(input: ShippingMethodInput) -> Result<Self> {
        let mut v = Validation::default();
        if !valid_code(&input.code) {
            v.push("code", "must be 1-40 of a-z, 0-9, - and _, starting with a letter or digit");
        }
        let name = checked_name(&mut v, "name", &input.name);
        let basis = Basis::parse(&input.basis);
        if basis.is_none() {
            v.push("basis", "must be flat, weight or value");
        }
        let mut rates = input.rates;
        check_rates(&mut v, basis, &mut rates);
        if input.free_over.is_some_and(|f| !(0..=MAX_AMOUNT).contains(&f)) {
            v.push("free_over", format!("must be 0-{MAX_AMOUNT} (minor units), or null"));
        }
        for (field, days) in [("min_days", input.min_days), ("max_days", input.max_days)] {
            if !(0..=MAX_DAYS).contains(&days) {
                v.push(field, format!("must be 0-{MAX_DAYS}"));
            }
        }
        if input.min_days > input.max_days {
            v.push("max_days", "must be at least min_days");
        }
        v.finish()?;
        Ok(Self {
            code: input.code,
            name,
            basis: basis.unwrap_or(Basis::Flat),
            rates,
            free_over: input.free_over,
            min_days: input.min_days,
            max_days: input.max_days,
            active: input.active.unwrap_or(true),
        })
    }

    pub fn into_row(self, id: String, zone_id: String, created_at: i64, now: i64) -> MethodRow {
        MethodRow {
            id,
            zone_id,
            code: self.code,
            name: self.name,
            basis: self.basis.as_str().to_owned(),
            rates: serde_json::to_string(&self.rates).unwrap_or_else(|_| "[]".into()),
            free_over: self.free_over,
            min_days: self.min_days,
            max_days: self.max_days,
            active: self.active,
            created_at,
            updated_at: now,
        }
    }
}

/// The method as it would be after `patch`: what is left out stays as stored.
pub fn method_patched(
    current: &MethodRow,
    rates: Vec<ShippingRate>,
    patch: ShippingMethodUpdate,
) -> ShippingMethodInput {
    ShippingMethodInput {
        code: patch.code.unwrap_or_else(|| current.code.clone()),
        name: patch.name.unwrap_or_else(|| current.name.clone()),
        basis: patch.basis.unwrap_or_else(|| current.basis.clone()),
        rates: patch.rates.unwrap_or(rates),
        free_over: patch.free_over.unwrap_or(current.free_over),
        min_days: patch.min_days.unwrap_or(current.min_days),
        max_days: patch.max_days.unwrap_or(current.max_days),
        active: Some(patch.active.unwrap_or(current.active)),
    }
}

/// Checks the rows as sent (so field names index the client's list), then sorts them by `from`.
fn check_rates(v: &mut Validation, basis: Option<Basis>, rates: &mut [ShippingRate]) {
    if rates.is_empty() || rates.len() > MAX_RATES {
        v.push("rates", format!("must hold 1-{MAX_RATES} rows"));
        return;
    }
    for (i, r) in rates.iter().enumerate() {
        if !(0..=MAX_VALUE).contains(&r.from) {
            v.push(&format!("rates[{i}].from"), format!("must be 0-{MAX_VALUE}"));
        }
        if !(0..=MAX_AMOUNT).contains(&r.amount) {
            v.push(&format!("rates[{i}].amount"), format!("must be 0-{MAX_AMOUNT} (minor units)"));
        }
    }
    rates.sort_by_key(|r| r.from);
    // Sorted, so a repeated `from` sits next to its twin.
    if rates.windows(2).any(|w| w[0].from == w[1].from) {
        v.push("rates", "each row needs its own `from`");
    }
    if rates[0].from != 0 {
        v.push("rates", "needs a row from 0, so that every parcel has a price");
    }
    if basis == Some(Basis::Flat) && rates.len() != 1 {
        v.push("rates", "a flat method has one row, from 0");
    }
}

fn checked_name(v: &mut Validation, field: &str, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        v.push(field, format!("must be 1-{MAX_NAME} characters"));
    }
    name.to_owned()
}

/// The pattern the API document gives: `^[a-z0-9][a-z0-9_-]{0,39}$`.
fn valid_code(code: &str) -> bool {
    let ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    (1..=40).contains(&code.len())
        && code.bytes().next().is_some_and(ok)
        && code.bytes().all(|b| ok(b) || b == b'-' || b == b'_')
}

/// A country code, trimmed and upper-case; `None` unless two letters.
pub fn country(raw: &str) -> Option<String> {
    let c = raw.trim().to_ascii_uppercase();
    (c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())).then_some(c)
}

/// A region code, trimmed and upper-case; `None` unless 1-10 of `A-Z 0-9 -`.
fn region(raw: &str) -> Option<String> {
    let r = raw.trim().to_ascii_uppercase();
    ((1..=10).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'))
        .then_some(r)
}
