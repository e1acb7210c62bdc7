//! Taxing a basket: what checkout and the cart call through [`TaxQuotes`], the public quote,
//! and the demo shop's rules.

use super::TaxService;
use super::rules::rule_row;
use crate::api::{AppliedRule, LineTax, TaxLine, TaxQuote, TaxQuotes, TaxRequest};
use crate::domain::{rule_for, taxes};
use crate::dto::{AppliedRuleDto, LineTaxDto, MAX_AMOUNT, MAX_LINES, TaxQuoteDto, TaxQuoteInput, TaxRuleInput};
use crate::store as sql;
use kernel::ErrorKind::Invalid;
use kernel::geo::Destination;
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error, Result, Validation};

impl TaxQuotes for TaxService {
    fn tax_quote<'a>(&'a self, request: &'a TaxRequest) -> BoxFuture<'a, Result<TaxQuote>> {
        Box::pin(self.quote(request))
    }
}

/// (name, country, region, rate_bps, inclusive, shipping_taxed).
type DemoRule = (&'static str, &'static str, Option<&'static str>, i64, bool, bool);

const DEMO: &[DemoRule] = &[
    ("California sales tax", "US", Some("CA"), 725, false, false),
    ("New York sales tax", "US", Some("NY"), 400, false, true),
    ("Germany VAT", "DE", None, 1900, true, true),
    ("France VAT", "FR", None, 2000, true, true),
    ("Netherlands VAT", "NL", None, 2100, true, true),
    ("United Kingdom VAT", "GB", None, 2000, true, true),
];

impl TaxService {
    async fn quote(&self, request: &TaxRequest) -> Result<TaxQuote> {
        let d = &request.destination;
        // Callers outside this process may not have normalised the codes.
        let to = Destination::new(&d.country, d.region.as_deref(), d.postal_code.as_deref());
        if !to.country_valid() {
            return Err(Error::new(Invalid, "invalid_destination", "The country must be a two-letter ISO code."));
        }
        amounts_check(&request.lines, request.shipping)?;
        let rules = self.rules().await?;
        let rule = rule_for(&rules, &to);
        let amounts: Vec<i64> = request.lines.iter().map(|l| l.amount).collect();
        let t = taxes(rule, &amounts, request.shipping);
        let inclusive = rule.is_some_and(|r| r.inclusive);
        Ok(TaxQuote {
            lines: request.lines.iter().zip(t.lines).map(|(l, tax)| LineTax { key: l.key.clone(), tax }).collect(),
            shipping_tax: t.shipping,
            total: t.total,
            inclusive,
            added: if inclusive { 0 } else { t.total },
            rule: rule.map(|r| AppliedRule { id: r.id.clone(), name: r.name.clone(), rate_bps: r.rate_bps }),
        })
    }

    /// The public quote, in the store's currency.
    pub async fn tax_quote_public(&self, input: TaxQuoteInput) -> Result<TaxQuoteDto> {
        let d = &input.destination;
        let mut v = Validation::default();
        if d.region.as_deref().is_some_and(|r| r.chars().count() > 100) {
            v.push("destination.region", "must be at most 100 characters");
        }
        if d.postal_code.as_deref().is_some_and(|p| p.chars().count() > 32) {
            v.push("destination.postal_code", "must be at most 32 characters");
        }
        v.finish()?;
        let request = TaxRequest {
            destination: Destination::new(&d.country, d.region.as_deref(), d.postal_code.as_deref()),
            lines: input.lines.into_iter().map(|l| TaxLine { key: l.key, amount: l.amount }).collect(),
            shipping: input.shipping,
        };
        let q = self.quote(&request).await?;
        Ok(TaxQuoteDto {
            currency: self.currency.clone(),
            lines: q.lines.into_iter().map(|l| LineTaxDto { key: l.key, tax: l.tax }).collect(),
            shipping_tax: q.shipping_tax,
            total: q.total,
            inclusive: q.inclusive,
            added: q.added,
            rule: q.rule.map(|r| AppliedRuleDto { id: r.id, name: r.name, rate_bps: r.rate_bps }),
        })
    }

    /// Creates the demo rules unless any rule exists, so a shop's own rules are never touched
    /// and running it twice changes nothing.
    pub async fn demo_seed(&self) -> Result<()> {
        let mut tx = self.db.begin().await?;
        if sql::rule_any(&mut tx).await? {
            return Ok(());
        }
        let now = Timestamp::now().as_micros();
        for &(name, country, region, rate_bps, inclusive, shipping_taxed) in DEMO {
            let input = TaxRuleInput {
                name: name.to_owned(),
                country: country.to_owned(),
                region: region.map(str::to_owned),
                rate_bps,
                inclusive,
                shipping_taxed: Some(shipping_taxed),
            };
            sql::rule_insert(&mut tx, &rule_row(input, new_id("txr"), now, now)?).await?;
        }
        tx.commit().await?;
        self.rules_forget();
        Ok(())
    }
}

/// Amounts within the bounds the API document gives, so that no sum can overflow.
fn amounts_check(lines: &[TaxLine], shipping: i64) -> Result<()> {
    let mut v = Validation::default();
    if lines.len() > MAX_LINES {
        v.push("lines", format!("at most {MAX_LINES} lines"));
    }
    for (i, l) in lines.iter().enumerate() {
        if !(0..=MAX_AMOUNT).contains(&l.amount) {
            v.push(&format!("lines[{i}].amount"), format!("must be 0-{MAX_AMOUNT} (minor units)"));
        }
        if l.key.chars().count() > 100 {
            v.push(&format!("lines[{i}].key"), "must be at most 100 characters");
        }
    }
    if !(0..=MAX_AMOUNT).contains(&shipping) {
        v.push("shipping", format!("must be 0-{MAX_AMOUNT} (minor units)"));
    }
    v.finish()
}
