//! Use cases of the webhooks context. Every write happens here, in one transaction; roles
//! and scopes are checked here as well as by the access layer. A seller reaches only their
//! own endpoints and deliveries (another's is 404); an admin reaches all.

mod deliveries;
mod endpoints;
mod intake;
mod send;
mod target;

use crate::dto::{AttemptDto, DeliveryDto, EndpointDto};
use crate::store::{self as sql, AttemptRow, DeliveryRow, EndpointRow};
use kernel::auth::{Principal, Role, Scope};
use kernel::time::Timestamp;
use kernel::{Error, Result};
use store::Db;

/// What the webhooks service is set up with (from `[webhooks]`).
#[derive(Debug, Clone)]
pub struct WebhooksConfig {
    /// Unsafe outside tests: take `http://` URLs.
    pub allow_http: bool,
    /// Unsafe outside tests: call internal addresses.
    pub allow_private: bool,
    pub max_endpoints_per_owner: i64,
}

pub struct WebhooksService {
    db: Db,
    config: WebhooksConfig,
}

impl WebhooksService {
    pub fn new(db: Db, config: WebhooksConfig) -> Self {
        Self { db, config }
    }

    pub fn config(&self) -> &WebhooksConfig {
        &self.config
    }

    /// The endpoint `id` when the caller may see it: any for an admin, their own seller
    /// endpoints for a seller (not one they made as an admin before a demotion, which hears
    /// what a seller may not).
    async fn endpoint_visible(&self, p: &Principal, id: &str) -> Result<EndpointRow> {
        let row = sql::endpoint_get(&mut self.db.clone(), id).await?.ok_or_else(endpoint_not_found)?;
        let own = row.owner_id == p.user_id && row.owner_role == "seller";
        if p.role == Role::Admin || own { Ok(row) } else { Err(endpoint_not_found()) }
    }
}

/// Admins and sellers (or their keys holding `scope`); customers are 403.
fn require(p: &Principal, scope: Scope) -> Result<()> {
    p.require_role(&[Role::Admin, Role::Seller])?;
    p.require_scope(scope)
}

fn endpoint_not_found() -> Error {
    Error::not_found("webhook_endpoint_not_found", "No such webhook endpoint among the caller's.")
}

fn delivery_not_found() -> Error {
    Error::not_found("webhook_delivery_not_found", "No such webhook delivery among the caller's.")
}

/// The stored subscription list; written by this context from checked input.
fn patterns_of(row: &EndpointRow) -> Vec<String> {
    serde_json::from_str(&row.event_types).unwrap_or_default()
}

fn endpoint_dto(row: &EndpointRow) -> EndpointDto {
    EndpointDto {
        id: row.id.clone(),
        owner_id: row.owner_id.clone(),
        owner_role: row.owner_role.clone(),
        url: row.url.clone(),
        description: row.description.clone(),
        event_types: patterns_of(row),
        enabled: row.enabled,
        created_at: Timestamp::from_micros(row.created_at),
        updated_at: Timestamp::from_micros(row.updated_at),
    }
}

fn delivery_dto(row: &DeliveryRow) -> DeliveryDto {
    DeliveryDto {
        id: row.id.clone(),
        endpoint_id: row.endpoint_id.clone(),
        event_id: row.event_id.clone(),
        event_type: row.event_type.clone(),
        state: crate::domain::DeliveryState::parse(&row.state).unwrap_or(crate::domain::DeliveryState::Pending),
        attempt_count: row.attempts,
        next_attempt_at: (row.state == "pending").then(|| Timestamp::from_micros(row.next_attempt_at)),
        last_status: row.last_status,
        last_error: row.last_error.clone(),
        created_at: Timestamp::from_micros(row.created_at),
        delivered_at: row.delivered_at.map(Timestamp::from_micros),
    }
}

fn attempt_dto(row: AttemptRow) -> AttemptDto {
    AttemptDto {
        number: row.number,
        at: Timestamp::from_micros(row.at),
        status_code: row.status_code,
        error: row.error,
        duration_ms: row.duration_ms,
        response_excerpt: row.response_excerpt,
    }
}
