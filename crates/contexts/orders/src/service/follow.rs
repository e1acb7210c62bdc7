//! How an order follows its parts and returns: the sellers' parts opened at confirmation and
//! closed at cancellation, one place that moves a part (its history and event), and the
//! order's state derived from them after every change. Callers hold the order's row lock
//! ([`crate::store::orders::order_lock`]), so two sellers shipping at once both count.

use super::transition::order_move;
use crate::api::events::*;
use crate::domain::{FulfilmentState, OrderState, ReturnState, order_state_derive};
use crate::store::fulfilments::{self as fsql, FulfilmentHistoryRow, FulfilmentRow};
use crate::store::orders::{self as sql, LineRow, OrderRow};
use crate::store::returns as rsql;
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::Tx;

/// One part per seller of the order's lines, waiting for the seller.
pub(super) async fn fulfilments_open(tx: &mut Tx, order: &OrderRow, lines: &[LineRow]) -> Result<()> {
    let now = Timestamp::now().as_micros();
    let mut sellers: Vec<&str> = lines.iter().map(|l| l.seller_id.as_str()).collect();
    sellers.sort_unstable();
    sellers.dedup();
    for seller in sellers {
        let row = FulfilmentRow {
            id: new_id("ful"),
            order_id: order.id.clone(),
            seller_id: seller.to_owned(),
            customer_id: order.customer_id.clone(),
            state: FulfilmentState::Pending.as_str().into(),
            carrier: None,
            tracking_number: None,
            label: false,
            shipped_at: None,
            delivered_at: None,
            created_at: now,
            updated_at: now,
        };
        fsql::fulfilment_insert(tx, &row).await?;
    }
    Ok(())
}

/// Closes the parts of a cancelled order; 409 when one has shipped meanwhile (the whole
/// cancellation is then undone).
pub(super) async fn fulfilments_cancel(tx: &mut Tx, order: &OrderRow, actor: &str) -> Result<()> {
    for part in fsql::fulfilments_of(tx, &order.id).await? {
        let state = part_state(&part)?;
        if state.shipped() {
            return Err(Error::conflict("order_state", "Part of this order has shipped; ask for a return instead."));
        }
        if state.can(FulfilmentState::Cancelled) {
            part_move(tx, order, &part, FulfilmentState::Cancelled, actor, None).await?;
        }
    }
    Ok(())
}

/// Moves a part from its state as read to `to`: 409 `fulfilment_state` when the machine does
/// not allow it or it moved meanwhile; nothing is written then.
pub(super) async fn part_move(
    tx: &mut Tx,
    order: &OrderRow,
    part: &FulfilmentRow,
    to: FulfilmentState,
    actor: &str,
    note: Option<&str>,
) -> Result<()> {
    let from = part_state(part)?;
    let now = Timestamp::now().as_micros();
    let moved = from.can(to)
        && if to == FulfilmentState::Shipped {
            // Shipping sets the carrier too: `fulfilment_ship` did it, under the same check.
            true
        } else {
            fsql::fulfilment_move(tx, &part.id, from.as_str(), to.as_str(), now).await?
        };
    if !moved {
        return Err(part_conflict(from, to));
    }
    let history = FulfilmentHistoryRow {
        id: new_id("fhs"),
        fulfilment_id: part.id.clone(),
        order_id: order.id.clone(),
        from_state: Some(from.as_str().into()),
        to_state: to.as_str().into(),
        actor: actor.into(),
        note: note.map(str::to_owned),
        at: now,
    };
    fsql::history_insert(tx, &history).await?;
    let current = fsql::fulfilment_get(tx, &part.id).await?.unwrap_or_else(|| part.clone());
    part_event(tx, order, &current, to).await
}

pub(super) fn part_state(part: &FulfilmentRow) -> Result<FulfilmentState> {
    FulfilmentState::parse(&part.state).ok_or_else(|| Error::internal(format!("part {} has an unknown state", part.id)))
}

pub(super) fn part_conflict(from: FulfilmentState, to: FulfilmentState) -> Error {
    Error::conflict("fulfilment_state", format!("A part that is {} cannot become {}.", from.as_str(), to.as_str()))
}

async fn part_event(tx: &mut Tx, order: &OrderRow, part: &FulfilmentRow, to: FulfilmentState) -> Result<()> {
    macro_rules! emit {
        ($ty:ident) => {{
            store::outbox::emit(
                tx,
                &$ty {
                    fulfilment_id: part.id.clone(),
                    order_id: order.id.clone(),
                    number: order.number.clone(),
                    seller_id: part.seller_id.clone(),
                    customer_id: order.customer_id.clone(),
                    email: order.email.clone(),
                    carrier: part.carrier.clone(),
                    tracking_number: part.tracking_number.clone(),
                },
            )
            .await?;
        }};
    }
    match to {
        FulfilmentState::Pending => {}
        FulfilmentState::Processing => emit!(FulfilmentProcessing),
        FulfilmentState::Packed => emit!(FulfilmentPacked),
        FulfilmentState::Shipped => emit!(FulfilmentShipped),
        FulfilmentState::InTransit => emit!(FulfilmentInTransit),
        FulfilmentState::OutForDelivery => emit!(FulfilmentOutForDelivery),
        FulfilmentState::Delivered => emit!(FulfilmentDelivered),
        FulfilmentState::Cancelled => emit!(FulfilmentCancelled),
    }
    Ok(())
}

/// The event of an order's move past confirmation.
pub(super) async fn progress_emit(tx: &mut Tx, order: &OrderRow, from: OrderState, to: OrderState) -> Result<()> {
    macro_rules! emit {
        ($ty:ident) => {{
            store::outbox::emit(
                tx,
                &$ty {
                    order_id: order.id.clone(),
                    number: order.number.clone(),
                    customer_id: order.customer_id.clone(),
                    email: order.email.clone(),
                    from: from.as_str().into(),
                },
            )
            .await?;
        }};
    }
    match to {
        OrderState::Processing => emit!(OrderProcessing),
        OrderState::Packed => emit!(OrderPacked),
        OrderState::Shipped => emit!(OrderShipped),
        OrderState::InTransit => emit!(OrderInTransit),
        OrderState::OutForDelivery => emit!(OrderOutForDelivery),
        OrderState::Delivered => emit!(OrderDelivered),
        OrderState::ReturnRequested => emit!(OrderReturnRequested),
        OrderState::ReturnApproved => emit!(OrderReturnApproved),
        OrderState::Refunded => emit!(OrderRefunded),
        OrderState::Pending | OrderState::PaymentPending | OrderState::Confirmed | OrderState::Cancelled => {}
    }
    Ok(())
}

/// Moves the order to where its parts and returns now put it (nothing when it is there).
pub(super) async fn order_follow(tx: &mut Tx, order_id: &str, actor: &str) -> Result<()> {
    let order = sql::order_get(tx, order_id).await?.ok_or_else(super::not_found)?;
    let from = OrderState::parse(&order.state).ok_or_else(|| Error::internal("unknown order state"))?;
    if !from.placed() {
        return Ok(());
    }
    let parts: Vec<FulfilmentState> =
        fsql::fulfilments_of(tx, order_id).await?.iter().map(part_state).collect::<Result<_>>()?;
    let returns = rsql::returns_of(tx, order_id).await?;
    let return_states: Vec<ReturnState> = returns.iter().filter_map(|r| ReturnState::parse(&r.state)).collect();
    let lines = sql::lines_of(tx, order_id).await?;
    let all_units_back = lines.iter().all(|l| l.returned_units == l.quantity)
        && return_states.iter().all(|r| matches!(r, ReturnState::Refunded | ReturnState::Rejected));
    let Some(to) = order_state_derive(&parts, &return_states, all_units_back) else { return Ok(()) };
    if to == from {
        return Ok(());
    }
    order_move(tx, &order, to, actor, None).await
}
