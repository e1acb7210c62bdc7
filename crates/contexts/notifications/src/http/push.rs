//! Push subscriptions over HTTP: the key a browser subscribes with, then its subscription
//! kept, listed and removed.

use super::Svc;
use crate::dto::{PushKeyDto, PushSubscriptionDto, PushSubscriptionInput};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;

/// The shop's VAPID public key, for `pushManager.subscribe({applicationServerKey})`.
#[utoipa::path(get, path = "/notifications/push/key", tag = "notifications",
    responses((status = 200, body = PushKeyDto)))]
pub async fn push_key(State(svc): Svc) -> Json<PushKeyDto> {
    Json(svc.push_key())
}

/// Keep a browser's subscription (its `PushSubscription.toJSON()`) so the caller's messages
/// also go to it. The same endpoint again replaces the one before.
#[utoipa::path(post, path = "/notifications/push/subscriptions", tag = "notifications",
    request_body = PushSubscriptionInput,
    security(("bearer" = ["notifications:write"]), ("api_key" = ["notifications:write"])),
    responses((status = 201, body = PushSubscriptionDto),
    (status = 409, description = "`push_subscription_limit`", body = Problem),
    (status = 422, description = "`push_endpoint_invalid`, `push_endpoint_forbidden`, `push_keys_invalid`", body = Problem)))]
pub async fn push_subscribe(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<PushSubscriptionInput>,
) -> Result<(StatusCode, Json<PushSubscriptionDto>)> {
    Ok((StatusCode::CREATED, Json(svc.push_subscribe(&p, body).await?)))
}

/// The caller's subscribed browsers.
#[utoipa::path(get, path = "/notifications/push/subscriptions", tag = "notifications",
    security(("bearer" = ["notifications:read"]), ("api_key" = ["notifications:read"])),
    responses((status = 200, body = Vec<PushSubscriptionDto>)))]
pub async fn push_subscription_list(p: Principal, State(svc): Svc) -> Result<Json<Vec<PushSubscriptionDto>>> {
    Ok(Json(svc.push_subscription_list(&p).await?))
}

/// Stop pushing to a browser.
#[utoipa::path(delete, path = "/notifications/push/subscriptions/{id}", tag = "notifications",
    params(("id" = String, Path)),
    security(("bearer" = ["notifications:write"]), ("api_key" = ["notifications:write"])),
    responses((status = 204), (status = 404, description = "`push_subscription_not_found`", body = Problem)))]
pub async fn push_subscription_delete(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<StatusCode> {
    svc.push_subscription_delete(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
