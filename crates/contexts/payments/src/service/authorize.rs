//! Authorizing: record the payment, ask the provider (retrying what may be retried, with the
//! same key), apply its decision; the customer's action; and the reconciler that settles
//! payments whose answer was lost.

use super::record;
use super::{PaymentsService, illegal, load, payment_of, provider_error, state_of, transition};
use crate::api::events::{PaymentFailed, PaymentRequiresAction};
use crate::api::{AuthorizeRequest, Payment, PaymentState};
use crate::domain::{MAX_ATTEMPTS, looks_like_card_number};
use crate::gateway::{AuthorizeCall, GatewayError, Outcome};
use crate::store::{self as sql, HistoryRow, PaymentRow};
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Error, Result, Validation};
use store::outbox;

impl PaymentsService {
    pub(crate) async fn authorize(&self, req: &AuthorizeRequest) -> Result<Payment> {
        self.authorize_check(req)?;
        let now = Timestamp::now().as_micros();
        let row = PaymentRow {
            id: new_id("pay"),
            reference: req.reference.clone(),
            customer_id: req.customer_id.clone(),
            amount: req.amount,
            currency: req.currency.clone(),
            provider: self.gateway.name().to_owned(),
            method_token: req.token.clone(),
            provider_ref: None,
            state: PaymentState::Initiated.as_str().to_owned(),
            attempts: 0,
            next_action: None,
            failure_code: None,
            refund_held: 0,
            captured: 0,
            idempotency_key: req.idempotency_key.clone(),
            created_at: now,
            updated_at: now,
        };
        let mut tx = self.db.begin().await?;
        if !sql::payment_insert(&mut tx, &row, &req.seller_ids).await? {
            // Asked before with this key: answer that payment, whatever became of it.
            let existing = sql::payment_by_key(&mut tx, &req.reference, &req.idempotency_key).await?;
            tx.rollback().await?;
            let existing = existing.ok_or_else(super::not_found)?;
            if state_of(&existing) != PaymentState::Initiated {
                return payment_of(&mut self.db.clone(), existing).await;
            }
            // Recorded but never sent (the first try stopped there): send it now. One runner
            // wins the move to processing, and the provider's key is the payment's id.
            return self.authorize_send(existing, req.capture).await;
        }
        let history = HistoryRow {
            id: new_id("phs"),
            payment_id: row.id.clone(),
            from_state: None,
            to_state: row.state.clone(),
            actor: req.customer_id.clone().unwrap_or_else(|| "guest".into()),
            reason: None,
            at: now,
        };
        sql::history_insert(&mut tx, &history).await?;
        tx.commit().await?;
        self.authorize_send(row, req.capture).await
    }

    async fn authorize_send(&self, row: PaymentRow, capture: bool) -> Result<Payment> {
        let row = self.attempt(row, "system:payments").await?;
        if capture && state_of(&row) == PaymentState::Authorized {
            return self.capture(&row.id, None, "capture", "system:payments").await;
        }
        payment_of(&mut self.db.clone(), row).await
    }

    fn authorize_check(&self, req: &AuthorizeRequest) -> Result<()> {
        let mut v = Validation::default();
        if req.amount <= 0 {
            v.push("amount", "must be at least 1 (minor units)");
        }
        if req.reference.trim().is_empty() || req.reference.len() > 200 {
            v.push("reference", "must be 1-200 characters");
        }
        if req.idempotency_key.trim().is_empty() || req.idempotency_key.len() > 200 {
            v.push("idempotency_key", "must be 1-200 characters");
        }
        v.finish()?;
        if looks_like_card_number(&req.token) {
            return Err(card_number());
        }
        if req.currency != self.config.currency {
            return Err(Error::new(
                kernel::ErrorKind::Invalid,
                "currency_mismatch",
                format!("Payments are in {}.", self.config.currency),
            ));
        }
        if !self.gateway.accepts(&req.token) {
            return Err(Error::new(
                kernel::ErrorKind::Invalid,
                "unknown_payment_method",
                format!("The payment-method token is not a {} token.", self.gateway.name()),
            ));
        }
        Ok(())
    }

    /// Asks the provider until it decides, at most [`MAX_ATTEMPTS`] times for transient
    /// failures, always with the payment's id as the provider's idempotency key. Out of
    /// attempts, the payment stays `processing` for the reconciler and the caller gets 503.
    async fn attempt(&self, mut row: PaymentRow, actor: &str) -> Result<PaymentRow> {
        loop {
            let mut tx = self.db.begin().await?;
            row.attempts += 1;
            if !transition(&mut tx, &mut row, PaymentState::Processing, actor, None).await? {
                tx.rollback().await?;
                return load(&mut self.db.clone(), &row.id).await; // another request is on it
            }
            tx.commit().await?;
            let call =
                AuthorizeCall { amount: row.amount, currency: &row.currency, token: &row.method_token, key: &row.id };
            match self.gateway.authorize(call).await {
                Ok(outcome) => return self.apply(row, outcome, actor).await,
                Err(GatewayError::Transient(why)) if row.attempts < MAX_ATTEMPTS => {
                    let mut tx = self.db.begin().await?;
                    row.failure_code = Some("provider_unavailable".into());
                    transition(&mut tx, &mut row, PaymentState::Failed, actor, Some(&format!("transient: {why}")))
                        .await?;
                    tx.commit().await?;
                    let attempt = u32::try_from(row.attempts).unwrap_or(u32::MAX);
                    tokio::time::sleep(crate::domain::backoff(self.config.retry_backoff, attempt)).await;
                }
                Err(e) => return Err(provider_error(e)),
            }
        }
    }

    /// Records what the provider decided about a `processing` payment.
    async fn apply(&self, mut row: PaymentRow, outcome: Outcome, actor: &str) -> Result<PaymentRow> {
        let mut tx = self.db.begin().await?;
        row.failure_code = None;
        let moved = match outcome {
            Outcome::Authorized { provider_ref } => {
                row.provider_ref = Some(provider_ref);
                record::authorized(&mut tx, &mut row, actor, None).await?
            }
            Outcome::RequiresAction { provider_ref, next_action } => {
                let action = serde_json::to_string(&next_action).unwrap_or_default().replace("{id}", &row.id);
                row.provider_ref = Some(provider_ref);
                row.next_action = Some(action);
                let moved = transition(&mut tx, &mut row, PaymentState::RequiresAction, actor, None).await?;
                if moved {
                    let event = PaymentRequiresAction { payment_id: row.id.clone(), reference: row.reference.clone() };
                    outbox::emit(&mut tx, &event).await?;
                }
                moved
            }
            Outcome::Declined { code, message } => {
                row.failure_code = Some(code.into());
                let moved = transition(&mut tx, &mut row, PaymentState::Failed, actor, Some(&message)).await?;
                if moved {
                    let event = PaymentFailed {
                        payment_id: row.id.clone(),
                        reference: row.reference.clone(),
                        code: code.into(),
                    };
                    outbox::emit(&mut tx, &event).await?;
                }
                moved
            }
        };
        if !moved {
            tx.rollback().await?;
            return load(&mut self.db.clone(), &row.id).await;
        }
        tx.commit().await?;
        Ok(row)
    }

    /// The customer finished the provider's challenge: ask the provider what it decided.
    pub(crate) async fn confirm(&self, id: &str, customer: &str) -> Result<Payment> {
        let mut row = load(&mut self.db.clone(), id).await?;
        if row.customer_id.as_deref() != Some(customer) {
            return Err(super::not_found());
        }
        if state_of(&row) != PaymentState::RequiresAction {
            return Err(illegal(&row, "confirmed"));
        }
        let provider_ref = row.provider_ref.clone().unwrap_or_default();
        let mut tx = self.db.begin().await?;
        if !transition(&mut tx, &mut row, PaymentState::Processing, customer, Some("customer action done")).await? {
            tx.rollback().await?;
            return Err(illegal(&load(&mut self.db.clone(), id).await?, "confirmed"));
        }
        tx.commit().await?;
        let outcome = self.gateway.confirm(&provider_ref).await.map_err(provider_error)?;
        let row = self.apply(row, outcome, customer).await?;
        payment_of(&mut self.db.clone(), row).await
    }

    /// Settles payments left `initiated` or `processing` past `reconcile_after` (a crash, or
    /// an answer lost on the way back) by asking the provider what it knows under their key.
    /// Returns how many were settled.
    pub async fn payment_reconcile(&self, now: Timestamp) -> Result<u64> {
        let cutoff = now.as_micros() - self.config.reconcile_after.as_micros() as i64;
        let stuck = sql::payment_stuck(&mut self.db.clone(), cutoff, 100).await?;
        let mut settled = 0;
        for mut row in stuck {
            if state_of(&row) == PaymentState::Initiated {
                // Never sent: send it now.
                if self.attempt(row, "system:reconciler").await.is_ok() {
                    settled += 1;
                }
                continue;
            }
            let call =
                AuthorizeCall { amount: row.amount, currency: &row.currency, token: &row.method_token, key: &row.id };
            match self.gateway.lookup(call).await {
                Ok(Some(outcome)) => {
                    self.apply(row, outcome, "system:reconciler").await?;
                    settled += 1;
                }
                Ok(None) => {
                    // The provider never saw it: nothing was charged.
                    let mut tx = self.db.begin().await?;
                    row.failure_code = Some("provider_unavailable".into());
                    let why = "the provider has no record of it";
                    transition(&mut tx, &mut row, PaymentState::Failed, "system:reconciler", Some(why)).await?;
                    tx.commit().await?;
                    settled += 1;
                }
                Err(e) => tracing::warn!(payment = %row.id, error = ?e, "reconcile lookup failed; next pass retries"),
            }
        }
        Ok(settled)
    }
}

pub(crate) fn card_number() -> Error {
    Error::new(
        kernel::ErrorKind::Invalid,
        "card_number_refused",
        "This looks like a card number. Send the payment provider's token instead; nothing was stored.",
    )
}
