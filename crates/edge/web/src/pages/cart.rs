//! The cart: its lines with why one cannot be bought, discount codes, the shipping and tax
//! estimates, and the forms that change it. Each change answers 303 to the cart page, so a
//! reload never sends it twice; a refused change shows the cart (or the product) again with
//! the reason beside the field and what was typed kept.

use super::product::product_view;
use crate::Storefront;
use crate::render::{Layout, failure, html};
use crate::session::{Form, Shopper};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cart::dto::CartDto;
use serde_json::{Value, json};
use std::sync::Arc;

pub struct LineView {
    pub variant_id: String,
    pub title: String,
    pub variant_title: String,
    pub url: String,
    pub image: Option<String>,
    pub quantity: String,
    pub unit_price: String,
    pub was: String,
    pub total: String,
    /// Why the line cannot be bought, or a change of price since it was added.
    pub problem: String,
    pub notice: String,
    /// The refusal of this line's last change.
    pub error: String,
}

pub struct CodeView {
    pub code: String,
    pub applied: bool,
    pub reason: String,
}

pub struct Row {
    pub label: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "cart.html")]
struct CartPage {
    layout: Layout,
    lines: Vec<LineView>,
    codes: Vec<CodeView>,
    /// Subtotal, discounts, shipping and tax, then the total.
    rows: Vec<Row>,
    total: String,
    savings: String,
    purchasable: bool,
    /// What the code field holds and why it was refused.
    code_input: String,
    code_error: String,
}

pub async fn cart_page(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    match shop.cart.cart_get(&shopper.cart_caller()).await {
        Ok(cart) => render(&shop, &shopper, &cart, StatusCode::OK, Refusal::None),
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

/// What the page shows of a refused change.
enum Refusal {
    None,
    Line { variant_id: String, quantity: String, message: String },
    Code { input: String, message: String },
}

fn render(shop: &Storefront, shopper: &Shopper, cart: &CartDto, status: StatusCode, refusal: Refusal) -> Response {
    let money = |v: i64| shop.locale.money(v, &cart.currency);
    let mut layout = Layout::new(shop, Some(shopper), "Your cart");
    layout.noindex = true;
    layout.cart_count = cart.item_count;
    let lines = cart
        .lines
        .iter()
        .map(|l| {
            let mut view = LineView {
                variant_id: l.variant_id.clone(),
                title: l.title.clone().unwrap_or_else(|| "An item no longer sold".into()),
                variant_title: l.variant_title.clone().unwrap_or_default(),
                url: l.slug.as_ref().map(|s| format!("/p/{s}")).unwrap_or_default(),
                image: l.image.clone(),
                quantity: l.quantity.to_string(),
                unit_price: money(l.unit_price),
                was: l.compare_at_price.filter(|p| *p > l.unit_price).map(money).unwrap_or_default(),
                total: money(l.total),
                problem: match l.status.as_str() {
                    "unavailable" => "No longer sold: remove it to check out.".into(),
                    "out_of_stock" => "Out of stock: remove it to check out.".into(),
                    "insufficient_stock" => format!("Only {} left: lower the quantity to check out.", l.available),
                    _ => String::new(),
                },
                notice: l
                    .notices
                    .iter()
                    .find(|n| n.code == "price_changed")
                    .and_then(|n| n.previous_price)
                    .map(|p| format!("The price changed from {} since you added it.", money(p)))
                    .unwrap_or_default(),
                error: String::new(),
            };
            if let Refusal::Line { variant_id, quantity, message } = &refusal
                && *variant_id == l.variant_id
            {
                view.quantity = quantity.clone();
                view.error = message.clone();
            }
            view
        })
        .collect();
    let mut rows = vec![Row { label: "Subtotal".into(), amount: money(cart.subtotal) }];
    for d in cart.discounts.iter().filter(|d| d.amount > 0) {
        rows.push(Row { label: d.code.clone().unwrap_or_else(|| d.name.clone()), amount: money(-d.amount) });
    }
    rows.push(Row { label: "Shipping (estimate)".into(), amount: money(cart.shipping - cart.shipping_discount) });
    rows.push(Row { label: "Tax (estimate)".into(), amount: money(cart.tax) });
    let (code_input, code_error) = match refusal {
        Refusal::Code { input, message } => (input, message),
        _ => (String::new(), String::new()),
    };
    let page = CartPage {
        layout,
        lines,
        codes: cart
            .codes
            .iter()
            .map(|c| CodeView {
                code: c.code.clone(),
                applied: c.applied,
                reason: c.reason.as_ref().map(|r| r.detail.clone()).unwrap_or_default(),
            })
            .collect(),
        rows,
        total: money(cart.total),
        savings: if cart.savings > 0 { money(cart.savings) } else { String::new() },
        purchasable: cart.purchasable,
        code_input,
        code_error,
    };
    html(status, page.render())
}

/// A service's refusal in words for the person at the form.
fn message(e: &kernel::Error) -> String {
    if e.errors.is_empty() {
        e.detail.to_string()
    } else {
        e.errors.iter().map(|f| sentence(&f.field, &f.message)).collect::<Vec<_>>().join(" ")
    }
}

/// A field's message as a sentence: `must be 1-40 characters` becomes `Code must be 1-40
/// characters.`; a message that is a sentence already stays as it is.
fn sentence(field: &str, message: &str) -> String {
    let starts_upper = message.chars().next().is_some_and(char::is_uppercase);
    let mut out = if starts_upper {
        message.to_owned()
    } else {
        let mut c = field.chars();
        let field: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
        format!("{} {message}", field.replace('_', " "))
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

fn quantity(raw: &str) -> Value {
    raw.parse::<i64>().map_or_else(|_| json!(raw), |n| json!(n))
}

/// 303 to the cart, keeping a new guest cart's token in its cookie.
fn to_cart(shop: &Storefront, cart: &CartDto) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_static("/cart"))]).into_response();
    if let Some(token) = &cart.token {
        response.headers_mut().append(header::SET_COOKIE, shop.cookies.set("cart", token, shop.cart.config().idle));
    }
    response
}

fn is_refusal(e: &kernel::Error) -> bool {
    use kernel::ErrorKind::*;
    matches!(e.kind, Invalid | BadRequest | Conflict | NotFound)
}

pub async fn line_add(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let (variant_id, raw) = (form.get("variant_id"), form.get("quantity"));
    match shop.cart.line_add(&shopper.cart_caller(), variant_id, &quantity(raw)).await {
        Ok(cart) => to_cart(&shop, &cart),
        Err(e) if is_refusal(&e) && !form.get("slug").is_empty() => {
            match product_view(&shop, &shopper, form.get("slug"), Some(variant_id)).await {
                Ok(mut page) => {
                    page.error = message(&e);
                    page.quantity = raw.to_owned();
                    html(e.status(), page.render())
                }
                Err(e) => failure(&shop, Some(&shopper), e),
            }
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn line_update(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let (variant_id, raw) = (form.get("variant_id"), form.get("quantity"));
    let caller = shopper.cart_caller();
    let result = if raw == "0" {
        shop.cart.line_remove(&caller, variant_id).await
    } else {
        shop.cart.line_update(&caller, variant_id, &quantity(raw)).await
    };
    match result {
        Ok(cart) => to_cart(&shop, &cart),
        Err(e) if is_refusal(&e) => {
            refused(&shop, &shopper, &e, |message| Refusal::Line {
                variant_id: variant_id.to_owned(),
                quantity: raw.to_owned(),
                message,
            })
            .await
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn line_remove(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    match shop.cart.line_remove(&shopper.cart_caller(), form.get("variant_id")).await {
        Ok(cart) => to_cart(&shop, &cart),
        // Already gone (a second click, another tab): the cart as it is.
        Err(e) if is_refusal(&e) => redirect_cart(),
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn code_apply(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let input = form.get("code");
    match shop.cart.code_apply(&shopper.cart_caller(), input).await {
        Ok(cart) => to_cart(&shop, &cart),
        Err(e) if is_refusal(&e) => {
            refused(&shop, &shopper, &e, |message| Refusal::Code { input: input.to_owned(), message }).await
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn code_remove(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    match shop.cart.code_remove(&shopper.cart_caller(), form.get("code")).await {
        Ok(cart) => to_cart(&shop, &cart),
        Err(e) if is_refusal(&e) => redirect_cart(),
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

fn redirect_cart() -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, HeaderValue::from_static("/cart"))]).into_response()
}

/// The cart again, with the refusal beside its field, answered with the refusal's status.
async fn refused(
    shop: &Storefront,
    shopper: &Shopper,
    e: &kernel::Error,
    refusal: impl FnOnce(String) -> Refusal,
) -> Response {
    match shop.cart.cart_get(&shopper.cart_caller()).await {
        Ok(cart) => render(shop, shopper, &cart, e.status(), refusal(message(e))),
        Err(e) => failure(shop, Some(shopper), e),
    }
}
