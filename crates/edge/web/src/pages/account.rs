//! Accounts in the storefront: register, sign in and out, the account page, a forgotten
//! password (the same answer whether the address has an account or not) and its reset, and
//! e-mail verification. Signing in moves the guest cart into the account's and starts a new
//! visitor, so no CSRF token from before survives it.

use super::cart_count;
use crate::Storefront;
use crate::render::{Layout, Problems, failure, html, local_path, notice_page, see_other};
use crate::session::{Form, Shopper, signed_in, signed_out};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use kernel::ErrorKind;
use kernel::auth::ClientIp;
use std::sync::Arc;
use users::ClientInfo;
use users::dto::{EmailVerify, LoginRequest, PasswordForgot, PasswordReset, RegisterRequest};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    next: String,
    next_q: String,
    email: String,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    layout: Layout,
    next: String,
    next_q: String,
    name: String,
    email: String,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    name: String,
    email: String,
    verified: bool,
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    layout: Layout,
    email: String,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    layout: Layout,
    token: String,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    layout: Layout,
    token: String,
}

fn query_value(query: Option<&str>, name: &str) -> String {
    url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn next_of(raw: &str) -> String {
    local_path(raw).unwrap_or("/account").to_owned()
}

fn private(shop: &Storefront, shopper: &Shopper, title: &str) -> Layout {
    let mut layout = Layout::new(shop, Some(shopper), title);
    layout.noindex = true;
    layout
}

pub async fn login_page(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(q): RawQuery) -> Response {
    let next = next_of(&query_value(q.as_deref(), "next"));
    if shopper.principal.is_some() {
        return see_other(&next);
    }
    let page = LoginPage {
        layout: private(&shop, &shopper, "Sign in"),
        next_q: super::encode(&next),
        next,
        email: String::new(),
        problems: Problems::default(),
    };
    html(StatusCode::OK, page.render())
}

pub async fn login(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    ClientIp(ip): ClientIp,
    form: Form,
) -> Response {
    let next = next_of(form.get("next"));
    let input = LoginRequest { email: form.get("email").to_owned(), password: form.get_raw("password").to_owned() };
    match shop.users.browser_login(input, &ClientInfo { ip }).await {
        Ok(session) => welcome(&shop, &shopper, &session, &next).await,
        Err(e) if matches!(e.kind, ErrorKind::Unauthenticated | ErrorKind::RateLimited | ErrorKind::Invalid) => {
            let page = LoginPage {
                layout: private(&shop, &shopper, "Sign in"),
                next_q: super::encode(&next),
                next,
                email: form.get("email").to_owned(),
                problems: Problems::general(&e.detail),
            };
            html(e.status(), page.render())
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

/// After sign-in or registration: the guest cart joins the account's, then the new cookies.
async fn welcome(shop: &Storefront, shopper: &Shopper, session: &users::BrowserSession, next: &str) -> Response {
    if shopper.cart_token.is_some() {
        let caller = cart::Caller { customer_id: Some(session.user.id.clone()), token: shopper.cart_token.clone() };
        if let Err(e) = shop.cart.cart_get(&caller).await {
            // An expired guest cart has nothing to bring; anything else is logged, not fatal.
            if e.kind != ErrorKind::NotFound {
                tracing::warn!(code = %e.code, "the guest cart could not join the account's");
            }
        }
    }
    let mut response = see_other(next);
    signed_in(&mut response, &shop.cookies, &session.secret, session.max_age);
    response
}

pub async fn register_page(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(q): RawQuery) -> Response {
    let next = next_of(&query_value(q.as_deref(), "next"));
    let page = RegisterPage {
        layout: private(&shop, &shopper, "Create an account"),
        next_q: super::encode(&next),
        next,
        name: String::new(),
        email: String::new(),
        problems: Problems::default(),
    };
    html(StatusCode::OK, page.render())
}

pub async fn register(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let next = next_of(form.get("next"));
    let name = form.get("name").to_owned();
    let input = RegisterRequest {
        email: form.get("email").to_owned(),
        password: form.get_raw("password").to_owned(),
        name: (!name.is_empty()).then(|| name.clone()),
    };
    match shop.users.browser_register(input).await {
        Ok(session) => welcome(&shop, &shopper, &session, &next).await,
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::BadRequest) => {
            let page = RegisterPage {
                layout: private(&shop, &shopper, "Create an account"),
                next_q: super::encode(&next),
                next,
                name,
                email: form.get("email").to_owned(),
                problems: Problems::from_error(&e),
            };
            html(e.status(), page.render())
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn logout(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    if let Some(p) = &shopper.principal
        && let Err(e) = shop.users.logout(p).await
    {
        return failure(&shop, Some(&shopper), e);
    }
    let mut response = see_other("/");
    signed_out(&mut response, &shop.cookies);
    response
}

/// A 303 to the sign-in page, which comes back to `back`.
pub fn to_login(back: &str) -> Response {
    see_other(&format!("/account/login?next={}", super::encode(back)))
}

pub async fn account_page(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    let Some(p) = shopper.principal.clone() else {
        return to_login("/account");
    };
    match shop.users.profile_get(&p).await {
        Ok(user) => {
            let mut layout = private(&shop, &shopper, "Your account");
            layout.cart_count = cart_count(&shop, &shopper).await;
            let page = AccountPage { layout, name: user.name, email: user.email, verified: user.email_verified };
            html(StatusCode::OK, page.render())
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn forgot_page(State(shop): State<Arc<Storefront>>, shopper: Shopper) -> Response {
    let page = ForgotPage {
        layout: private(&shop, &shopper, "Forgotten password"),
        email: String::new(),
        problems: Problems::default(),
    };
    html(StatusCode::OK, page.render())
}

pub async fn forgot(
    State(shop): State<Arc<Storefront>>,
    shopper: Shopper,
    ClientIp(ip): ClientIp,
    form: Form,
) -> Response {
    let email = form.get("email").to_owned();
    match shop.users.password_forgot(PasswordForgot { email: email.clone() }, &ClientInfo { ip }).await {
        Ok(()) => notice_page(
            &shop,
            Some(&shopper),
            "Check your inbox",
            "If an account uses that address, a link to choose a new password is on its way. It works once, for a short while.",
        ),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::RateLimited | ErrorKind::BadRequest) => {
            let page = ForgotPage {
                layout: private(&shop, &shopper, "Forgotten password"),
                email,
                problems: Problems::from_error(&e),
            };
            html(e.status(), page.render())
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

pub async fn reset_page(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(q): RawQuery) -> Response {
    let token = query_value(q.as_deref(), "token");
    let page =
        ResetPage { layout: private(&shop, &shopper, "Choose a new password"), token, problems: Problems::default() };
    html(StatusCode::OK, page.render())
}

pub async fn reset(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    let token = form.get("token").to_owned();
    let input = PasswordReset { token: token.clone(), password: form.get_raw("password").to_owned() };
    match shop.users.password_reset(input).await {
        Ok(()) => {
            // Every session ended with the reset, this browser's too.
            let mut response = notice_page(
                &shop,
                None,
                "Password changed",
                "Your new password is set and every session was signed out. Sign in with the new password.",
            );
            signed_out(&mut response, &shop.cookies);
            response
        }
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::BadRequest) => {
            let page = ResetPage {
                layout: private(&shop, &shopper, "Choose a new password"),
                token,
                problems: Problems::from_error(&e),
            };
            html(e.status(), page.render())
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}

/// The link in the e-mail opens a page with a button: following a link (a mail scanner
/// does) changes nothing; the button's POST verifies.
pub async fn verify_page(State(shop): State<Arc<Storefront>>, shopper: Shopper, RawQuery(q): RawQuery) -> Response {
    let token = query_value(q.as_deref(), "token");
    html(StatusCode::OK, VerifyPage { layout: private(&shop, &shopper, "Confirm your e-mail address"), token }.render())
}

pub async fn verify(State(shop): State<Arc<Storefront>>, shopper: Shopper, form: Form) -> Response {
    match shop.users.email_verify(EmailVerify { token: form.get("token").to_owned() }).await {
        Ok(()) => {
            notice_page(&shop, Some(&shopper), "Address confirmed", "Thank you: your e-mail address is confirmed.")
        }
        Err(e) if matches!(e.kind, ErrorKind::BadRequest | ErrorKind::Invalid | ErrorKind::Conflict) => {
            crate::render::error_page(&shop, Some(&shopper), e.status(), "This link did not work", &e.detail)
        }
        Err(e) => failure(&shop, Some(&shopper), e),
    }
}
