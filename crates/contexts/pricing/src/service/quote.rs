//! Pricing a cart: what the cart context calls, and what became of each code the customer
//! entered.

use super::{PricingService, normalize_code, promotion_domain, valid_code};
use crate::api::{CodeStatus, PriceRequest, Priced, Pricing, PromotionSummary};
use crate::domain::{self, Basket, Ineligible, Quote};
use crate::store::promotions::{self as sql, PromotionRow};
use crate::store::redemptions;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Result};

/// At most this many codes are looked at per cart; the rest are answered `code_too_many`.
pub const MAX_CODES: usize = 20;

impl Pricing for PricingService {
    fn price<'a>(&'a self, request: &'a PriceRequest) -> BoxFuture<'a, Result<Priced>> {
        Box::pin(self.price_cart(request))
    }

    fn promotions_redeem<'a>(
        &'a self,
        promotion_ids: &'a [String],
        customer_id: Option<&'a str>,
        order_id: &'a str,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.redeem(promotion_ids, customer_id, order_id))
    }
}

impl PricingService {
    async fn price_cart(&self, request: &PriceRequest) -> Result<Priced> {
        let mut codes: Vec<String> = Vec::new();
        for code in request.codes.iter().map(|c| normalize_code(c)).filter(|c| !c.is_empty()) {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        let lookup: Vec<String> = codes.iter().take(MAX_CODES).filter(|c| valid_code(c)).cloned().collect();
        let mut db = self.db.clone();
        let coded = sql::promotions_by_code(&mut db, &lookup).await?;
        let mut sellers: Vec<String> = request.lines.iter().map(|l| l.seller_id.clone()).collect();
        sellers.sort_unstable();
        sellers.dedup();
        let automatic = sql::automatic_candidates(&mut db, request.now.as_micros(), &sellers).await?;

        // Codes first, in the order entered, so that a tie between equal offers goes to the code
        // the customer typed.
        let mut rows: Vec<PromotionRow> =
            lookup.iter().filter_map(|c| coded.iter().find(|r| r.code.as_ref() == Some(c))).cloned().collect();
        rows.extend(automatic);
        let customer_uses = match &request.customer_id {
            None => None,
            Some(customer) => {
                let limited: Vec<String> =
                    rows.iter().filter(|r| r.per_customer_limit.is_some()).map(|r| r.id.clone()).collect();
                Some(redemptions::customer_uses(&mut db, customer, &limited).await?.into_iter().collect())
            }
        };
        let basket = Basket {
            lines: request.lines.clone(),
            shipping: request.shipping,
            now: request.now.as_micros(),
            customer_uses,
        };
        let candidates: Vec<domain::Promotion> = rows.iter().map(promotion_domain).collect();
        let quote = domain::quote(&basket, &candidates);

        let statuses = codes.into_iter().enumerate().map(|(i, code)| code_status(i, code, &rows, &quote)).collect();
        let promotions = rows
            .iter()
            .filter(|r| r.code.is_some() || quote.applied.iter().any(|a| a.promotion_id == r.id))
            .map(|r| (r.id.clone(), PromotionSummary { id: r.id.clone(), name: r.name.clone(), code: r.code.clone() }))
            .collect();
        Ok(Priced { quote, codes: statuses, promotions })
    }
}

fn code_status(index: usize, code: String, rows: &[PromotionRow], quote: &Quote) -> CodeStatus {
    let not_applied = |code: String, promotion_id: Option<String>, why: &str, message: String| CodeStatus {
        code,
        promotion_id,
        applied: false,
        reason: Some((why.to_owned(), message)),
    };
    if index >= MAX_CODES {
        return not_applied(code, None, "code_too_many", format!("At most {MAX_CODES} codes can be entered."));
    }
    let Some(row) = rows.iter().find(|r| r.code.as_ref() == Some(&code)) else {
        return not_applied(code, None, "code_unknown", "No such discount code.".into());
    };
    let id = Some(row.id.clone());
    if quote.applied.iter().any(|a| a.promotion_id == row.id) {
        return CodeStatus { code, promotion_id: id, applied: true, reason: None };
    }
    match quote.rejected.iter().find(|(p, _)| *p == row.id) {
        Some((_, why)) => not_applied(code, id, why.code(), message(why, row)),
        None => {
            not_applied(code, id, "code_no_effect", "This code applies to your cart but takes nothing off it.".into())
        }
    }
}

fn message(why: &Ineligible, row: &PromotionRow) -> String {
    let date = |t: Option<i64>| t.map(|t| Timestamp::from_micros(t).to_rfc3339()).unwrap_or_default();
    match why {
        Ineligible::Inactive => "This code is not active.".into(),
        Ineligible::NotStarted => format!("This code can be used from {}.", date(row.starts_at)),
        Ineligible::Expired => format!("This code expired on {}.", date(row.ends_at)),
        Ineligible::Exhausted => "This code has been used up.".into(),
        Ineligible::CustomerLimit => "You have already used this code as often as it allows.".into(),
        Ineligible::MinSubtotal { required, subtotal } => format!(
            "Spend at least {} more on eligible items to use this code (minimum {required}, in minor units).",
            required - subtotal
        ),
        Ineligible::NoMatchingItems => "This code does not apply to any item in your cart.".into(),
        Ineligible::NotCombinable => {
            "This code cannot be combined with a better offer already applied to your cart.".into()
        }
    }
}
