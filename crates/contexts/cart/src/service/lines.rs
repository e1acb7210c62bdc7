//! Changing a cart: lines and discount codes. Each answers the cart as it now stands.

use super::view::Known;
use super::{Caller, CartService};
use crate::domain;
use crate::dto::CartDto;
use crate::model::CartLine;
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind, Result};
use serde_json::Value;

impl CartService {
    pub async fn cart_get(&self, caller: &Caller) -> Result<CartDto> {
        match self.resolve(caller, false).await? {
            Some(loaded) => self.view(loaded.doc, None, caller).await,
            None => Ok(self.empty_view()),
        }
    }

    /// Adds `quantity` of a variant (to the line it already has, if any).
    pub async fn line_add(&self, caller: &Caller, variant_id: &str, quantity: &Value) -> Result<CartDto> {
        let limits = self.limits();
        let q = domain::quantity(quantity, limits)?;
        let loaded = self.resolve(caller, true).await?.ok_or_else(super::cart_not_found)?;
        // The new line and those already there in one read: the answer shows them all.
        let mut known = Known::default();
        let mut ids: Vec<&str> = loaded.doc.lines.iter().map(|l| l.variant_id.as_str()).collect();
        ids.push(variant_id);
        self.learn(&mut known, &ids).await?;
        let (price, available) = buyable(&known, variant_id)?;
        let (doc, token) = self
            .mutate_from(caller, Some(loaded), |doc| {
                let now = Timestamp::now().as_micros();
                match doc.lines.iter_mut().find(|l| l.variant_id == variant_id) {
                    Some(line) => {
                        let total = line.quantity + q;
                        check_quantity(total, available, limits.max_quantity_per_line)?;
                        line.quantity = total;
                        line.unit_price = price;
                    }
                    None => {
                        if doc.lines.len() >= limits.max_lines {
                            return Err(Error::new(
                                ErrorKind::Invalid,
                                "cart_full",
                                format!("A cart holds at most {} different items.", limits.max_lines),
                            ));
                        }
                        check_quantity(q, available, limits.max_quantity_per_line)?;
                        let line = CartLine {
                            variant_id: variant_id.to_owned(),
                            quantity: q,
                            unit_price: price,
                            added_at: now,
                        };
                        doc.lines.push(line);
                    }
                }
                Ok(())
            })
            .await?;
        metrics::counter!("oxcart_cart_adds_total").increment(1);
        self.view_known(doc, token, caller, &mut known).await
    }

    /// Sets a line's quantity (1 or more; removing is its own action).
    pub async fn line_update(&self, caller: &Caller, variant_id: &str, quantity: &Value) -> Result<CartDto> {
        let limits = self.limits();
        let q = domain::quantity(quantity, limits)?;
        let loaded = self.resolve(caller, false).await?.ok_or_else(line_not_found)?;
        if !loaded.doc.lines.iter().any(|l| l.variant_id == variant_id) {
            return Err(line_not_found());
        }
        let mut known = Known::default();
        let ids: Vec<&str> = loaded.doc.lines.iter().map(|l| l.variant_id.as_str()).collect();
        self.learn(&mut known, &ids).await?;
        let (price, available) = buyable(&known, variant_id)?;
        let (doc, _) = self
            .mutate_from(caller, Some(loaded), |doc| {
                let line = doc.lines.iter_mut().find(|l| l.variant_id == variant_id).ok_or_else(line_not_found)?;
                check_quantity(q, available, limits.max_quantity_per_line)?;
                line.quantity = q;
                line.unit_price = price;
                Ok(())
            })
            .await?;
        self.view_known(doc, None, caller, &mut known).await
    }

    pub async fn line_remove(&self, caller: &Caller, variant_id: &str) -> Result<CartDto> {
        // A cart without the line is left alone: the change fails before anything is saved.
        let (doc, _) = self
            .mutate(caller, |doc| {
                let before = doc.lines.len();
                doc.lines.retain(|l| l.variant_id != variant_id);
                if doc.lines.len() == before { Err(line_not_found()) } else { Ok(()) }
            })
            .await?;
        self.view(doc, None, caller).await
    }

    /// Empties the cart (lines and codes).
    pub async fn cart_clear(&self, caller: &Caller) -> Result<CartDto> {
        let Some(loaded) = self.resolve(caller, false).await? else { return Ok(self.empty_view()) };
        let (doc, _) = self
            .mutate_from(caller, Some(loaded), |doc| {
                doc.lines.clear();
                doc.codes.clear();
                Ok(())
            })
            .await?;
        self.view(doc, None, caller).await
    }

    /// Applies a discount code if it takes something off this cart now; otherwise 422 with the
    /// precise reason, and the cart keeps what it had.
    pub async fn code_apply(&self, caller: &Caller, code: &str) -> Result<CartDto> {
        let code = code.trim().to_uppercase();
        if code.is_empty() || code.len() > 40 {
            return Err(Error::invalid_field("code", "must be 1-40 characters"));
        }
        let loaded = self.resolve(caller, false).await?.ok_or_else(empty_cart)?;
        if loaded.doc.codes.contains(&code) {
            return self.view(loaded.doc, None, caller).await;
        }
        if loaded.doc.codes.len() >= self.config.max_codes {
            return Err(Error::new(
                ErrorKind::Invalid,
                "code_limit",
                format!("A cart takes {} discount code(s) at a time; remove one first.", self.config.max_codes),
            ));
        }
        let mut known = Known::default();
        let (assessed, _) = self.assess(&loaded.doc, &mut known).await?;
        let mut request = self.price_request(&loaded.doc, &assessed, caller, self.deps.estimates.as_ref()).await?;
        request.codes.push(code.clone());
        let priced = self.deps.pricing.price(&request).await?;
        let status = priced.codes.iter().find(|c| c.code == code);
        if let Some((reason, message)) = status.and_then(|s| if s.applied { None } else { s.reason.clone() }) {
            return Err(code_refused(reason, message));
        }
        let (doc, _) = self
            .mutate_from(caller, Some(loaded), |doc| {
                if !doc.codes.contains(&code) {
                    doc.codes.push(code.clone());
                }
                Ok(())
            })
            .await?;
        self.view_known(doc, None, caller, &mut known).await
    }

    pub async fn code_remove(&self, caller: &Caller, code: &str) -> Result<CartDto> {
        let code = code.trim().to_uppercase();
        let (doc, _) = self
            .mutate(caller, |doc| {
                let before = doc.codes.len();
                doc.codes.retain(|c| *c != code);
                if doc.codes.len() == before {
                    Err(Error::not_found("code_not_in_cart", "The cart holds no such code."))
                } else {
                    Ok(())
                }
            })
            .await?;
        self.view(doc, None, caller).await
    }
}

/// The variant's current price and available stock, or why it cannot go in a cart.
fn buyable(known: &Known, variant_id: &str) -> Result<(i64, i64)> {
    let variant = known.variant(variant_id).ok_or_else(|| {
        Error::new(ErrorKind::Invalid, "unknown_variant", "No such variant.")
            .with_errors(vec![kernel::FieldError { field: "variant_id".into(), message: "no such variant".into() }])
    })?;
    if !variant.sellable {
        return Err(Error::new(ErrorKind::Invalid, "variant_unavailable", "This item is not for sale at the moment.")
            .with_errors(vec![kernel::FieldError { field: "variant_id".into(), message: "not for sale".into() }]));
    }
    Ok((variant.price, known.available(&variant.sku)))
}

fn check_quantity(quantity: i64, available: i64, cap: i64) -> Result<()> {
    if quantity > cap {
        return Err(Error::new(
            ErrorKind::Invalid,
            "quantity_too_large",
            format!("At most {cap} of one item fit in a cart."),
        ));
    }
    if quantity > available {
        return Err(Error::conflict(
            "insufficient_stock",
            if available == 0 {
                "This item is out of stock.".to_owned()
            } else {
                format!("Only {available} left in stock.")
            },
        ));
    }
    Ok(())
}

fn line_not_found() -> Error {
    Error::not_found("line_not_found", "The cart has no line for this variant.")
}

fn empty_cart() -> Error {
    Error::new(ErrorKind::Invalid, "cart_empty", "Add something to the cart before applying a code.")
}

fn code_refused(reason: String, message: String) -> Error {
    // The reason codes come from the pricing context; the error keeps them stable on the wire.
    let code: &'static str = match reason.as_str() {
        "code_unknown" => "code_unknown",
        "code_inactive" => "code_inactive",
        "code_not_started" => "code_not_started",
        "code_expired" => "code_expired",
        "code_exhausted" => "code_exhausted",
        "code_customer_limit" => "code_customer_limit",
        "code_min_subtotal" => "code_min_subtotal",
        "code_not_applicable" => "code_not_applicable",
        "code_not_combinable" => "code_not_combinable",
        _ => "code_no_effect",
    };
    Error::new(ErrorKind::Invalid, code, message)
}
