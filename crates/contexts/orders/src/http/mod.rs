//! HTTP face of orders: checkout and orders ([`orders`]), sellers' parts of orders
//! ([`fulfilments`]) and returns ([`returns`]).

mod fulfilments;
mod live;
pub use live::order_events;
mod orders;
mod returns;

use crate::service::{Caller, OrdersService};
use axum::extract::State;
use axum::http::HeaderMap;
use fulfilments::*;
use kernel::auth::Principal;
use kernel::{Error, Result};
use live::*;
use orders::*;
use returns::*;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<OrdersService>>;

/// The orders' API routes, to nest under `/api/v1`.
pub fn router(service: Arc<OrdersService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(checkout_create))
        .routes(routes!(checkout_quote))
        .routes(routes!(order_create, order_list))
        .routes(routes!(order_get))
        .routes(routes!(order_cancel))
        .routes(routes!(order_events))
        .routes(routes!(order_live))
        .routes(routes!(order_lookup))
        .routes(routes!(fulfilment_list))
        .routes(routes!(fulfilment_get))
        .routes(routes!(fulfilment_move))
        .routes(routes!(fulfilment_ship))
        .routes(routes!(fulfilment_label))
        .routes(routes!(return_request))
        .routes(routes!(return_list))
        .routes(routes!(return_get))
        .routes(routes!(return_approve))
        .routes(routes!(return_reject))
        .routes(routes!(return_receive))
        .with_state(service)
}

fn caller(p: &Option<Principal>, headers: &HeaderMap) -> Caller {
    let token = headers.get(&cart::CART_TOKEN).and_then(|v| v.to_str().ok()).map(str::trim).filter(|t| !t.is_empty());
    Caller { customer_id: p.as_ref().map(|p| p.user_id.clone()), token: token.map(str::to_owned) }
}

/// The body, refused whole (422 `card_number_refused`, nothing kept) when any field holds
/// something shaped like a card number: only the provider's tokens are taken.
fn guarded<T: DeserializeOwned>(body: serde_json::Value) -> Result<T> {
    if payments::domain::json_has_card_number(&body) {
        return Err(Error::new(
            kernel::ErrorKind::Invalid,
            "card_number_refused",
            "The body holds what looks like a card number; send the provider's token instead.",
        ));
    }
    kernel::json::parse(&serde_json::to_vec(&body).map_err(Error::internal)?)
}

fn idempotency_key(headers: &HeaderMap) -> Result<String> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| Error::bad_request("idempotency_key_missing", "This route needs an `Idempotency-Key` header."))
}
