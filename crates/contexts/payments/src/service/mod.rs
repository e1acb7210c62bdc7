//! Use cases of payments. Every state change is one transaction with its history row, its
//! ledger row and its event; the provider is called between transactions, never inside one,
//! so a slow provider holds no lock.

mod authorize;
mod card_field;

pub(crate) use authorize::card_number;
mod money;
mod pay;
mod read;
mod record;
mod webhooks;

pub use card_field::{CardField, CardFieldConfig};
pub(crate) use webhooks::handler as stripe_events;

use crate::api::{AuthorizeRequest, PAYMENTS_CONFIRM, PAYMENTS_WRITE, Payment, PaymentState, Payments};
use crate::domain::{Amounts, EntryKind};
use crate::gateway::{Gateway, GatewayError};
use crate::store::{self as sql, HistoryRow, PaymentRow};
use kernel::auth::{Principal, Role};
use kernel::id::new_id;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error, Result};
use std::sync::Arc;
use std::time::Duration;
use store::{Db, Query, Tx};

#[derive(Debug, Clone)]
pub struct PaymentsConfig {
    /// The store's currency; every payment is in it.
    pub currency: String,
    /// The first retry of a transient provider failure waits this long; each next one twice as
    /// long, plus up to half again at random.
    pub retry_backoff: Duration,
    /// A payment left `processing` this long is looked up at the provider.
    pub reconcile_after: Duration,
    /// Secrets that sign the provider's webhooks (more than one while rotating).
    pub webhook_secrets: Vec<String>,
    /// The provider's card field for checkout pages, when it has one and it is configured.
    pub card_field: Option<CardFieldConfig>,
}

impl Default for PaymentsConfig {
    fn default() -> Self {
        Self {
            currency: "USD".into(),
            retry_backoff: Duration::from_millis(100),
            reconcile_after: Duration::from_secs(60),
            webhook_secrets: Vec::new(),
            card_field: None,
        }
    }
}

pub struct PaymentsService {
    db: Db,
    gateway: Arc<dyn Gateway>,
    config: PaymentsConfig,
    /// What `POST /payments` pays for; set once the orders context exists.
    /// Weak: orders holds payments too, and a cycle would keep both (and their pools) alive
    /// after the application is dropped.
    payables: std::sync::OnceLock<std::sync::Weak<dyn crate::api::Payables>>,
}

impl PaymentsService {
    /// The configured provider's name (`sandbox`, `stripe`, `paypal`), for a checkout page
    /// to offer the matching way to pay.
    pub fn provider(&self) -> &'static str {
        self.gateway.name()
    }

    pub fn new(db: Db, gateway: Arc<dyn Gateway>, config: PaymentsConfig) -> Self {
        Self { db, gateway, config, payables: std::sync::OnceLock::new() }
    }

    /// Hands payments the context its references belong to; a second call changes nothing.
    pub fn payables_set(&self, payables: Arc<dyn crate::api::Payables>) {
        let _ = self.payables.set(Arc::downgrade(&payables));
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

pub(crate) fn not_found() -> Error {
    Error::not_found("payment_not_found", "No such payment.")
}

fn state_of(row: &PaymentRow) -> PaymentState {
    PaymentState::parse(&row.state).unwrap_or(PaymentState::Processing)
}

fn illegal(row: &PaymentRow, what: &str) -> Error {
    Error::conflict("payment_state", format!("A payment that is {} cannot be {what}.", row.state))
}

fn provider_error(e: GatewayError) -> Error {
    match e {
        GatewayError::Transient(why) => {
            tracing::warn!(reason = %why, "payment provider unavailable");
            let mut e = Error::new(
                kernel::ErrorKind::Unavailable,
                "payment_provider_unavailable",
                "The payment provider did not answer; try again shortly.",
            );
            e.retry_after_secs = Some(5);
            e
        }
        GatewayError::Refused { code, message } => {
            Error::conflict("payment_provider_refused", format!("The provider refused: {message} ({code})."))
        }
    }
}

/// Moves `row` to `to` (with the fields the caller set on it) if it is still in `from`, and
/// records who did it and why. False when another request moved it first.
async fn transition(
    tx: &mut Tx,
    row: &mut PaymentRow,
    to: PaymentState,
    actor: &str,
    reason: Option<&str>,
) -> Result<bool> {
    let from = state_of(row);
    if !from.can(to) {
        return Err(illegal(row, to.as_str()));
    }
    row.state = to.as_str().to_owned();
    row.updated_at = Timestamp::now().as_micros();
    if !sql::payment_transition(tx, row, from.as_str()).await? {
        return Ok(false);
    }
    let history = HistoryRow {
        id: new_id("phs"),
        payment_id: row.id.clone(),
        from_state: Some(from.as_str().to_owned()),
        to_state: to.as_str().to_owned(),
        actor: actor.to_owned(),
        reason: reason.map(str::to_owned),
        at: row.updated_at,
    };
    sql::history_insert(tx, &history).await?;
    Ok(true)
}

/// The payment as other contexts see it, its amounts summed from the ledger.
async fn payment_of(q: &mut impl Query, row: PaymentRow) -> Result<Payment> {
    let entries = sql::entry_list(q, &row.id).await?;
    let amounts =
        Amounts::of(entries.iter().filter_map(|e| EntryKind::parse(&e.kind).map(|k| (k, e.amount, e.status.as_str()))));
    Ok(Payment {
        state: state_of(&row),
        next_action: row.next_action.as_deref().and_then(|a| serde_json::from_str(a).ok()),
        id: row.id,
        reference: row.reference,
        customer_id: row.customer_id,
        amount: row.amount,
        currency: row.currency,
        provider: row.provider,
        amounts,
        failure_code: row.failure_code,
    })
}

async fn load(q: &mut impl Query, id: &str) -> Result<PaymentRow> {
    sql::payment_get(q, id).await?.ok_or_else(not_found)
}

/// The HTTP callers' side: who may do what, then the same use cases the contract offers.
impl PaymentsService {
    pub async fn payment_capture_as(&self, p: &Principal, id: &str, amount: Option<i64>, key: &str) -> Result<Payment> {
        p.require_scope(PAYMENTS_WRITE)?;
        p.require_role(&[Role::Admin])?;
        self.capture(id, amount, key, &p.user_id).await
    }

    pub async fn payment_cancel_as(&self, p: &Principal, id: &str) -> Result<Payment> {
        p.require_scope(PAYMENTS_WRITE)?;
        p.require_role(&[Role::Admin])?;
        self.cancel(id, &p.user_id).await
    }

    pub async fn refund_create_as(
        &self,
        p: &Principal,
        id: &str,
        amount: i64,
        reason: &str,
        key: &str,
    ) -> Result<Payment> {
        p.require_scope(PAYMENTS_WRITE)?;
        p.require_role(&[Role::Admin])?;
        self.refund(id, amount, reason, key, &p.user_id).await
    }

    pub async fn payment_confirm_as(&self, p: &Principal, id: &str) -> Result<Payment> {
        p.require_scope(PAYMENTS_CONFIRM)?;
        self.confirm(id, &p.user_id).await
    }
}

impl Payments for PaymentsService {
    fn payment_authorize<'a>(&'a self, request: &'a AuthorizeRequest) -> BoxFuture<'a, Result<Payment>> {
        Box::pin(self.authorize(request))
    }

    fn payment_capture<'a>(
        &'a self,
        id: &'a str,
        amount: Option<i64>,
        key: &'a str,
        actor: &'a str,
    ) -> BoxFuture<'a, Result<Payment>> {
        Box::pin(self.capture(id, amount, key, actor))
    }

    fn payment_cancel<'a>(&'a self, id: &'a str, actor: &'a str) -> BoxFuture<'a, Result<Payment>> {
        Box::pin(self.cancel(id, actor))
    }

    fn payment_refund<'a>(
        &'a self,
        id: &'a str,
        amount: i64,
        reason: &'a str,
        key: &'a str,
        actor: &'a str,
    ) -> BoxFuture<'a, Result<Payment>> {
        Box::pin(self.refund(id, amount, reason, key, actor))
    }

    fn payment_status<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Payment>> {
        Box::pin(async move { payment_of(&mut self.db.clone(), load(&mut self.db.clone(), id).await?).await })
    }
}
