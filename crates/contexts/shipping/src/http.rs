//! HTTP face of shipping: zones and methods for admins, and the public quote a storefront
//! shows rates with.

use crate::ShippingService;
use crate::dto::*;
use crate::service::TrackingOutcome;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use kernel::auth::Admin;
use kernel::body::Body;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::query::Query;
use kernel::{Error, ErrorKind, Result};
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<ShippingService>>;

/// The shipping API's routes, to nest under `/api/v1`.
pub fn router(service: Arc<ShippingService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(zone_list, zone_create))
        .routes(routes!(zone_get, zone_update, zone_delete))
        .routes(routes!(method_create))
        .routes(routes!(method_update, method_delete))
        .routes(routes!(shipping_options))
        .routes(routes!(tracking_webhook))
        .with_state(service)
}

/// Every shipping zone, oldest first, with its methods (admin).
#[utoipa::path(get, path = "/shipping/zones", tag = "shipping",
    security(("bearer" = ["shipping:write"]), ("api_key" = ["shipping:write"])),
    responses((status = 200, body = Vec<ZoneDto>), (status = 403, body = Problem)))]
pub async fn zone_list(Admin(p): Admin, State(svc): Svc) -> Result<Json<Vec<ZoneDto>>> {
    Ok(Json(svc.zone_list(&p).await?))
}

/// Create a zone: the countries it serves, some of them only in a few regions (admin). A zone
/// naming a destination's region wins over one serving the whole country.
#[utoipa::path(post, path = "/shipping/zones", tag = "shipping", request_body = ZoneInput,
    security(("bearer" = ["shipping:write"]), ("api_key" = ["shipping:write"])),
    responses((status = 201, body = ZoneDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn zone_create(
    Admin(p): Admin,
    State(svc): Svc,
    Json(body): Json<ZoneInput>,
) -> Result<(StatusCode, Json<ZoneDto>)> {
    Ok((StatusCode::CREATED, Json(svc.zone_create(&p, body).await?)))
}

/// One zone with its methods (admin).
#[utoipa::path(get, path = "/shipping/zones/{id}", tag = "shipping", params(("id" = String, Path)),
    security(("bearer" = ["shipping:write"]), ("api_key" = ["shipping:write"])),
    responses((status = 200, body = ZoneDto), (status = 404, description = "`zone_not_found`", body = Problem)))]
pub async fn zone_get(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<Json<ZoneDto>> {
    Ok(Json(svc.zone_get(&p, &id).await?))
}

/// Change a zone's name or what it serves; fields left out stay (admin).
#[utoipa::path(patch, path = "/shipping/zones/{id}", tag = "shipping", request_body = ZoneUpdate,
    params(("id" = String, Path)), security(("bearer" = ["shipping:write"]), ("api_key" = ["shipping:write"])),
    responses((status = 200, body = ZoneDto), (status = 404, description = "`zone_not_found`", body = Problem),
    (status = 422, body = Problem)))]
pub async fn zone_update(
    Admin(p): Admin,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<ZoneUpdate>,
) -> Result<Json<ZoneDto>> {
    Ok(Json(svc.zone_update(&p, &id, body).await?))
}

/// Delete a zone and its methods (admin).
#[utoipa::path(delete, path = "/shipping/zones/{id}", tag = "shipping", params(("id" = String, Path)),
    security(("bearer" = ["shipping:write"]), ("api_key" = ["shipping:write"])),
    responses((status = 204, description = "Deleted"), (status = 404, description = "`zone_not_found`", body = Problem)))]
pub async fn zone_delete(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<StatusCode> {
    svc.zone_delete(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a shipping method to a zone: its code, rate table, free-shipping threshold and
/// delivery estimate (admin).
#[utoipa::path(post, path = "/shipping/zones/{id}/methods", tag = "shipping", request_body = ShippingMethodInput,
    params(("id" = String, Path)), security(("bearer" = ["shipping:write"]), ("api_key" = ["shipping:write"])),
    responses((status = 201, body = ShippingMethodDto), (status = 404, description = "`zone_not_found`", body = Problem),
    (status = 409, description = "`method_code_taken`", body = Problem), (status = 422, body = Problem)))]
pub async fn method_create(
    Admin(p): Admin,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<ShippingMethodInput>,
) -> Result<(StatusCode, Json<ShippingMethodDto>)> {
    Ok((StatusCode::CREATED, Json(svc.method_create(&p, &id, body).await?)))
}

/// Change a shipping method; fields left out stay, `free_over: null` removes the threshold
/// (admin).
#[utoipa::path(patch, path = "/shipping/methods/{id}", tag = "shipping", request_body = ShippingMethodUpdate,
    params(("id" = String, Path)), security(("bearer" = ["shipping:write"]), ("api_key" = ["shipping:write"])),
    responses((status = 200, body = ShippingMethodDto), (status = 404, description = "`method_not_found`", body = Problem),
    (status = 409, description = "`method_code_taken`", body = Problem), (status = 422, body = Problem)))]
pub async fn method_update(
    Admin(p): Admin,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<ShippingMethodUpdate>,
) -> Result<Json<ShippingMethodDto>> {
    Ok(Json(svc.method_update(&p, &id, body).await?))
}

/// Delete a shipping method (admin).
#[utoipa::path(delete, path = "/shipping/methods/{id}", tag = "shipping", params(("id" = String, Path)),
    security(("bearer" = ["shipping:write"]), ("api_key" = ["shipping:write"])),
    responses((status = 204, description = "Deleted"), (status = 404, description = "`method_not_found`", body = Problem)))]
pub async fn method_delete(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<StatusCode> {
    svc.method_delete(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The shipping options to a destination, cheapest first, each priced per seller's parcel.
#[utoipa::path(post, path = "/shipping/quotes", tag = "shipping", request_body = ShippingQuoteInput,
    responses((status = 200, body = ShippingQuoteDto),
    (status = 422, description = "`destination_not_served`, `invalid_destination`", body = Problem)))]
pub async fn shipping_options(State(svc): Svc, Json(body): Json<ShippingQuoteInput>) -> Result<Json<ShippingQuoteDto>> {
    Ok(Json(svc.shipping_options_public(body).await?))
}

/// The largest tracking delivery taken: Shippo's carries the parcel's whole history.
const WEBHOOK_LIMIT: usize = 256 * 1024;

/// A carrier's tracking update. `{provider}` is `builtin` (this platform's format) or
/// `shippo` (Shippo's `track_updated` event); its secret, set under `[shipping.webhooks]`,
/// comes as `X-Webhook-Secret: <secret>` or `?token=<secret>`. Each provider event id is
/// recorded once and published as `shipping.tracking_updated`; a repeat answers
/// `duplicate: true` and changes nothing.
#[utoipa::path(post, path = "/webhooks/shipping/{provider}", tag = "shipping",
    params(("provider" = String, Path, description = "`builtin` or `shippo`"),
        ("X-Webhook-Secret" = Option<String>, Header, description = "The provider's secret (or `?token=`)"),
        TrackingWebhookQuery),
    request_body(content = serde_json::Value, content_type = "application/json",
        description = "A tracking event in the provider's format"),
    responses((status = 200, body = TrackingAck),
    (status = 401, description = "`tracking_webhook_unauthorized`", body = Problem),
    (status = 404, description = "`tracking_webhook_not_configured`", body = Problem),
    (status = 413, body = Problem),
    (status = 422, description = "`tracking_payload_invalid`", body = Problem)))]
pub async fn tracking_webhook(
    State(svc): Svc,
    Path(provider): Path<String>,
    Query(query): Query<TrackingWebhookQuery>,
    headers: HeaderMap,
    Body(body): Body,
) -> Result<Json<TrackingAck>> {
    if body.len() > WEBHOOK_LIMIT {
        return Err(Error::new(ErrorKind::PayloadTooLarge, "payload_too_large", "The event is too large."));
    }
    let secret = presented(&headers).or(query.token.as_deref());
    let outcome = svc.tracking_webhook(&provider, secret, &body).await?;
    Ok(Json(TrackingAck {
        duplicate: outcome == TrackingOutcome::Duplicate,
        ignored: outcome == TrackingOutcome::Ignored,
    }))
}

/// The header a delivery names its secret in. Not `Authorization`: the access layer treats
/// that as a login (and removes it from routes that take none), and a secret is not one.
const SECRET_HEADER: &str = "x-webhook-secret";

/// The secret of an `X-Webhook-Secret` header.
fn presented(headers: &HeaderMap) -> Option<&str> {
    headers.get(SECRET_HEADER)?.to_str().ok().map(str::trim).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_read_from_its_header() {
        let with = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(SECRET_HEADER, value.parse().expect("header value"));
            presented(&h).map(str::to_owned)
        };
        assert_eq!(with("s3cret").as_deref(), Some("s3cret"));
        assert_eq!(with("  s3cret ").as_deref(), Some("s3cret"));
        assert_eq!(with(" "), None);
        assert_eq!(presented(&HeaderMap::new()), None);
    }
}
