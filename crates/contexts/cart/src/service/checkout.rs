//! The cart as checkout reads it ([`CartCheckout`]): the same checks and prices as the
//! customer's view, as plain data for the orders context.

use super::view::{Assessed, Known, PricedCart};
use super::{Caller, CartService, cart_not_found};
use crate::api::{AppliedPromotion, CartCheckout, CheckoutCart, CheckoutLine, Estimates, LineBlocker, OrderedLine};
use kernel::{BoxFuture, Result};

/// Orders remembered per cart, so that clearing for one twice takes its lines once.
const REMEMBERED_ORDERS: usize = 20;

impl CartCheckout for CartService {
    fn cart_checkout<'a>(
        &'a self,
        caller: &'a Caller,
        estimates: Option<&'a dyn Estimates>,
    ) -> BoxFuture<'a, Result<CheckoutCart>> {
        Box::pin(async move {
            let loaded = self.resolve(caller, false).await?.ok_or_else(cart_not_found)?;
            let estimates = estimates.unwrap_or(self.deps.estimates.as_ref());
            let priced = self.priced(loaded.doc, caller, estimates, &mut Known::default()).await?;
            Ok(checkout_cart(priced, &self.config.currency))
        })
    }

    fn cart_clear_ordered<'a>(
        &'a self,
        caller: &'a Caller,
        order_id: &'a str,
        ordered: &'a [OrderedLine],
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let Some(loaded) = self.resolve(caller, false).await? else { return Ok(()) };
            self.mutate_from(caller, Some(loaded), |doc| {
                if doc.orders.iter().any(|o| o == order_id) {
                    return Ok(());
                }
                for taken in ordered {
                    if let Some(line) = doc.lines.iter_mut().find(|l| l.variant_id == taken.variant_id) {
                        line.quantity -= taken.quantity.min(line.quantity);
                    }
                }
                doc.lines.retain(|l| l.quantity > 0);
                if doc.lines.is_empty() {
                    doc.codes.clear();
                }
                doc.orders.push(order_id.to_owned());
                let excess = doc.orders.len().saturating_sub(REMEMBERED_ORDERS);
                doc.orders.drain(..excess);
                Ok(())
            })
            .await
            .map(|_| ())
        })
    }
}

fn checkout_cart(p: PricedCart, currency: &str) -> CheckoutCart {
    let q = &p.priced.quote;
    let mut discounts = q.line_discounts.iter().copied();
    let lines: Vec<CheckoutLine> = p.assessed.iter().map(|a| checkout_line(a, &mut discounts)).collect();
    let promotions = q
        .applied
        .iter()
        .map(|a| AppliedPromotion {
            promotion_id: a.promotion_id.clone(),
            code: p.priced.promotions.get(&a.promotion_id).and_then(|s| s.code.clone()),
            amount: a.amount,
            shipping_amount: a.shipping_amount,
        })
        .collect();
    CheckoutCart {
        cart_id: p.doc.id.clone(),
        version: p.doc.version,
        customer_id: p.doc.customer_id.clone(),
        currency: currency.to_owned(),
        purchasable: !lines.is_empty() && lines.iter().all(|l| l.blocker.is_none()),
        lines,
        promotions,
        subtotal: q.subtotal,
        discount_total: q.discount_total,
        shipping: q.shipping,
        shipping_discount: q.shipping_discount,
        tax: p.tax,
        total: q.total + p.tax,
    }
}

/// Buyable lines take the next discount from the engine's list, which covers exactly them.
fn checkout_line(a: &Assessed, discounts: &mut impl Iterator<Item = i64>) -> CheckoutLine {
    let blocker = match a.problem() {
        None => None,
        Some("out_of_stock") => Some(LineBlocker::OutOfStock),
        Some("insufficient_stock") => Some(LineBlocker::InsufficientStock { available: a.available }),
        Some(_) => Some(LineBlocker::Unavailable),
    };
    let discount = if blocker.is_none() { discounts.next().unwrap_or(0) } else { 0 };
    let v = a.variant.as_ref();
    CheckoutLine {
        variant_id: a.line.variant_id.clone(),
        product_id: v.map(|v| v.product_id.clone()),
        sku: v.map(|v| v.sku.clone()),
        seller_id: v.map(|v| v.seller_id.clone()),
        title: v.map(|v| v.product_title.clone()),
        variant_title: v.map(|v| v.variant_title.clone()),
        weight_g: a.estimate_line().weight_g,
        quantity: a.line.quantity,
        unit_price: a.line.unit_price,
        discount,
        total: if blocker.is_none() { a.line.unit_price * a.line.quantity - discount } else { 0 },
        blocker,
    }
}
