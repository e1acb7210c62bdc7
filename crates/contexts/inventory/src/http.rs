//! HTTP face of the inventory: thin handlers for sellers (their own stock) and admins (any).

use crate::InventoryService;
use crate::api::{Reservation, ReserveLine, StockReservations};
use crate::dto::*;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::{Admin, Principal};
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;
use kernel::query::Query;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<InventoryService>>;

/// The inventory's API routes, to nest under `/api/v1`.
pub fn router(service: Arc<InventoryService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(location_list, location_create))
        .routes(routes!(location_update))
        .routes(routes!(level_list))
        .routes(routes!(item_get, item_settings_set))
        .routes(routes!(adjustment_list, adjustment_create))
        .routes(routes!(alert_list))
        .routes(routes!(reorder_suggestions))
        .routes(routes!(reservation_create))
        .routes(routes!(reservation_release))
        .routes(routes!(reservation_commit))
        .with_state(service)
}

/// The caller's stock locations (admin: every seller's).
#[utoipa::path(get, path = "/inventory/locations", tag = "inventory", security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])),
    responses((status = 200, body = Vec<LocationDto>), (status = 403, body = Problem)))]
pub async fn location_list(p: Principal, State(svc): Svc) -> Result<Json<Vec<LocationDto>>> {
    Ok(Json(svc.location_list(&p).await?))
}

/// Add a stock location (a warehouse, a shop).
#[utoipa::path(post, path = "/inventory/locations", tag = "inventory", request_body = LocationInput,
    security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])),
    responses((status = 201, body = LocationDto), (status = 409, description = "`location_name_taken`", body = Problem), (status = 422, body = Problem)))]
pub async fn location_create(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<LocationInput>,
) -> Result<(StatusCode, Json<LocationDto>)> {
    Ok((StatusCode::CREATED, Json(svc.location_create(&p, body).await?)))
}

/// Rename a location, or switch it off (its stock is then not sold) and on.
#[utoipa::path(put, path = "/inventory/locations/{id}", tag = "inventory", request_body = LocationInput,
    params(("id" = String, Path)), security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])),
    responses((status = 200, body = LocationDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn location_update(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<LocationInput>,
) -> Result<Json<LocationDto>> {
    Ok(Json(svc.location_update(&p, &id, body).await?))
}

/// Stock levels per SKU and location: on hand, reserved, available.
#[utoipa::path(get, path = "/inventory/levels", tag = "inventory", params(LevelFilter),
    security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])), responses((status = 200, body = Page<LevelDto>), (status = 400, body = Problem)))]
pub async fn level_list(
    p: Principal,
    State(svc): Svc,
    Query(filter): Query<LevelFilter>,
) -> Result<Json<Page<LevelDto>>> {
    Ok(Json(svc.level_list(&p, filter).await?))
}

/// One SKU's stock over all locations, with its low-stock and reorder settings.
#[utoipa::path(get, path = "/inventory/items/{sku}", tag = "inventory", params(("sku" = String, Path)),
    security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])), responses((status = 200, body = ItemDto), (status = 404, body = Problem)))]
pub async fn item_get(p: Principal, State(svc): Svc, Path(sku): Path<String>) -> Result<Json<ItemDto>> {
    Ok(Json(svc.item_get(&p, &sku).await?))
}

/// Set a SKU's low-stock threshold and reorder point and quantity (null turns one off).
#[utoipa::path(put, path = "/inventory/items/{sku}", tag = "inventory", request_body = ItemSettingsInput,
    params(("sku" = String, Path)), security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])),
    responses((status = 200, body = ItemDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn item_settings_set(
    p: Principal,
    State(svc): Svc,
    Path(sku): Path<String>,
    Json(body): Json<ItemSettingsInput>,
) -> Result<Json<ItemDto>> {
    Ok(Json(svc.item_settings_set(&p, &sku, body).await?))
}

/// Record received, returned, damaged or counted stock, with a reason.
#[utoipa::path(post, path = "/inventory/adjustments", tag = "inventory", request_body = AdjustmentInput,
    security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])), responses(
    (status = 201, body = AdjustmentDto), (status = 404, description = "`sku_not_found`, `location_not_found`", body = Problem),
    (status = 409, description = "`stock_negative`, `stock_reserved`", body = Problem), (status = 422, body = Problem)))]
pub async fn adjustment_create(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<AdjustmentInput>,
) -> Result<(StatusCode, Json<AdjustmentDto>)> {
    Ok((StatusCode::CREATED, Json(svc.adjustment_create(&p, body).await?)))
}

/// The history of stock changes, newest first.
#[utoipa::path(get, path = "/inventory/adjustments", tag = "inventory", params(HistoryFilter),
    security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])), responses((status = 200, body = Page<AdjustmentDto>)))]
pub async fn adjustment_list(
    p: Principal,
    State(svc): Svc,
    Query(filter): Query<HistoryFilter>,
) -> Result<Json<Page<AdjustmentDto>>> {
    Ok(Json(svc.adjustment_list(&p, filter).await?))
}

/// Low-stock alerts, newest first (open ones by default).
#[utoipa::path(get, path = "/inventory/alerts", tag = "inventory", params(AlertFilter),
    security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])), responses((status = 200, body = Page<AlertDto>)))]
pub async fn alert_list(
    p: Principal,
    State(svc): Svc,
    Query(filter): Query<AlertFilter>,
) -> Result<Json<Page<AlertDto>>> {
    Ok(Json(svc.alert_list(&p, filter).await?))
}

/// SKUs at or below their reorder point, with how much to order.
#[utoipa::path(get, path = "/inventory/reorder-suggestions", tag = "inventory",
    security(("bearer" = ["inventory:write"]), ("api_key" = ["inventory:write"])), responses((status = 200, body = Vec<ReorderSuggestionDto>)))]
pub async fn reorder_suggestions(p: Principal, State(svc): Svc) -> Result<Json<Vec<ReorderSuggestionDto>>> {
    Ok(Json(svc.reorder_suggestions(&p).await?))
}

fn reservation_dto(r: Reservation) -> ReservationDto {
    ReservationDto {
        id: r.id,
        reference: r.reference,
        state: r.state,
        expires_at: r.expires_at.to_rfc3339(),
        lines: r
            .lines
            .into_iter()
            .map(|l| ReservedLineDto { sku: l.sku, location_id: l.location_id, quantity: l.quantity })
            .collect(),
    }
}

/// Hold stock for every line or none (admin; the orders context calls this in split mode).
#[utoipa::path(post, path = "/inventory/reservations", tag = "inventory", request_body = ReservationInput,
    security(("bearer" = ["reservations:write"]), ("api_key" = ["reservations:write"])), responses(
    (status = 201, body = ReservationDto), (status = 409, description = "`out_of_stock`: `errors` names each short SKU", body = Problem),
    (status = 422, body = Problem)))]
pub async fn reservation_create(
    Admin(admin): Admin,
    State(svc): Svc,
    Json(body): Json<ReservationInput>,
) -> Result<(StatusCode, Json<ReservationDto>)> {
    admin.require_scope(crate::api::RESERVATIONS_WRITE)?;
    let lines: Vec<ReserveLine> =
        body.lines.into_iter().map(|l| ReserveLine { sku: l.sku, quantity: l.quantity }).collect();
    let ttl = body.ttl_secs.map(std::time::Duration::from_secs);
    let r = svc.stock_reserve(&body.reference, &lines, ttl).await?;
    Ok((StatusCode::CREATED, Json(reservation_dto(r))))
}

/// Give a reservation's stock back (admin).
#[utoipa::path(post, path = "/inventory/reservations/{id}/release", tag = "inventory", params(("id" = String, Path)),
    security(("bearer" = ["reservations:write"]), ("api_key" = ["reservations:write"])), responses((status = 200, body = ReservationDto), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reservation_release(
    Admin(admin): Admin,
    State(svc): Svc,
    Path(id): Path<String>,
) -> Result<Json<ReservationDto>> {
    admin.require_scope(crate::api::RESERVATIONS_WRITE)?;
    Ok(Json(reservation_dto(svc.stock_release(&id).await?)))
}

/// Turn a reservation into a sale (admin).
#[utoipa::path(post, path = "/inventory/reservations/{id}/commit", tag = "inventory", params(("id" = String, Path)),
    security(("bearer" = ["reservations:write"]), ("api_key" = ["reservations:write"])), responses((status = 200, body = ReservationDto), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reservation_commit(
    Admin(admin): Admin,
    State(svc): Svc,
    Path(id): Path<String>,
) -> Result<Json<ReservationDto>> {
    admin.require_scope(crate::api::RESERVATIONS_WRITE)?;
    Ok(Json(reservation_dto(svc.stock_commit(&id).await?)))
}
