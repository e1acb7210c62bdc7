//! Capture, cancel and refund: the provider is asked first (with a key that makes asking again
//! harmless), then the answer is recorded; a refund's amount is held before the provider is
//! asked, so concurrent refunds can never exceed the capture.

use super::record::{self, ledger_entry};
use super::{PaymentsService, illegal, load, payment_of, provider_error, state_of, transition};
use crate::api::events::PaymentRefunded;
use crate::api::{Payment, PaymentState};
use crate::domain::EntryKind;
use crate::gateway::Money;
use crate::store as sql;
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::{Tx, outbox};

fn key_check(key: &str) -> Result<()> {
    if key.trim().is_empty() || key.len() > 255 {
        return Err(Error::invalid_field("idempotency_key", "must be 1-255 characters"));
    }
    Ok(())
}

impl PaymentsService {
    pub(crate) async fn capture(&self, id: &str, amount: Option<i64>, key: &str, actor: &str) -> Result<Payment> {
        key_check(key)?;
        let mut row = load(&mut self.db.clone(), id).await?;
        if sql::entry_by_key(&mut self.db.clone(), id, EntryKind::Capture.as_str(), key).await?.is_some() {
            return payment_of(&mut self.db.clone(), row).await; // captured before under this key
        }
        if state_of(&row) != PaymentState::Authorized {
            return Err(illegal(&row, "captured"));
        }
        let amount = amount.unwrap_or(row.amount);
        if amount <= 0 {
            return Err(Error::invalid_field("amount", "must be at least 1 (minor units)"));
        }
        if amount > row.amount {
            return Err(Error::new(
                kernel::ErrorKind::Invalid,
                "capture_exceeds_authorized",
                format!("At most {} was authorized.", row.amount),
            ));
        }
        let provider_ref = row.provider_ref.clone().unwrap_or_default();
        let provider_key = format!("{id}:capture");
        let money = Money { amount, currency: &row.currency };
        let captured_ref = self.gateway.capture(&provider_ref, money, &provider_key).await.map_err(provider_error)?;
        let mut tx = self.db.begin().await?;
        if !record::captured(&mut tx, &mut row, amount, Some(captured_ref), key, actor, None).await? {
            tx.rollback().await?;
            return self.replay_or_conflict(id, "captured").await;
        }
        tx.commit().await?;
        payment_of(&mut self.db.clone(), row).await
    }

    /// After losing a race: the payment as the winner left it, if it is where the caller
    /// wanted it, else the conflict.
    async fn replay_or_conflict(&self, id: &str, what: &str) -> Result<Payment> {
        let now = load(&mut self.db.clone(), id).await?;
        let done = match what {
            "captured" => now.captured > 0,
            _ => state_of(&now) == PaymentState::Cancelled,
        };
        if done { payment_of(&mut self.db.clone(), now).await } else { Err(illegal(&now, what)) }
    }

    pub(crate) async fn cancel(&self, id: &str, actor: &str) -> Result<Payment> {
        let mut row = load(&mut self.db.clone(), id).await?;
        let state = state_of(&row);
        if state == PaymentState::Cancelled {
            return payment_of(&mut self.db.clone(), row).await;
        }
        if !state.can(PaymentState::Cancelled) {
            return Err(illegal(&row, "cancelled"));
        }
        if let Some(provider_ref) = row.provider_ref.clone() {
            self.gateway.cancel(&provider_ref, &format!("{id}:cancel")).await.map_err(provider_error)?;
        }
        let mut tx = self.db.begin().await?;
        if !record::cancelled(&mut tx, &mut row, state, "cancel", actor, None).await? {
            tx.rollback().await?;
            return self.replay_or_conflict(id, "cancelled").await;
        }
        tx.commit().await?;
        payment_of(&mut self.db.clone(), row).await
    }

    pub(crate) async fn refund(&self, id: &str, amount: i64, reason: &str, key: &str, actor: &str) -> Result<Payment> {
        key_check(key)?;
        if amount <= 0 {
            return Err(Error::invalid_field("amount", "must be at least 1 (minor units)"));
        }
        if reason.chars().count() > 500 {
            return Err(Error::invalid_field("reason", "must be at most 500 characters"));
        }
        let row = load(&mut self.db.clone(), id).await?;
        if sql::entry_by_key(&mut self.db.clone(), id, EntryKind::Refund.as_str(), key).await?.is_some() {
            return payment_of(&mut self.db.clone(), row).await; // asked before under this key
        }
        if !state_of(&row).refundable() {
            return Err(illegal(&row, "refunded"));
        }
        // Hold the amount, then ask the provider: a crash in between leaves a pending entry
        // that still counts against what may be refunded.
        let mut tx = self.db.begin().await?;
        if !sql::refund_hold(&mut tx, id, amount, Timestamp::now().as_micros()).await? {
            tx.rollback().await?;
            let left =
                payment_of(&mut self.db.clone(), load(&mut self.db.clone(), id).await?).await?.amounts.refundable();
            return Err(Error::new(
                kernel::ErrorKind::Invalid,
                "refund_exceeds_captured",
                format!("At most {left} is left to refund."),
            ));
        }
        let pending =
            ledger_entry(&row, EntryKind::Refund, amount, key, "pending", Some(reason).filter(|r| !r.is_empty()));
        if !sql::entry_insert(&mut tx, &pending).await? {
            tx.rollback().await?; // the same key raced itself: the first one holds the amount
            return payment_of(&mut self.db.clone(), load(&mut self.db.clone(), id).await?).await;
        }
        tx.commit().await?;

        // Refunds are made against what the capture answered (PayPal's capture id, Stripe's intent).
        let entries = sql::entry_list(&mut self.db.clone(), id).await?;
        let captured = entries.iter().find(|e| e.kind == EntryKind::Capture.as_str() && e.status == "succeeded");
        let target =
            captured.and_then(|e| e.provider_ref.clone()).or_else(|| row.provider_ref.clone()).unwrap_or_default();
        let money = Money { amount, currency: &row.currency };
        let asked = self.gateway.refund(&target, money, &format!("{id}:refund:{key}")).await;
        let mut tx = self.db.begin().await?;
        // Refunds settling at once take turns here: each then sees the others' totals.
        sql::payment_lock(&mut tx, id).await?;
        match asked {
            Ok(refund_ref) => {
                sql::entry_settle(&mut tx, &pending.id, "succeeded", Some(&refund_ref)).await?;
                let refunded = self.refund_state(&mut tx, id, actor, reason).await?;
                let event = PaymentRefunded {
                    payment_id: row.id.clone(),
                    reference: row.reference.clone(),
                    amount,
                    refunded,
                    currency: row.currency.clone(),
                };
                outbox::emit(&mut tx, &event).await?;
                tx.commit().await?;
                payment_of(&mut self.db.clone(), load(&mut self.db.clone(), id).await?).await
            }
            Err(e) => {
                sql::entry_settle(&mut tx, &pending.id, "failed", None).await?;
                sql::refund_release(&mut tx, id, amount).await?;
                tx.commit().await?;
                Err(provider_error(e))
            }
        }
    }

    /// Moves the payment to partially refunded or refunded after a refund succeeded; answers
    /// the total refunded. Other refunds may settle at the same time: the move is retried on
    /// the state it finds.
    async fn refund_state(&self, tx: &mut Tx, id: &str, actor: &str, reason: &str) -> Result<i64> {
        for _ in 0..8 {
            let mut row = load(tx, id).await?;
            let amounts = payment_of(tx, row.clone()).await?.amounts;
            let to =
                if amounts.refunded >= row.captured { PaymentState::Refunded } else { PaymentState::PartiallyRefunded };
            let reason = Some(reason).filter(|r| !r.is_empty());
            if transition(tx, &mut row, to, actor, reason).await? {
                return Ok(amounts.refunded);
            }
        }
        Err(Error::conflict("concurrent_change", "The payment changed under too many refunds at once; retry."))
    }
}
