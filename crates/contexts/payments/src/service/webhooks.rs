//! Provider events: received (verified, recorded once, queued in the outbox) and applied (by
//! the consumer, in its inbox transaction) to the payment they name.

use super::record::{self, ledger_entry};
use super::{PaymentsService, state_of, transition};
use crate::api::PaymentState;
use crate::api::events::{PaymentDisputed, PaymentFailed, PaymentRefunded};
use crate::domain::EntryKind;
use crate::gateway::{WebhookHeaders, paypal_minor};
use crate::store::{self as sql, HistoryRow, PaymentRow};
use crate::webhook::{self, Refused, StripeEvent};
use bus::Handler;
use kernel::event::{Envelope, Event};
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error, Result};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use store::{Tx, outbox};

/// A verified Stripe event, queued for the consumer (internal to payments).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StripeEventReceived {
    pub event: StripeEvent,
}

impl Event for StripeEventReceived {
    const TYPE: &'static str = "payments.stripe_event_received";
    fn aggregate_id(&self) -> &str {
        &self.event.id
    }
}

/// A PayPal event PayPal vouched for, queued for the consumer (internal to payments).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaypalEventReceived {
    pub id: String,
    pub event_type: String,
    pub resource: serde_json::Value,
}

impl Event for PaypalEventReceived {
    const TYPE: &'static str = "payments.paypal_event_received";
    fn aggregate_id(&self) -> &str {
        &self.id
    }
}

const ACTOR: &str = "system:stripe";

impl PaymentsService {
    /// Verifies and records one delivery; true when it was new.
    pub async fn stripe_webhook(&self, signature: Option<&str>, body: &[u8]) -> Result<bool> {
        // An unsigned delivery is refused before anything else is said about this server.
        let Some(signature) = signature else { return Err(signature_invalid(Refused::NoSignature)) };
        if self.config.webhook_secrets.is_empty() {
            return Err(Error::not_found("webhook_not_configured", "Stripe webhooks are not configured here."));
        }
        let now = Timestamp::now().as_micros() / 1_000_000;
        let checked = webhook::verify(signature, body, &self.config.webhook_secrets, now);
        checked.map_err(signature_invalid)?;
        let event: StripeEvent = serde_json::from_slice(body)
            .map_err(|_| Error::bad_request("webhook_payload_invalid", "The body is not a Stripe event."))?;
        let mut tx = self.db.begin().await?;
        if !sql::webhook_seen(&mut tx, &event.id, &event.kind, Timestamp::now().as_micros()).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        outbox::emit(&mut tx, &StripeEventReceived { event }).await?;
        tx.commit().await?;
        Ok(true)
    }
}

fn signature_invalid(why: Refused) -> Error {
    let detail = match why {
        Refused::NoSignature => "The `Stripe-Signature` header is missing or malformed.",
        Refused::Stale => "The signature is older than five minutes.",
        Refused::Mismatch => "The signature does not match the body.",
    };
    Error::bad_request("webhook_signature_invalid", detail)
}

impl PaymentsService {
    /// Has PayPal check one delivery, then records it; true when it was new.
    pub async fn paypal_webhook(&self, headers: Option<WebhookHeaders>, body: &[u8]) -> Result<bool> {
        let Some(headers) = headers else { return Err(signature_invalid(Refused::NoSignature)) };
        if self.gateway.name() != "paypal" {
            return Err(Error::not_found("webhook_not_configured", "PayPal webhooks are not configured here."));
        }
        let event: serde_json::Value = serde_json::from_slice(body)
            .map_err(|_| Error::bad_request("webhook_payload_invalid", "The body is not a PayPal event."))?;
        if !self.gateway.webhook_verify(&headers, &event).await.map_err(super::provider_error)? {
            return Err(signature_invalid(Refused::Mismatch));
        }
        let (Some(id), Some(kind)) = (text(&event, "id"), text(&event, "event_type")) else {
            return Err(Error::bad_request("webhook_payload_invalid", "The body is not a PayPal event."));
        };
        let received = PaypalEventReceived {
            id: id.to_owned(),
            event_type: kind.to_owned(),
            resource: event.get("resource").cloned().unwrap_or_default(),
        };
        let mut tx = self.db.begin().await?;
        if !sql::webhook_seen(&mut tx, &received.id, &received.event_type, Timestamp::now().as_micros()).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        outbox::emit(&mut tx, &received).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Applies verified provider events to payments.
pub struct StripeEvents;

impl Handler for StripeEvents {
    fn group(&self) -> &'static str {
        "payments.stripe"
    }

    fn topics(&self) -> &'static [&'static str] {
        &[StripeEventReceived::TYPE, PaypalEventReceived::TYPE]
    }

    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            if event.event_type == PaypalEventReceived::TYPE {
                return apply_paypal(tx, &event.decode()?).await;
            }
            let received: StripeEventReceived = event.decode()?;
            apply(tx, &received.event).await
        })
    }
}

pub fn handler() -> Arc<dyn Handler> {
    Arc::new(StripeEvents)
}

fn text<'a>(object: &'a serde_json::Value, field: &str) -> Option<&'a str> {
    object.get(field).and_then(|v| v.as_str())
}

async fn apply(tx: &mut Tx, event: &StripeEvent) -> Result<()> {
    let object = &event.data.object;
    let intent = match event.kind.as_str() {
        k if k.starts_with("payment_intent.") => text(object, "id"),
        "charge.refunded" | "charge.dispute.created" | "charge.dispute.closed" => text(object, "payment_intent"),
        _ => None,
    };
    let Some(intent) = intent else { return Ok(()) };
    // Another system's intent on the same account is none of ours.
    let Some(mut row) = sql::payment_by_provider_ref(tx, "stripe", intent).await? else { return Ok(()) };
    let reason = format!("stripe {}", event.kind);
    let state = state_of(&row);
    match event.kind.as_str() {
        "payment_intent.amount_capturable_updated" => authorized(tx, &mut row, &reason).await?,
        "payment_intent.succeeded" => {
            if matches!(state, PaymentState::Processing | PaymentState::RequiresAction) {
                authorized(tx, &mut row, &reason).await?;
            }
            if state_of(&row) == PaymentState::Authorized {
                let amount = object.get("amount_received").and_then(|v| v.as_i64()).unwrap_or(row.amount);
                record::captured(tx, &mut row, amount, None, &key(&event.id), ACTOR, Some(&reason)).await?;
            }
        }
        "payment_intent.payment_failed" if matches!(state, PaymentState::Processing | PaymentState::RequiresAction) => {
            let code = object
                .pointer("/last_payment_error/decline_code")
                .or_else(|| object.pointer("/last_payment_error/code"));
            let code = code.and_then(|c| c.as_str()).unwrap_or("card_declined").to_owned();
            row.failure_code = Some(code.clone());
            if transition(tx, &mut row, PaymentState::Failed, ACTOR, Some(&reason)).await? {
                outbox::emit(tx, &PaymentFailed { payment_id: row.id.clone(), reference: row.reference.clone(), code })
                    .await?;
            }
        }
        "payment_intent.requires_action" if state == PaymentState::Processing => {
            transition(tx, &mut row, PaymentState::RequiresAction, ACTOR, Some(&reason)).await?;
        }
        "payment_intent.canceled" if state.can(PaymentState::Cancelled) => {
            record::cancelled(tx, &mut row, state, &key(&event.id), ACTOR, Some(&reason)).await?;
        }
        "charge.refunded" if state.refundable() => refunded(tx, row, object, event, &reason).await?,
        "charge.dispute.created" | "charge.dispute.closed" => disputed(tx, &row, object, &event.kind).await?,
        _ => {} // late, repeated or not ours to act on: nothing changes
    }
    Ok(())
}

/// A dispute (chargeback) opened or closed at Stripe: kept in the payment's history and
/// announced, so an admin hears of it. The money stays where the ledger says until Stripe
/// moves it (a lost dispute arrives as its own refund or as a balance change, not here).
async fn disputed(tx: &mut Tx, row: &PaymentRow, object: &serde_json::Value, kind: &str) -> Result<()> {
    let status = text(object, "status").unwrap_or("unknown").to_owned();
    let why = text(object, "reason").unwrap_or("unspecified").to_owned();
    let amount = object.get("amount").and_then(|v| v.as_i64()).unwrap_or(row.amount);
    let history = HistoryRow {
        id: kernel::id::new_id("phs"),
        payment_id: row.id.clone(),
        from_state: Some(row.state.clone()),
        to_state: row.state.clone(),
        actor: ACTOR.into(),
        reason: Some(format!("stripe {kind}: {why}, {status}, {amount}")),
        at: Timestamp::now().as_micros(),
    };
    sql::history_insert(tx, &history).await?;
    let event =
        PaymentDisputed { payment_id: row.id.clone(), reference: row.reference.clone(), amount, reason: why, status };
    outbox::emit(tx, &event).await?;
    Ok(())
}

/// The ledger key of a movement a provider's event reported.
fn key(event_id: &str) -> String {
    format!("webhook:{event_id}")
}

async fn authorized(tx: &mut Tx, row: &mut PaymentRow, reason: &str) -> Result<()> {
    if !matches!(state_of(row), PaymentState::Processing | PaymentState::RequiresAction) {
        return Ok(());
    }
    if state_of(row) == PaymentState::RequiresAction {
        transition(tx, row, PaymentState::Processing, ACTOR, Some(reason)).await?;
    }
    record::authorized(tx, row, ACTOR, Some(reason)).await?;
    Ok(())
}

/// A refund made at Stripe (the dashboard, or ours whose answer was lost): the ledger takes
/// what Stripe has refunded beyond what it already holds.
async fn refunded(
    tx: &mut Tx,
    mut row: PaymentRow,
    object: &serde_json::Value,
    event: &StripeEvent,
    reason: &str,
) -> Result<()> {
    let total = object.get("amount_refunded").and_then(|v| v.as_i64()).unwrap_or(0);
    sql::payment_lock(tx, &row.id).await?;
    let row_now = sql::payment_get(tx, &row.id).await?.unwrap_or(row.clone());
    let missing = total - row_now.refund_held;
    if missing <= 0 || !sql::refund_hold(tx, &row.id, missing, Timestamp::now().as_micros()).await? {
        return Ok(());
    }
    sql::entry_insert(tx, &ledger_entry(&row, EntryKind::Refund, missing, &key(&event.id), "succeeded", None)).await?;
    row = row_now;
    let to = if total >= row.captured { PaymentState::Refunded } else { PaymentState::PartiallyRefunded };
    if transition(tx, &mut row, to, ACTOR, Some(reason)).await? {
        let e = PaymentRefunded {
            payment_id: row.id.clone(),
            reference: row.reference.clone(),
            amount: missing,
            refunded: total,
            currency: row.currency.clone(),
        };
        outbox::emit(tx, &e).await?;
    }
    Ok(())
}

/// PayPal's events: a capture or a void made at PayPal (its dashboard, or ours whose answer
/// was lost). Refund events are not read yet.
async fn apply_paypal(tx: &mut Tx, event: &PaypalEventReceived) -> Result<()> {
    let resource = &event.resource;
    let authorization = match event.event_type.as_str() {
        "PAYMENT.CAPTURE.COMPLETED" => resource.pointer("/supplementary_data/related_ids/authorization_id"),
        "PAYMENT.AUTHORIZATION.VOIDED" => resource.get("id"),
        _ => None,
    };
    let Some(authorization) = authorization.and_then(|a| a.as_str()) else { return Ok(()) };
    let Some(mut row) = sql::payment_by_provider_ref(tx, "paypal", authorization).await? else { return Ok(()) };
    let reason = format!("paypal {}", event.event_type);
    let state = state_of(&row);
    match event.event_type.as_str() {
        "PAYMENT.CAPTURE.COMPLETED" if state == PaymentState::Authorized => {
            let value = resource.pointer("/amount/value").and_then(|v| v.as_str()).unwrap_or("");
            let amount = paypal_minor(value, &row.currency).unwrap_or(row.amount);
            let capture_ref = text(resource, "id").map(str::to_owned);
            record::captured(tx, &mut row, amount, capture_ref, &key(&event.id), "system:paypal", Some(&reason))
                .await?;
        }
        "PAYMENT.AUTHORIZATION.VOIDED" if state.can(PaymentState::Cancelled) => {
            record::cancelled(tx, &mut row, state, &key(&event.id), "system:paypal", Some(&reason)).await?;
        }
        _ => {}
    }
    Ok(())
}
