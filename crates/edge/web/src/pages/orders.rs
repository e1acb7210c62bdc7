//! A customer's orders: the list, each order with its state, history, parcels and tracking
//! (following the order live while the page is open), cancelling and asking for a return where
//! the order allows it; a guest finds an order by its number and e-mail address.

use super::account::to_login;
use super::cart_count;
use crate::Storefront;
use crate::format::Locale;
use crate::render::{Layout, Problems, failure, html, html_with_policy, provider_policy, see_other};
use crate::session::{Form, Shopper, unsign};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use kernel::ErrorKind;
use orders::domain::OrderState;
use orders::dto::{LookupInput, OrderDto, OrderQuery, ReturnInput, ReturnLineInput};
use std::sync::Arc;

/// What a customer reads for each state.
pub fn state_label(state: &str) -> &'static str {
    match state {
        "pending" => "Received",
        "payment_pending" => "Waiting for payment",
        "confirmed" => "Confirmed",
        "processing" => "Being prepared",
        "packed" => "Packed",
        "shipped" => "Shipped",
        "in_transit" => "On its way",
        "out_for_delivery" => "Out for delivery",
        "delivered" => "Delivered",
        "cancelled" => "Cancelled",
        "return_requested" => "Return requested",
        "return_approved" => "Return approved",
        "refunded" => "Refunded",
        _ => "Updated",
    }
}

/// What a customer reads for a parcel's state.
fn parcel_label(state: &str) -> &'static str {
    match state {
        "pending" | "processing" => "Being prepared",
        "cancelled" => "Cancelled",
        other => state_label(other),
    }
}

pub struct Summary {
    pub url: String,
    pub number: String,
    pub date: String,
    pub state: &'static str,
    pub total: String,
    pub items: i64,
}

#[derive(Template)]
#[template(path = "orders.html")]
struct OrdersPage {
    layout: Layout,
    orders: Vec<Summary>,
    next: Option<String>,
}

pub struct LineView {
    pub position: i64,
    pub title: String,
    pub variant: String,
    pub quantity: i64,
    pub returnable: i64,
    pub total: String,
}

pub struct ParcelView {
    pub state: String,
    pub carrier: String,
    pub tracking: String,
    pub events: Vec<String>,
}

pub struct StepView {
    pub label: &'static str,
    pub at: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "order.html")]
struct OrderPage {
    layout: Layout,
    id: String,
    number: String,
    state_text: &'static str,
    placed: bool,
    guest: bool,
    date: String,
    lines: Vec<LineView>,
    rows: Vec<(String, String)>,
    total: String,
    address: String,
    shipping: String,
    parcels: Vec<ParcelView>,
    history: Vec<StepView>,
    returns: Vec<String>,
    cancellable: bool,
    returnable: bool,
    labels: String,
    /// The bank's challenge to finish paying, when the order waits for it.
    action: Option<super::payment::ActionView>,
    pay_js: String,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "lookup.html")]
struct LookupPage {
    layout: Layout,
    number: String,
    email: String,
    problems: Problems,
}

fn private(shop: &Storefront, shopper: &Shopper, title: &str) -> Layout {
    let mut layout = Layout::new(shop, Some(shopper), title);
    layout.noindex = true;
    layout
}

pub async fn orders_page(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(q): RawQuery) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login("/orders");
    };
    let cursor = url::form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "after")
        .map(|(_, v)| v.into_owned())
        .filter(|c| kernel::page::cursor_ok(c));
    let page = match shop.orders.order_list(&p, OrderQuery { limit: Some(20), cursor, ..OrderQuery::default() }).await {
        Ok(page) => page,
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let mut layout = private(&shop, &shopper, "Your orders");
    layout.cart_count = cart_count(&shop, &shopper).await;
    let orders = page
        .items
        .iter()
        .map(|o| Summary {
            url: format!("/orders/{}", o.id),
            number: o.number.clone(),
            date: shop.locale.date(o.created_at.as_micros()),
            state: state_label(o.state.as_str()),
            total: shop.locale.money(o.total, &o.currency),
            items: o.items,
        })
        .collect();
    let next = page.next_cursor.map(|c| format!("/orders?after={c}"));
    html(StatusCode::OK, OrdersPage { layout, orders, next }.render())
}

pub async fn order_page(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login(&format!("/orders/{id}"));
    };
    let placed = q.as_deref().is_some_and(|q| q.contains("placed=1"));
    match shop.orders.order_get(&p, &id).await {
        Ok(order) => order_view(&shop, &shopper, &order, placed, false, Problems::default(), StatusCode::OK).await,
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn order_view(
    shop: &Storefront,
    shopper: &Shopper,
    o: &OrderDto,
    placed: bool,
    guest: bool,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let locale = &shop.locale;
    let money = |v: i64| locale.money(v, &o.totals.currency);
    let mut rows = vec![("Subtotal".to_owned(), money(o.totals.subtotal))];
    if o.totals.discount_total > 0 {
        rows.push(("Discounts".into(), money(-o.totals.discount_total)));
    }
    rows.push((format!("Shipping ({})", o.shipping.name), money(o.totals.shipping - o.totals.shipping_discount)));
    rows.push((if o.totals.tax_inclusive { "Tax (included)".into() } else { "Tax".into() }, money(o.totals.tax_total)));
    let a = &o.address;
    let address = [
        Some(a.name.clone()),
        Some(a.line1.clone()),
        a.line2.clone(),
        Some(format!("{} {}", a.postal_code, a.city)),
        Some(a.country.clone()),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let delivered = o.state == OrderState::Delivered;
    let mut layout = private(shop, shopper, &format!("Order {}", o.number));
    layout.cart_count = cart_count(shop, shopper).await;
    let page = OrderPage {
        layout,
        id: o.id.clone(),
        number: o.number.clone(),
        state_text: state_label(o.state.as_str()),
        placed,
        guest,
        date: locale.date(o.created_at.as_micros()),
        lines: o
            .lines
            .iter()
            .map(|l| LineView {
                position: l.position,
                title: l.title.clone(),
                variant: l.variant_title.clone(),
                quantity: l.quantity,
                returnable: l.quantity - l.returned_units,
                total: money(l.total),
            })
            .collect(),
        rows,
        total: money(o.totals.total),
        address,
        shipping: format!("{}, {}–{} days", o.shipping.name, o.shipping.min_days, o.shipping.max_days),
        parcels: o
            .shipments
            .iter()
            .map(|s| ParcelView {
                state: parcel_label(s.state.as_str()).to_owned(),
                carrier: s.carrier.clone().unwrap_or_default(),
                tracking: s.tracking_number.clone().unwrap_or_default(),
                events: s
                    .tracking
                    .iter()
                    .map(|t| {
                        format!(
                            "{}: {}{}",
                            date_time(locale, t.occurred_at.as_micros()),
                            t.detail,
                            t.location.as_ref().map(|l| format!(" ({l})")).unwrap_or_default()
                        )
                    })
                    .collect(),
            })
            .collect(),
        history: o
            .history
            .iter()
            .rev()
            .map(|h| StepView {
                label: state_label(h.to.as_str()),
                at: date_time(locale, h.at.as_micros()),
                reason: h.reason.clone().unwrap_or_default(),
            })
            .collect(),
        returns: o.returns.iter().map(|r| format!("Return {}: {}", r.number, state_label(r.state.as_str()))).collect(),
        cancellable: !guest && o.state.cancellable(),
        returnable: !guest && delivered && o.lines.iter().any(|l| l.quantity > l.returned_units),
        labels: labels_json(),
        action: super::payment::action_view(shop, o, guest),
        pay_js: crate::assets::url("pay.js"),
        problems,
    };
    match page.action.as_ref().filter(|a| !a.script_origin.is_empty()) {
        Some(a) => html_with_policy(status, page.render(), provider_policy(&a.script_origin)),
        None => html(status, page.render()),
    }
}

fn date_time(locale: &Locale, micros: i64) -> String {
    let t = kernel::time::Timestamp::from_micros(micros).to_rfc3339();
    format!("{}, {} UTC", locale.date(micros), t.get(11..16).unwrap_or(""))
}

/// Every state's words, for the script that follows the order live.
fn labels_json() -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        OrderState::ALL.iter().map(|s| (s.as_str().to_owned(), state_label(s.as_str()).into())).collect();
    serde_json::Value::Object(map).to_string()
}

pub async fn order_cancel(State(shop): State<Arc<Storefront>>, shopper: Shopper, Path(id): Path<String>) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login(&format!("/orders/{id}"));
    };
    match shop.orders.order_cancel(&p, &id, "Cancelled by the customer").await {
        Ok(_) => see_other(&format!("/orders/{id}")),
        Err(e) if e.kind == ErrorKind::Conflict => match shop.orders.order_get(&p, &id).await {
            Ok(order) => {
                order_view(&shop, &shopper, &order, false, false, Problems::general(&e.detail), StatusCode::CONFLICT)
                    .await
            }
            Err(e) => failure(&shop, Some(&shopper), e),
        },
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn return_request(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login(&format!("/orders/{id}"));
    };
    let lines: Vec<ReturnLineInput> = form
        .fields()
        .filter_map(|(k, v)| {
            let position = k.strip_prefix("return_")?.parse().ok()?;
            let quantity = v.trim().parse().ok().filter(|q: &i64| *q > 0)?;
            Some(ReturnLineInput { position, quantity })
        })
        .collect();
    let input = ReturnInput { lines, reason: form.get("reason").to_owned() };
    match shop.orders.return_request(&p, &id, input).await {
        Ok(_) => see_other(&format!("/orders/{id}")),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::BadRequest) => {
            match shop.orders.order_get(&p, &id).await {
                Ok(order) => {
                    order_view(&shop, &shopper, &order, false, false, Problems::from_error(&e), e.status()).await
                }
                Err(e) => failure(&shop, Some(&shopper), e),
            }
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

/// The order this browser placed as a guest, from the signed note checkout left in it;
/// `None` without a good note.
pub(super) async fn placed_order(
    shop: &Storefront,
    headers: &axum::http::HeaderMap,
) -> Option<kernel::Result<OrderDto>> {
    let note = shop.cookies.get(headers, "placed").and_then(|n| unsign(&shop.key, n))?;
    let (number, email) = note.split_once('\n')?;
    Some(shop.orders.order_lookup(&LookupInput { number: number.to_owned(), email: email.to_owned() }).await)
}

/// A guest's confirmation.
pub async fn placed_page(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    headers: axum::http::HeaderMap,
) -> Response {
    match placed_order(&shop, &headers).await {
        Some(Ok(order)) => order_view(&shop, &shopper, &order, true, true, Problems::default(), StatusCode::OK).await,
        Some(Err(e)) => failure(&shop, Some(&shopper), e),
        None => see_other("/orders/lookup"),
    }
}

pub async fn lookup_page(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    let page = LookupPage {
        layout: private(&shop, &shopper, "Find an order"),
        number: String::new(),
        email: String::new(),
        problems: Problems::default(),
    };
    html(StatusCode::OK, page.render())
}

/// The order for its number and e-mail address. A POST, so neither lands in a URL or a log;
/// a wrong pair is the same "not found" whichever half is wrong.
pub async fn lookup(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let input = LookupInput { number: form.get("number").to_uppercase(), email: form.get("email").to_owned() };
    match shop.orders.order_lookup(&input).await {
        Ok(order) => order_view(&shop, &shopper, &order, false, true, Problems::default(), StatusCode::OK).await,
        Err(e)
            if matches!(
                e.kind,
                ErrorKind::NotFound | ErrorKind::Invalid | ErrorKind::BadRequest | ErrorKind::RateLimited
            ) =>
        {
            let message =
                if e.kind == ErrorKind::NotFound { "No order has that number and e-mail address." } else { &e.detail };
            let page = LookupPage {
                layout: private(&shop, &shopper, "Find an order"),
                number: input.number,
                email: input.email,
                problems: Problems::general(message),
            };
            html(if e.kind == ErrorKind::NotFound { StatusCode::NOT_FOUND } else { e.status() }, page.render())
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}
