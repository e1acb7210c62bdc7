//! The cart's shipping and tax, for the customer's address and chosen method: what checkout
//! and its quote price the cart with. It remembers the shipping option and the tax quote, so
//! that the order keeps the per-seller shipping and each line's tax the totals came from.

use cart::api::{EstimateLine, Estimates};
use kernel::geo::Destination;
use kernel::{BoxFuture, Result};
use shipping::api::{Parcel, ShippingOption, ShippingQuotes, ShippingRequest};
use std::sync::Mutex;
use tax::api::{TaxLine, TaxQuote, TaxQuotes, TaxRequest};

#[derive(Default)]
pub(super) struct Found {
    pub options: Vec<ShippingOption>,
    pub chosen: Option<ShippingOption>,
    pub tax: Option<TaxQuote>,
}

pub(super) struct DeliveryEstimates<'a> {
    pub shipping: &'a dyn ShippingQuotes,
    pub tax: &'a dyn TaxQuotes,
    pub destination: &'a Destination,
    /// The chosen method; `None` charges no shipping (a quote before the choice).
    pub method: Option<&'a str>,
    /// Also find every method that serves the destination (for a quote).
    pub list: bool,
    pub found: Mutex<Found>,
}

impl DeliveryEstimates<'_> {
    pub fn take(&self) -> Found {
        std::mem::take(&mut *self.found.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn keep(&self, f: impl FnOnce(&mut Found)) {
        f(&mut self.found.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

impl Estimates for DeliveryEstimates<'_> {
    fn shipping<'a>(&'a self, lines: &'a [EstimateLine]) -> BoxFuture<'a, Result<i64>> {
        Box::pin(async move {
            let request = ShippingRequest {
                destination: self.destination.clone(),
                parcels: lines
                    .iter()
                    .map(|l| Parcel { seller_id: l.seller_id.clone(), weight_g: l.weight_g, value: l.amount })
                    .collect(),
            };
            if self.list {
                let options = self.shipping.shipping_options(&request).await?;
                self.keep(|f| f.options = options);
            }
            let Some(method) = self.method else { return Ok(0) };
            let option = self.shipping.shipping_quote(&request, method).await?;
            let amount = option.amount;
            self.keep(|f| f.chosen = Some(option));
            Ok(amount)
        })
    }

    fn tax<'a>(&'a self, lines: &'a [EstimateLine], shipping: i64) -> BoxFuture<'a, Result<i64>> {
        Box::pin(async move {
            let request = TaxRequest {
                destination: self.destination.clone(),
                lines: lines.iter().map(|l| TaxLine { key: l.variant_id.clone(), amount: l.amount }).collect(),
                shipping,
            };
            let quote = self.tax.tax_quote(&request).await?;
            let added = quote.added;
            self.keep(|f| f.tax = Some(quote));
            Ok(added)
        })
    }
}
