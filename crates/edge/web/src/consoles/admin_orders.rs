//! The admin's orders: every order, found by number or e-mail address and by state, and one
//! order with its lines, payment and history, refunded (in part or whole) from here.

use super::{console_layout, staff};
use crate::Storefront;
use crate::format::Locale;
use crate::pages::orders::state_label;
use crate::render::{Layout, failure, html, see_other};
use crate::session::{Form, Shopper};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use kernel::ErrorKind;
use kernel::auth::{Principal, Role};
use orders::domain::OrderState;
use orders::dto::{OrderDto, OrderQuery};
use std::sync::Arc;

pub struct OrderRow {
    pub url: String,
    pub number: String,
    pub date: String,
    pub email: String,
    pub state: &'static str,
    pub total: String,
}

#[derive(Template)]
#[template(path = "admin_orders.html")]
struct OrdersPage {
    layout: Layout,
    q: String,
    orders: Vec<OrderRow>,
    next: Option<String>,
}

pub async fn admin_orders(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(raw): RawQuery) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], "/admin/orders") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let mut query = OrderQuery { limit: Some(30), ..OrderQuery::default() };
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let v = v.trim().to_owned();
        match k.as_ref() {
            "q" if !v.is_empty() => query.q = Some(v.chars().take(254).collect()),
            "state" => query.state = OrderState::parse(&v),
            "after" if kernel::page::cursor_ok(&v) => query.cursor = Some(v),
            _ => {}
        }
    }
    let q = query.q.clone().unwrap_or_default();
    let page = match shop.orders.order_list(&p, query).await {
        Ok(page) => page,
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let search: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let orders = page
        .items
        .iter()
        .map(|o| OrderRow {
            url: format!("/admin/orders/{}", o.id),
            number: o.number.clone(),
            date: shop.locale.date(o.created_at.as_micros()),
            email: o.email.clone(),
            state: state_label(o.state.as_str()),
            total: shop.locale.money(o.total, &o.currency),
        })
        .collect();
    let next = page.next_cursor.map(|c| format!("/admin/orders?q={search}&after={c}"));
    html(StatusCode::OK, OrdersPage { layout: console_layout(&shop, &shopper, "Orders"), q, orders, next }.render())
}

pub struct LineRow {
    pub title: String,
    pub sku: String,
    pub seller: String,
    pub quantity: i64,
    pub total: String,
}

#[derive(Template)]
#[template(path = "admin_order.html")]
struct OrderPage {
    layout: Layout,
    id: String,
    number: String,
    state: &'static str,
    email: String,
    lines: Vec<LineRow>,
    total: String,
    captured: String,
    refunded: String,
    /// What may still be refunded, as a form value (`12.50`); empty when nothing may.
    refundable: String,
    history: Vec<String>,
    /// Keys the refund, so that a form sent twice refunds once.
    key: String,
    problem: String,
    done: bool,
}

async fn order_view(
    shop: &Storefront,
    shopper: &Shopper,
    p: &Principal,
    id: &str,
    problem: String,
    done: bool,
    status: StatusCode,
) -> Response {
    let order: OrderDto = match shop.orders.order_get(p, id).await {
        Ok(o) => o,
        Err(e) => return failure(shop, Some(shopper), e),
    };
    let currency = order.totals.currency.clone();
    let money = |minor: i64| shop.locale.money(minor, &currency);
    let (captured, refunded) = order.payment.as_ref().map_or((0, 0), |pay| (pay.captured, pay.refunded));
    let left = captured - refunded;
    let page = OrderPage {
        layout: console_layout(shop, shopper, &format!("Order {}", order.number)),
        id: order.id.clone(),
        number: order.number.clone(),
        state: state_label(order.state.as_str()),
        email: order.email.clone(),
        lines: order
            .lines
            .iter()
            .map(|l| LineRow {
                title: format!("{} {}", l.title, l.variant_title).trim().to_owned(),
                sku: l.sku.clone(),
                seller: l.seller_id.clone(),
                quantity: l.quantity,
                total: money(l.total),
            })
            .collect(),
        total: money(order.totals.total),
        captured: money(captured),
        refunded: money(refunded),
        refundable: if left > 0 { Locale::decimal(left, &currency) } else { String::new() },
        history: order
            .history
            .iter()
            .map(|h| format!("{}: {} ({})", shop.locale.date(h.at.as_micros()), state_label(h.to.as_str()), h.actor))
            .collect(),
        key: kernel::id::new_id("rfk"),
        problem,
        done,
    };
    html(status, page.render())
}

pub async fn admin_order(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], &format!("/admin/orders/{id}")) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let done = raw.is_some_and(|q| q.contains("refunded=1"));
    order_view(&shop, &shopper, &p, &id, String::new(), done, StatusCode::OK).await
}

/// Refunds what the form says of the order's payment, under the form's key.
pub async fn admin_order_refund(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], &format!("/admin/orders/{id}")) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let order = match shop.orders.order_get(&p, &id).await {
        Ok(o) => o,
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let refuse = |why: &str| why.to_owned();
    let problem = match (order.payment.as_ref(), Locale::parse_minor(form.get("amount"), &order.totals.currency)) {
        (None, _) => refuse("This order has no payment to refund."),
        (_, None | Some(0)) => refuse("Give the amount to refund, such as 5.00."),
        (Some(_), _) if form.get("key").len() > 40 || form.get("key").is_empty() => {
            refuse("Reload the page and send the form again.")
        }
        (Some(pay), Some(amount)) => {
            let reason: String = form.get("reason").chars().take(500).collect();
            let key = format!("web:{}", form.get("key"));
            match shop.payments.refund_create_as(&p, &pay.id, amount, &reason, &key).await {
                Ok(_) => return see_other(&format!("/admin/orders/{id}?refunded=1")),
                Err(e) if matches!(e.kind, ErrorKind::Conflict | ErrorKind::Invalid | ErrorKind::BadRequest) => {
                    e.detail.to_string()
                }
                Err(e) => return failure(&shop, Some(&shopper), e),
            }
        }
    };
    order_view(&shop, &shopper, &p, &id, problem, false, StatusCode::UNPROCESSABLE_ENTITY).await
}
