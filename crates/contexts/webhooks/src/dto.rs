//! What the webhooks API accepts and answers.

use crate::domain::DeliveryState;
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MAX_EVENT_TYPES: usize = 100;
pub const MAX_DESCRIPTION: usize = 500;

/// An event type (`order.created`) or every type under a prefix (`fulfilment.*`).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[schema(example = "fulfilment.*", pattern = r"^[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?$", max_length = 100)]
pub struct EventTypeName(pub String);

/// An endpoint to register.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointInput {
    /// Where deliveries are POSTed: `https://host[:port]/path`, no user or password.
    #[schema(example = "https://hooks.example.com/oxcart", pattern = r"^https?://", max_length = 2048)]
    pub url: String,
    /// 1-100 event types, exact or `prefix.*`. A seller's may only be types that name a
    /// seller.
    #[schema(min_items = 1, max_items = 100)]
    pub event_types: Vec<EventTypeName>,
    /// For the owner's own reference (at most 500 characters).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// Default true; a disabled endpoint gets no new deliveries and its pending ones wait.
    pub enabled: Option<bool>,
}

/// An endpoint's fields to change; those left out stay.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndpointUpdate {
    #[schema(pattern = r"^https?://", max_length = 2048)]
    pub url: Option<String>,
    #[schema(min_items = 1, max_items = 100)]
    pub event_types: Option<Vec<EventTypeName>>,
    /// An empty string clears it.
    #[schema(max_length = 500)]
    pub description: Option<String>,
    pub enabled: Option<bool>,
}

/// A registered endpoint. Its secret is shown only when made or rotated.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EndpointDto {
    pub id: String,
    pub owner_id: String,
    /// `admin` (hears any event it subscribes to) or `seller` (only their own).
    pub owner_role: String,
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
    pub enabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An endpoint with its signing secret: the answer to creating it or rotating its secret,
/// the only times the secret is shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EndpointWithSecret {
    #[serde(flatten)]
    pub endpoint: EndpointDto,
    /// `whsec_…`: the key of `Oxcart-Signature`'s HMAC. Keep it; it is not shown again.
    pub secret: String,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EndpointQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
    /// Admin: only this owner's endpoints.
    #[param(max_length = 40)]
    pub owner_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
    /// Only deliveries in this state.
    pub state: Option<DeliveryState>,
}

/// One delivery of one event to one endpoint.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryDto {
    pub id: String,
    pub endpoint_id: String,
    /// The event's id: `Oxcart-Event-Id` and the body's `id`.
    pub event_id: String,
    pub event_type: String,
    pub state: DeliveryState,
    /// Attempts made so far, before and after replays.
    pub attempt_count: i64,
    /// When it is tried next (pending only).
    pub next_attempt_at: Option<Timestamp>,
    /// The status of the last answer, when one came.
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

/// A delivery with what it sends and every attempt.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryDetailDto {
    #[serde(flatten)]
    pub delivery: DeliveryDto,
    /// The body's `data`: the event's payload (a seller's copy holds only their lines).
    pub payload: serde_json::Value,
    /// Every attempt, first first.
    pub attempts: Vec<AttemptDto>,
}

/// One try at a delivery.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttemptDto {
    /// 1 for the first attempt.
    pub number: i64,
    pub at: Timestamp,
    /// The receiver's status; absent when no answer came (refused address, network error,
    /// timeout).
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
    /// The first 512 bytes of the answer's body.
    pub response_excerpt: String,
}
