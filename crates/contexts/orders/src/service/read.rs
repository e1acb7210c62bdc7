//! Reading orders: a customer's own (another's is 404), a guest's by number and e-mail, and
//! every order for an admin.

use super::OrdersService;
use crate::domain::{FulfilmentState, OrderState, number_normalise, shipment_progress};
use crate::dto::{
    AddressInput, LookupInput, OrderDto, OrderLineDto, OrderPaymentDto, OrderQuery, OrderSummaryDto, ShipmentDto,
    ShippingDto, TotalsDto, TransitionDto,
};
use crate::store::fulfilments as fsql;
use crate::store::orders::{self as sql, ListFilter, OrderRow};
use crate::store::returns as rsql;
use kernel::auth::{Principal, Role};
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result};

impl OrdersService {
    pub async fn order_get(&self, p: &Principal, id: &str) -> Result<OrderDto> {
        p.require_scope(crate::api::ORDERS_READ)?;
        let order = self.order_visible(p, id).await?;
        self.order_dto(order).await
    }

    /// The order, if the caller may see it: their own, or any for an admin. 404 otherwise,
    /// so that ids of others' orders cannot be probed.
    pub(super) async fn order_visible(&self, p: &Principal, id: &str) -> Result<OrderRow> {
        let order = sql::order_get(&mut self.db(), id).await?.ok_or_else(super::not_found)?;
        if p.role != Role::Admin && (order.customer_id != p.user_id || order.guest) {
            return Err(super::not_found());
        }
        Ok(order)
    }

    pub async fn order_list(&self, p: &Principal, query: OrderQuery) -> Result<Page<OrderSummaryDto>> {
        p.require_scope(crate::api::ORDERS_READ)?;
        let page = PageParams { limit: query.limit, cursor: query.cursor }.validate()?;
        let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
        if search.as_ref().is_some_and(|s| s.chars().count() > 254) {
            return Err(Error::invalid_field("q", "must be at most 254 characters"));
        }
        let filter = ListFilter {
            customer_id: (p.role != Role::Admin).then(|| p.user_id.clone()),
            state: query.state.map(|s| s.as_str().to_owned()),
            search: if p.role == Role::Admin { search } else { None },
        };
        let limit = i64::from(page.limit) + 1;
        let rows = sql::order_list(&mut self.db(), &filter, page.after.as_deref(), limit).await?;
        let page = Page::from_rows(rows, page.limit, |r| &r.id);
        let mut items = Vec::with_capacity(page.items.len());
        for row in page.items {
            let lines = sql::lines_of(&mut self.db(), &row.id).await?;
            items.push(OrderSummaryDto {
                state: state_of(&row)?,
                items: lines.iter().map(|l| l.quantity).sum(),
                id: row.id,
                number: row.number,
                email: row.email,
                total: row.total,
                currency: row.currency,
                created_at: Timestamp::from_micros(row.created_at),
            });
        }
        Ok(Page { items, next_cursor: page.next_cursor })
    }

    /// A guest's order by its number and e-mail address; a wrong pair is 404 either way.
    pub async fn order_lookup(&self, input: &LookupInput) -> Result<OrderDto> {
        let number = number_normalise(&input.number);
        let email = input.email.trim().to_lowercase();
        if number.len() > 32 || email.len() > 254 {
            return Err(super::not_found());
        }
        let order = sql::order_by_number(&mut self.db(), &number).await?.ok_or_else(super::not_found)?;
        if !constant_eq(order.email.as_bytes(), email.as_bytes()) {
            return Err(super::not_found());
        }
        self.order_dto(order).await
    }

    pub(super) async fn order_dto(&self, o: OrderRow) -> Result<OrderDto> {
        let mut db = self.db();
        let lines = sql::lines_of(&mut db, &o.id).await?;
        let history = sql::history_of(&mut db, &o.id).await?;
        let payment = match &o.payment_id {
            Some(id) => {
                let p = self.deps.payments.payment_status(id).await?;
                Some(OrderPaymentDto {
                    id: p.id,
                    state: p.state.as_str().into(),
                    captured: p.amounts.captured,
                    refunded: p.amounts.refunded,
                    next_action: p.next_action,
                })
            }
            None => None,
        };
        let address: AddressInput = serde_json::from_str(&o.address).map_err(Error::internal)?;
        let parts = fsql::fulfilments_of(&mut db, &o.id).await?;
        let part_states: Vec<FulfilmentState> = parts.iter().filter_map(|f| FulfilmentState::parse(&f.state)).collect();
        let mut shipments = Vec::with_capacity(parts.len());
        for f in parts {
            let tracking = fsql::tracking_of(&mut db, &f.id).await?;
            shipments.push(ShipmentDto {
                state: FulfilmentState::parse(&f.state).unwrap_or(FulfilmentState::Pending),
                positions: lines.iter().filter(|l| l.seller_id == f.seller_id).map(|l| l.position).collect(),
                tracking: tracking.into_iter().map(super::fulfil::tracking_dto).collect(),
                shipped_at: f.shipped_at.map(Timestamp::from_micros),
                delivered_at: f.delivered_at.map(Timestamp::from_micros),
                id: f.id,
                seller_id: f.seller_id,
                carrier: f.carrier,
                tracking_number: f.tracking_number,
            });
        }
        let mut returns = Vec::new();
        for r in rsql::returns_of(&mut db, &o.id).await? {
            returns.push(self.return_dto(r).await?);
        }
        Ok(OrderDto {
            state: state_of(&o)?,
            totals: TotalsDto {
                currency: o.currency.clone(),
                subtotal: o.subtotal,
                discount_total: o.discount_total,
                shipping: o.shipping,
                shipping_discount: o.shipping_discount,
                tax_total: o.tax_total,
                tax_added: o.tax_added,
                tax_inclusive: o.tax_inclusive,
                total: o.total,
            },
            lines: lines
                .into_iter()
                .map(|l| OrderLineDto {
                    position: l.position,
                    returned_units: l.returned_units,
                    variant_id: l.variant_id,
                    product_id: l.product_id,
                    sku: l.sku,
                    seller_id: l.seller_id,
                    title: l.title,
                    variant_title: l.variant_title,
                    quantity: l.quantity,
                    unit_price: l.unit_price,
                    discount: l.discount,
                    tax: l.tax,
                    total: l.total,
                })
                .collect(),
            address,
            shipping: ShippingDto {
                method: o.shipping_method,
                name: o.shipping_method_name,
                min_days: o.delivery_min_days,
                max_days: o.delivery_max_days,
            },
            payment,
            cancel_code: o.cancel_code,
            shipment: shipment_progress(&part_states),
            shipments,
            returns,
            history: history
                .into_iter()
                .map(|h| TransitionDto {
                    from: h.from_state.as_deref().and_then(OrderState::parse),
                    to: OrderState::parse(&h.to_state).unwrap_or(OrderState::Pending),
                    actor: h.actor,
                    reason: h.reason,
                    at: Timestamp::from_micros(h.at),
                })
                .collect(),
            id: o.id,
            number: o.number,
            customer_id: o.customer_id,
            guest: o.guest,
            email: o.email,
            created_at: Timestamp::from_micros(o.created_at),
            updated_at: Timestamp::from_micros(o.updated_at),
        })
    }
}

fn state_of(o: &OrderRow) -> Result<OrderState> {
    OrderState::parse(&o.state).ok_or_else(|| Error::internal(format!("order {} has an unknown state", o.id)))
}

/// Compares without stopping at the first difference, so timing does not tell how much matched.
fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
