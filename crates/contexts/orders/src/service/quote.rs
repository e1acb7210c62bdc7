//! What a checkout would cost: every shipping method serving the address, and with one
//! chosen, the totals with tax. Reads only.

use super::checkout::{Priced, address_check, totals_of};
use super::estimates::{DeliveryEstimates, Found};
use super::{Caller, OrdersService};
use crate::dto::{AddressInput, QuoteDto, QuoteOptionDto};
use cart::api::LineBlocker;
use kernel::{Error, Result};
use std::sync::Mutex;

#[derive(Debug, Clone)]
pub struct QuoteRequest {
    pub caller: Caller,
    pub address: AddressInput,
    pub shipping_method: Option<String>,
}

impl OrdersService {
    pub async fn checkout_quote(&self, req: QuoteRequest) -> Result<QuoteDto> {
        let destination = address_check(&req.address)?;
        let estimates = DeliveryEstimates {
            shipping: self.deps.shipping.as_ref(),
            tax: self.deps.tax.as_ref(),
            destination: &destination,
            method: req.shipping_method.as_deref(),
            list: true,
            found: Mutex::new(Found::default()),
        };
        let cart = self.deps.cart.cart_checkout(&req.caller, Some(&estimates)).await?;
        let found = estimates.take();
        let problems = cart
            .lines
            .iter()
            .filter_map(|l| {
                let title = l.title.as_deref().unwrap_or(&l.variant_id);
                match l.blocker? {
                    LineBlocker::Unavailable => Some(format!("{title} is not for sale")),
                    LineBlocker::OutOfStock => Some(format!("{title} is out of stock")),
                    LineBlocker::InsufficientStock { available } => {
                        Some(format!("only {available} of {title} in stock"))
                    }
                }
            })
            .collect();
        let shipping_options = found
            .options
            .iter()
            .map(|o| QuoteOptionDto {
                code: o.code.clone(),
                name: o.name.clone(),
                amount: o.amount,
                min_days: o.min_days,
                max_days: o.max_days,
            })
            .collect();
        let totals = match (found.chosen, found.tax) {
            (Some(option), Some(tax)) => Some(totals_of(&Priced { cart, option, tax })),
            (None, _) if req.shipping_method.is_some() => return Err(Error::internal("no shipping quote")),
            _ => None,
        };
        Ok(QuoteDto { shipping_options, totals, problems })
    }
}
