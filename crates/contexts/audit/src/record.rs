//! Which events are audited, and what each records: the object it is about and the state
//! before and after, read through the publishing context's typed events.

use catalog::api::events::VariantPriceChanged;
use inventory::api::events::StockAdjusted;
use kernel::event::{Envelope, Event};
use orders::api::events::OrderCancelled;
use payments::api::events::{PaymentCancelled, PaymentCaptured, PaymentDisputed, PaymentRefunded};
use pricing::api::events::PromotionChanged;
use serde_json::{Value, json};
use users::api::events::{SellerStatusChanged, UserAccessChanged, UserRoleChanged};

/// Every event type the audit log records.
pub const AUDITED: &[&str] = &[
    PaymentCaptured::TYPE,
    PaymentRefunded::TYPE,
    PaymentCancelled::TYPE,
    PaymentDisputed::TYPE,
    OrderCancelled::TYPE,
    UserRoleChanged::TYPE,
    UserAccessChanged::TYPE,
    SellerStatusChanged::TYPE,
    VariantPriceChanged::TYPE,
    StockAdjusted::TYPE,
    PromotionChanged::TYPE,
];

/// What an audited event records, before the chain numbers and links it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub object_type: &'static str,
    pub object_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// Who acted, when the event names them and its origin does not (an older event).
    pub by: Option<String>,
}

/// The draft for `event`, or none when its type is not audited.
pub fn draft_of(event: &Envelope) -> kernel::Result<Option<Draft>> {
    let draft = match event.event_type.as_str() {
        PaymentCaptured::TYPE => {
            let e: PaymentCaptured = event.decode()?;
            payment(e.payment_id, None, json!({"reference": e.reference, "captured": e.amount, "currency": e.currency}))
        }
        PaymentRefunded::TYPE => {
            let e: PaymentRefunded = event.decode()?;
            payment(
                e.payment_id,
                Some(json!({"refunded": e.refunded - e.amount})),
                json!({"reference": e.reference, "refund": e.amount, "refunded": e.refunded, "currency": e.currency}),
            )
        }
        PaymentCancelled::TYPE => {
            let e: PaymentCancelled = event.decode()?;
            payment(e.payment_id, None, json!({"reference": e.reference, "state": "cancelled"}))
        }
        PaymentDisputed::TYPE => {
            let e: PaymentDisputed = event.decode()?;
            payment(
                e.payment_id,
                None,
                json!({"reference": e.reference, "amount": e.amount, "reason": e.reason, "status": e.status}),
            )
        }
        OrderCancelled::TYPE => {
            let e: OrderCancelled = event.decode()?;
            Draft {
                object_type: "order",
                object_id: e.order_id,
                before: Some(json!({"state": e.from})),
                after: Some(json!({"state": "cancelled", "code": e.code})),
                by: None,
            }
        }
        UserRoleChanged::TYPE => {
            let e: UserRoleChanged = event.decode()?;
            Draft {
                object_type: "user",
                object_id: e.user_id,
                before: Some(json!({"role": e.from})),
                after: Some(json!({"role": e.to})),
                by: Some(e.by),
            }
        }
        UserAccessChanged::TYPE => {
            let e: UserAccessChanged = event.decode()?;
            Draft {
                object_type: "user",
                object_id: e.user_id,
                before: Some(json!({"disabled": !e.disabled})),
                after: Some(json!({"disabled": e.disabled})),
                by: Some(e.by),
            }
        }
        SellerStatusChanged::TYPE => {
            let e: SellerStatusChanged = event.decode()?;
            Draft {
                object_type: "seller",
                object_id: e.user_id,
                before: None,
                after: Some(json!({"status": e.status})),
                by: Some(e.by),
            }
        }
        VariantPriceChanged::TYPE => {
            let e: VariantPriceChanged = event.decode()?;
            Draft {
                object_type: "variant",
                object_id: e.variant_id,
                before: Some(json!({"price": e.from})),
                after: Some(json!({"price": e.to, "sku": e.sku, "currency": e.currency, "product_id": e.product_id})),
                by: None,
            }
        }
        StockAdjusted::TYPE => {
            let e: StockAdjusted = event.decode()?;
            Draft {
                object_type: "stock",
                object_id: e.sku,
                before: Some(json!({"on_hand": e.on_hand_after - e.delta})),
                after: Some(json!({"on_hand": e.on_hand_after, "kind": e.kind, "delta": e.delta,
                    "reason": e.reason, "location_id": e.location_id})),
                by: None,
            }
        }
        PromotionChanged::TYPE => {
            let e: PromotionChanged = event.decode()?;
            let terms = |t: Option<pricing::api::events::PromotionTerms>| t.and_then(|t| serde_json::to_value(t).ok());
            let mut after = terms(e.after).unwrap_or_else(|| json!({}));
            after["change"] = json!(e.change);
            Draft {
                object_type: "promotion",
                object_id: e.promotion_id,
                before: terms(e.before),
                after: Some(after),
                by: None,
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(draft))
}

fn payment(payment_id: String, before: Option<Value>, after: Value) -> Draft {
    Draft { object_type: "payment", object_id: payment_id, before, after: Some(after), by: None }
}
