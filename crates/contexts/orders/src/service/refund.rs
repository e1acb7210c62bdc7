//! Receiving a return and refunding it. The steps are made so a crash anywhere leaves
//! something the sweeper finishes: the goods are restocked first (once per return, whatever
//! the retries), then the return is `received`, then the refund is asked of payments under
//! the return's id as its key (so a retry never pays twice), then the return is `refunded`.

use super::follow::order_follow;
use super::returns::{history_add, return_event, state_check};
use super::{OrdersService, micros, not_found};
use crate::api::events::{RefundCompleted, ReturnReceived};
use crate::domain::ReturnState;
use crate::dto::{ReceiveInput, ReturnDto};
use crate::store::orders as sql;
use crate::store::returns::{self as rsql, ReturnRow};
use inventory::api::{ReserveLine, Restock};
use kernel::auth::Principal;
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind, Result};

/// Who the refunds of returns are made by, in the payment's history.
const ACTOR: &str = "system:returns";

impl OrdersService {
    /// The goods of an approved return arrived: restock them (when asked), then refund.
    pub async fn return_receive(&self, p: &Principal, id: &str, input: ReceiveInput) -> Result<ReturnDto> {
        p.require_scope(crate::api::FULFILMENTS_WRITE)?;
        let location = input.location_id.as_deref().map(str::trim).filter(|l| !l.is_empty());
        if location.is_some_and(|l| l.len() > 40) {
            return Err(Error::invalid_field("location_id", "must be at most 40 characters"));
        }
        let ret = self.return_decidable(p, id).await?;
        let from = state_check(&ret, ReturnState::Received)?;
        let order = sql::order_get(&mut self.db(), &ret.order_id).await?.ok_or_else(not_found)?;
        let amount = ret.refund_amount.unwrap_or(0);
        if let Some(payment) = &order.payment_id
            && amount > 0
        {
            let status = self.deps.payments.payment_status(payment).await?;
            let left = status.amounts.captured - status.amounts.refunded;
            if amount > left {
                return Err(Error::new(
                    ErrorKind::Invalid,
                    "refund_exceeds_captured",
                    format!("The payment has {left} left to refund; this return would give back {amount}."),
                ));
            }
        }
        if input.restock {
            let lines = sql::lines_of(&mut self.db(), &order.id).await?;
            let restock = Restock {
                reference: ret.id.clone(),
                sale: order.id.clone(),
                location_id: location.map(str::to_owned),
                lines: rsql::lines_of(&mut self.db(), &ret.id)
                    .await?
                    .into_iter()
                    .filter_map(|l| {
                        let line = lines.iter().find(|o| o.position == l.position)?;
                        Some(ReserveLine { sku: line.sku.clone(), quantity: l.quantity })
                    })
                    .collect(),
            };
            self.deps.stock.stock_restock(&restock).await?;
        }
        let now = Timestamp::now().as_micros();
        let mut tx = self.deps.db.begin().await?;
        let order = sql::order_lock(&mut tx, &order.id, now).await?.ok_or_else(not_found)?;
        if !rsql::return_receive(&mut tx, &ret.id, input.restock, location, now).await? {
            return Err(super::returns::return_conflict(from, ReturnState::Received));
        }
        history_add(&mut tx, &ret.id, from, ReturnState::Received, &p.user_id, None).await?;
        store::outbox::emit(&mut tx, &return_event::<ReturnReceived>(&order, &ret, amount)).await?;
        tx.commit().await?;
        let ret = self.return_row(id).await?;
        if let Err(e) = self.refund_complete(&ret).await {
            // The return is received; the sweeper asks again while the provider is away.
            tracing::warn!(return_id = %ret.id, code = %e.code, "refund not made yet");
            rsql::return_failed(&mut self.db(), &ret.id, &format!("{}: {}", e.code, e.detail), now).await?;
        }
        self.return_dto(self.return_row(id).await?).await
    }

    /// Refunds a received return and marks it refunded; harmless to call again.
    async fn refund_complete(&self, ret: &ReturnRow) -> Result<()> {
        let order = sql::order_get(&mut self.db(), &ret.order_id).await?.ok_or_else(not_found)?;
        let amount = ret.refund_amount.unwrap_or(0);
        let payment = match (&order.payment_id, amount) {
            (Some(payment), a) if a > 0 => {
                let reason = format!("return {}", ret.id);
                self.deps.payments.payment_refund(payment, amount, &reason, &ret.id, ACTOR).await?;
                Some(payment.clone())
            }
            _ => None,
        };
        let now = Timestamp::now().as_micros();
        let mut tx = self.deps.db.begin().await?;
        let order = sql::order_lock(&mut tx, &order.id, now).await?.ok_or_else(not_found)?;
        if !rsql::return_refunded(&mut tx, &ret.id, amount, now).await? {
            return Ok(());
        }
        history_add(&mut tx, &ret.id, ReturnState::Received, ReturnState::Refunded, ACTOR, None).await?;
        let event = RefundCompleted {
            return_id: ret.id.clone(),
            order_id: order.id.clone(),
            number: order.number.clone(),
            customer_id: order.customer_id.clone(),
            email: order.email.clone(),
            payment_id: payment.unwrap_or_default(),
            amount,
            currency: order.currency.clone(),
        };
        store::outbox::emit(&mut tx, &event).await?;
        order_follow(&mut tx, &order.id, ACTOR).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Finishes refunds left half-way (the provider was away, the server stopped). A refund
    /// the payment refuses for good (more than is left) waits for a person.
    pub async fn returns_sweep(&self, now: Timestamp) -> Result<u64> {
        let before = now.as_micros() - micros(self.config.lease);
        let mut done = 0;
        for ret in rsql::returns_unrefunded(&mut self.db(), before, 100).await? {
            if ret.last_error.as_deref().is_some_and(|e| e.starts_with("refund_exceeds_captured")) {
                continue;
            }
            match self.refund_complete(&ret).await {
                Ok(()) => done += 1,
                Err(e) => {
                    let error = format!("{}: {}", e.code, e.detail);
                    rsql::return_failed(&mut self.db(), &ret.id, &error, Timestamp::now().as_micros()).await?;
                }
            }
        }
        Ok(done)
    }
}
