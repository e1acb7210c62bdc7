//! HTTP face of the cart. A guest is known by the `X-Cart-Token` header the first add hands
//! out; a signed-in customer by their token, and a guest token sent along merges that cart in.

use crate::dto::{CartDto, CodeInput, LineAddInput, LineUpdateInput};
use crate::service::{Caller, CartService};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<CartService>>;

pub const CART_TOKEN: HeaderName = HeaderName::from_static("x-cart-token");

/// The cart's API routes, to nest under `/api/v1`.
pub fn router(service: Arc<CartService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(cart_get, cart_clear))
        .routes(routes!(cart_add))
        .routes(routes!(line_update, line_remove))
        .routes(routes!(code_apply))
        .routes(routes!(code_remove))
        .with_state(service)
}

fn caller(p: Option<Principal>, headers: &HeaderMap) -> Caller {
    let token = headers.get(&CART_TOKEN).and_then(|v| v.to_str().ok()).map(str::trim).filter(|t| !t.is_empty());
    Caller { customer_id: p.map(|p| p.user_id), token: token.map(str::to_owned) }
}

/// Answers the cart, with the new guest token also as a header when one was just made.
fn answer(cart: CartDto) -> Response {
    let token = cart.token.as_deref().and_then(|t| HeaderValue::from_str(t).ok());
    let mut response = Json(cart).into_response();
    if let Some(t) = token {
        response.headers_mut().insert(CART_TOKEN, t);
    }
    response
}

/// The cart with current prices, discounts, estimates and the total checkout will charge.
#[utoipa::path(get, path = "/cart", tag = "cart", security((), ("bearer" = ["cart:write"]), ("api_key" = ["cart:write"])), params(("X-Cart-Token" = Option<String>, Header)),
    responses((status = 200, body = CartDto), (status = 404, description = "`cart_not_found`", body = Problem)))]
pub async fn cart_get(p: Option<Principal>, State(svc): Svc, headers: HeaderMap) -> Result<Response> {
    Ok(answer(svc.cart_get(&caller(p, &headers)).await?))
}

/// Add a variant (a new cart is made for a guest without a token; its token comes back once).
#[utoipa::path(post, path = "/cart/add", tag = "cart", security((), ("bearer" = ["cart:write"]), ("api_key" = ["cart:write"])), request_body = LineAddInput, params(("X-Cart-Token" = Option<String>, Header)),
    responses((status = 200, body = CartDto), (status = 404, body = Problem),
        (status = 409, description = "`insufficient_stock`", body = Problem),
        (status = 422, description = "`invalid_quantity`, `quantity_too_large`, `unknown_variant`, `variant_unavailable`, `cart_full`", body = Problem)))]
pub async fn cart_add(
    p: Option<Principal>,
    State(svc): Svc,
    headers: HeaderMap,
    Json(body): Json<LineAddInput>,
) -> Result<Response> {
    Ok(answer(svc.line_add(&caller(p, &headers), &body.variant_id, &body.quantity).await?))
}

/// Set a line's quantity.
#[utoipa::path(put, path = "/cart/lines/{variant_id}", tag = "cart", security((), ("bearer" = ["cart:write"]), ("api_key" = ["cart:write"])), request_body = LineUpdateInput,
    params(("variant_id" = String, Path), ("X-Cart-Token" = Option<String>, Header)),
    responses((status = 200, body = CartDto), (status = 404, description = "`line_not_found`", body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn line_update(
    p: Option<Principal>,
    State(svc): Svc,
    headers: HeaderMap,
    Path(variant_id): Path<String>,
    Json(body): Json<LineUpdateInput>,
) -> Result<Response> {
    Ok(answer(svc.line_update(&caller(p, &headers), &variant_id, &body.quantity).await?))
}

/// Remove a line.
#[utoipa::path(delete, path = "/cart/lines/{variant_id}", tag = "cart", security((), ("bearer" = ["cart:write"]), ("api_key" = ["cart:write"])),
    params(("variant_id" = String, Path), ("X-Cart-Token" = Option<String>, Header)),
    responses((status = 200, body = CartDto), (status = 404, body = Problem)))]
pub async fn line_remove(
    p: Option<Principal>,
    State(svc): Svc,
    headers: HeaderMap,
    Path(variant_id): Path<String>,
) -> Result<Response> {
    Ok(answer(svc.line_remove(&caller(p, &headers), &variant_id).await?))
}

/// Empty the cart.
#[utoipa::path(delete, path = "/cart", tag = "cart", security((), ("bearer" = ["cart:write"]), ("api_key" = ["cart:write"])), params(("X-Cart-Token" = Option<String>, Header)),
    responses((status = 200, body = CartDto), (status = 404, body = Problem)))]
pub async fn cart_clear(p: Option<Principal>, State(svc): Svc, headers: HeaderMap) -> Result<Response> {
    Ok(answer(svc.cart_clear(&caller(p, &headers)).await?))
}

/// Apply a discount code; refused with the precise reason when it would take nothing off.
#[utoipa::path(post, path = "/cart/codes", tag = "cart", security((), ("bearer" = ["cart:write"]), ("api_key" = ["cart:write"])), request_body = CodeInput, params(("X-Cart-Token" = Option<String>, Header)),
    responses((status = 200, body = CartDto), (status = 404, body = Problem),
        (status = 422, description = "`code_unknown`, `code_expired`, `code_not_started`, `code_exhausted`, `code_min_subtotal`, `code_not_applicable`, `code_limit`...", body = Problem)))]
pub async fn code_apply(
    p: Option<Principal>,
    State(svc): Svc,
    headers: HeaderMap,
    Json(body): Json<CodeInput>,
) -> Result<Response> {
    Ok(answer(svc.code_apply(&caller(p, &headers), &body.code).await?))
}

/// Remove a discount code.
#[utoipa::path(delete, path = "/cart/codes/{code}", tag = "cart", security((), ("bearer" = ["cart:write"]), ("api_key" = ["cart:write"])), params(("code" = String, Path), ("X-Cart-Token" = Option<String>, Header)),
    responses((status = 200, body = CartDto), (status = 404, body = Problem)))]
pub async fn code_remove(
    p: Option<Principal>,
    State(svc): Svc,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response> {
    Ok(answer(svc.code_remove(&caller(p, &headers), &code).await?))
}
