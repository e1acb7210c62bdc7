//! The cart's estimates before the customer gives an address: shipping and tax to the shop's
//! default country (`[shipping] default_country`), from the shipping and tax contexts.

use cart::api::{EstimateLine, Estimates};
use kernel::geo::Destination;
use kernel::{BoxFuture, Result};
use shipping::api::{Parcel, ShippingQuotes};
use std::sync::Arc;
use tax::api::{TaxLine, TaxQuotes, TaxRequest};

pub struct DefaultEstimates {
    pub shipping: Arc<dyn ShippingQuotes>,
    pub tax: Arc<dyn TaxQuotes>,
    pub destination: Destination,
}

impl Estimates for DefaultEstimates {
    fn shipping<'a>(&'a self, lines: &'a [EstimateLine]) -> BoxFuture<'a, Result<i64>> {
        Box::pin(async move {
            let parcels: Vec<Parcel> = lines
                .iter()
                .map(|l| Parcel { seller_id: l.seller_id.clone(), weight_g: l.weight_g, value: l.amount })
                .collect();
            self.shipping.shipping_estimate(&parcels).await
        })
    }

    fn tax<'a>(&'a self, lines: &'a [EstimateLine], shipping: i64) -> BoxFuture<'a, Result<i64>> {
        Box::pin(async move {
            let request = TaxRequest {
                destination: self.destination.clone(),
                lines: lines.iter().map(|l| TaxLine { key: l.variant_id.clone(), amount: l.amount }).collect(),
                shipping,
            };
            Ok(self.tax.tax_quote(&request).await?.added)
        })
    }
}
