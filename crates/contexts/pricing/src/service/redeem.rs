//! Counting the promotions an order used: all or none, once per order.

use super::{PricingService, promotion_not_found};
use crate::store::promotions as sql;
use crate::store::redemptions::{self, RedemptionRow};
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::Tx;

impl PricingService {
    /// Neither the promotion's state nor its window is checked again here: the order was priced
    /// with it, and only the limits decide whether the use may be counted.
    pub(super) async fn redeem(&self, ids: &[String], customer: Option<&str>, order: &str) -> Result<()> {
        if order.trim().is_empty() {
            return Err(Error::invalid_field("order_id", "must not be empty"));
        }
        let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        // One order of row locks, so two orders redeeming the same promotions cannot deadlock.
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        for id in ids {
            // An error drops the transaction, which takes back the uses counted before it.
            redeem_one(&mut tx, id, customer, order).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn redeem_one(tx: &mut Tx, id: &str, customer: Option<&str>, order: &str) -> Result<()> {
    let now = Timestamp::now().as_micros();
    // First the conditional increment: it checks the limit and takes the row's lock in one
    // statement, so the per-customer count below cannot race another order of this promotion.
    if !sql::times_used_increment(tx, id, now).await? {
        if redemptions::redemption_exists(tx, id, order).await? {
            return Ok(()); // this order took the last use already
        }
        return match sql::promotion_get(tx, id).await? {
            None => Err(promotion_not_found()),
            Some(_) => Err(Error::conflict("code_exhausted", format!("Promotion {id} has been used up."))),
        };
    }
    let row = RedemptionRow {
        id: new_id("red"),
        promotion_id: id.to_owned(),
        customer_id: customer.map(str::to_owned),
        order_id: order.to_owned(),
        created_at: now,
    };
    if !redemptions::redemption_insert(tx, &row).await? {
        // Counted for this order before: take back the use just added.
        sql::times_used_decrement(tx, id).await?;
        return Ok(());
    }
    let Some(customer) = customer else { return Ok(()) };
    let limit = sql::promotion_get(tx, id).await?.and_then(|p| p.per_customer_limit);
    if let Some(limit) = limit
        && redemptions::customer_count(tx, id, customer).await? > limit
    {
        let detail = format!("The customer has used promotion {id} as often as it allows.");
        return Err(Error::conflict("code_customer_limit", detail));
    }
    Ok(())
}
