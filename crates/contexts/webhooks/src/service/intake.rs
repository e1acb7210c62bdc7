//! What the consumer does with each event, inside its inbox transaction: one delivery per
//! enabled endpoint the event is for (so an event the bus hands over twice makes one), and
//! endpoints switched off when their owner loses the role or access they were made under.

use super::{WebhooksService, patterns_of};
use crate::domain::route::{Owner, data_for};
use crate::store::{self as sql, DeliveryRow};
use kernel::Result;
use kernel::auth::Role;
use kernel::event::{Envelope, Event};
use kernel::time::Timestamp;
use store::Tx;
use users::api::events::{SellerStatusChanged, UserAccessChanged, UserRoleChanged};

impl WebhooksService {
    /// Answers how many deliveries the event made.
    pub async fn event_intake(&self, tx: &mut Tx, event: &Envelope) -> Result<u64> {
        owners_follow(tx, event).await?;
        let now = Timestamp::now().as_micros();
        let mut made = 0;
        for endpoint in sql::endpoints_enabled(tx).await? {
            let owner = Owner::of(&endpoint.owner_role, &endpoint.owner_id);
            let Some(data) = data_for(owner, &patterns_of(&endpoint), &event.event_type, &event.payload) else {
                continue;
            };
            let row = DeliveryRow {
                id: kernel::id::new_id("dlv"),
                endpoint_id: endpoint.id,
                event_id: event.id.clone(),
                event_type: event.event_type.clone(),
                payload: data.to_string(),
                occurred_at: event.occurred_at.as_micros(),
                state: "pending".into(),
                attempts: 0,
                round_attempts: 0,
                queued_at: now,
                next_attempt_at: now,
                last_status: None,
                last_error: None,
                created_at: now,
                delivered_at: None,
            };
            made += u64::from(sql::delivery_insert(tx, &row).await?);
        }
        Ok(made)
    }
}

/// An owner demoted, disabled or suspended keeps no endpoint hearing what they no longer may.
/// The endpoints are switched off, not deleted: an admin can look at them, and the owner
/// switch them on again once allowed.
async fn owners_follow(tx: &mut Tx, event: &Envelope) -> Result<()> {
    let now = Timestamp::now().as_micros();
    let (user, role, why) = match event.event_type.as_str() {
        UserRoleChanged::TYPE => {
            let e: UserRoleChanged = event.decode()?;
            let role = if !e.to.at_least(Role::Seller) {
                None
            } else if !e.to.at_least(Role::Admin) {
                Some("admin")
            } else {
                return Ok(());
            };
            (e.user_id, role, "role changed")
        }
        UserAccessChanged::TYPE => {
            let e: UserAccessChanged = event.decode()?;
            if !e.disabled {
                return Ok(());
            }
            (e.user_id, None, "account disabled")
        }
        SellerStatusChanged::TYPE => {
            let e: SellerStatusChanged = event.decode()?;
            if !matches!(e.status.as_str(), "suspended" | "rejected") {
                return Ok(());
            }
            (e.user_id, Some("seller"), "seller suspended")
        }
        _ => return Ok(()),
    };
    let n = sql::endpoints_disable(tx, &user, role, now).await?;
    if n > 0 {
        tracing::info!(user = %user, endpoints = n, reason = why, "webhook endpoints switched off");
    }
    Ok(())
}
