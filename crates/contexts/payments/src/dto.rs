//! The HTTP shapes of payments (not the contract types in `api`).

use crate::domain::{Amounts, EntryKind, PaymentState};
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentDto {
    pub id: String,
    /// What it pays for (an order id).
    pub reference: String,
    pub customer_id: Option<String>,
    pub state: PaymentState,
    pub amount: i64,
    pub currency: String,
    pub provider: String,
    pub amounts: Amounts,
    /// What the customer must do next, when `state` is `requires_action`.
    pub next_action: Option<serde_json::Value>,
    pub failure_code: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One money movement, as the append-only ledger keeps it.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntryDto {
    pub id: String,
    pub kind: EntryKind,
    pub amount: i64,
    pub currency: String,
    pub provider_ref: Option<String>,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub reason: Option<String>,
    pub created_at: Timestamp,
}

/// One change of state: who, when, why.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransitionDto {
    pub from: Option<PaymentState>,
    pub to: PaymentState,
    pub actor: String,
    pub reason: Option<String>,
    pub at: Timestamp,
}

/// A payment with its ledger and its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentDetailDto {
    #[serde(flatten)]
    pub payment: PaymentDto,
    pub ledger: Vec<LedgerEntryDto>,
    pub history: Vec<TransitionDto>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaptureInput {
    /// Minor units; all that was authorized when left out. The rest of the hold is released.
    #[schema(minimum = 1)]
    pub amount: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundInput {
    /// Minor units, at most what is left to refund.
    #[schema(minimum = 1)]
    pub amount: i64,
    /// Why, for the payment's history (at most 500 characters).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: String,
}

/// Pay for a reference (an order waiting for its payment) with the provider's token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentInput {
    /// What is paid for: the order's id.
    #[schema(max_length = 64)]
    pub reference: String,
    /// The provider's token for the customer's method (sandbox: `tok_sandbox_ok`…). Never a card number.
    #[schema(max_length = 255, pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$")]
    pub payment_token: String,
    /// A guest's e-mail address, the one the order was placed with.
    #[schema(max_length = 254)]
    pub email: Option<String>,
}
