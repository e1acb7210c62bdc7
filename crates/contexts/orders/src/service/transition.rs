//! One place moves an order between states: the conditional update, its history row and its
//! event, in the caller's transaction. Confirming opens the sellers' parts; cancelling closes
//! those that had not shipped.

use crate::api::events::{EventLine, OrderCancelled, OrderConfirmed, OrderPaymentPending};
use crate::domain::OrderState;
use crate::store::orders::{self as sql, HistoryRow, LineRow, OrderRow};
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::Tx;

pub(super) async fn history_add(
    tx: &mut Tx,
    order: &OrderRow,
    from: Option<OrderState>,
    to: OrderState,
    actor: &str,
    reason: Option<&str>,
) -> Result<()> {
    let row = HistoryRow {
        id: new_id("ohs"),
        order_id: order.id.clone(),
        customer_id: order.customer_id.clone(),
        from_state: from.map(|s| s.as_str().to_owned()),
        to_state: to.as_str().into(),
        actor: actor.into(),
        reason: reason.map(str::to_owned),
        at: Timestamp::now().as_micros(),
    };
    Ok(sql::history_insert(tx, &row).await?)
}

/// Moves `order` (as read) to `to`. 409 `order_state` when the machine does not allow it or
/// the order moved meanwhile; nothing is written then.
pub(super) async fn order_move(
    tx: &mut Tx,
    order: &OrderRow,
    to: OrderState,
    actor: &str,
    reason: Option<&str>,
) -> Result<()> {
    let from = OrderState::parse(&order.state).ok_or_else(|| Error::internal("unknown order state"))?;
    if !from.can(to)
        || !sql::state_move(tx, &order.id, from.as_str(), to.as_str(), Timestamp::now().as_micros()).await?
    {
        return Err(state_conflict(from, to));
    }
    history_add(tx, order, Some(from), to, actor, reason).await?;
    match to {
        OrderState::PaymentPending => {
            let event = OrderPaymentPending { order_id: order.id.clone(), customer_id: order.customer_id.clone() };
            store::outbox::emit(tx, &event).await?;
        }
        OrderState::Confirmed => {
            let lines = sql::lines_of(tx, &order.id).await?;
            super::follow::fulfilments_open(tx, order, &lines).await?;
            let event = OrderConfirmed {
                order_id: order.id.clone(),
                number: order.number.clone(),
                customer_id: order.customer_id.clone(),
                email: order.email.clone(),
                total: order.total,
                currency: order.currency.clone(),
                lines: lines.iter().map(event_line).collect(),
            };
            store::outbox::emit(tx, &event).await?;
        }
        OrderState::Cancelled => {
            super::follow::fulfilments_cancel(tx, order, actor).await?;
            let code = reason.unwrap_or("cancelled");
            let event = OrderCancelled {
                order_id: order.id.clone(),
                customer_id: order.customer_id.clone(),
                from: from.as_str().into(),
                code: code.into(),
            };
            store::outbox::emit(tx, &event).await?;
        }
        to => super::follow::progress_emit(tx, order, from, to).await?,
    }
    Ok(())
}

pub(super) fn state_conflict(from: OrderState, to: OrderState) -> Error {
    Error::conflict("order_state", format!("An order that is {} cannot become {}.", from.as_str(), to.as_str()))
}

pub(super) fn event_line(l: &LineRow) -> EventLine {
    EventLine {
        variant_id: l.variant_id.clone(),
        product_id: l.product_id.clone(),
        sku: l.sku.clone(),
        seller_id: l.seller_id.clone(),
        quantity: l.quantity,
        unit_price: l.unit_price,
        total: l.total,
    }
}
