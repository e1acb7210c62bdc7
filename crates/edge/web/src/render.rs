//! The frame every page shares, the answer headers of a page, and the error pages.

use crate::Storefront;
use crate::session::Shopper;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kernel::ErrorKind;

/// What the frame (`base.html`) shows around a page.
pub struct Layout {
    pub shop: String,
    pub lang: &'static str,
    pub title: String,
    pub description: String,
    /// Absolute URL of the page's one true address, for search engines.
    pub canonical: Option<String>,
    /// Keep search engines away (carts, errors).
    pub noindex: bool,
    pub csrf: String,
    pub cart_count: i64,
    /// What the search box holds.
    pub q: String,
    pub css: String,
    pub js: String,
    pub icon: String,
    pub signed_in: bool,
}

impl Layout {
    pub fn new(shop: &Storefront, shopper: Option<&Shopper>, title: &str) -> Self {
        Self {
            shop: shop.shop_name.clone(),
            lang: shop.locale.lang(),
            title: if title.is_empty() { shop.shop_name.clone() } else { format!("{title} · {}", shop.shop_name) },
            description: shop.settings.tagline.clone(),
            canonical: None,
            noindex: false,
            csrf: shopper.map(|s| s.csrf.clone()).unwrap_or_default(),
            cart_count: 0,
            q: String::new(),
            css: crate::assets::url("site.css"),
            js: crate::assets::url("app.js"),
            icon: crate::assets::url("icon.svg"),
            signed_in: shopper.is_some_and(|s| s.principal.is_some()),
        }
    }

    pub fn canonical(mut self, shop: &Storefront, path: &str) -> Self {
        self.canonical = Some(format!("{}{path}", shop.base_url));
        self
    }

    pub fn describe(mut self, text: &str) -> Self {
        let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.description = if text.chars().count() > 160 {
            format!("{}…", text.chars().take(157).collect::<String>())
        } else {
            text
        };
        self
    }
}

/// The policy of every page: scripts, styles and pictures from this server only (pictures also
/// from the media address when it is elsewhere), nothing framed, forms posting only here.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// A rendered page with its status and headers. Pages carry a CSRF token bound to the visitor,
/// so they are never stored by a shared cache.
pub fn html(status: StatusCode, rendered: askama::Result<String>) -> Response {
    html_with_policy(status, rendered, HeaderValue::from_static(CSP))
}

/// The page policy with the payment provider's origin allowed to run its script, show its
/// frames and be called: for the one page that shows the provider's card field. Stripe's own
/// script also frames and calls its other hosts.
pub fn provider_policy(origin: &str) -> HeaderValue {
    let (scripts, frames, calls) = if origin == "https://js.stripe.com" {
        (" https://*.js.stripe.com", " https://*.js.stripe.com https://hooks.stripe.com", " https://api.stripe.com")
    } else {
        ("", "", "")
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' {origin}{scripts}; style-src 'self'; img-src 'self' data:; \
connect-src 'self' {origin}{calls}; frame-src {origin}{frames}; font-src 'self'; manifest-src 'self'; \
worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(CSP))
}

pub fn html_with_policy(status: StatusCode, rendered: askama::Result<String>, policy: HeaderValue) -> Response {
    match rendered {
        Ok(body) => (
            status,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
                (header::CONTENT_SECURITY_POLICY, policy),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
                // The shop's own addresses stay out of other sites' logs; its forms still
                // carry their origin.
                (header::REFERRER_POLICY, HeaderValue::from_static("same-origin")),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], FALLBACK)
                .into_response()
        }
    }
}

const FALLBACK: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Something went wrong</title>\
<h1>Something went wrong</h1><p>Please try again in a moment. <a href=\"/\">Back to the shop</a></p></html>";

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
}

pub fn error_page(
    shop: &Storefront,
    shopper: Option<&Shopper>,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> Response {
    let mut layout = Layout::new(shop, shopper, heading);
    layout.noindex = true;
    let page = ErrorPage { layout, heading: heading.to_owned(), message: message.to_owned() };
    html(status, page.render())
}

/// A short page that says what happened ("Check your inbox"), answered 200.
pub fn notice_page(shop: &Storefront, shopper: Option<&Shopper>, heading: &str, message: &str) -> Response {
    error_page(shop, shopper, StatusCode::OK, heading, message)
}

/// A form's refused fields, by name, to show each message beside its field.
#[derive(Debug, Default)]
pub struct Problems {
    fields: Vec<(String, String)>,
    /// A refusal that belongs to no one field.
    pub general: String,
}

impl Problems {
    pub fn from_error(e: &kernel::Error) -> Self {
        if e.errors.is_empty() {
            return Self { fields: Vec::new(), general: e.detail.to_string() };
        }
        Self {
            fields: e.errors.iter().map(|f| (f.field.clone(), sentence(&f.message))).collect(),
            general: String::new(),
        }
    }

    pub fn field(field: &str, message: &str) -> Self {
        Self { fields: vec![(field.to_owned(), message.to_owned())], general: String::new() }
    }

    pub fn general(message: &str) -> Self {
        Self { fields: Vec::new(), general: message.to_owned() }
    }

    /// The message for `field`, or "".
    pub fn of(&self, field: &str) -> &str {
        self.fields.iter().find(|(f, _)| f == field).map_or("", |(_, m)| m.as_str())
    }

    pub fn any(&self) -> bool {
        !self.fields.is_empty() || !self.general.is_empty()
    }

    /// Every message, general first, for a summary above a form.
    pub fn messages(&self) -> Vec<String> {
        let general = Some(self.general.clone()).filter(|g| !g.is_empty());
        general.into_iter().chain(self.fields.iter().map(|(_, m)| m.clone())).collect()
    }
}

/// `must be 8 characters` → `Must be 8 characters.`
fn sentence(message: &str) -> String {
    let mut c = message.chars();
    let mut out: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A `next=` target that stays on this site: a path, never `//host` or a scheme.
pub fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && next.len() <= 500
        && next.chars().all(|c| !c.is_control());
    ok.then_some(next)
}

/// 303 to `to`.
pub fn see_other(to: &str) -> Response {
    let location = HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

pub fn not_found(shop: &Storefront) -> Response {
    error_page(
        shop,
        None,
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is nothing at this address. It may have moved, or the link may be mistyped.",
    )
}

/// A service's refusal as a page: a missing thing is the 404 page, a broken rule its message,
/// anything else a polite apology (the cause goes to the log, never the page).
pub fn failure(shop: &Storefront, shopper: Option<&Shopper>, e: kernel::Error) -> Response {
    match e.kind {
        ErrorKind::NotFound => not_found(shop),
        ErrorKind::Internal | ErrorKind::Unavailable => {
            tracing::error!(code = %e.code, detail = %e.detail, "a page's call failed");
            error_page(shop, shopper, e.status(), "Something went wrong", "Please try again in a moment.")
        }
        _ => error_page(shop, shopper, e.status(), "That did not work", &e.detail),
    }
}

impl Storefront {
    pub(crate) fn forbidden(&self, message: &str) -> Response {
        error_page(self, None, StatusCode::FORBIDDEN, "Not allowed", message)
    }

    pub(crate) fn too_large(&self) -> Response {
        error_page(self, None, StatusCode::PAYLOAD_TOO_LARGE, "Too much", "This form holds more than the shop takes.")
    }
}
