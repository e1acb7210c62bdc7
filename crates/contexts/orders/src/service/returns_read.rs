//! Reading returns: a customer's own, a seller's of their lines, an admin's every one (or one
//! seller's); anyone else's is 404.

use super::returns::return_not_found;
use super::{OrdersService, not_found};
use crate::domain::ReturnState;
use crate::dto::{ReturnDto, ReturnLineDto, ReturnQuery, ReturnTransitionDto};
use crate::store::orders as sql;
use crate::store::returns::{self as rsql, ReturnFilter, ReturnRow};
use kernel::auth::{Principal, Role};
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result};

impl OrdersService {
    pub async fn return_get(&self, p: &Principal, id: &str) -> Result<ReturnDto> {
        p.require_scope(crate::api::ORDERS_READ)?;
        let ret = self.return_visible(p, id).await?;
        self.return_dto(ret).await
    }

    /// The caller's returns: a customer's own, a seller's for their lines, an admin's all.
    pub async fn return_list(&self, p: &Principal, query: ReturnQuery) -> Result<Page<ReturnDto>> {
        p.require_scope(crate::api::ORDERS_READ)?;
        let page = PageParams { limit: query.limit, cursor: query.cursor }.validate()?;
        super::fulfil::id_check("order_id", query.order_id.as_deref())?;
        super::fulfil::id_check("seller_id", query.seller_id.as_deref())?;
        let mut filter = ReturnFilter {
            state: query.state.map(|s| s.as_str().to_owned()),
            order_id: query.order_id,
            ..ReturnFilter::default()
        };
        match p.role {
            Role::Admin => filter.seller_id = query.seller_id,
            Role::Seller => filter.seller_id = Some(p.user_id.clone()),
            Role::Customer => filter.customer_id = Some(p.user_id.clone()),
        }
        let rows = rsql::return_list(&mut self.db(), &filter, page.after.as_deref(), i64::from(page.limit) + 1).await?;
        let page = Page::from_rows(rows, page.limit, |r| &r.id);
        let mut items = Vec::with_capacity(page.items.len());
        for row in page.items {
            items.push(self.return_dto(row).await?);
        }
        Ok(Page { items, next_cursor: page.next_cursor })
    }

    /// The return, if the caller may see it: the customer's own, the seller's of its lines,
    /// any for an admin; 404 otherwise.
    pub(super) async fn return_visible(&self, p: &Principal, id: &str) -> Result<ReturnRow> {
        let ret = self.return_row(id).await?;
        let mine = match p.role {
            Role::Admin => true,
            Role::Seller => ret.seller_id == p.user_id || ret.customer_id == p.user_id,
            Role::Customer => ret.customer_id == p.user_id,
        };
        if mine { Ok(ret) } else { Err(return_not_found()) }
    }

    /// The return, if the caller decides on it: the seller of its lines or an admin.
    pub(super) async fn return_decidable(&self, p: &Principal, id: &str) -> Result<ReturnRow> {
        let ret = self.return_row(id).await?;
        if p.role == Role::Admin || (p.role == Role::Seller && ret.seller_id == p.user_id) {
            Ok(ret)
        } else {
            Err(return_not_found())
        }
    }

    pub(super) async fn return_row(&self, id: &str) -> Result<ReturnRow> {
        rsql::return_get(&mut self.db(), id).await?.ok_or_else(return_not_found)
    }

    pub(super) async fn return_dto(&self, r: ReturnRow) -> Result<ReturnDto> {
        let mut db = self.db();
        let order = sql::order_get(&mut db, &r.order_id).await?.ok_or_else(not_found)?;
        let order_lines = sql::lines_of(&mut db, &r.order_id).await?;
        let lines = rsql::lines_of(&mut db, &r.id).await?;
        let history = rsql::history_of(&mut db, &r.id).await?;
        Ok(ReturnDto {
            state: ReturnState::parse(&r.state).ok_or_else(|| Error::internal("unknown return state"))?,
            lines: lines
                .into_iter()
                .map(|l| {
                    let line = order_lines.iter().find(|o| o.position == l.position);
                    ReturnLineDto {
                        position: l.position,
                        sku: line.map(|o| o.sku.clone()).unwrap_or_default(),
                        title: line.map(|o| o.title.clone()).unwrap_or_default(),
                        quantity: l.quantity,
                        amount: l.amount,
                    }
                })
                .collect(),
            history: history
                .into_iter()
                .map(|h| ReturnTransitionDto {
                    from: h.from_state.as_deref().and_then(ReturnState::parse),
                    to: ReturnState::parse(&h.to_state).unwrap_or(ReturnState::Requested),
                    actor: h.actor,
                    note: h.note,
                    at: Timestamp::from_micros(h.at),
                })
                .collect(),
            id: r.id,
            order_id: r.order_id,
            number: order.number,
            seller_id: r.seller_id,
            fulfilment_id: r.fulfilment_id,
            reason: r.reason,
            lines_amount: r.lines_amount,
            shipping_amount: r.shipping_amount,
            refund_amount: r.refund_amount,
            refunded: r.refunded,
            currency: order.currency,
            decision_note: r.decision_note,
            restock: r.restock,
            location_id: r.location_id,
            refund_error: r.last_error,
            created_at: Timestamp::from_micros(r.created_at),
            updated_at: Timestamp::from_micros(r.updated_at),
        })
    }
}
