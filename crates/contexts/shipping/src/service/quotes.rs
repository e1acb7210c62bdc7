//! Pricing delivery: what the cart and checkout call through [`ShippingQuotes`], and the
//! public quote the storefront shows.

use super::{ShippingService, tariff_of};
use crate::api::{Parcel, ShippingOption, ShippingQuotes, ShippingRequest};
use crate::domain::{Area, Zone, zone_for};
use crate::dto::ShippingQuoteInput;
use crate::dto::{MAX_PARCELS, MAX_VALUE, MAX_WEIGHT_G, SellerShippingDto, ShippingOptionDto, ShippingQuoteDto};
use crate::store::MethodRow;
use kernel::ErrorKind::Invalid;
use kernel::geo::Destination;
use kernel::{BoxFuture, Error, Result, Validation};

impl ShippingQuotes for ShippingService {
    fn shipping_options<'a>(&'a self, request: &'a ShippingRequest) -> BoxFuture<'a, Result<Vec<ShippingOption>>> {
        Box::pin(self.options_for(request))
    }

    fn shipping_quote<'a>(
        &'a self,
        request: &'a ShippingRequest,
        method_code: &'a str,
    ) -> BoxFuture<'a, Result<ShippingOption>> {
        Box::pin(async move {
            let options = self.options_for(request).await?;
            options.into_iter().find(|o| o.code == method_code).ok_or_else(|| {
                Error::new(Invalid, "unknown_shipping_method", "The destination's zone has no such active method.")
            })
        })
    }

    fn shipping_estimate<'a>(&'a self, parcels: &'a [Parcel]) -> BoxFuture<'a, Result<i64>> {
        Box::pin(async move {
            if parcels.is_empty() {
                return Ok(0);
            }
            let destination = Destination::new(&self.config.default_country, None, None);
            let request = ShippingRequest { destination, parcels: parcels.to_vec() };
            match self.options_for(&request).await {
                // Cheapest first; an unserved default is no estimate rather than an error.
                Ok(options) => Ok(options.first().map_or(0, |o| o.amount)),
                Err(e) if e.code == "destination_not_served" => Ok(0),
                Err(e) => Err(e),
            }
        })
    }
}

impl ShippingService {
    /// The options of the zone serving the destination, cheapest first (quicker, then older
    /// methods first among equals).
    async fn options_for(&self, request: &ShippingRequest) -> Result<Vec<ShippingOption>> {
        let d = &request.destination;
        // Callers outside this process may not have normalised the codes.
        let to = Destination::new(&d.country, d.region.as_deref(), d.postal_code.as_deref());
        if !to.country_valid() {
            return Err(Error::new(Invalid, "invalid_destination", "The country must be a two-letter ISO code."));
        }
        parcels_check(&request.parcels)?;
        let methods = self.serving_methods(&to).await?;
        if methods.is_empty() {
            return Err(Error::new(Invalid, "destination_not_served", "We do not ship to this destination."));
        }
        let mut options: Vec<ShippingOption> = methods
            .into_iter()
            .map(|m| {
                let (amount, per_seller) = tariff_of(&m).price(&request.parcels);
                ShippingOption {
                    method_id: m.id,
                    code: m.code,
                    name: m.name,
                    amount,
                    per_seller,
                    min_days: m.min_days,
                    max_days: m.max_days,
                }
            })
            .collect();
        options.sort_by_key(|o| (o.amount, o.max_days));
        Ok(options)
    }

    /// The active methods of the zone serving `to`, oldest first; none when no zone does.
    async fn serving_methods(&self, to: &Destination) -> Result<Vec<MethodRow>> {
        let rates = self.rates().await?;
        let mut zones: Vec<Zone> = Vec::new();
        for a in rates.areas.iter().filter(|a| a.country == to.country) {
            let area = Area { country: a.country.clone(), region: Some(a.region.clone()).filter(|r| !r.is_empty()) };
            match zones.iter_mut().find(|z| z.id == a.zone_id) {
                Some(z) => z.areas.push(area),
                None => zones.push(Zone { id: a.zone_id.clone(), areas: vec![area] }),
            }
        }
        let Some(zone) = zone_for(&zones, to) else { return Ok(Vec::new()) };
        Ok(rates.methods.iter().filter(|m| m.zone_id == zone.id && m.active).cloned().collect())
    }

    /// The public quote: the options for what the storefront sends, in the store's currency.
    pub async fn shipping_options_public(&self, input: ShippingQuoteInput) -> Result<ShippingQuoteDto> {
        let d = &input.destination;
        destination_check(d.region.as_deref(), d.postal_code.as_deref())?;
        let destination = Destination::new(&d.country, d.region.as_deref(), d.postal_code.as_deref());
        let parcels = input
            .parcels
            .into_iter()
            .map(|p| Parcel { seller_id: p.seller_id, weight_g: p.weight_g, value: p.value })
            .collect();
        let options = self.options_for(&ShippingRequest { destination, parcels }).await?;
        Ok(ShippingQuoteDto {
            currency: self.config.currency.clone(),
            options: options.into_iter().map(option_dto).collect(),
        })
    }
}

/// The free-text parts of a destination within the bounds the API document gives.
fn destination_check(region: Option<&str>, postal_code: Option<&str>) -> Result<()> {
    let mut v = Validation::default();
    if region.is_some_and(|r| r.chars().count() > 100) {
        v.push("destination.region", "must be at most 100 characters");
    }
    if postal_code.is_some_and(|p| p.chars().count() > 32) {
        v.push("destination.postal_code", "must be at most 32 characters");
    }
    v.finish()
}

/// Weights and values within the bounds the API document gives.
fn parcels_check(parcels: &[Parcel]) -> Result<()> {
    let mut v = Validation::default();
    if parcels.len() > MAX_PARCELS {
        v.push("parcels", format!("at most {MAX_PARCELS} parcels"));
    }
    for (i, p) in parcels.iter().enumerate() {
        if !(0..=MAX_WEIGHT_G).contains(&p.weight_g) {
            v.push(&format!("parcels[{i}].weight_g"), format!("must be 0-{MAX_WEIGHT_G} (grams)"));
        }
        if !(0..=MAX_VALUE).contains(&p.value) {
            v.push(&format!("parcels[{i}].value"), format!("must be 0-{MAX_VALUE} (minor units)"));
        }
        if p.seller_id.chars().count() > 100 {
            v.push(&format!("parcels[{i}].seller_id"), "must be at most 100 characters");
        }
    }
    v.finish()
}

fn option_dto(o: ShippingOption) -> ShippingOptionDto {
    ShippingOptionDto {
        method_id: o.method_id,
        code: o.code,
        name: o.name,
        amount: o.amount,
        per_seller: o
            .per_seller
            .into_iter()
            .map(|s| SellerShippingDto { seller_id: s.seller_id, amount: s.amount })
            .collect(),
        min_days: o.min_days,
        max_days: o.max_days,
    }
}
