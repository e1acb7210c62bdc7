//! Managing a zone's shipping methods (admins): their rate tables, thresholds and estimates.

use super::input::{ValidMethod, method_patched};
use super::{ShippingService, code_taken, method_dto, method_not_found, rates_of, require_admin, zone_not_found};
use crate::dto::{ShippingMethodDto, ShippingMethodInput, ShippingMethodUpdate};
use crate::store as sql;
use kernel::Result;
use kernel::auth::Principal;
use kernel::id::new_id;
use kernel::time::Timestamp;

impl ShippingService {
    pub async fn method_create(
        &self,
        p: &Principal,
        zone_id: &str,
        input: ShippingMethodInput,
    ) -> Result<ShippingMethodDto> {
        require_admin(p)?;
        let mut tx = self.db.begin().await?;
        let zone = sql::zone_get(&mut tx, zone_id).await?.ok_or_else(zone_not_found)?;
        let valid = ValidMethod::parse(input)?;
        let now = Timestamp::now().as_micros();
        let row = valid.into_row(new_id("shm"), zone.id, now, now);
        sql::method_insert(&mut tx, &row).await.map_err(code_taken)?;
        tx.commit().await?;
        self.rates_forget();
        Ok(method_dto(row, &self.config.currency))
    }

    /// Changes the fields given; the method as a whole must still hold (a `flat` basis with a
    /// table of several rows is refused, whichever field changed).
    pub async fn method_update(
        &self,
        p: &Principal,
        id: &str,
        patch: ShippingMethodUpdate,
    ) -> Result<ShippingMethodDto> {
        require_admin(p)?;
        let mut tx = self.db.begin().await?;
        let current = sql::method_get(&mut tx, id).await?.ok_or_else(method_not_found)?;
        let valid = ValidMethod::parse(method_patched(&current, rates_of(&current), patch))?;
        let row = valid.into_row(current.id, current.zone_id, current.created_at, Timestamp::now().as_micros());
        if !sql::method_update(&mut tx, &row).await.map_err(code_taken)? {
            return Err(method_not_found());
        }
        tx.commit().await?;
        self.rates_forget();
        Ok(method_dto(row, &self.config.currency))
    }

    /// Deletes a method; orders keep what they were charged, so nothing else refers to it.
    pub async fn method_delete(&self, p: &Principal, id: &str) -> Result<()> {
        require_admin(p)?;
        let mut tx = self.db.begin().await?;
        if !sql::method_delete(&mut tx, id).await? {
            return Err(method_not_found());
        }
        tx.commit().await?;
        self.rates_forget();
        Ok(())
    }
}
