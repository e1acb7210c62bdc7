//! Checkout in two pages: the address (and a guest's e-mail), then the review with the
//! shipping methods, each with the total it makes, and the way to pay. Placing the order sends
//! the total the customer saw and a key made when the review was shown, so a second click or a
//! reload answers the same order and a price that moved is shown, never charged.
//!
//! Payment: the sandbox's test methods, or the provider's own card field (Stripe Elements),
//! which hands the page a payment-method token. No card number ever reaches these pages, their
//! scripts or the server.

use super::address::{AddressForm, CountryOption};
use super::cart_count;
use crate::Storefront;
use crate::render::{Layout, Problems, failure, html, html_with_policy, provider_policy, see_other};
use crate::session::{Form, Shopper};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::Response;
use kernel::ErrorKind;
use orders::dto::OrderDto;
use orders::{CheckoutRequest, QuoteRequest};
use std::sync::Arc;

/// The sandbox's test methods a shopper may pick (the others are for failures a shopper does
/// not choose: a provider down, a refused capture).
const SANDBOX_METHODS: &[(&str, &str)] = &[
    ("tok_sandbox_ok", "Test card: approved"),
    ("tok_sandbox_declined", "Test card: declined"),
    ("tok_sandbox_insufficient_funds", "Test card: insufficient funds"),
    ("tok_sandbox_3ds", "Test card: the bank asks to confirm (3-D Secure)"),
];

#[derive(Template)]
#[template(path = "checkout.html")]
struct AddressStep {
    layout: Layout,
    guest: bool,
    saved: Vec<super::address::SavedAddress>,
    email: String,
    addr: AddressForm,
    countries: Vec<CountryOption>,
    problems: Problems,
    address_legend: &'static str,
}

pub struct MethodView {
    pub code: String,
    pub label: String,
    pub total: i64,
    pub total_text: String,
    pub checked: bool,
}

pub struct PayView {
    pub token: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewStep {
    layout: Layout,
    email: String,
    addr: AddressForm,
    address_summary: String,
    methods: Vec<MethodView>,
    pays: Vec<PayView>,
    /// The provider's card field, in place of the sandbox's methods.
    card: Option<payments::CardField>,
    pay_js: String,
    lines: Vec<(String, String)>,
    key: String,
    problems: Problems,
}

/// A payment-method token as the provider's field makes it (`pm_…`).
fn card_token(token: &str) -> bool {
    token.starts_with("pm_") && token.len() <= 255 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The page for a shop whose provider takes cards only through a field the pages cannot show
/// (Stripe without its publishable key; PayPal); what to set is the operator's to read.
fn cards_unavailable(shop: &Storefront, shopper: &Shopper) -> Response {
    tracing::warn!(
        provider = shop.payment_provider,
        "the storefront cannot take payments: it needs Stripe with payments.stripe.publishable_key, or the sandbox"
    );
    crate::render::error_page(
        shop,
        Some(shopper),
        StatusCode::SERVICE_UNAVAILABLE,
        "Payment is not available here",
        "This shop cannot take payments on its pages right now. Your cart is kept; please try again later.",
    )
}

pub async fn checkout_page(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    let cart = match shop.cart.cart_get(&shopper.cart_caller()).await {
        Ok(c) => c,
        Err(e) if e.kind == ErrorKind::NotFound => return see_other("/cart"),
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    if cart.lines.is_empty() || !cart.purchasable {
        return see_other("/cart");
    }
    let addr = AddressForm { country: shop.default_country.clone(), ..AddressForm::default() };
    address_step(&shop, &shopper, addr, String::new(), Problems::default(), StatusCode::OK).await
}

/// A signed-in customer's saved addresses, the default first.
async fn saved_addresses(shop: &Storefront, shopper: &Shopper) -> Vec<users::dto::AddressDto> {
    let Some(p) = &shopper.principal else { return Vec::new() };
    let mut saved = shop.users.address_list(p).await.unwrap_or_default();
    saved.sort_by_key(|a| !a.is_default_shipping);
    saved
}

async fn address_step(
    shop: &Storefront,
    shopper: &Shopper,
    addr: AddressForm,
    email: String,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let mut layout = Layout::new(shop, Some(shopper), "Checkout");
    layout.noindex = true;
    layout.cart_count = cart_count(shop, shopper).await;
    let saved = saved_addresses(shop, shopper)
        .await
        .iter()
        .map(|a| super::address::SavedAddress {
            id: a.id.clone(),
            summary: AddressForm::from_saved(a).summary(),
            default: a.is_default_shipping,
        })
        .collect();
    let page = AddressStep {
        layout,
        guest: shopper.principal.is_none(),
        saved,
        email,
        countries: addr.countries(),
        addr,
        problems,
        address_legend: "Delivery address",
    };
    html(status, page.render())
}

fn refusable(e: &kernel::Error) -> bool {
    matches!(e.kind, ErrorKind::Invalid | ErrorKind::BadRequest | ErrorKind::Conflict | ErrorKind::PaymentRequired)
}

/// The address given: the methods that serve it, each with the total it makes.
pub async fn review(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let chosen = form.get("saved");
    let saved = if chosen.is_empty() {
        None
    } else {
        saved_addresses(&shop, &shopper).await.into_iter().find(|a| a.id == chosen)
    };
    let addr = saved.as_ref().map_or_else(|| AddressForm::read(&form), AddressForm::from_saved);
    let email = form.get("email").to_owned();
    review_step(&shop, &shopper, addr, email, None, None, Problems::default(), StatusCode::OK).await
}

#[allow(clippy::too_many_arguments)]
async fn review_step(
    shop: &Storefront,
    shopper: &Shopper,
    addr: AddressForm,
    email: String,
    method: Option<&str>,
    pay: Option<&str>,
    problems: Problems,
    status: StatusCode,
) -> Response {
    if shopper.principal.is_none() && !email_shaped(&email) {
        let p = Problems::field("email", "Give the e-mail address for your confirmation.");
        return address_step(shop, shopper, addr, email, p, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let caller = shopper.cart_caller();
    let quote = QuoteRequest { caller: caller.clone(), address: addr.to_order(), shipping_method: None };
    let options = match shop.orders.checkout_quote(quote).await {
        Ok(q) if q.shipping_options.is_empty() => {
            let p = Problems::field("country", "We do not deliver to this address yet.");
            return address_step(shop, shopper, addr, email, p, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Ok(q) if !q.problems.is_empty() => return see_other("/cart"),
        Ok(q) => q.shipping_options,
        Err(e) if refusable(&e) => {
            return address_step(shop, shopper, addr, email, Problems::from_error(&e), e.status()).await;
        }
        Err(e) => return failure(shop, Some(shopper), e),
    };
    let mut methods = Vec::new();
    for o in &options {
        let quote =
            QuoteRequest { caller: caller.clone(), address: addr.to_order(), shipping_method: Some(o.code.clone()) };
        let totals = match shop.orders.checkout_quote(quote).await {
            Ok(q) => q.totals,
            Err(e) => return failure(shop, Some(shopper), e),
        };
        let Some(t) = totals else { continue };
        let money = |v| shop.locale.money(v, &t.currency);
        let price = if o.amount == 0 { "free".to_owned() } else { money(o.amount) };
        let days = if o.min_days == o.max_days {
            format!("{} days", o.max_days)
        } else {
            format!("{}–{} days", o.min_days, o.max_days)
        };
        methods.push(MethodView {
            label: format!("{} ({days}): {price}; total {}", o.name, money(t.total)),
            code: o.code.clone(),
            total: t.total,
            total_text: money(t.total),
            checked: false,
        });
    }
    let chosen = method.and_then(|m| methods.iter().position(|v| v.code == m)).unwrap_or(0);
    if let Some(m) = methods.get_mut(chosen) {
        m.checked = true;
    }
    let pay = pay.unwrap_or(SANDBOX_METHODS[0].0);
    let cart = match shop.cart.cart_get(&caller).await {
        Ok(c) => c,
        Err(e) => return failure(shop, Some(shopper), e),
    };
    let key = crate::session::random_key();
    let card = if shop.payment_provider == "sandbox" {
        None
    } else {
        match shop.payments.card_field(&format!("setup-{key}")).await {
            Ok(Some(field)) => Some(field),
            Ok(None) => return cards_unavailable(shop, shopper),
            Err(e) => return failure(shop, Some(shopper), e),
        }
    };
    let mut layout = Layout::new(shop, Some(shopper), "Review and pay");
    layout.noindex = true;
    layout.cart_count = cart.item_count;
    let page = ReviewStep {
        layout,
        email,
        address_summary: addr.summary(),
        addr,
        methods,
        pays: match card {
            Some(_) => Vec::new(),
            None => {
                SANDBOX_METHODS.iter().map(|(token, label)| PayView { token, label, checked: *token == pay }).collect()
            }
        },
        pay_js: crate::assets::url("pay.js"),
        lines: cart
            .lines
            .iter()
            .map(|l| {
                let title = format!("{} × {}", l.quantity, l.title.clone().unwrap_or_default());
                (title, shop.locale.money(l.total, &cart.currency))
            })
            .collect(),
        key,
        problems,
        card,
    };
    match &page.card {
        Some(card) => html_with_policy(status, page.render(), provider_policy(&card.script_origin)),
        None => html(status, page.render()),
    }
}

fn email_shaped(email: &str) -> bool {
    email.len() <= 254 && email.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
}

pub async fn place(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let sandbox = shop.payment_provider == "sandbox";
    if !sandbox && shop.payments.card_script().is_none() {
        return cards_unavailable(&shop, &shopper);
    }
    let addr = AddressForm::read(&form);
    let email = form.get("email").to_owned();
    let method = form.get("shipping_method").to_owned();
    let pay = form.get("payment").to_owned();
    let Ok(expected_total) = form.get(&format!("total_{method}")).parse::<i64>() else {
        let p = Problems::field("shipping_method", "Choose how it should be delivered.");
        return review_step(&shop, &shopper, addr, email, None, Some(&pay), p, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let known = if sandbox { SANDBOX_METHODS.iter().any(|(t, _)| *t == pay) } else { card_token(&pay) };
    if !known {
        let p = Problems::field("payment", if sandbox { "Choose how to pay." } else { "Enter your card details." });
        return review_step(&shop, &shopper, addr, email, Some(&method), None, p, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let key = form.get("key");
    if key.len() < 16 || key.len() > 64 {
        return review_step(
            &shop,
            &shopper,
            addr,
            email,
            Some(&method),
            Some(&pay),
            Problems::default(),
            StatusCode::OK,
        )
        .await;
    }
    let request = CheckoutRequest {
        caller: shopper.cart_caller(),
        address: addr.to_order(),
        email: (!email.is_empty()).then(|| email.clone()),
        shipping_method: method.clone(),
        payment_token: Some(pay.clone()),
        expected_total,
        idempotency_key: key.to_owned(),
    };
    match shop.orders.checkout(request).await {
        Ok(order) => placed(&shop, &shopper, &order),
        // The form sent again once the order is placed (the cart is gone with it).
        Err(e) if e.code == "cart_not_found" => see_other("/cart"),
        Err(e) if e.kind == ErrorKind::PaymentRequired => {
            let p = Problems::field("payment", &format!("{} Your cart is kept; try another way to pay.", e.detail));
            review_step(&shop, &shopper, addr, email, Some(&method), Some(&pay), p, StatusCode::PAYMENT_REQUIRED).await
        }
        Err(e) if e.code == "total_changed" => {
            let p = Problems::general("Prices changed since you looked: here are the new totals. Nothing was charged.");
            review_step(&shop, &shopper, addr, email, Some(&method), Some(&pay), p, StatusCode::CONFLICT).await
        }
        Err(e) if refusable(&e) => {
            review_step(&shop, &shopper, addr, email, Some(&method), Some(&pay), Problems::from_error(&e), e.status())
                .await
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

/// After the order: a customer's order page; a guest's confirmation, found again by the
/// signed note of its number and address in a cookie of this browser.
fn placed(shop: &Storefront, shopper: &Shopper, order: &OrderDto) -> Response {
    if shopper.principal.is_some() {
        return see_other(&format!("/orders/{}?placed=1", order.id));
    }
    let mut response = see_other("/orders/placed");
    let note = crate::session::sign(&shop.key, &format!("{}\n{}", order.number, order.email));
    response
        .headers_mut()
        .append(header::SET_COOKIE, shop.cookies.set("placed", &note, std::time::Duration::from_secs(86_400)));
    // An order still waiting for its payment may not go ahead: its cart stays until it does.
    if order.state != orders::domain::OrderState::PaymentPending {
        response.headers_mut().append(header::SET_COOKIE, shop.cookies.clear("cart"));
    }
    response
}
