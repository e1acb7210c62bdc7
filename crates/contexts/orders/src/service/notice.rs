//! Orders tell notifications what an order holds, for the messages about it.

use super::OrdersService;
use crate::api::{NoticeLine, NoticeShipment, OrderNotice, OrderNotices};
use crate::store::fulfilments as fsql;
use crate::store::orders as sql;
use kernel::{BoxFuture, Error, Result};

impl OrderNotices for OrdersService {
    fn order_notice<'a>(&'a self, order_id: &'a str) -> BoxFuture<'a, Result<Option<OrderNotice>>> {
        Box::pin(async move {
            let mut db = self.db();
            let Some(o) = sql::order_get(&mut db, order_id).await? else { return Ok(None) };
            let lines = sql::lines_of(&mut db, &o.id).await?;
            let parts = fsql::fulfilments_of(&mut db, &o.id).await?;
            let address: serde_json::Value = serde_json::from_str(&o.address).map_err(Error::internal)?;
            Ok(Some(OrderNotice {
                name: address["name"].as_str().unwrap_or_default().to_owned(),
                lines: lines
                    .into_iter()
                    .map(|l| NoticeLine {
                        seller_id: l.seller_id,
                        sku: l.sku,
                        title: l.title,
                        variant_title: l.variant_title,
                        quantity: l.quantity,
                        unit_price: l.unit_price,
                        total: l.total,
                    })
                    .collect(),
                shipments: parts
                    .into_iter()
                    .map(|f| NoticeShipment {
                        id: f.id,
                        seller_id: f.seller_id,
                        state: f.state,
                        carrier: f.carrier,
                        tracking_number: f.tracking_number,
                    })
                    .collect(),
                subtotal: o.subtotal,
                discount: o.discount_total + o.shipping_discount,
                shipping: o.shipping,
                tax: o.tax_total,
                total: o.total,
                shipping_method: o.shipping_method_name,
                cancel_code: o.cancel_code,
                id: o.id,
                number: o.number,
                state: o.state,
                customer_id: o.customer_id,
                guest: o.guest,
                email: o.email,
                currency: o.currency,
            }))
        })
    }
}
