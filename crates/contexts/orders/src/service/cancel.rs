//! Cancelling an order that has not shipped: the order is Cancelled at once when its checkout
//! is over (the saga then refunds and returns the stock), or its waiting checkout is turned to
//! compensation. A checkout still running answers 409 `checkout_in_progress`: it finishes in
//! moments, and cancelling under it could let a capture land on a cancelled order.

use super::saga::SYSTEM;
use super::transition::{order_move, state_conflict};
use super::{OrdersService, micros};
use crate::domain::{OrderState, Step};
use crate::dto::OrderDto;
use crate::store::orders as sql;
use crate::store::sagas::{self, SagaRow, Undo};
use kernel::auth::{Principal, Role};
use kernel::time::Timestamp;
use kernel::{Error, Result};

impl OrdersService {
    pub async fn order_cancel(&self, p: &Principal, id: &str, reason: &str) -> Result<OrderDto> {
        p.require_scope(crate::api::ORDERS_WRITE)?;
        if reason.chars().count() > 500 {
            return Err(Error::invalid_field("reason", "must be at most 500 characters"));
        }
        let order = self.order_visible(p, id).await?;
        let state = OrderState::parse(&order.state).ok_or_else(|| Error::internal("unknown order state"))?;
        if !state.cancellable() {
            return Err(state_conflict(state, OrderState::Cancelled));
        }
        let code = if p.role == Role::Admin { "admin_cancelled" } else { "customer_cancelled" };
        let detail = if reason.trim().is_empty() { "Cancelled on request." } else { reason.trim() };
        let undo = Undo { code, detail, actor: &p.user_id };
        let now = Timestamp::now().as_micros();
        let due = now + micros(self.config.lease);
        let mut tx = self.deps.db.begin().await?;
        match sagas::saga_get(&mut tx, &order.id).await? {
            Some(saga) if saga.step == Step::Compensate.as_str() => {}
            Some(saga) if Step::parse(&saga.step).is_some_and(Step::waiting) => {
                if !sagas::saga_compensate(&mut tx, &order.id, &saga.step, &undo, due, now).await? {
                    return Err(in_progress());
                }
            }
            Some(_) => return Err(in_progress()),
            None => {
                order_move(&mut tx, &order, OrderState::Cancelled, &p.user_id, Some(code)).await?;
                sql::cancel_reason_set(&mut tx, &order.id, code, detail).await?;
                let saga = SagaRow {
                    order_id: order.id.clone(),
                    customer_id: order.customer_id.clone(),
                    step: Step::Compensate.as_str().into(),
                    payment_token: None,
                    cart_token: None,
                    cancel_code: Some(code.into()),
                    cancel_detail: Some(detail.into()),
                    cancel_actor: Some(p.user_id.clone()),
                    attempts: 0,
                    due_at: due,
                    last_error: None,
                    updated_at: now,
                };
                sagas::saga_insert(&mut tx, &saga).await?;
            }
        }
        tx.commit().await?;
        if let Err(e) = self.saga_drive(&order.id).await {
            // The order is cancelled; the sweeper finishes giving money and stock back.
            tracing::warn!(order = %order.id, error = %e, actor = SYSTEM, "cancellation will be completed later");
        }
        let order = sql::order_get(&mut self.db(), &order.id).await?.ok_or_else(super::not_found)?;
        self.order_dto(order).await
    }
}

fn in_progress() -> Error {
    Error::conflict("checkout_in_progress", "The order's checkout is still under way; try again in a moment.")
}
