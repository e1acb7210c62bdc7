//! The moves a payment makes, each with its ledger rows and its event, inside the caller's
//! transaction: the same whether our own call or a provider's event reports them.

use super::transition;
use crate::api::PaymentState;
use crate::api::events::{PaymentAuthorized, PaymentCancelled, PaymentCaptured};
use crate::domain::EntryKind;
use crate::store::{self as sql, EntryRow, PaymentRow};
use kernel::Result;
use kernel::id::new_id;
use kernel::time::Timestamp;
use store::{Tx, outbox};

/// One ledger row of `row`'s payment, naming the provider object `row` holds.
pub(super) fn ledger_entry(
    row: &PaymentRow,
    kind: EntryKind,
    amount: i64,
    key: &str,
    status: &str,
    reason: Option<&str>,
) -> EntryRow {
    EntryRow {
        id: new_id("led"),
        payment_id: row.id.clone(),
        kind: kind.as_str().into(),
        amount,
        currency: row.currency.clone(),
        provider_ref: row.provider_ref.clone(),
        idempotency_key: key.to_owned(),
        status: status.into(),
        reason: reason.map(str::to_owned),
        created_at: Timestamp::now().as_micros(),
    }
}

/// The money is held: false when another request moved the payment first.
pub(super) async fn authorized(tx: &mut Tx, row: &mut PaymentRow, actor: &str, reason: Option<&str>) -> Result<bool> {
    row.next_action = None;
    if !transition(tx, row, PaymentState::Authorized, actor, reason).await? {
        return Ok(false);
    }
    sql::entry_insert(tx, &ledger_entry(row, EntryKind::Authorization, row.amount, "authorize", "succeeded", None))
        .await?;
    let event = PaymentAuthorized {
        payment_id: row.id.clone(),
        reference: row.reference.clone(),
        amount: row.amount,
        currency: row.currency.clone(),
    };
    outbox::emit(tx, &event).await?;
    Ok(true)
}

/// `amount` was taken (`capture_ref`: what refunds are made against); the rest of the hold is
/// released. False when another request moved the payment first.
pub(super) async fn captured(
    tx: &mut Tx,
    row: &mut PaymentRow,
    amount: i64,
    capture_ref: Option<String>,
    key: &str,
    actor: &str,
    reason: Option<&str>,
) -> Result<bool> {
    row.captured = amount;
    if !transition(tx, row, PaymentState::Captured, actor, reason).await? {
        return Ok(false);
    }
    let mut capture = ledger_entry(row, EntryKind::Capture, amount, key, "succeeded", None);
    capture.provider_ref = capture_ref.or(capture.provider_ref);
    sql::entry_insert(tx, &capture).await?;
    if amount < row.amount {
        let rest = ledger_entry(row, EntryKind::Void, row.amount - amount, key, "succeeded", Some("partial capture"));
        sql::entry_insert(tx, &rest).await?;
    }
    let event = PaymentCaptured {
        payment_id: row.id.clone(),
        reference: row.reference.clone(),
        amount,
        currency: row.currency.clone(),
    };
    outbox::emit(tx, &event).await?;
    Ok(true)
}

/// The authorization was released (`was`: the state before). False when another request
/// moved the payment first.
pub(super) async fn cancelled(
    tx: &mut Tx,
    row: &mut PaymentRow,
    was: PaymentState,
    key: &str,
    actor: &str,
    reason: Option<&str>,
) -> Result<bool> {
    if !transition(tx, row, PaymentState::Cancelled, actor, reason).await? {
        return Ok(false);
    }
    if was == PaymentState::Authorized {
        sql::entry_insert(tx, &ledger_entry(row, EntryKind::Void, row.amount, key, "succeeded", None)).await?;
    }
    outbox::emit(tx, &PaymentCancelled { payment_id: row.id.clone(), reference: row.reference.clone() }).await?;
    Ok(true)
}
