//! A seller's orders to fulfil: their parts of orders, newest first (by state), moved on from
//! here: started, packed, shipped with the carrier's tracking number or a printed label, marked
//! delivered. A seller sees and moves only their own parts.

use super::{console_layout, staff};
use crate::Storefront;
use crate::pages::orders::state_label;
use crate::render::{Layout, failure, html, see_other};
use crate::session::{Form, Shopper};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use kernel::ErrorKind;
use kernel::auth::{Principal, Role};
use orders::domain::FulfilmentState;
use orders::dto::{FulfilmentQuery, FulfilmentSummaryDto, PartMoveInput, ShipInput};
use std::sync::Arc;

/// What the seller may do next with a part, as the page offers it.
pub enum Next {
    Move { to: &'static str, label: &'static str },
    Ship,
    Nothing,
}

pub struct PartView {
    pub id: String,
    pub number: String,
    pub date: String,
    pub items: i64,
    pub total: String,
    pub ship_to: String,
    pub state: &'static str,
    pub tracking: String,
    pub next: Next,
}

#[derive(Template)]
#[template(path = "seller_orders.html")]
struct OrdersPage {
    layout: Layout,
    /// The state shown (`""`: every state), and the filters to pick another.
    state: String,
    states: Vec<(&'static str, &'static str)>,
    parts: Vec<PartView>,
    next: Option<String>,
    problem: String,
}

fn next_of(state: FulfilmentState) -> Next {
    match state {
        FulfilmentState::Pending => Next::Move { to: "processing", label: "Start" },
        FulfilmentState::Processing => Next::Move { to: "packed", label: "Mark packed" },
        FulfilmentState::Packed => Next::Ship,
        FulfilmentState::Shipped | FulfilmentState::InTransit | FulfilmentState::OutForDelivery => {
            Next::Move { to: "delivered", label: "Mark delivered" }
        }
        FulfilmentState::Delivered | FulfilmentState::Cancelled => Next::Nothing,
    }
}

fn part_view(shop: &Storefront, f: &FulfilmentSummaryDto, currency: &str) -> PartView {
    PartView {
        id: f.id.clone(),
        number: f.number.clone(),
        date: shop.locale.date(f.created_at.as_micros()),
        items: f.items,
        total: shop.locale.money(f.total, currency),
        ship_to: format!("{} ({})", f.ship_to, f.country),
        state: state_label(f.state.as_str()),
        tracking: f.tracking_number.clone().unwrap_or_default(),
        next: next_of(f.state),
    }
}

async fn orders_view(
    shop: &Storefront,
    shopper: &Shopper,
    p: &Principal,
    raw: Option<&str>,
    problem: String,
    status: StatusCode,
) -> Response {
    let mut state = None;
    let mut cursor = None;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "state" => state = FulfilmentState::parse(&v),
            "after" if kernel::page::cursor_ok(&v) => cursor = Some(v.into_owned()),
            _ => {}
        }
    }
    let q = FulfilmentQuery { limit: Some(20), cursor, state, ..FulfilmentQuery::default() };
    let page = match shop.orders.fulfilment_list(p, q).await {
        Ok(page) => page,
        Err(e) => return failure(shop, Some(shopper), e),
    };
    let shown = state.map(FulfilmentState::as_str).unwrap_or_default().to_owned();
    let next = page.next_cursor.map(|c| format!("/seller/orders?state={shown}&after={c}"));
    let page = OrdersPage {
        layout: console_layout(shop, shopper, "Orders to fulfil"),
        states: [
            ("", "All"),
            ("pending", "New"),
            ("processing", "Started"),
            ("packed", "Packed"),
            ("shipped", "Shipped"),
            ("delivered", "Delivered"),
        ]
        .to_vec(),
        state: shown,
        parts: page.items.iter().map(|f| part_view(shop, f, &shop.currency)).collect(),
        next,
        problem,
    };
    html(status, page.render())
}

pub async fn seller_orders(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(raw): RawQuery) -> Response {
    match staff(&shop, &shopper, &[Role::Seller], "/seller/orders") {
        Ok(p) => orders_view(&shop, &shopper, &p, raw.as_deref(), String::new(), StatusCode::OK).await,
        Err(r) => *r,
    }
}

/// After a move or a shipment: back to the list, or the list with what was refused.
async fn outcome(
    shop: &Storefront,
    shopper: &Shopper,
    p: &Principal,
    result: kernel::Result<orders::dto::FulfilmentDto>,
) -> Response {
    match result {
        Ok(_) => see_other("/seller/orders"),
        Err(e) if matches!(e.kind, ErrorKind::Conflict | ErrorKind::Invalid | ErrorKind::BadRequest) => {
            let status =
                if e.kind == ErrorKind::Conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
            let detail = match e.errors.first() {
                Some(f) => format!("{} {}", e.detail, f.message),
                None => e.detail.to_string(),
            };
            orders_view(shop, shopper, p, None, detail, status).await
        }
        Err(e) => failure(shop, Some(shopper), e),
    }
}

pub async fn part_move(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], "/seller/orders") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let Some(to) = FulfilmentState::parse(form.get("state")) else {
        return orders_view(
            &shop,
            &shopper,
            &p,
            None,
            "Choose what to do with the order.".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let result = shop.orders.fulfilment_move(&p, &id, PartMoveInput { state: to, note: None }).await;
    outcome(&shop, &shopper, &p, result).await
}

pub async fn part_ship(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Seller], "/seller/orders") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let input = if form.get("label") == "1" {
        ShipInput { label: true, carrier: None, tracking_number: None }
    } else {
        let given = |v: &str| Some(v.to_owned()).filter(|v| !v.is_empty());
        ShipInput {
            label: false,
            carrier: given(form.get("carrier")),
            tracking_number: given(form.get("tracking_number")),
        }
    };
    let result = shop.orders.fulfilment_ship(&p, &id, input).await;
    outcome(&shop, &shopper, &p, result).await
}
