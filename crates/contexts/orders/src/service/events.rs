//! What the orders context does when a payment moves on its own (the customer finished a
//! 3-D Secure step, a webhook reported a capture): wake the waiting checkout, or, for an order
//! that is no longer going ahead, undo the payment. The handler only records what to do in
//! its transaction; the saga sweeper does it, so no other context is called while the
//! event's transaction is open.

use crate::domain::{OrderState, Step};
use crate::store::orders as sql;
use crate::store::sagas::{self, SagaRow};
use bus::Handler;
use kernel::event::{Envelope, Event};
use kernel::time::Timestamp;
use kernel::{BoxFuture, Result};
use payments::api::events::{PaymentAuthorized, PaymentCaptured, PaymentFailed};
use std::sync::Arc;
use store::Tx;

struct PaymentEvents;

/// The consumer of the payments context's events.
pub fn payment_events() -> Arc<dyn Handler> {
    Arc::new(PaymentEvents)
}

impl Handler for PaymentEvents {
    fn group(&self) -> &'static str {
        "orders.payments"
    }

    fn topics(&self) -> &'static [&'static str] {
        &[PaymentAuthorized::TYPE, PaymentCaptured::TYPE, PaymentFailed::TYPE]
    }

    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let (payment_id, reference, money_moved) = match event.event_type.as_str() {
                PaymentAuthorized::TYPE => {
                    let e = event.decode::<PaymentAuthorized>()?;
                    (e.payment_id, e.reference, true)
                }
                PaymentCaptured::TYPE => {
                    let e = event.decode::<PaymentCaptured>()?;
                    (e.payment_id, e.reference, true)
                }
                _ => {
                    let e = event.decode::<PaymentFailed>()?;
                    (e.payment_id, e.reference, false)
                }
            };
            payment_moved(tx, &payment_id, &reference, money_moved).await
        })
    }
}

async fn payment_moved(tx: &mut Tx, payment_id: &str, order_id: &str, money_moved: bool) -> Result<()> {
    let Some(order) = sql::order_get(tx, order_id).await? else { return Ok(()) };
    if order.payment_id.is_none() {
        sql::payment_set(tx, order_id, payment_id).await?;
    }
    let now = Timestamp::now().as_micros();
    if sagas::saga_get(tx, order_id).await?.is_some() {
        sagas::saga_wake_until(tx, order_id, now).await?;
        return Ok(());
    }
    // No checkout under way: money held or taken for an order that is not going ahead is
    // given back (never a capture without an order).
    if money_moved && order.state == OrderState::Cancelled.as_str() {
        let saga = SagaRow {
            order_id: order.id.clone(),
            customer_id: order.customer_id.clone(),
            step: Step::Compensate.as_str().into(),
            payment_token: None,
            cart_token: None,
            cancel_code: order.cancel_code.clone(),
            cancel_detail: order.cancel_detail.clone(),
            cancel_actor: None,
            attempts: 0,
            due_at: now,
            last_error: None,
            updated_at: now,
        };
        sagas::saga_insert(tx, &saga).await?;
    }
    Ok(())
}
