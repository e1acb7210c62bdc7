//! The webhooks context's contract: its API-key scopes and its error table. It publishes no
//! events and no other context calls it; it only listens (to every event) and sends.

use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;

pub const WEBHOOKS_READ: Scope = Scope::new(
    "webhooks:read",
    Role::Seller,
    "Read the caller's webhook endpoints and their deliveries (admin: everyone's).",
);
pub const WEBHOOKS_WRITE: Scope = Scope::new(
    "webhooks:write",
    Role::Seller,
    "Register, change and delete the caller's webhook endpoints, rotate their secrets and replay deliveries \
     (admin: anyone's).",
);

pub const SCOPES: &[Scope] = &[WEBHOOKS_READ, WEBHOOKS_WRITE];

pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("webhook_endpoint_not_found", NotFound, "No such webhook endpoint among the caller's."),
    ErrorCode::new("webhook_delivery_not_found", NotFound, "No such webhook delivery among the caller's."),
    ErrorCode::new(
        "webhook_url_invalid",
        Invalid,
        "The URL is not an https:// URL with a host (no user or password, at most 2048 characters), or its host \
         does not resolve.",
    ),
    ErrorCode::new(
        "webhook_url_forbidden",
        Invalid,
        "The URL's host is or resolves to an address webhooks may not reach (loopback, private, link-local, \
         shared, multicast, documentation or otherwise reserved).",
    ),
    ErrorCode::new(
        "webhook_event_type_unknown",
        Invalid,
        "An event type is not one the platform publishes (nor a `prefix.*` covering some); `errors` names it.",
    ),
    ErrorCode::new(
        "webhook_event_type_not_allowed",
        Invalid,
        "A seller's endpoint may only subscribe to events that name their seller (fulfilment.*, return.*, \
         order.created, order.confirmed, inventory.low_stock…); `errors` names the one refused.",
    ),
    ErrorCode::new(
        "webhook_endpoint_limit",
        Conflict,
        "The owner has the most webhook endpoints they may keep (`webhooks.max_endpoints_per_owner`).",
    ),
    ErrorCode::new(
        "webhook_delivery_pending",
        Conflict,
        "The delivery is still pending (queued or being retried); only a delivered or failed one is replayed.",
    ),
];
