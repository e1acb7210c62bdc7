//! The admin's people: accounts found by e-mail or name and by role, their role changed and
//! their access disabled or restored; sellers' applications approved or rejected. Every change
//! goes through the users service, which refuses an admin changing themself and is audited.

use super::{console_layout, staff};
use crate::Storefront;
use crate::render::{Layout, failure, html, see_other};
use crate::session::{Form, Shopper};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use kernel::ErrorKind;
use kernel::auth::{Principal, Role};
use std::sync::Arc;
use users::dto::{SellerQuery, UserQuery};

pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: &'static str,
    pub disabled: bool,
    pub myself: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    q: String,
    role: String,
    users: Vec<UserRow>,
    next: Option<String>,
    problem: String,
}

fn role_of(s: &str) -> Option<Role> {
    match s {
        "customer" => Some(Role::Customer),
        "seller" => Some(Role::Seller),
        "admin" => Some(Role::Admin),
        _ => None,
    }
}

async fn users_view(
    shop: &Storefront,
    shopper: &Shopper,
    p: &Principal,
    raw: Option<&str>,
    problem: String,
    status: StatusCode,
) -> Response {
    let mut query = UserQuery { limit: Some(50), ..UserQuery::default() };
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let v = v.trim().to_owned();
        match k.as_ref() {
            "q" if !v.is_empty() => query.q = Some(v.chars().take(100).collect()),
            "role" => query.role = role_of(&v),
            "after" if kernel::page::cursor_ok(&v) => query.cursor = Some(v),
            _ => {}
        }
    }
    let (q, role) =
        (query.q.clone().unwrap_or_default(), query.role.map(|r| r.as_str().to_owned()).unwrap_or_default());
    let page = match shop.users.user_list(p, query).await {
        Ok(page) => page,
        Err(e) => return failure(shop, Some(shopper), e),
    };
    let search: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let next = page.next_cursor.map(|c| format!("/admin/users?q={search}&role={role}&after={c}"));
    let users = page
        .items
        .into_iter()
        .map(|u| UserRow {
            myself: u.id == p.user_id,
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role.as_str(),
            disabled: u.disabled,
        })
        .collect();
    let page = UsersPage { layout: console_layout(shop, shopper, "People"), q, role, users, next, problem };
    html(status, page.render())
}

pub async fn admin_users(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(raw): RawQuery) -> Response {
    match staff(&shop, &shopper, &[Role::Admin], "/admin/users") {
        Ok(p) => users_view(&shop, &shopper, &p, raw.as_deref(), String::new(), StatusCode::OK).await,
        Err(r) => *r,
    }
}

/// Back to the list after a change, or the list with why it was refused.
async fn changed<T>(
    shop: &Storefront,
    shopper: &Shopper,
    p: &Principal,
    back: &str,
    result: kernel::Result<T>,
) -> Response {
    match result {
        Ok(_) => see_other(back),
        Err(e) if matches!(e.kind, ErrorKind::Conflict | ErrorKind::Invalid | ErrorKind::BadRequest) => {
            users_view(shop, shopper, p, None, e.detail.to_string(), StatusCode::CONFLICT).await
        }
        Err(e) => failure(shop, Some(shopper), e),
    }
}

pub async fn user_role_set(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], "/admin/users") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let Some(role) = role_of(form.get("role")) else {
        let why = "Choose customer, seller or admin.".to_owned();
        return users_view(&shop, &shopper, &p, None, why, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let result = shop.users.user_role_set(&p, &id, role).await;
    changed(&shop, &shopper, &p, "/admin/users", result).await
}

pub async fn user_access_set(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], "/admin/users") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let result = shop.users.user_access_set(&p, &id, form.get("disabled") == "1").await;
    changed(&shop, &shopper, &p, "/admin/users", result).await
}

pub struct ApplicationRow {
    pub user_id: String,
    pub store: String,
    pub description: String,
    pub contact: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "admin_sellers.html")]
struct SellersPage {
    layout: Layout,
    status: String,
    sellers: Vec<ApplicationRow>,
}

pub async fn admin_sellers(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(raw): RawQuery) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], "/admin/sellers") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let status = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "status")
        .map(|(_, v)| v.into_owned())
        .filter(|s| matches!(s.as_str(), "pending" | "approved" | "rejected"))
        .unwrap_or_else(|| "pending".to_owned());
    let q = SellerQuery { status: Some(status.clone()), limit: Some(100), cursor: None };
    let page = match shop.users.seller_list(&p, q).await {
        Ok(page) => page,
        Err(e) => return failure(&shop, Some(&shopper), e),
    };
    let sellers = page
        .items
        .into_iter()
        .map(|s| ApplicationRow {
            user_id: s.user_id,
            store: s.store_name,
            description: s.description,
            contact: s.contact_email,
            status: s.status,
        })
        .collect();
    html(StatusCode::OK, SellersPage { layout: console_layout(&shop, &shopper, "Sellers"), status, sellers }.render())
}

pub async fn seller_decide(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let p = match staff(&shop, &shopper, &[Role::Admin], "/admin/sellers") {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let result = match form.get("decision") {
        "approve" => shop.users.seller_approve(&p, &id).await,
        "reject" => shop.users.seller_reject(&p, &id).await,
        _ => return see_other("/admin/sellers"),
    };
    match result {
        Ok(_) => see_other("/admin/sellers"),
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}
