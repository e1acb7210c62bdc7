//! Managing shipping zones (admins): the areas they serve, listed with their methods.

use super::input::ValidZone;
use super::{ShippingService, require_admin, zone_dto, zone_not_found};
use crate::dto::{CountryCode, ZoneDto, ZoneInput, ZoneUpdate};
use crate::store::{self as sql, AreaRow, ZoneRow};
use kernel::Result;
use kernel::auth::Principal;
use kernel::id::new_id;
use kernel::time::Timestamp;
use std::collections::BTreeMap;
use store::Query;

impl ShippingService {
    pub async fn zone_create(&self, p: &Principal, input: ZoneInput) -> Result<ZoneDto> {
        require_admin(p)?;
        let valid = ValidZone::parse(&input.name, &input.countries, &input.regions)?;
        let now = Timestamp::now().as_micros();
        let row = ZoneRow { id: new_id("shz"), name: valid.name, created_at: now, updated_at: now };
        let mut tx = self.db.begin().await?;
        sql::zone_insert(&mut tx, &row).await?;
        sql::areas_replace(&mut tx, &row.id, &valid.areas).await?;
        tx.commit().await?;
        self.rates_forget();
        Ok(zone_dto(row, &area_rows(&valid.areas), Vec::new(), &self.config.currency))
    }

    /// Every zone, oldest first (the order ties between zones are decided in), with its methods.
    pub async fn zone_list(&self, p: &Principal) -> Result<Vec<ZoneDto>> {
        require_admin(p)?;
        let mut db = self.db.clone();
        let zones = sql::zone_list(&mut db).await?;
        self.zones_dto(&mut db, zones).await
    }

    pub async fn zone_get(&self, p: &Principal, id: &str) -> Result<ZoneDto> {
        require_admin(p)?;
        let mut db = self.db.clone();
        let zone = sql::zone_get(&mut db, id).await?.ok_or_else(zone_not_found)?;
        let mut zones = self.zones_dto(&mut db, vec![zone]).await?;
        zones.pop().ok_or_else(zone_not_found)
    }

    /// Changes the fields given. New countries keep the regions listed before for those still
    /// in the zone, unless new regions are given too.
    pub async fn zone_update(&self, p: &Principal, id: &str, input: ZoneUpdate) -> Result<ZoneDto> {
        require_admin(p)?;
        let mut tx = self.db.begin().await?;
        let mut zone = sql::zone_get(&mut tx, id).await?.ok_or_else(zone_not_found)?;
        let current = sql::area_list(&mut tx, std::slice::from_ref(&zone.id)).await?;
        let (countries, regions) = super::areas_dto(&current);
        let countries = input.countries.unwrap_or_else(|| countries.into_iter().map(CountryCode).collect());
        let regions = input.regions.unwrap_or_else(|| kept_regions(regions, &countries));
        let valid = ValidZone::parse(input.name.as_deref().unwrap_or(&zone.name), &countries, &regions)?;
        zone.name = valid.name;
        zone.updated_at = Timestamp::now().as_micros();
        if !sql::zone_update(&mut tx, &zone).await? {
            return Err(zone_not_found());
        }
        sql::areas_replace(&mut tx, &zone.id, &valid.areas).await?;
        let methods = sql::method_list(&mut tx, std::slice::from_ref(&zone.id)).await?;
        tx.commit().await?;
        self.rates_forget();
        Ok(zone_dto(zone, &area_rows(&valid.areas), methods, &self.config.currency))
    }

    /// Deletes a zone with its methods: orders keep the shipping they were charged, not a
    /// reference to a method.
    pub async fn zone_delete(&self, p: &Principal, id: &str) -> Result<()> {
        require_admin(p)?;
        let mut tx = self.db.begin().await?;
        if !sql::zone_delete(&mut tx, id).await? {
            return Err(zone_not_found());
        }
        tx.commit().await?;
        self.rates_forget();
        Ok(())
    }

    async fn zones_dto(&self, q: &mut impl Query, zones: Vec<ZoneRow>) -> Result<Vec<ZoneDto>> {
        let ids: Vec<String> = zones.iter().map(|z| z.id.clone()).collect();
        let areas = sql::area_list(q, &ids).await?;
        let mut methods = sql::method_list(q, &ids).await?;
        let dtos = zones.into_iter().map(|z| {
            let own: Vec<AreaRow> = areas.iter().filter(|a| a.zone_id == z.id).cloned().collect();
            let (mine, rest) = methods.drain(..).partition(|m| m.zone_id == z.id);
            methods = rest;
            zone_dto(z, &own, mine, &self.config.currency)
        });
        Ok(dtos.collect())
    }
}

/// The regions still meaningful once the zone's countries are `countries`.
fn kept_regions(regions: BTreeMap<String, Vec<String>>, countries: &[CountryCode]) -> BTreeMap<String, Vec<String>> {
    let listed = |c: &str| countries.iter().any(|k| k.0.trim().eq_ignore_ascii_case(c));
    regions.into_iter().filter(|(c, _)| listed(c)).collect()
}

fn area_rows(areas: &[(String, String)]) -> Vec<AreaRow> {
    let row = |(country, region): &(String, String)| AreaRow {
        zone_id: String::new(),
        country: country.clone(),
        region: region.clone(),
    };
    areas.iter().map(row).collect()
}
