//! `/webhook-endpoints`: registering, reading, changing and deleting endpoints.

use super::Svc;
use crate::dto::*;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;
use kernel::query::Query;

/// Register an HTTPS endpoint for the event types it wants (admin: any event; seller: only
/// events that name their seller). The answer holds the signing secret, shown only here and
/// when rotated.
#[utoipa::path(post, path = "/webhook-endpoints", tag = "webhooks", request_body = EndpointInput,
    security(("bearer" = ["webhooks:write"]), ("api_key" = ["webhooks:write"])),
    responses((status = 201, body = EndpointWithSecret), (status = 403, body = Problem),
    (status = 409, description = "`webhook_endpoint_limit`", body = Problem),
    (status = 422, description = "`webhook_url_invalid`, `webhook_url_forbidden`, `webhook_event_type_unknown`, \
        `webhook_event_type_not_allowed`", body = Problem)))]
pub async fn endpoint_create(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<EndpointInput>,
) -> Result<(StatusCode, Json<EndpointWithSecret>)> {
    Ok((StatusCode::CREATED, Json(svc.endpoint_create(&p, body).await?)))
}

/// The caller's endpoints, newest first; an admin sees everyone's and may filter by owner.
#[utoipa::path(get, path = "/webhook-endpoints", tag = "webhooks", params(EndpointQuery),
    security(("bearer" = ["webhooks:read"]), ("api_key" = ["webhooks:read"])),
    responses((status = 200, body = Page<EndpointDto>), (status = 403, body = Problem)))]
pub async fn endpoint_list(
    p: Principal,
    State(svc): Svc,
    Query(q): Query<EndpointQuery>,
) -> Result<Json<Page<EndpointDto>>> {
    Ok(Json(svc.endpoint_list(&p, q).await?))
}

/// One endpoint (without its secret).
#[utoipa::path(get, path = "/webhook-endpoints/{id}", tag = "webhooks", params(("id" = String, Path)),
    security(("bearer" = ["webhooks:read"]), ("api_key" = ["webhooks:read"])),
    responses((status = 200, body = EndpointDto),
    (status = 404, description = "`webhook_endpoint_not_found`", body = Problem)))]
pub async fn endpoint_get(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<EndpointDto>> {
    Ok(Json(svc.endpoint_get(&p, &id).await?))
}

/// Change an endpoint's URL, event types, description or whether it is enabled; fields left
/// out stay. A disabled endpoint gets no new deliveries and its pending ones wait.
#[utoipa::path(patch, path = "/webhook-endpoints/{id}", tag = "webhooks", request_body = EndpointUpdate,
    params(("id" = String, Path)), security(("bearer" = ["webhooks:write"]), ("api_key" = ["webhooks:write"])),
    responses((status = 200, body = EndpointDto),
    (status = 404, description = "`webhook_endpoint_not_found`", body = Problem),
    (status = 422, description = "`webhook_url_invalid`, `webhook_url_forbidden`, `webhook_event_type_unknown`, \
        `webhook_event_type_not_allowed`", body = Problem)))]
pub async fn endpoint_update(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<EndpointUpdate>,
) -> Result<Json<EndpointDto>> {
    Ok(Json(svc.endpoint_update(&p, &id, body).await?))
}

/// Delete an endpoint with its deliveries and their attempts.
#[utoipa::path(delete, path = "/webhook-endpoints/{id}", tag = "webhooks", params(("id" = String, Path)),
    security(("bearer" = ["webhooks:write"]), ("api_key" = ["webhooks:write"])),
    responses((status = 204, description = "Deleted"),
    (status = 404, description = "`webhook_endpoint_not_found`", body = Problem)))]
pub async fn endpoint_delete(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<StatusCode> {
    svc.endpoint_delete(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replace the endpoint's signing secret; deliveries from now on are signed with the new one
/// alone. The answer holds it, shown only here.
#[utoipa::path(post, path = "/webhook-endpoints/{id}/secret", tag = "webhooks", params(("id" = String, Path)),
    security(("bearer" = ["webhooks:write"]), ("api_key" = ["webhooks:write"])),
    responses((status = 200, body = EndpointWithSecret),
    (status = 404, description = "`webhook_endpoint_not_found`", body = Problem)))]
pub async fn endpoint_secret_rotate(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
) -> Result<Json<EndpointWithSecret>> {
    Ok(Json(svc.endpoint_secret_rotate(&p, &id).await?))
}
