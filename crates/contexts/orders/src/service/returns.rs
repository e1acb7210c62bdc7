//! Returns: a customer asks to send back delivered lines (within the return window), and the
//! seller of those lines, or an admin, approves or rejects. One request makes one return per
//! seller it names. Each line counts the units in returns that were not rejected, so returns
//! never add up to more than was bought, however many are asked for at once.

use super::follow::{order_follow, part_state};
use super::{OrdersService, micros, not_found};
use crate::api::events::{ReturnApproved, ReturnEventFields, ReturnRejected, ReturnRequested};
use crate::domain::refund::{line_paid, shipping_paid, units_share};
use crate::domain::{FulfilmentState, ReturnState};
use crate::dto::{ApproveInput, RejectInput, ReturnDto, ReturnInput, ReturnsDto};
use crate::store::fulfilments as fsql;
use crate::store::orders::{self as sql, LineRow, OrderRow};
use crate::store::returns::{self as rsql, ReturnHistoryRow, ReturnLineRow, ReturnRow};
use kernel::auth::Principal;
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{Error, FieldError, Result};
use std::collections::BTreeMap;
use store::Tx;

impl OrdersService {
    /// Asks to send back lines of the caller's order: one return per seller named.
    pub async fn return_request(&self, p: &Principal, order_id: &str, input: ReturnInput) -> Result<ReturnsDto> {
        p.require_scope(crate::api::ORDERS_WRITE)?;
        let reason = text_check("reason", &input.reason, true)?.unwrap_or_default();
        if input.lines.is_empty() || input.lines.len() > 100 {
            return Err(Error::invalid_field("lines", "must name 1 to 100 lines"));
        }
        let mut named = std::collections::HashSet::new();
        for (i, l) in input.lines.iter().enumerate() {
            if l.quantity < 1 || l.quantity > 1_000_000 {
                return Err(Error::invalid_field(&format!("lines[{i}].quantity"), "must be between 1 and 1000000"));
            }
            if !named.insert(l.position) {
                return Err(Error::invalid_field(&format!("lines[{i}].position"), "is named twice"));
            }
        }
        let wanted: Vec<(i64, i64)> = input.lines.iter().map(|l| (l.position, l.quantity)).collect();
        let order = self.order_visible(p, order_id).await?;
        let now = Timestamp::now().as_micros();
        let mut tx = self.deps.db.begin().await?;
        let order = sql::order_lock(&mut tx, &order.id, now).await?.ok_or_else(not_found)?;
        let lines = sql::lines_of(&mut tx, &order.id).await?;
        let parts = fsql::fulfilments_of(&mut tx, &order.id).await?;
        let window = micros(self.config.return_window);
        let mut faults = Vec::new();
        let mut late = false;
        let mut by_seller: BTreeMap<String, Vec<(&LineRow, i64)>> = BTreeMap::new();
        for (i, (position, quantity)) in wanted.iter().enumerate() {
            let field = format!("lines[{i}]");
            let Some(line) = lines.iter().find(|l| l.position == *position) else {
                faults.push(FieldError { field, message: "is not a line of this order".into() });
                continue;
            };
            let part = parts.iter().find(|f| f.seller_id == line.seller_id);
            let delivered = part.filter(|f| part_state(f).ok() == Some(FulfilmentState::Delivered));
            let left = line.quantity - line.returned_units;
            match delivered.and_then(|f| f.delivered_at) {
                None => faults.push(FieldError { field, message: "has not been delivered".into() }),
                Some(at) if at + window < now => {
                    late = true;
                    faults.push(FieldError { field, message: "was delivered too long ago to return".into() });
                }
                Some(_) if *quantity > left => {
                    faults.push(FieldError { field, message: format!("only {left} can still be returned") })
                }
                Some(_) => by_seller.entry(line.seller_id.clone()).or_default().push((line, *quantity)),
            }
        }
        if !faults.is_empty() {
            let (code, detail) = if late {
                ("return_window_closed", "The return window of these lines has closed.")
            } else {
                ("return_exceeds_delivered", "The return names more than was delivered and not yet returned.")
            };
            return Err(Error::new(kernel::ErrorKind::Invalid, code, detail).with_errors(faults));
        }
        let mut made = Vec::new();
        for (seller, picked) in by_seller {
            let part = parts.iter().find(|f| f.seller_id == seller).ok_or_else(not_found)?;
            made.push(return_open(&mut tx, &order, &part.id, &seller, &picked, reason, &p.user_id).await?);
        }
        shipping_with_last(&mut tx, &order, made.last()).await?;
        for id in &made {
            let r = rsql::return_get(&mut tx, id).await?.ok_or_else(return_not_found)?;
            store::outbox::emit(
                &mut tx,
                &return_event::<ReturnRequested>(&order, &r, r.lines_amount + r.shipping_amount),
            )
            .await?;
        }
        order_follow(&mut tx, &order.id, &p.user_id).await?;
        tx.commit().await?;
        let mut returns = Vec::new();
        for id in made {
            returns.push(self.return_dto(self.return_row(&id).await?).await?);
        }
        Ok(ReturnsDto { returns })
    }

    /// Approves a requested return, for its full share or less; with `refund_shipping`, the
    /// shipping goes back with it.
    pub async fn return_approve(&self, p: &Principal, id: &str, input: ApproveInput) -> Result<ReturnDto> {
        p.require_scope(crate::api::FULFILMENTS_WRITE)?;
        let note = text_check("note", input.note.as_deref().unwrap_or(""), false)?;
        let ret = self.return_decidable(p, id).await?;
        let now = Timestamp::now().as_micros();
        let mut tx = self.deps.db.begin().await?;
        let order = sql::order_lock(&mut tx, &ret.order_id, now).await?.ok_or_else(not_found)?;
        let mut ret = rsql::return_get(&mut tx, &ret.id).await?.ok_or_else(return_not_found)?;
        state_check(&ret, ReturnState::Approved)?;
        if input.refund_shipping
            && ret.shipping_amount == 0
            && rsql::shipping_claim(&mut tx, &order.id, &ret.id).await?
        {
            ret.shipping_amount = order_shipping_paid(&mut tx, &order).await?;
        }
        let most = ret.lines_amount + ret.shipping_amount;
        let amount = input.amount.unwrap_or(most);
        if !(0..=most).contains(&amount) {
            return Err(Error::new(
                kernel::ErrorKind::Invalid,
                "refund_exceeds_return",
                format!("This return gives back at most {most}."),
            ));
        }
        if !rsql::return_decide(&mut tx, &ret, "approved", Some(amount), &p.user_id, note, now).await? {
            return Err(return_conflict(ReturnState::Requested, ReturnState::Approved));
        }
        history_add(&mut tx, &ret.id, ReturnState::Requested, ReturnState::Approved, &p.user_id, note).await?;
        store::outbox::emit(&mut tx, &return_event::<ReturnApproved>(&order, &ret, amount)).await?;
        order_follow(&mut tx, &order.id, &p.user_id).await?;
        tx.commit().await?;
        self.return_dto(self.return_row(id).await?).await
    }

    /// Rejects a requested return: its units may be asked back again (within the window).
    pub async fn return_reject(&self, p: &Principal, id: &str, input: RejectInput) -> Result<ReturnDto> {
        p.require_scope(crate::api::FULFILMENTS_WRITE)?;
        let reason = text_check("reason", &input.reason, true)?;
        let ret = self.return_decidable(p, id).await?;
        let now = Timestamp::now().as_micros();
        let mut tx = self.deps.db.begin().await?;
        let order = sql::order_lock(&mut tx, &ret.order_id, now).await?.ok_or_else(not_found)?;
        let mut ret = rsql::return_get(&mut tx, &ret.id).await?.ok_or_else(return_not_found)?;
        state_check(&ret, ReturnState::Rejected)?;
        ret.shipping_amount = 0;
        if !rsql::return_decide(&mut tx, &ret, "rejected", None, &p.user_id, reason, now).await? {
            return Err(return_conflict(ReturnState::Requested, ReturnState::Rejected));
        }
        for l in rsql::lines_of(&mut tx, &ret.id).await? {
            rsql::line_release(&mut tx, &order.id, l.position, l.quantity, l.amount).await?;
        }
        rsql::shipping_release(&mut tx, &order.id, &ret.id).await?;
        history_add(&mut tx, &ret.id, ReturnState::Requested, ReturnState::Rejected, &p.user_id, reason).await?;
        store::outbox::emit(&mut tx, &return_event::<ReturnRejected>(&order, &ret, 0)).await?;
        order_follow(&mut tx, &order.id, &p.user_id).await?;
        tx.commit().await?;
        self.return_dto(self.return_row(id).await?).await
    }
}

/// Opens one seller's return: claims its units of each line with their refund shares.
async fn return_open(
    tx: &mut Tx,
    order: &OrderRow,
    part: &str,
    seller: &str,
    picked: &[(&LineRow, i64)],
    reason: &str,
    actor: &str,
) -> Result<String> {
    let now = Timestamp::now().as_micros();
    let id = new_id("ret");
    let mut rows = Vec::with_capacity(picked.len());
    for (line, units) in picked {
        let paid = line_paid(line.total, line.tax, order.tax_inclusive);
        let amount = units_share(paid, line.quantity, line.returned_units, line.returned_amount, *units);
        if !rsql::line_claim(tx, &order.id, line.position, *units, amount).await? {
            return Err(Error::invalid_field("lines", "names more than can still be returned"));
        }
        rows.push(ReturnLineRow {
            return_id: id.clone(),
            position: line.position,
            customer_id: order.customer_id.clone(),
            quantity: *units,
            amount,
        });
    }
    let ret = ReturnRow {
        id: id.clone(),
        order_id: order.id.clone(),
        customer_id: order.customer_id.clone(),
        seller_id: seller.to_owned(),
        fulfilment_id: part.to_owned(),
        state: ReturnState::Requested.as_str().into(),
        reason: reason.to_owned(),
        lines_amount: rows.iter().map(|r| r.amount).sum(),
        shipping_amount: 0,
        refund_amount: None,
        decided_by: None,
        decision_note: None,
        restock: false,
        location_id: None,
        refunded: 0,
        last_error: None,
        created_at: now,
        updated_at: now,
    };
    rsql::return_insert(tx, &ret, &rows).await?;
    let history = ReturnHistoryRow {
        id: new_id("rhs"),
        return_id: id.clone(),
        from_state: None,
        to_state: ReturnState::Requested.as_str().into(),
        actor: actor.into(),
        note: None,
        at: now,
    };
    rsql::history_insert(tx, &history).await?;
    Ok(id)
}

/// When the order's last unit is now in a return, that return gives the shipping back too.
async fn shipping_with_last(tx: &mut Tx, order: &OrderRow, last: Option<&String>) -> Result<()> {
    let Some(ret) = last else { return Ok(()) };
    let lines = sql::lines_of(tx, &order.id).await?;
    if lines.iter().any(|l| l.returned_units < l.quantity) {
        return Ok(());
    }
    if rsql::shipping_claim(tx, &order.id, ret).await? {
        let amount = order_shipping_paid(tx, order).await?;
        rsql::shipping_amount_set(tx, ret, amount).await?;
    }
    Ok(())
}

/// What the customer paid for shipping: its tax is the order's tax less its lines'.
async fn order_shipping_paid(tx: &mut Tx, order: &OrderRow) -> Result<i64> {
    let lines_tax: i64 = sql::lines_of(tx, &order.id).await?.iter().map(|l| l.tax).sum();
    Ok(shipping_paid(order.shipping, order.shipping_discount, order.tax_total - lines_tax, order.tax_inclusive))
}

pub(super) async fn history_add(
    tx: &mut Tx,
    ret: &str,
    from: ReturnState,
    to: ReturnState,
    actor: &str,
    note: Option<&str>,
) -> Result<()> {
    let row = ReturnHistoryRow {
        id: new_id("rhs"),
        return_id: ret.to_owned(),
        from_state: Some(from.as_str().into()),
        to_state: to.as_str().into(),
        actor: actor.into(),
        note: note.map(str::to_owned),
        at: Timestamp::now().as_micros(),
    };
    Ok(rsql::history_insert(tx, &row).await?)
}

/// The shape every return event shares.
pub(super) fn return_event<E: From<ReturnEventFields>>(order: &OrderRow, r: &ReturnRow, amount: i64) -> E {
    E::from(ReturnEventFields {
        return_id: r.id.clone(),
        order_id: order.id.clone(),
        number: order.number.clone(),
        seller_id: r.seller_id.clone(),
        customer_id: order.customer_id.clone(),
        email: order.email.clone(),
        amount,
        currency: order.currency.clone(),
    })
}

pub(super) fn state_check(r: &ReturnRow, to: ReturnState) -> Result<ReturnState> {
    let from = ReturnState::parse(&r.state).ok_or_else(|| Error::internal("unknown return state"))?;
    if from.can(to) { Ok(from) } else { Err(return_conflict(from, to)) }
}

pub(super) fn return_conflict(from: ReturnState, to: ReturnState) -> Error {
    Error::conflict("return_state", format!("A return that is {} cannot become {}.", from.as_str(), to.as_str()))
}

pub(super) fn return_not_found() -> Error {
    Error::not_found("return_not_found", "No such return among those the caller may see.")
}

/// Trimmed text of at most 500 characters without control characters; `None` when empty.
fn text_check<'a>(field: &str, text: &'a str, required: bool) -> Result<Option<&'a str>> {
    let t = text.trim();
    if required && t.is_empty() {
        return Err(Error::invalid_field(field, "is required"));
    }
    if t.chars().count() > 500 || t.chars().any(char::is_control) {
        return Err(Error::invalid_field(field, "must be at most 500 characters, without control characters"));
    }
    Ok((!t.is_empty()).then_some(t))
}
