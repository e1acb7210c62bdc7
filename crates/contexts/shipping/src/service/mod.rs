//! Use cases of the shipping context. Every write happens here, in one transaction; the admin
//! role and the `shipping:write` scope are checked here as well as in the handlers.

mod input;
mod labels;
mod methods;
mod quotes;
mod seed;
mod tracking;
mod zones;

pub use labels::CARRIER;
pub use tracking::TrackingOutcome;

use crate::domain::{Basis, Rate, Tariff};
use crate::dto::{ShippingMethodDto, ShippingRate, ZoneDto};
use crate::settings::WebhookSecret;
use crate::store::{AreaRow, MethodRow, ZoneRow};
use kernel::auth::{Principal, Role};
use kernel::snapshot::Snapshot;
use kernel::time::Timestamp;
use kernel::{Error, Result};
use std::collections::BTreeMap;
use std::time::Duration;
use store::Db;

/// What the shipping service is set up with.
#[derive(Debug, Clone)]
pub struct ShippingConfig {
    /// The store's currency: every rate is in it.
    pub currency: String,
    /// Where the cart's estimate is priced to before an address is known.
    pub default_country: String,
    /// The tracking webhook's secret per provider (`builtin`, `shippo`); a provider left out
    /// takes no webhook.
    pub webhooks: BTreeMap<String, WebhookSecret>,
}

pub struct ShippingService {
    db: Db,
    config: ShippingConfig,
    /// Zones and methods, read on every cart and checkout and changed a few times a year.
    rates: Snapshot<Rates>,
}

/// Every zone's areas and every method, as quotes read them.
pub(crate) struct Rates {
    pub areas: Vec<AreaRow>,
    pub methods: Vec<MethodRow>,
}

/// Another replica's change to zones or methods is quoted within this long.
const RATES_TTL: Duration = Duration::from_secs(10);

impl ShippingService {
    pub fn new(db: Db, config: ShippingConfig) -> Self {
        Self { db, config, rates: Snapshot::new(RATES_TTL) }
    }

    pub fn config(&self) -> &ShippingConfig {
        &self.config
    }

    pub(crate) async fn rates(&self) -> Result<std::sync::Arc<Rates>> {
        self.rates
            .get(|| async {
                let mut db = self.db.clone();
                let areas = crate::store::areas_all(&mut db).await?;
                let methods = crate::store::methods_all(&mut db).await?;
                Ok(Rates { areas, methods })
            })
            .await
    }

    /// After a committed change to zones or methods.
    fn rates_forget(&self) {
        self.rates.forget();
    }
}

/// Only admins (or their keys holding `shipping:write`) manage zones and methods.
fn require_admin(p: &Principal) -> Result<()> {
    p.require_role(&[Role::Admin])?;
    p.require_scope(crate::api::SHIPPING_WRITE)
}

fn zone_not_found() -> Error {
    Error::not_found("zone_not_found", "No such shipping zone.")
}

fn method_not_found() -> Error {
    Error::not_found("method_not_found", "No such shipping method.")
}

/// A unique violation on a method's code is the code taken in its zone.
fn code_taken(e: store::Error) -> Error {
    if e.is_unique_violation() {
        Error::conflict("method_code_taken", "The zone already has a method with this code.")
    } else {
        e.into()
    }
}

fn rates_of(m: &MethodRow) -> Vec<ShippingRate> {
    // Written by this context from a checked table; an unreadable one prices at nothing.
    serde_json::from_str(&m.rates).unwrap_or_default()
}

/// The rules' view of a stored method.
fn tariff_of(m: &MethodRow) -> Tariff {
    Tariff {
        // The table's CHECK allows nothing else.
        basis: Basis::parse(&m.basis).unwrap_or(Basis::Flat),
        rates: rates_of(m).into_iter().map(|r| Rate { from: r.from, amount: r.amount }).collect(),
        free_over: m.free_over,
    }
}

fn method_dto(m: MethodRow, currency: &str) -> ShippingMethodDto {
    ShippingMethodDto {
        rates: rates_of(&m),
        id: m.id,
        zone_id: m.zone_id,
        code: m.code,
        name: m.name,
        basis: m.basis,
        free_over: m.free_over,
        min_days: m.min_days,
        max_days: m.max_days,
        active: m.active,
        currency: currency.to_owned(),
        created_at: rfc3339(m.created_at),
        updated_at: rfc3339(m.updated_at),
    }
}

/// A zone's countries and partly served countries, from its area rows.
fn areas_dto(areas: &[AreaRow]) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let mut countries: Vec<String> = Vec::new();
    let mut regions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in areas {
        if !countries.contains(&a.country) {
            countries.push(a.country.clone());
        }
        if !a.region.is_empty() {
            regions.entry(a.country.clone()).or_default().push(a.region.clone());
        }
    }
    (countries, regions)
}

fn zone_dto(z: ZoneRow, areas: &[AreaRow], methods: Vec<MethodRow>, currency: &str) -> ZoneDto {
    let (countries, regions) = areas_dto(areas);
    ZoneDto {
        id: z.id,
        name: z.name,
        countries,
        regions,
        methods: methods.into_iter().map(|m| method_dto(m, currency)).collect(),
        created_at: rfc3339(z.created_at),
        updated_at: rfc3339(z.updated_at),
    }
}

fn rfc3339(micros: i64) -> String {
    Timestamp::from_micros(micros).to_rfc3339()
}
