//! The demo shop's zones and methods, for `serve --demo`: the United States, the European
//! Union and the United Kingdom, each with a standard (and mostly an express) method.

use super::ShippingService;
use super::input::{ValidMethod, ValidZone};
use crate::dto::{CountryCode, ShippingMethodInput, ShippingRate};
use crate::store::{self as sql, ZoneRow};
use kernel::Result;
use kernel::id::new_id;
use kernel::time::Timestamp;
use std::collections::BTreeMap;

type DemoMethod = (&'static str, &'static str, &'static str, &'static [(i64, i64)], Option<i64>, (i64, i64));

/// (zone, countries, methods: code, name, basis, rates (from, amount), free_over, days).
const DEMO: &[(&str, &[&str], &[DemoMethod])] = &[
    (
        "United States",
        &["US"],
        &[
            ("standard", "Standard", "weight", &[(0, 599), (1000, 899), (5000, 1499)], Some(7500), (3, 5)),
            ("express", "Express", "flat", &[(0, 1999)], None, (1, 2)),
        ],
    ),
    (
        "European Union",
        &["DE", "FR", "NL", "ES", "IT", "AT", "BE"],
        &[
            ("standard", "Standard", "value", &[(0, 499)], Some(5000), (3, 6)),
            ("express", "Express", "flat", &[(0, 1499)], None, (1, 3)),
        ],
    ),
    ("United Kingdom", &["GB"], &[("standard", "Standard", "flat", &[(0, 399)], None, (2, 4))]),
];

impl ShippingService {
    /// Creates the demo zones unless any zone exists, so a shop's own set-up is never touched
    /// and running it twice changes nothing.
    pub async fn demo_seed(&self) -> Result<()> {
        let mut tx = self.db.begin().await?;
        if sql::zone_any(&mut tx).await? {
            return Ok(());
        }
        for (name, countries, methods) in DEMO {
            let countries: Vec<CountryCode> = countries.iter().map(|c| CountryCode((*c).to_owned())).collect();
            let zone = ValidZone::parse(name, &countries, &BTreeMap::new())?;
            let now = Timestamp::now().as_micros();
            let row = ZoneRow { id: new_id("shz"), name: zone.name, created_at: now, updated_at: now };
            sql::zone_insert(&mut tx, &row).await?;
            sql::areas_replace(&mut tx, &row.id, &zone.areas).await?;
            for (code, name, basis, rates, free_over, (min_days, max_days)) in *methods {
                let input = ShippingMethodInput {
                    code: (*code).to_owned(),
                    name: (*name).to_owned(),
                    basis: (*basis).to_owned(),
                    rates: rates.iter().map(|&(from, amount)| ShippingRate { from, amount }).collect(),
                    free_over: *free_over,
                    min_days: *min_days,
                    max_days: *max_days,
                    active: Some(true),
                };
                let method = ValidMethod::parse(input)?.into_row(new_id("shm"), row.id.clone(), now, now);
                sql::method_insert(&mut tx, &method).await?;
            }
        }
        tx.commit().await?;
        self.rates_forget();
        Ok(())
    }
}
