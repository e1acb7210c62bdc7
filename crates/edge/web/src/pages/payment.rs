//! Finishing a payment the bank wants confirmed (3-D Secure) from the order page: the order
//! waits for payment, the page offers the bank's challenge (Stripe.js's own, or the sandbox's
//! button), and the server then asks the provider for its decision and carries the checkout
//! on. A customer confirms their own order's payment; a guest the one this browser placed.

use super::orders::order_view;
use crate::Storefront;
use crate::render::{Problems, failure, see_other};
use crate::session::Shopper;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use kernel::ErrorKind;
use orders::domain::OrderState;
use orders::dto::OrderDto;
use payments::api::PaymentState;
use std::sync::Arc;

/// The challenge an order page offers.
pub struct ActionView {
    /// Where the form posts once the challenge is done.
    pub url: String,
    /// The provider's script and key, and the payment's client secret (Stripe); empty for the
    /// sandbox, whose challenge is the button itself.
    pub script_url: String,
    pub script_origin: String,
    pub key: String,
    pub secret: String,
}

/// The challenge for `o`, when its payment waits for the customer and this page may finish it.
pub fn action_view(shop: &Storefront, o: &OrderDto, guest: bool) -> Option<ActionView> {
    let payment = o.payment.as_ref().filter(|p| p.state == "requires_action")?;
    if o.state != OrderState::PaymentPending {
        return None;
    }
    let url = if guest { "/orders/placed/payment".to_owned() } else { format!("/orders/{}/payment", o.id) };
    let next = payment.next_action.as_ref()?;
    match next.get("type").and_then(|t| t.as_str()) {
        Some("sandbox_challenge") => Some(ActionView {
            url,
            script_url: String::new(),
            script_origin: String::new(),
            key: String::new(),
            secret: String::new(),
        }),
        Some("stripe") => {
            let script = shop.payments.card_script()?;
            let secret = next.get("client_secret").and_then(|s| s.as_str())?;
            Some(ActionView {
                url,
                script_url: script.script_url.clone(),
                script_origin: script.script_origin.clone(),
                key: script.publishable_key.clone(),
                secret: secret.to_owned(),
            })
        }
        _ => None,
    }
}

/// A signed-in customer's order: its payment's challenge is done.
pub async fn payment_confirm(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return super::account::to_login(&format!("/orders/{id}"));
    };
    match shop.orders.order_get(&p, &id).await {
        Ok(order) => finish(&shop, &shopper, order, false).await,
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

/// The order this browser placed as a guest (the signed note checkout left).
pub async fn placed_payment_confirm(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    headers: HeaderMap,
) -> Response {
    match super::orders::placed_order(&shop, &headers).await {
        Some(Ok(order)) => finish(&shop, &shopper, order, true).await,
        Some(Err(e)) => failure(&shop, Some(&shopper), e),
        None => see_other("/orders/lookup"),
    }
}

async fn finish(shop: &Storefront, shopper: &Shopper, order: OrderDto, guest: bool) -> Response {
    let back = if guest { "/orders/placed".to_owned() } else { format!("/orders/{}", order.id) };
    let Some(payment) = order.payment.as_ref().filter(|p| p.state == "requires_action") else {
        // Already decided (a second click, another tab): the order page says how it went.
        return see_other(&back);
    };
    match shop.payments.payment_confirm_for(&payment.id, &order.customer_id).await {
        Ok(p) if matches!(p.state, PaymentState::Authorized | PaymentState::Captured | PaymentState::Failed) => {
            if let Err(e) = shop.orders.checkout_continue(&order.id).await {
                // The sweeper carries it on in a moment; the page shows where it stands.
                tracing::warn!(order = %order.id, error = %e, "checkout not carried on after the payment's action");
            }
            see_other(&back)
        }
        Ok(_) => {
            let p = Problems::general("Your bank has not confirmed the payment yet. Try the confirmation again.");
            order_view(shop, shopper, &order, false, guest, p, StatusCode::PAYMENT_REQUIRED).await
        }
        Err(e) if e.kind == ErrorKind::Conflict => see_other(&back),
        Err(e) if e.kind == ErrorKind::Unavailable => {
            order_view(shop, shopper, &order, false, guest, Problems::from_error(&e), e.status()).await
        }
        Err(e) => failure(shop, Some(shopper), e),
    }
}
