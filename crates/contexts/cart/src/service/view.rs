//! The cart as the customer sees it: every line checked against the catalog and the stock,
//! re-priced when the catalog price moved, and totals from the pricing engine.

use super::{Caller, CartService};
use crate::api::{EstimateLine, Estimates};
use crate::dto::{AppliedDiscountDto, CartDto, CodeDto, LineDto, NoticeDto, ReasonDto};
use crate::model::{CartDoc, CartLine};
use catalog::api::VariantInfo;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Result};
use std::collections::HashMap;

/// Says 0 for both: a cart with no shipping or tax contexts behind it.
pub struct NoEstimates;

impl Estimates for NoEstimates {
    fn shipping<'a>(&'a self, _: &'a [EstimateLine]) -> BoxFuture<'a, Result<i64>> {
        Box::pin(async { Ok(0) })
    }
    fn tax<'a>(&'a self, _: &'a [EstimateLine], _: i64) -> BoxFuture<'a, Result<i64>> {
        Box::pin(async { Ok(0) })
    }
}

/// A cart checked against the catalog and the stock and priced by the pricing engine.
pub(super) struct PricedCart {
    pub doc: CartDoc,
    pub assessed: Vec<Assessed>,
    pub priced: pricing::api::Priced,
    pub tax: i64,
}

/// A line with what the catalog and the stock say about it now.
pub(super) struct Assessed {
    pub line: CartLine,
    pub variant: Option<VariantInfo>,
    pub available: i64,
    pub previous_price: Option<i64>,
}

impl Assessed {
    /// Why the line cannot be bought as it stands, if it cannot.
    pub fn problem(&self) -> Option<&'static str> {
        match &self.variant {
            None => Some("unavailable"),
            Some(v) if !v.sellable => Some("unavailable"),
            Some(_) if self.available == 0 => Some("out_of_stock"),
            Some(_) if self.line.quantity > self.available => Some("insufficient_stock"),
            Some(_) => None,
        }
    }

    pub fn buyable(&self) -> bool {
        self.problem().is_none()
    }

    /// What shipping and tax are estimated from; `amount` is before discounts.
    pub fn estimate_line(&self) -> EstimateLine {
        let v = self.variant.as_ref();
        EstimateLine {
            variant_id: self.line.variant_id.clone(),
            seller_id: v.map(|v| v.seller_id.clone()).unwrap_or_default(),
            weight_g: v.and_then(|v| v.weight_g).unwrap_or(0).saturating_mul(self.line.quantity),
            amount: self.line.unit_price.saturating_mul(self.line.quantity),
        }
    }

    pub fn basket_line(&self) -> pricing::domain::Line {
        let v = self.variant.as_ref();
        pricing::domain::Line {
            product_id: v.map(|v| v.product_id.clone()).unwrap_or_default(),
            seller_id: v.map(|v| v.seller_id.clone()).unwrap_or_default(),
            category_path: v.map(|v| v.category_path.clone()).unwrap_or_default(),
            unit_price: self.line.unit_price,
            quantity: self.line.quantity,
        }
    }
}

/// What the catalog and the stock said of variants earlier in this request, so that a change
/// and the answer after it read each variant once.
#[derive(Default)]
pub(super) struct Known {
    /// `None`: asked, and the catalog has no such variant.
    variants: HashMap<String, Option<VariantInfo>>,
    stock: HashMap<String, i64>,
}

impl Known {
    pub fn variant(&self, id: &str) -> Option<&VariantInfo> {
        self.variants.get(id).and_then(Option::as_ref)
    }

    pub fn available(&self, sku: &str) -> i64 {
        self.stock.get(sku).copied().unwrap_or(0)
    }
}

impl CartService {
    /// Reads the variants of `ids` not yet in `known`, and their stock: one read of each.
    pub(super) async fn learn(&self, known: &mut Known, ids: &[&str]) -> Result<()> {
        let mut missing: Vec<String> =
            ids.iter().filter(|id| !known.variants.contains_key(**id)).map(|id| (*id).to_owned()).collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let found = self.deps.catalog.variants_by_id(&missing).await?;
        let skus: Vec<String> = found.iter().map(|v| v.sku.clone()).collect();
        if !skus.is_empty() {
            known.stock.extend(self.deps.stock.available(&skus).await?);
        }
        known.variants.extend(missing.into_iter().map(|id| (id, None)));
        known.variants.extend(found.into_iter().map(|v| (v.variant_id.clone(), Some(v))));
        Ok(())
    }

    /// Checks every line against the catalog and stock; lines whose price moved take the new
    /// price (the second value says whether any did).
    pub(super) async fn assess(&self, doc: &CartDoc, known: &mut Known) -> Result<(Vec<Assessed>, bool)> {
        let ids: Vec<&str> = doc.lines.iter().map(|l| l.variant_id.as_str()).collect();
        self.learn(known, &ids).await?;
        let mut changed = false;
        let lines = doc
            .lines
            .iter()
            .map(|line| {
                let variant = known.variant(&line.variant_id).cloned();
                let available = variant.as_ref().map_or(0, |v| known.available(&v.sku));
                let mut line = line.clone();
                let mut previous_price = None;
                if let Some(v) = variant.as_ref().filter(|v| v.price != line.unit_price) {
                    previous_price = Some(line.unit_price);
                    line.unit_price = v.price;
                    changed = true;
                }
                Assessed { line, variant, available, previous_price }
            })
            .collect();
        Ok((lines, changed))
    }

    /// What the pricing engine is asked: the lines that can be bought, the shipping estimate
    /// for them, and the cart's codes.
    pub(super) async fn price_request(
        &self,
        doc: &CartDoc,
        assessed: &[Assessed],
        caller: &Caller,
        estimates: &dyn Estimates,
    ) -> Result<pricing::api::PriceRequest> {
        let buyable = || assessed.iter().filter(|a| a.buyable());
        let lines: Vec<pricing::domain::Line> = buyable().map(Assessed::basket_line).collect();
        let parcels: Vec<EstimateLine> = buyable().map(Assessed::estimate_line).collect();
        let shipping = estimates.shipping(&parcels).await?;
        Ok(pricing::api::PriceRequest {
            lines,
            shipping,
            codes: doc.codes.clone(),
            customer_id: caller.customer_id.clone(),
            now: Timestamp::now(),
        })
    }

    /// Checks and prices the cart: what both the customer's view and checkout read, with
    /// shipping and tax from `estimates` (the default ones, or checkout's for an address and a
    /// method). Lines whose price moved are saved at the new price.
    pub(super) async fn priced(
        &self,
        mut doc: CartDoc,
        caller: &Caller,
        estimates: &dyn Estimates,
        known: &mut Known,
    ) -> Result<PricedCart> {
        let (assessed, repriced) = self.assess(&doc, known).await?;
        if repriced {
            doc.lines = assessed.iter().map(|a| a.line.clone()).collect();
            let now = Timestamp::now();
            doc.updated_at = now.as_micros();
            // Best effort: if another request saved first, the next read re-prices again.
            let _ = self.deps.store.save(&doc, now.plus(self.config.idle)).await?;
        }
        let request = self.price_request(&doc, &assessed, caller, estimates).await?;
        let priced = self.deps.pricing.price(&request).await?;
        let q = &priced.quote;
        // Tax is on what is charged: each line after its discount, shipping after its own.
        let taxed: Vec<EstimateLine> = assessed
            .iter()
            .filter(|a| a.buyable())
            .zip(q.line_discounts.iter())
            .map(|(a, discount)| {
                let mut line = a.estimate_line();
                line.amount -= discount;
                line
            })
            .collect();
        let tax = estimates.tax(&taxed, q.shipping - q.shipping_discount).await?;
        Ok(PricedCart { doc, assessed, priced, tax })
    }

    pub(super) async fn view(&self, doc: CartDoc, token: Option<String>, caller: &Caller) -> Result<CartDto> {
        self.view_known(doc, token, caller, &mut Known::default()).await
    }

    /// The view, reading only the variants the request has not read yet.
    pub(super) async fn view_known(
        &self,
        doc: CartDoc,
        token: Option<String>,
        caller: &Caller,
        known: &mut Known,
    ) -> Result<CartDto> {
        let estimates = self.deps.estimates.as_ref();
        let PricedCart { doc, assessed, priced, tax } = self.priced(doc, caller, estimates, known).await?;
        let q = &priced.quote;
        let mut discounts = q.line_discounts.iter().copied();
        let lines: Vec<LineDto> = assessed.into_iter().map(|a| line_dto(a, &mut discounts)).collect();
        let savings = lines.iter().map(|l| l.savings).sum();
        let purchasable = !lines.is_empty() && lines.iter().all(|l| l.status == "ok");
        let applied = q
            .applied
            .iter()
            .map(|a| {
                let p = priced.promotions.get(&a.promotion_id);
                AppliedDiscountDto {
                    promotion_id: a.promotion_id.clone(),
                    name: p.map(|p| p.name.clone()).unwrap_or_default(),
                    code: p.and_then(|p| p.code.clone()),
                    amount: a.amount,
                    shipping_amount: a.shipping_amount,
                }
            })
            .collect();
        let codes = priced
            .codes
            .iter()
            .map(|c| CodeDto {
                code: c.code.clone(),
                applied: c.applied,
                reason: c
                    .reason
                    .as_ref()
                    .map(|(code, detail)| ReasonDto { code: code.clone(), detail: detail.clone() }),
            })
            .collect();
        Ok(CartDto {
            id: Some(doc.id),
            token,
            currency: self.config.currency.clone(),
            item_count: lines.iter().map(|l| l.quantity).sum(),
            lines,
            codes,
            discounts: applied,
            subtotal: q.subtotal,
            discount_total: q.discount_total,
            shipping: q.shipping,
            shipping_discount: q.shipping_discount,
            tax,
            total: q.total + tax,
            savings,
            purchasable,
            expires_at: Some(Timestamp::from_micros(doc.updated_at).plus(self.config.idle).to_rfc3339()),
        })
    }

    pub(super) fn empty_view(&self) -> CartDto {
        CartDto {
            id: None,
            token: None,
            currency: self.config.currency.clone(),
            item_count: 0,
            lines: Vec::new(),
            codes: Vec::new(),
            discounts: Vec::new(),
            subtotal: 0,
            discount_total: 0,
            shipping: 0,
            shipping_discount: 0,
            tax: 0,
            total: 0,
            savings: 0,
            purchasable: false,
            expires_at: None,
        }
    }
}

/// Lines that can be bought take the next discount from the pricing engine's list (which
/// covers exactly those lines, in order); the others show why not and count for nothing.
fn line_dto(a: Assessed, discounts: &mut impl Iterator<Item = i64>) -> LineDto {
    let problem = a.problem();
    let subtotal = a.line.unit_price * a.line.quantity;
    let discount = if problem.is_none() { discounts.next().unwrap_or(0) } else { 0 };
    let mut notices = Vec::new();
    if let Some(previous) = a.previous_price {
        notices.push(NoticeDto { code: "price_changed".into(), previous_price: Some(previous) });
    }
    let v = a.variant.as_ref();
    let compare_at = v.and_then(|v| v.compare_at).filter(|c| *c > a.line.unit_price);
    LineDto {
        variant_id: a.line.variant_id.clone(),
        product_id: v.map(|v| v.product_id.clone()),
        sku: v.map(|v| v.sku.clone()),
        title: v.map(|v| v.product_title.clone()),
        variant_title: v.map(|v| v.variant_title.clone()),
        slug: v.map(|v| v.slug.clone()),
        image: v.and_then(|v| v.image.clone()),
        quantity: a.line.quantity,
        unit_price: a.line.unit_price,
        compare_at_price: compare_at,
        subtotal,
        discount,
        total: if problem.is_none() { subtotal - discount } else { 0 },
        savings: if problem.is_none() {
            compare_at.map_or(0, |c| (c - a.line.unit_price) * a.line.quantity)
        } else {
            0
        },
        status: problem.unwrap_or("ok").to_owned(),
        available: a.available,
        notices,
    }
}
