//! Events become drafts: who hears about what. Each draft's key is the event's id, so an event
//! delivered twice makes its messages once.

use super::{Draft, NotificationsService, Recipient};
use crate::domain::Kind;
use inventory::api::events::LowStock;
use kernel::event::Envelope;
use kernel::{Error, Result};
use orders::api::OrderNotice;
use orders::api::events::*;
use payments::api::events::{PaymentDisputed, PaymentFailed};
use serde_json::json;
use store::Tx;

/// The event types the consumer listens to.
pub const TOPICS: &[&str] = &[
    "order.confirmed",
    "order.cancelled",
    "payment.failed",
    "payment.disputed",
    "fulfilment.shipped",
    "fulfilment.out_for_delivery",
    "fulfilment.delivered",
    "return.requested",
    "return.approved",
    "refund.completed",
    "inventory.low_stock",
];

impl NotificationsService {
    /// The messages `event` calls for, recorded in the consumer's transaction.
    pub async fn event_intake(&self, tx: &mut Tx, event: &Envelope) -> Result<u32> {
        let mut made = 0;
        for draft in self.event_drafts(event).await? {
            made += self.draft_enqueue(tx, draft).await?;
        }
        Ok(made)
    }

    async fn event_drafts(&self, e: &Envelope) -> Result<Vec<Draft>> {
        Ok(match e.event_type.as_str() {
            "order.confirmed" => {
                let ev: OrderConfirmed = e.decode()?;
                let order = self.order(&ev.order_id).await?;
                let mut drafts = vec![self.customer_draft(e, Kind::OrderConfirmed, &order, json!({}))];
                let mut sellers: Vec<&str> = order.lines.iter().map(|l| l.seller_id.as_str()).collect();
                sellers.sort_unstable();
                sellers.dedup();
                for seller in sellers {
                    let lines: Vec<_> = order.lines.iter().filter(|l| l.seller_id == seller).collect();
                    let link = self.link(&format!("/seller/orders/{}", order.id));
                    let context = json!({"order": order, "lines": lines, "links": {"fulfilment": link}});
                    drafts.extend(self.account_draft(e, Kind::SellerNewOrder, seller, Some(&order.id), context).await?);
                }
                drafts
            }
            "order.cancelled" => {
                let ev: OrderCancelled = e.decode()?;
                let order = self.order(&ev.order_id).await?;
                vec![self.customer_draft(e, Kind::OrderCancelled, &order, json!({"reason": reason_text(&ev.code)}))]
            }
            "payment.failed" => {
                let ev: PaymentFailed = e.decode()?;
                let Some(order) = self.orders.order_notice(&ev.reference).await? else { return Ok(vec![]) };
                vec![self.customer_draft(e, Kind::PaymentFailed, &order, json!({"reason": reason_text(&ev.code)}))]
            }
            "payment.disputed" => {
                let ev: PaymentDisputed = e.decode()?;
                let Some(order) = self.orders.order_notice(&ev.reference).await? else { return Ok(vec![]) };
                let context = json!({
                    "order": order, "amount": ev.amount, "reason": ev.reason, "status": ev.status,
                    "links": {"order": self.link(&format!("/admin/orders/{}", order.id))},
                });
                self.admin_drafts(e, Kind::AdminPaymentDisputed, Some(&order.id), context).await?
            }
            "fulfilment.shipped" => {
                self.parcel_draft(e, Kind::OrderShipped, e.decode::<FulfilmentShipped>()?.order_id).await?
            }
            "fulfilment.out_for_delivery" => {
                self.parcel_draft(e, Kind::OrderOutForDelivery, e.decode::<FulfilmentOutForDelivery>()?.order_id)
                    .await?
            }
            "fulfilment.delivered" => {
                self.parcel_draft(e, Kind::OrderDelivered, e.decode::<FulfilmentDelivered>()?.order_id).await?
            }
            "return.requested" => {
                let ev: ReturnRequested = e.decode()?;
                let order = self.order(&ev.order_id).await?;
                let context = json!({
                    "order": order, "amount": ev.amount, "currency": ev.currency,
                    "links": {"return": self.link(&format!("/seller/returns/{}", ev.return_id))},
                });
                self.account_draft(e, Kind::SellerReturnRequested, &ev.seller_id, Some(&ev.order_id), context)
                    .await?
                    .into_iter()
                    .collect()
            }
            "return.approved" => {
                let ev: ReturnApproved = e.decode()?;
                let order = self.order(&ev.order_id).await?;
                let context = json!({"amount": ev.amount, "currency": ev.currency});
                vec![self.customer_draft(e, Kind::ReturnApproved, &order, context)]
            }
            "refund.completed" => {
                let ev: RefundCompleted = e.decode()?;
                let order = self.order(&ev.order_id).await?;
                let context = json!({"amount": ev.amount, "currency": ev.currency});
                vec![self.customer_draft(e, Kind::RefundCompleted, &order, context)]
            }
            "inventory.low_stock" => {
                let ev: LowStock = e.decode()?;
                let context = json!({
                    "sku": ev.sku, "available": ev.available, "threshold": ev.threshold,
                    "links": {"inventory": self.link("/seller/inventory")},
                });
                self.account_draft(e, Kind::SellerLowStock, &ev.seller_id, Some(&ev.sku), context)
                    .await?
                    .into_iter()
                    .collect()
            }
            _ => vec![],
        })
    }

    async fn order(&self, id: &str) -> Result<OrderNotice> {
        // The event names an order that must exist; failing retries the event, then parks it.
        self.orders.order_notice(id).await?.ok_or_else(|| Error::internal(format!("order {id} is not there")))
    }

    /// To the order's customer, at the order's address; the account's preferences apply
    /// unless the order was a guest's.
    fn customer_draft(&self, e: &Envelope, kind: Kind, order: &OrderNotice, extra: serde_json::Value) -> Draft {
        let mut context = json!({"order": order, "links": {"order": self.link(&format!("/orders/{}", order.id))}});
        if let (Some(c), Some(x)) = (context.as_object_mut(), extra.as_object()) {
            c.extend(x.clone());
        }
        Draft {
            key: e.id.clone(),
            kind,
            recipient: Recipient {
                user_id: (!order.guest).then(|| order.customer_id.clone()),
                email: order.email.clone(),
                name: order.name.clone(),
            },
            reference: Some(order.id.clone()),
            context,
        }
    }

    /// One parcel's news: the seller's part named by the event, with its carrier and number.
    async fn parcel_draft(&self, e: &Envelope, kind: Kind, order_id: String) -> Result<Vec<Draft>> {
        let order = self.order(&order_id).await?;
        let part_id = e.aggregate_id.as_str();
        let Some(shipment) = order.shipments.iter().find(|s| s.id == part_id).cloned() else { return Ok(vec![]) };
        let tracking = tracking_url(shipment.carrier.as_deref(), shipment.tracking_number.as_deref())
            .unwrap_or_else(|| self.link(&format!("/orders/{}", order.id)));
        let context = json!({
            "shipment": {
                "carrier": shipment.carrier.clone().unwrap_or_else(|| "the carrier".into()),
                "tracking_number": shipment.tracking_number.clone().unwrap_or_default(),
            },
            "return_days": self.config.return_days,
            "links": {"order": self.link(&format!("/orders/{}", order.id)), "tracking": tracking},
        });
        let mut draft = self.customer_draft(e, kind, &order, json!({}));
        if let (Some(c), Some(x)) = (draft.context.as_object_mut(), context.as_object()) {
            c.extend(x.clone());
        }
        Ok(vec![draft])
    }

    /// To an account by its id (a seller), when it is there and enabled.
    async fn account_draft(
        &self,
        e: &Envelope,
        kind: Kind,
        user_id: &str,
        reference: Option<&str>,
        context: serde_json::Value,
    ) -> Result<Option<Draft>> {
        let Some(contact) = self.customers.customer_contact(user_id).await? else { return Ok(None) };
        Ok(Some(Draft {
            key: e.id.clone(),
            kind,
            recipient: Recipient { user_id: Some(user_id.to_owned()), email: contact.email, name: contact.name },
            reference: reference.map(str::to_owned),
            context,
        }))
    }

    /// To every admin.
    pub(super) async fn admin_drafts(
        &self,
        e: &Envelope,
        kind: Kind,
        reference: Option<&str>,
        context: serde_json::Value,
    ) -> Result<Vec<Draft>> {
        let admins = self.customers.staff_contacts(kernel::auth::Role::Admin).await?;
        Ok(admins
            .into_iter()
            .map(|a| Draft {
                key: e.id.clone(),
                kind,
                recipient: Recipient { user_id: Some(a.user_id), email: a.email, name: a.name },
                reference: reference.map(str::to_owned),
                context: context.clone(),
            })
            .collect())
    }
}

/// A stable code as the customer reads it.
fn reason_text(code: &str) -> String {
    match code {
        "payment_declined" | "card_declined" => "the payment was declined".into(),
        "insufficient_funds" => "the card had insufficient funds".into(),
        "payment_failed" => "the payment could not be completed".into(),
        "out_of_stock" => "an item went out of stock".into(),
        "customer_cancelled" => "you cancelled it".into(),
        "admin_cancelled" => "the shop cancelled it".into(),
        "payment_expired" | "expired" => "the payment was not completed in time".into(),
        other => other.replace('_', " "),
    }
}

/// The carrier's own tracking page, for the carriers whose address is known.
fn tracking_url(carrier: Option<&str>, number: Option<&str>) -> Option<String> {
    let number: String = number?.chars().filter(char::is_ascii_alphanumeric).collect();
    let carrier = carrier?.to_ascii_lowercase();
    let base = if carrier.contains("ups") {
        "https://www.ups.com/track?tracknum="
    } else if carrier.contains("usps") {
        "https://tools.usps.com/go/TrackConfirmAction?tLabels="
    } else if carrier.contains("fedex") {
        "https://www.fedex.com/fedextrack/?trknbr="
    } else if carrier.contains("dhl") {
        "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id="
    } else {
        return None;
    };
    Some(format!("{base}{number}"))
}
