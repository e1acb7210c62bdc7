//! Sellers' parts of orders: their lists, moving a part on, shipping it (with the carrier's
//! tracking number or a label from the built-in provider), and printing its label. A seller
//! sees and moves only their own parts (another's is 404); an admin any; a customer none.

use super::follow::{order_follow, part_conflict, part_move, part_state};
use super::{OrdersService, not_found};
use crate::domain::FulfilmentState;
use crate::dto::{
    AddressInput, FulfilmentDto, FulfilmentQuery, FulfilmentSummaryDto, PartLineDto, PartMoveInput, PartTransitionDto,
    ShipInput, TrackingEventDto,
};
use crate::store::fulfilments::{self as fsql, FulfilmentFilter, FulfilmentRow, TrackingRow};
use crate::store::orders::{self as sql, OrderRow};
use kernel::Validation;
use kernel::auth::{Principal, Role};
use kernel::id::new_id;
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use shipping::api::{LabelAddress, LabelRequest};
use store::Tx;

impl OrdersService {
    pub async fn fulfilment_list(&self, p: &Principal, query: FulfilmentQuery) -> Result<Page<FulfilmentSummaryDto>> {
        p.require_scope(crate::api::FULFILMENTS_READ)?;
        let page = PageParams { limit: query.limit, cursor: query.cursor }.validate()?;
        id_check("order_id", query.order_id.as_deref())?;
        id_check("seller_id", query.seller_id.as_deref())?;
        let filter = FulfilmentFilter {
            seller_id: if p.role == Role::Admin { query.seller_id } else { Some(p.user_id.clone()) },
            state: query.state.map(|s| s.as_str().to_owned()),
            order_id: query.order_id,
        };
        let rows =
            fsql::summary_list(&mut self.db(), &filter, page.after.as_deref(), i64::from(page.limit) + 1).await?;
        let page = Page::from_rows(rows, page.limit, |r| &r.id);
        let items = page
            .items
            .into_iter()
            .map(|r| {
                let address: AddressInput = serde_json::from_str(&r.address).map_err(Error::internal)?;
                Ok(FulfilmentSummaryDto {
                    state: FulfilmentState::parse(&r.state).ok_or_else(|| Error::internal("unknown part state"))?,
                    id: r.id,
                    order_id: r.order_id,
                    number: r.number,
                    items: r.items,
                    total: r.total,
                    ship_to: address.name,
                    country: r.country,
                    tracking_number: r.tracking_number,
                    created_at: Timestamp::from_micros(r.created_at),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, next_cursor: page.next_cursor })
    }

    pub async fn fulfilment_get(&self, p: &Principal, id: &str) -> Result<FulfilmentDto> {
        p.require_scope(crate::api::FULFILMENTS_READ)?;
        let part = self.part_visible(p, id).await?;
        self.part_dto(part).await
    }

    /// Moves a part on (`processing`, `packed`, and after shipping the carrier's steps).
    pub async fn fulfilment_move(&self, p: &Principal, id: &str, input: PartMoveInput) -> Result<FulfilmentDto> {
        p.require_scope(crate::api::FULFILMENTS_WRITE)?;
        let note = note_check(input.note.as_deref())?;
        let to = input.state;
        if matches!(to, FulfilmentState::Shipped) {
            return Err(Error::invalid_field("state", "a part ships with POST /fulfilments/{id}/ship"));
        }
        if matches!(to, FulfilmentState::Pending | FulfilmentState::Cancelled) {
            return Err(Error::invalid_field("state", "parts are cancelled with their order"));
        }
        let part = self.part_visible(p, id).await?;
        let mut tx = self.deps.db.begin().await?;
        let (order, part) = locked(&mut tx, &part).await?;
        part_move(&mut tx, &order, &part, to, &p.user_id, note).await?;
        if to.shipped() {
            let detail = note.map_or_else(|| format!("Reported {} by the seller", to.as_str()), str::to_owned);
            tracking_add(&mut tx, &part.id, "seller", &new_id("fhs"), to.as_str(), &detail).await?;
        }
        order_follow(&mut tx, &order.id, &p.user_id).await?;
        tx.commit().await?;
        self.part_dto(self.part_visible(p, id).await?).await
    }

    /// Ships a packed part: with the carrier and tracking number given, or with a label the
    /// built-in provider makes (asking again makes no second label).
    pub async fn fulfilment_ship(&self, p: &Principal, id: &str, input: ShipInput) -> Result<FulfilmentDto> {
        p.require_scope(crate::api::FULFILMENTS_WRITE)?;
        let given = ship_check(&input)?;
        let part = self.part_visible(p, id).await?;
        let state = part_state(&part)?;
        if state != FulfilmentState::Packed {
            return Err(part_conflict(state, FulfilmentState::Shipped));
        }
        let order = sql::order_get(&mut self.db(), &part.order_id).await?.ok_or_else(not_found)?;
        let (carrier, tracking, label) = match given {
            Some((carrier, tracking)) => (carrier, tracking, false),
            None => {
                let label = self.deps.labels.label_create(&self.label_request(&order, &part).await?).await?;
                (label.carrier, label.tracking_number, true)
            }
        };
        let mut tx = self.deps.db.begin().await?;
        let (order, part) = locked(&mut tx, &part).await?;
        let now = Timestamp::now().as_micros();
        if !fsql::fulfilment_ship(&mut tx, &part.id, &carrier, &tracking, label, now).await? {
            return Err(part_conflict(part_state(&part)?, FulfilmentState::Shipped));
        }
        part_move(&mut tx, &order, &part, FulfilmentState::Shipped, &p.user_id, None).await?;
        let detail = format!("Handed to {carrier}");
        tracking_add(&mut tx, &part.id, "seller", &new_id("fhs"), "pre_transit", &detail).await?;
        order_follow(&mut tx, &order.id, &p.user_id).await?;
        tx.commit().await?;
        self.part_dto(self.part_visible(p, id).await?).await
    }

    /// The printable label of a part shipped with a built-in label.
    pub async fn fulfilment_label(&self, p: &Principal, id: &str) -> Result<Vec<u8>> {
        p.require_scope(crate::api::FULFILMENTS_READ)?;
        let part = self.part_visible(p, id).await?;
        match (&part.tracking_number, part.label) {
            (Some(tracking), true) => self.deps.labels.label_pdf(tracking).await,
            _ => Err(Error::not_found("label_not_found", "This part has no label from the built-in provider.")),
        }
    }

    /// The part, if the caller may see it: a seller's own, any for an admin; 404 otherwise.
    pub(super) async fn part_visible(&self, p: &Principal, id: &str) -> Result<FulfilmentRow> {
        let part = fsql::fulfilment_get(&mut self.db(), id).await?.ok_or_else(part_not_found)?;
        match p.role {
            Role::Admin => Ok(part),
            Role::Seller if part.seller_id == p.user_id => Ok(part),
            _ => Err(part_not_found()),
        }
    }

    async fn label_request(&self, order: &OrderRow, part: &FulfilmentRow) -> Result<LabelRequest> {
        let lines: Vec<_> = sql::lines_of(&mut self.db(), &order.id)
            .await?
            .into_iter()
            .filter(|l| l.seller_id == part.seller_id)
            .collect();
        let from = match self.deps.customers.customer_contact(&part.seller_id).await? {
            Some(c) => c.name,
            None => part.seller_id.clone(),
        };
        let a: AddressInput = serde_json::from_str(&order.address).map_err(Error::internal)?;
        let place = [Some(a.city.as_str()), a.region.as_deref(), Some(a.postal_code.as_str())]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let to_lines = [Some(a.line1.clone()), a.line2.clone(), Some(place), Some(a.country.trim().to_uppercase())]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect();
        Ok(LabelRequest {
            reference: part.id.clone(),
            order_number: order.number.clone(),
            method: order.shipping_method_name.clone(),
            from: LabelAddress { name: from, lines: Vec::new() },
            to: LabelAddress { name: a.name, lines: to_lines },
            weight_g: lines.iter().map(|l| l.weight_g).sum(),
            items: lines.iter().map(|l| l.quantity).sum(),
        })
    }

    pub(super) async fn part_dto(&self, part: FulfilmentRow) -> Result<FulfilmentDto> {
        let mut db = self.db();
        let order = sql::order_get(&mut db, &part.order_id).await?.ok_or_else(not_found)?;
        let lines = sql::lines_of(&mut db, &part.order_id).await?;
        let tracking = fsql::tracking_of(&mut db, &part.id).await?;
        let history = fsql::history_of(&mut db, &part.id).await?;
        Ok(FulfilmentDto {
            state: part_state(&part)?,
            lines: lines
                .into_iter()
                .filter(|l| l.seller_id == part.seller_id)
                .map(|l| PartLineDto {
                    position: l.position,
                    variant_id: l.variant_id,
                    sku: l.sku,
                    title: l.title,
                    variant_title: l.variant_title,
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    total: l.total,
                    weight_g: l.weight_g,
                })
                .collect(),
            address: serde_json::from_str(&order.address).map_err(Error::internal)?,
            shipping_method: order.shipping_method_name,
            label_url: part.label.then(|| format!("/api/v1/fulfilments/{}/label", part.id)),
            tracking: tracking.into_iter().map(tracking_dto).collect(),
            history: history
                .into_iter()
                .map(|h| PartTransitionDto {
                    from: h.from_state.as_deref().and_then(FulfilmentState::parse),
                    to: FulfilmentState::parse(&h.to_state).unwrap_or(FulfilmentState::Pending),
                    actor: h.actor,
                    note: h.note,
                    at: Timestamp::from_micros(h.at),
                })
                .collect(),
            id: part.id,
            order_id: part.order_id,
            number: order.number,
            seller_id: part.seller_id,
            carrier: part.carrier,
            tracking_number: part.tracking_number,
            shipped_at: part.shipped_at.map(Timestamp::from_micros),
            delivered_at: part.delivered_at.map(Timestamp::from_micros),
            created_at: Timestamp::from_micros(part.created_at),
            updated_at: Timestamp::from_micros(part.updated_at),
        })
    }
}

/// The order locked for this transaction, and the part as it stands under the lock.
pub(super) async fn locked(tx: &mut Tx, part: &FulfilmentRow) -> Result<(OrderRow, FulfilmentRow)> {
    let now = Timestamp::now().as_micros();
    let order = sql::order_lock(tx, &part.order_id, now).await?.ok_or_else(not_found)?;
    let part = fsql::fulfilment_get(tx, &part.id).await?.ok_or_else(part_not_found)?;
    Ok((order, part))
}

/// Records a tracking report; false when this source's event was recorded already.
pub(super) async fn tracking_add(
    tx: &mut Tx,
    part: &str,
    source: &str,
    event_id: &str,
    status: &str,
    detail: &str,
) -> Result<bool> {
    let now = Timestamp::now().as_micros();
    let row = TrackingRow {
        id: new_id("trk"),
        fulfilment_id: part.to_owned(),
        source: source.to_owned(),
        source_event_id: event_id.to_owned(),
        status: status.to_owned(),
        detail: detail.to_owned(),
        location: None,
        occurred_at: now,
        recorded_at: now,
    };
    Ok(fsql::tracking_insert(tx, &row).await?)
}

pub(super) fn tracking_dto(t: TrackingRow) -> TrackingEventDto {
    TrackingEventDto {
        status: t.status,
        detail: t.detail,
        location: t.location,
        source: t.source,
        occurred_at: Timestamp::from_micros(t.occurred_at),
    }
}

/// An id a list is narrowed to: at most 40 characters, as every id is.
pub(super) fn id_check(field: &str, id: Option<&str>) -> Result<()> {
    if id.is_some_and(|i| i.chars().count() > 40) {
        return Err(Error::invalid_field(field, "must be at most 40 characters"));
    }
    Ok(())
}

fn part_not_found() -> Error {
    Error::not_found("fulfilment_not_found", "No such part of an order among the caller's.")
}

fn note_check(note: Option<&str>) -> Result<Option<&str>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 500 || n.chars().any(char::is_control)) {
        return Err(Error::invalid_field("note", "must be at most 500 characters, without control characters"));
    }
    Ok(note)
}

/// The carrier and tracking number given, or `None` for a built-in label.
fn ship_check(input: &ShipInput) -> Result<Option<(String, String)>> {
    let mut v = Validation::default();
    let carrier = input.carrier.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let tracking = input.tracking_number.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if input.label {
        if carrier.is_some() || tracking.is_some() {
            v.push("label", "a built-in label makes its own carrier and tracking number; leave them out");
        }
        v.finish()?;
        return Ok(None);
    }
    match carrier {
        None => v.push("carrier", "is required (or ask for a built-in `label`)"),
        Some(c) if c.chars().count() > 64 || c.chars().any(char::is_control) => {
            v.push("carrier", "must be at most 64 characters, without control characters")
        }
        Some(_) => {}
    }
    match tracking {
        None => v.push("tracking_number", "is required (or ask for a built-in `label`)"),
        Some(t) if !tracking_valid(t) => v.push("tracking_number", "must be 4 to 40 letters, digits, spaces or dashes"),
        Some(_) => {}
    }
    v.finish()?;
    Ok(carrier.zip(tracking).map(|(c, t)| (c.to_owned(), t.to_uppercase())))
}

fn tracking_valid(t: &str) -> bool {
    (4..=40).contains(&t.len())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        && t.starts_with(|c: char| c.is_ascii_alphanumeric())
        && t.ends_with(|c: char| c.is_ascii_alphanumeric())
}
