//! The checkout saga's runner: reads the next step from its row, runs it, and records the
//! outcome. A step's effect elsewhere is keyed by the order id (the reservation's reference,
//! the payment's reference and key, the redemption's order), so a step cut short by a crash
//! is run again harmlessly; the row moves on only in the transaction that records the effect.

use super::transition::order_move;
use super::{OrdersService, micros};
use crate::domain::{OrderState, Step};
use crate::store::orders::{self as sql, LineRow, OrderRow};
use crate::store::sagas::{self, SagaRow, Undo};
use inventory::api::ReserveLine;
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind, Result};
use payments::api::{AuthorizeRequest, PaymentState};

/// The saga acts as this in histories.
pub(super) const SYSTEM: &str = "system:checkout";
/// Steps one drive runs at most: a whole checkout is nine.
const STEPS_PER_DRIVE: usize = 16;

pub(super) enum Outcome {
    /// This drive moved the row on to this step and committed: it knows what the row holds.
    Advanced(Step),
    /// The row moved on (or was turned by someone else): read it again.
    Moved,
    /// Waiting on the customer until `due_at`.
    Wait(i64),
    /// Give the checkout up: undo what was done and cancel the order.
    Compensate(String, String),
    /// Nothing is left to do.
    Done,
}

impl OrdersService {
    /// Runs the saga of `order_id` as far as it goes now. The caller owns it: it made the row,
    /// or claimed it, or the row is due.
    pub(super) async fn saga_drive(&self, order_id: &str) -> Result<()> {
        // What this drive itself last wrote needs no second read: the saga row after a step it
        // advanced, the order after a step that leaves it alone, and the lines, which never change.
        let (mut known_saga, mut known_order, mut lines) = (None, None, None);
        for _ in 0..STEPS_PER_DRIVE {
            let saga = match known_saga.take() {
                Some(saga) => saga,
                None => match sagas::saga_get(&mut self.db(), order_id).await? {
                    Some(saga) => saga,
                    None => return Ok(()),
                },
            };
            let step = Step::parse(&saga.step).ok_or_else(|| Error::internal("unknown saga step"))?;
            let order = match known_order.take() {
                Some(order) => order,
                None => sql::order_get(&mut self.db(), order_id).await?.ok_or_else(super::not_found)?,
            };
            let outcome = match self.step_run(&order, &saga, step, &mut lines).await {
                Ok(outcome) => outcome,
                Err(e) if step != Step::Compensate && !transient(&e) => {
                    Outcome::Compensate(e.code.to_string(), with_errors(&e))
                }
                Err(e) => return self.saga_retry(&order, &saga, step, &e).await,
            };
            let now = Timestamp::now().as_micros();
            match outcome {
                Outcome::Advanced(to) => {
                    if matches!(step, Step::Capture | Step::Commit) {
                        known_order = Some(order);
                    }
                    known_saga = Some(SagaRow { step: to.as_str().into(), attempts: 0, last_error: None, ..saga });
                }
                Outcome::Moved => {}
                Outcome::Done => return Ok(()),
                Outcome::Wait(due) => {
                    let mut tx = self.deps.db.begin().await?;
                    sagas::saga_advance(&mut tx, order_id, step.as_str(), step.as_str(), due, now).await?;
                    tx.commit().await?;
                    return Ok(());
                }
                Outcome::Compensate(code, detail) => {
                    let undo = Undo { code: &code, detail: &detail, actor: SYSTEM };
                    let mut tx = self.deps.db.begin().await?;
                    sagas::saga_compensate(&mut tx, order_id, step.as_str(), &undo, now + self.lease(), now).await?;
                    tx.commit().await?;
                }
            }
        }
        Ok(())
    }

    /// A step failed for a reason that may pass: try again later, or give up after too many.
    async fn saga_retry(&self, order: &OrderRow, saga: &SagaRow, step: Step, e: &Error) -> Result<()> {
        tracing::warn!(order = %order.id, step = step.as_str(), error = %e, "checkout step failed; will retry");
        let now = Timestamp::now().as_micros();
        if saga.attempts + 1 >= self.config.max_attempts && step != Step::Compensate {
            let mut tx = self.deps.db.begin().await?;
            if step == Step::Clear {
                sagas::saga_delete(&mut tx, &order.id, step.as_str()).await?;
            } else {
                // The public detail only: the order shows it to the customer; the cause was logged.
                let detail = format!("The checkout could not go on ({}).", e.code);
                let undo = Undo { code: "checkout_stalled", detail: &detail, actor: SYSTEM };
                sagas::saga_compensate(&mut tx, &order.id, step.as_str(), &undo, now, now).await?;
            }
            return Ok(tx.commit().await?);
        }
        let wait =
            self.config.retry.saturating_mul(1 << saga.attempts.clamp(0, 8)).min(std::time::Duration::from_secs(300));
        Ok(sagas::saga_retry(&mut self.db(), &order.id, &e.to_string(), now + micros(wait), now).await?)
    }

    fn lease(&self) -> i64 {
        micros(self.config.lease)
    }

    /// Until when the customer may finish paying: as long as the stock is held.
    fn deadline(&self, order: &OrderRow) -> i64 {
        order.created_at + micros(self.config.hold)
    }

    /// Moves the row from `from` to `to` in `tx` and commits; a row turned meanwhile (by a
    /// cancellation) rolls the whole transaction back.
    async fn advance(&self, mut tx: store::Tx, order: &OrderRow, from: Step, to: Step) -> Result<Outcome> {
        let now = Timestamp::now().as_micros();
        let due = if to.waiting() { self.deadline(order) } else { now + self.lease() };
        if sagas::saga_advance(&mut tx, &order.id, from.as_str(), to.as_str(), due, now).await? {
            tx.commit().await?;
            return Ok(Outcome::Advanced(to));
        }
        Ok(Outcome::Moved)
    }

    /// [`Self::advance`] for a step whose effect another context has already recorded: the
    /// move is the one statement left, and needs no transaction around it.
    async fn advance_alone(&self, order: &OrderRow, from: Step, to: Step) -> Result<Outcome> {
        let now = Timestamp::now().as_micros();
        let due = if to.waiting() { self.deadline(order) } else { now + self.lease() };
        if sagas::saga_advance(&mut self.db(), &order.id, from.as_str(), to.as_str(), due, now).await? {
            return Ok(Outcome::Advanced(to));
        }
        Ok(Outcome::Moved)
    }

    async fn step_run(
        &self,
        order: &OrderRow,
        saga: &SagaRow,
        step: Step,
        lines: &mut Option<Vec<LineRow>>,
    ) -> Result<Outcome> {
        match step {
            Step::Reserve => self.step_reserve(order, saga, self.lines_once(lines, order).await?).await,
            Step::Authorize => self.step_authorize(order, saga, self.lines_once(lines, order).await?).await,
            Step::AwaitAction | Step::AwaitPayment => self.step_await(order, step).await,
            Step::Redeem => self.step_redeem(order).await,
            Step::Capture => self.step_capture(order).await,
            Step::Commit => self.step_commit(order).await,
            Step::Clear => self.step_clear(order, saga, self.lines_once(lines, order).await?).await,
            Step::Compensate => self.step_compensate(order, saga).await,
        }
    }

    /// The order's lines, read the first time a step of this drive needs them.
    async fn lines_once<'a>(&self, lines: &'a mut Option<Vec<LineRow>>, order: &OrderRow) -> Result<&'a [LineRow]> {
        if lines.is_none() {
            *lines = Some(sql::lines_of(&mut self.db(), &order.id).await?);
        }
        Ok(lines.as_deref().unwrap_or_default())
    }

    async fn step_reserve(&self, order: &OrderRow, saga: &SagaRow, lines: &[LineRow]) -> Result<Outcome> {
        let reserve: Vec<ReserveLine> =
            lines.iter().map(|l| ReserveLine { sku: l.sku.clone(), quantity: l.quantity }).collect();
        let reservation = match self.deps.stock.stock_reserve(&order.id, &reserve, Some(self.config.hold)).await {
            Ok(r) if r.state == "active" => r,
            Ok(_) => return Ok(Outcome::Compensate("reservation_expired".into(), "The stock hold ended.".into())),
            Err(e) if e.code == "out_of_stock" => return Ok(Outcome::Compensate(e.code.to_string(), with_errors(&e))),
            Err(e) => return Err(e),
        };
        let next = if order.total == 0 {
            Step::Redeem
        } else if saga.payment_token.is_some() {
            Step::Authorize
        } else {
            Step::AwaitPayment
        };
        let mut tx = self.deps.db.begin().await?;
        sql::reservation_set(&mut tx, &order.id, &reservation.id).await?;
        order_move(&mut tx, order, OrderState::PaymentPending, SYSTEM, None).await?;
        self.advance(tx, order, Step::Reserve, next).await
    }

    async fn step_authorize(&self, order: &OrderRow, saga: &SagaRow, lines: &[LineRow]) -> Result<Outcome> {
        let Some(token) = saga.payment_token.clone() else {
            return Ok(Outcome::Compensate("payment_failed".into(), "No payment method was given.".into()));
        };
        let mut seller_ids: Vec<String> = lines.iter().map(|l| l.seller_id.clone()).collect();
        seller_ids.sort_unstable();
        seller_ids.dedup();
        let request = AuthorizeRequest {
            reference: order.id.clone(),
            customer_id: Some(order.customer_id.clone()),
            seller_ids,
            amount: order.total,
            currency: order.currency.clone(),
            token,
            idempotency_key: "checkout".into(),
            capture: false,
        };
        let payment = match self.deps.payments.payment_authorize(&request).await {
            Ok(p) => p,
            Err(e) if e.kind == ErrorKind::Unavailable => {
                return Ok(Outcome::Compensate("payment_failed".into(), e.detail.into()));
            }
            Err(e) => return Err(e),
        };
        let mut tx = self.deps.db.begin().await?;
        sql::payment_set(&mut tx, &order.id, &payment.id).await?;
        match payment.state {
            PaymentState::Authorized | PaymentState::Captured => {
                self.advance(tx, order, Step::Authorize, Step::Redeem).await
            }
            PaymentState::RequiresAction => self.advance(tx, order, Step::Authorize, Step::AwaitAction).await,
            PaymentState::Failed => {
                tx.commit().await?;
                let why = payment.failure_code.unwrap_or_else(|| "declined".into());
                Ok(Outcome::Compensate("payment_declined".into(), format!("The payment was declined ({why}).")))
            }
            other => {
                tx.commit().await?;
                Err(Error::new(ErrorKind::Unavailable, "payment_failed", format!("payment is {}", other.as_str())))
            }
        }
    }

    /// The customer's payment action (or the two-step payment) is awaited: go on once the
    /// payment is authorized, give up when the stock hold ends.
    async fn step_await(&self, order: &OrderRow, step: Step) -> Result<Outcome> {
        let state = match &order.payment_id {
            Some(id) => Some(self.deps.payments.payment_status(id).await?.state),
            None => None,
        };
        let now = Timestamp::now().as_micros();
        match state {
            Some(PaymentState::Authorized | PaymentState::Captured) => {
                self.advance_alone(order, step, Step::Redeem).await
            }
            Some(PaymentState::Failed) if step == Step::AwaitAction => {
                Ok(Outcome::Compensate("payment_declined".into(), "The payment was declined.".into()))
            }
            _ if now >= self.deadline(order) => {
                Ok(Outcome::Compensate("payment_timeout".into(), "The payment was not completed in time.".into()))
            }
            _ => Ok(Outcome::Wait(self.deadline(order))),
        }
    }

    async fn step_redeem(&self, order: &OrderRow) -> Result<Outcome> {
        let ids = promotion_ids(&order.promotions);
        if !ids.is_empty() {
            let customer = (!order.guest).then_some(order.customer_id.as_str());
            self.deps.pricing.promotions_redeem(&ids, customer, &order.id).await?;
        }
        let mut tx = self.deps.db.begin().await?;
        order_move(&mut tx, order, OrderState::Confirmed, SYSTEM, None).await?;
        self.advance(tx, order, Step::Redeem, Step::Capture).await
    }

    /// Only ever reached with the order Confirmed: never a capture without an order.
    async fn step_capture(&self, order: &OrderRow) -> Result<Outcome> {
        if order.state != OrderState::Confirmed.as_str() {
            return Err(Error::conflict("order_state", "Only a confirmed order is charged."));
        }
        if let (Some(payment), true) = (&order.payment_id, order.total > 0) {
            self.deps.payments.payment_capture(payment, None, "checkout", SYSTEM).await?;
        }
        self.advance_alone(order, Step::Capture, Step::Commit).await
    }

    async fn step_commit(&self, order: &OrderRow) -> Result<Outcome> {
        self.deps.stock.stock_commit(&order.id).await?;
        self.advance_alone(order, Step::Commit, Step::Clear).await
    }

    async fn step_clear(&self, order: &OrderRow, saga: &SagaRow, lines: &[LineRow]) -> Result<Outcome> {
        let ordered: Vec<cart::api::OrderedLine> = lines
            .iter()
            .map(|l| cart::api::OrderedLine { variant_id: l.variant_id.clone(), quantity: l.quantity })
            .collect();
        let caller = super::Caller {
            customer_id: (!order.guest).then(|| order.customer_id.clone()),
            token: saga.cart_token.clone(),
        };
        match self.deps.cart.cart_clear_ordered(&caller, &order.id, &ordered).await {
            Ok(()) => {}
            Err(e) if e.kind == ErrorKind::NotFound => {}
            Err(e) => return Err(transient_error(e)),
        }
        sagas::saga_delete(&mut self.db(), &order.id, Step::Clear.as_str()).await?;
        Ok(Outcome::Done)
    }

    /// Voids or refunds the payment, gives the stock back, cancels the order. Each part looks
    /// at where things stand first, so running it twice changes nothing.
    async fn step_compensate(&self, order: &OrderRow, saga: &SagaRow) -> Result<Outcome> {
        if let Some(id) = &order.payment_id {
            let payment = self.deps.payments.payment_status(id).await?;
            match payment.state {
                PaymentState::Authorized | PaymentState::RequiresAction => {
                    self.deps.payments.payment_cancel(id, SYSTEM).await?;
                }
                PaymentState::Captured | PaymentState::Completed | PaymentState::PartiallyRefunded => {
                    let left = payment.amounts.captured - payment.amounts.refunded - payment.amounts.refund_pending;
                    if left > 0 {
                        self.deps.payments.payment_refund(id, left, "order cancelled", "cancel", SYSTEM).await?;
                    }
                }
                PaymentState::Initiated | PaymentState::Processing => {
                    return Err(Error::new(ErrorKind::Unavailable, "payment_failed", "payment outcome not known yet"));
                }
                _ => {}
            }
        }
        match self.deps.stock.stock_release(&order.id).await {
            Ok(_) => {}
            Err(e) if e.code == "reservation_committed" => {
                self.deps.stock.stock_return(&order.id).await?;
            }
            Err(e) if e.code == "reservation_not_found" => {}
            Err(e) => return Err(e),
        }
        let code = saga.cancel_code.as_deref().unwrap_or("cancelled");
        let detail = saga.cancel_detail.as_deref().unwrap_or("The order was cancelled.");
        let actor = saga.cancel_actor.as_deref().unwrap_or(SYSTEM);
        let mut tx = self.deps.db.begin().await?;
        sql::cancel_reason_set(&mut tx, &order.id, code, detail).await?;
        if order.state != OrderState::Cancelled.as_str() {
            order_move(&mut tx, order, OrderState::Cancelled, actor, Some(code)).await?;
        }
        // The cart may be bought again (a declined customer tries another method).
        sql::cart_claim_release(&mut tx, &order.id).await?;
        if sagas::saga_delete(&mut tx, &order.id, Step::Compensate.as_str()).await? {
            tx.commit().await?;
        }
        Ok(Outcome::Done)
    }
}

/// Failures worth another try: the peer or the database was busy or away.
fn transient(e: &Error) -> bool {
    matches!(e.kind, ErrorKind::Unavailable | ErrorKind::Internal | ErrorKind::RateLimited)
}

fn transient_error(mut e: Error) -> Error {
    if !transient(&e) {
        e.kind = ErrorKind::Unavailable;
    }
    e
}

/// An error's detail with its field errors, one per line, as the order keeps why it ended.
fn with_errors(e: &Error) -> String {
    let mut s = e.detail.to_string();
    for f in &e.errors {
        s.push_str(&format!("\n{}\t{}", f.field, f.message));
    }
    s
}

fn promotion_ids(json: &str) -> Vec<String> {
    let list: Vec<serde_json::Value> = serde_json::from_str(json).unwrap_or_default();
    list.iter().filter_map(|p| p["id"].as_str().map(str::to_owned)).collect()
}

/// Sagas whose time has come, claimed one by one (of two replicas, one runs each).
impl OrdersService {
    pub async fn saga_sweep(&self, now: Timestamp) -> Result<u64> {
        let mut ran = 0;
        for saga in sagas::saga_due(&mut self.db(), now.as_micros(), 50).await? {
            let mut tx = self.deps.db.begin().await?;
            let won = sagas::saga_claim(&mut tx, &saga.order_id, saga.due_at, now.as_micros() + self.lease()).await?;
            tx.commit().await?;
            if won {
                if let Err(e) = self.saga_drive(&saga.order_id).await {
                    tracing::warn!(order = %saga.order_id, error = %e, "checkout saga could not run");
                }
                ran += 1;
            }
        }
        Ok(ran)
    }
}
