//! Who is browsing: a visitor cookie that every form's CSRF token is bound to, the guest cart's
//! token, and the checks every state-changing request passes before a handler sees it.
//!
//! Cookies are HttpOnly and `SameSite=Lax`; with `secure_cookies` they are also `Secure` and
//! named `__Host-…`, which pins them to this host and path `/`. A POST must come from one of the
//! shop's own pages: `Sec-Fetch-Site` (when the browser sends it) is `same-origin` or `none`,
//! `Origin` (when sent) is this host, and the form's `csrf` field is the token made for this
//! visitor. A GET never changes anything.

use crate::Storefront;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use kernel::auth::Principal;
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

/// Largest form body a page posts; the forms are a few fields.
pub const FORM_LIMIT: usize = 64 * 1024;
const VISITOR_AGE: Duration = Duration::from_secs(400 * 86_400);

/// Marks an answer that set new session and visitor cookies itself (sign-in, sign-out).
#[derive(Debug, Clone, Copy)]
pub struct Rotated;

/// The cookies of a new browser session: the session's secret, a new visitor (so every CSRF
/// token issued before the sign-in dies), and no guest cart (it has joined the account's).
pub fn signed_in(response: &mut Response, cookies: &Cookies, secret: &str, max_age: Duration) {
    let h = response.headers_mut();
    h.append(header::SET_COOKIE, cookies.set("session", secret, max_age));
    h.append(header::SET_COOKIE, cookies.set("visitor", &visitor_new(), VISITOR_AGE));
    h.append(header::SET_COOKIE, cookies.clear("cart"));
    response.extensions_mut().insert(Rotated);
}

/// Signing out: the session cookie goes and the visitor starts afresh.
pub fn signed_out(response: &mut Response, cookies: &Cookies) {
    let h = response.headers_mut();
    h.append(header::SET_COOKIE, cookies.clear("session"));
    h.append(header::SET_COOKIE, cookies.set("visitor", &visitor_new(), VISITOR_AGE));
    response.extensions_mut().insert(Rotated);
}

/// The cookie names and attributes of this shop.
#[derive(Debug, Clone)]
pub struct Cookies {
    secure: bool,
}

impl Cookies {
    pub fn new(secure: bool) -> Self {
        Self { secure }
    }

    pub fn name(&self, base: &str) -> String {
        if self.secure { format!("__Host-oxcart-{base}") } else { format!("oxcart-{base}") }
    }

    /// A `Set-Cookie` value; `max_age` zero deletes the cookie.
    pub fn set(&self, base: &str, value: &str, max_age: Duration) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let cookie = format!(
            "{}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
            self.name(base),
            max_age.as_secs()
        );
        HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    pub fn clear(&self, base: &str) -> HeaderValue {
        self.set(base, "", Duration::ZERO)
    }

    /// The value of cookie `base` in a request's `Cookie` headers.
    pub fn get<'a>(&self, headers: &'a HeaderMap, base: &str) -> Option<&'a str> {
        let name = self.name(base);
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
            .filter(|v| !v.is_empty() && v.len() <= 200 && v.bytes().all(|b| b.is_ascii_graphic()))
    }
}

/// The browsing visitor, as the guard found or made it.
#[derive(Debug, Clone)]
pub struct Shopper {
    pub visitor: String,
    pub csrf: String,
    /// The guest cart's token (a signed-in customer's cart is found by the account).
    pub cart_token: Option<String>,
    /// The signed-in account, from the session cookie.
    pub principal: Option<Principal>,
}

impl Shopper {
    pub fn cart_caller(&self) -> cart::Caller {
        match &self.principal {
            Some(p) => cart::Caller { customer_id: Some(p.user_id.clone()), token: None },
            None => cart::Caller { customer_id: None, token: self.cart_token.clone() },
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

/// The CSRF token for a visitor: a MAC of its id, so nothing needs storing.
pub fn csrf_token(key: &[u8], visitor: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"csrf:");
    mac.update(visitor.as_bytes());
    URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..24])
}

/// A random key for a form that must be sent once (a checkout).
pub fn random_key() -> String {
    visitor_new()
}

/// `value` with a MAC, for a cookie the shop must be able to trust again.
pub fn sign(key: &[u8], value: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"note:");
    mac.update(value.as_bytes());
    format!("{}.{}", URL_SAFE_NO_PAD.encode(value), URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// The value [`sign`] made, if the MAC is this shop's.
pub fn unsign(key: &[u8], signed: &str) -> Option<String> {
    let (value, tag) = signed.split_once('.')?;
    let value = String::from_utf8(URL_SAFE_NO_PAD.decode(value).ok()?).ok()?;
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"note:");
    mac.update(value.as_bytes());
    mac.verify_slice(&URL_SAFE_NO_PAD.decode(tag).ok()?).ok()?;
    Some(value)
}

fn visitor_new() -> String {
    let mut bytes = [0u8; 18];
    getrandom::fill(&mut bytes).expect("the system has randomness");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Finds or makes the visitor, refuses a cross-site or token-less POST (403), and hands the
/// handler a [`Shopper`].
pub async fn guard(State(shop): State<Arc<Storefront>>, req: Request, next: Next) -> Response {
    let cookies = &shop.cookies;
    let found = cookies.get(req.headers(), "visitor").map(str::to_owned);
    let fresh = found.is_none();
    let visitor = found.unwrap_or_else(visitor_new);
    let secret = cookies.get(req.headers(), "session").map(str::to_owned);
    let principal = match &secret {
        Some(s) => match shop.users.browser_session(s).await {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(code = %e.code, detail = %e.detail, "the session could not be read");
                return crate::render::error_page(
                    &shop,
                    None,
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    "Something went wrong",
                    "Please try again in a moment.",
                );
            }
        },
        None => None,
    };
    // A cookie whose session has ended (signed out elsewhere, a password reset) is dropped.
    let stale = secret.is_some() && principal.is_none();
    let shopper = Shopper {
        csrf: csrf_token(&shop.key, &visitor),
        cart_token: cookies.get(req.headers(), "cart").map(str::to_owned),
        principal,
        visitor,
    };
    let req = if req.method() == Method::GET || req.method() == Method::HEAD {
        req
    } else {
        match post_check(&shop, &shopper, req).await {
            Ok(req) => req,
            Err(refusal) => return refusal,
        }
    };
    let visitor = shopper.visitor.clone();
    let mut req = req;
    if let Some(p) = &shopper.principal {
        // The contexts' own extractors (live order status) find the caller here.
        kernel::origin::set_actor(p);
        req.extensions_mut().insert(p.clone());
    }
    req.extensions_mut().insert(shopper);
    let mut response = next.run(req).await;
    let rotated = response.extensions().get::<Rotated>().is_some();
    if fresh && !rotated {
        response.headers_mut().append(header::SET_COOKIE, cookies.set("visitor", &visitor, VISITOR_AGE));
    }
    if stale && !rotated {
        response.headers_mut().append(header::SET_COOKIE, cookies.clear("session"));
    }
    response
}

/// The checks of a state-changing request; the body is read (bounded) to find the token and
/// put back for the handler.
async fn post_check(shop: &Storefront, shopper: &Shopper, req: Request) -> Result<Request, Response> {
    let headers = req.headers();
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| s != "same-origin" && s != "none") {
        tracing::info!(site, "form refused: sent from another site");
        return Err(shop.forbidden("This form was sent from another site."));
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map_or("", |(_, h)| h);
        // A page under a `no-referrer` policy sends `Origin: null`; the browser's own
        // `Sec-Fetch-Site` vouches for it then. Without that header, `null` is refused.
        let vouched = origin == "null" && site == Some("same-origin");
        if !vouched && (origin == "null" || origin_host != host) {
            tracing::info!(origin, host, "form refused: another origin");
            return Err(shop.forbidden("This form was sent from another site."));
        }
    }
    // A picture's upload is a multipart body too large to read here; its form names the token
    // in its address instead (a MAC of the visitor, useless in any other browser), and the
    // handler reads the body within the server's body limit.
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if multipart {
        let query = req.uri().query().unwrap_or_default();
        let token =
            url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
        return if token.is_some_and(|t| subtle::ConstantTimeEq::ct_eq(t.as_bytes(), shopper.csrf.as_bytes()).into()) {
            Ok(req)
        } else {
            tracing::info!("upload refused: no token, or not this visitor's");
            Err(shop.forbidden(
                "This form has expired or did not come from this shop. Go back, reload the page and send it again.",
            ))
        };
    }
    let (parts, body) = req.into_parts();
    let bytes = match read_limited(body).await {
        Some(b) => b,
        None => return Err(shop.too_large()),
    };
    let token = url::form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf").map(|(_, v)| v.into_owned());
    let ok = token.is_some_and(|t| subtle::ConstantTimeEq::ct_eq(t.as_bytes(), shopper.csrf.as_bytes()).into());
    if !ok {
        tracing::info!("form refused: no token, or not this visitor's");
        return Err(shop.forbidden(
            "This form has expired or did not come from this shop. Go back, reload the page and send it again.",
        ));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

async fn read_limited(body: Body) -> Option<Bytes> {
    let limited = http_body_util::Limited::new(body, FORM_LIMIT);
    http_body_util::BodyExt::collect(limited).await.ok().map(|c| c.to_bytes())
}

/// A form's fields, by name; the last of a repeated name wins, as a browser sends one.
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(bytes: &[u8]) -> Self {
        Self(url::form_urlencoded::parse(bytes).into_owned().collect())
    }

    /// The field, trimmed.
    pub fn get(&self, name: &str) -> &str {
        self.get_raw(name).trim()
    }

    /// Every field, in order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The field as typed (passwords keep their spaces).
    pub fn get_raw(&self, name: &str) -> &str {
        self.0.iter().rev().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for Form {
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = read_limited(req.into_body())
            .await
            .ok_or_else(|| axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
        Ok(Self::parse(&bytes))
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Shopper {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Shopper>()
            .cloned()
            .ok_or_else(|| axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_their_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; oxcart-visitor=abc; oxcart-visitor-x=no"));
        let plain = Cookies::new(false);
        assert_eq!(plain.get(&h, "visitor"), Some("abc"));
        assert_eq!(plain.get(&h, "cart"), None);
        assert_eq!(Cookies::new(true).get(&h, "visitor"), None, "a secure shop reads only __Host- cookies");
        let set = Cookies::new(true).set("cart", "t", Duration::from_secs(60));
        assert_eq!(
            set.to_str().expect("ascii"),
            "__Host-oxcart-cart=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure"
        );
    }

    #[test]
    fn a_csrf_token_belongs_to_one_visitor_and_key() {
        let a = csrf_token(b"key-one", "visitor-a");
        assert_eq!(a, csrf_token(b"key-one", "visitor-a"));
        assert_ne!(a, csrf_token(b"key-one", "visitor-b"));
        assert_ne!(a, csrf_token(b"key-two", "visitor-a"));
    }
}
