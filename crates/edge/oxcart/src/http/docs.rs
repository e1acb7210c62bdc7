//! The OpenAPI document and a reference page rendered from it on the server: readable
//! offline, without JavaScript or a CDN.

use super::ops::OpsState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use kernel::error::ErrorCode;
use std::fmt::Write;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;

#[derive(OpenApi)]
#[openapi(
    info(title = "Oxcart API", description = "Headless commerce: accounts, catalog, carts, orders, payments."),
    tags(
        (name = "auth", description = "Registration, login, token refresh and logout"),
        (name = "account", description = "The caller's own profile, addresses, seller profile and API keys"),
        (name = "admin", description = "Administration of users and seller applications (admins only)"),
        (name = "catalog", description = "Products, variants, images, categories and brands; CSV import and export"),
        (name = "search", description = "Product listing and full-text search with filters, facets and suggestions"),
        (name = "reviews", description = "Product reviews and ratings"),
    )
)]
pub struct ApiDoc;

pub async fn openapi_json(State(s): State<OpsState>) -> Json<utoipa::openapi::OpenApi> {
    Json((*s.openapi).clone())
}

pub async fn reference_page(State(s): State<OpsState>) -> Response {
    let mut response = Html(render(&s.openapi, &s.errors)).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
    );
    response
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn render(doc: &utoipa::openapi::OpenApi, errors: &[ErrorCode]) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(concat!(
        "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width,initial-scale=1'>",
        "<title>Oxcart API reference</title><style>",
        "body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:auto;padding:1rem;color:#1d232a}",
        "code,pre{font-family:ui-monospace,monospace;font-size:13px}h2{border-bottom:1px solid #ccd;margin-top:2rem}",
        ".op{border:1px solid #dde;border-radius:6px;padding:.5rem .8rem;margin:.6rem 0}",
        ".m{display:inline-block;min-width:4.2em;font-weight:700;text-transform:uppercase}",
        ".get{color:#0a6}.post{color:#06c}.put,.patch{color:#a60}.delete{color:#c22}",
        ".lock{font-size:12px;color:#666}table{border-collapse:collapse}td{padding:2px 10px 2px 0;vertical-align:top}",
        "</style><body>"
    ));
    let _ =
        write!(out, "<h1>{}</h1><p>{}</p>", esc(&doc.info.title), esc(doc.info.description.as_deref().unwrap_or("")));
    out.push_str(
        "<p>All routes live under <code>/api/v1</code> and speak JSON. Authenticate with \
         <code>Authorization: Bearer &lt;access token&gt;</code> from <code>POST /api/v1/auth/login</code>, or with \
         <code>X-Api-Key</code> for integrations. Lists take <code>?limit=&amp;cursor=</code> and answer \
         <code>next_cursor</code>. Errors are <code>application/problem+json</code> with a stable <code>code</code> \
         (<a href='#problems'>list</a>). The machine-readable document is \
         <a href='/api/v1/openapi.json'>/api/v1/openapi.json</a>.</p>",
    );
    let tags: Vec<(String, String)> =
        doc.tags.iter().flatten().map(|t| (t.name.clone(), t.description.clone().unwrap_or_default())).collect();
    for (tag, description) in &tags {
        let _ = write!(out, "<h2 id='tag-{0}'>{0}</h2><p>{1}</p>", esc(tag), esc(description));
        for (path, item) in &doc.paths.paths {
            let ops = [
                ("get", &item.get),
                ("post", &item.post),
                ("put", &item.put),
                ("patch", &item.patch),
                ("delete", &item.delete),
            ];
            for (method, op) in ops {
                if let Some(op) = op.as_ref().filter(|op| op.tags.iter().flatten().any(|t| t == tag)) {
                    render_operation(&mut out, method, path, op);
                }
            }
        }
    }
    out.push_str("<h2 id=problems>Problem codes</h2><table><tr><th>code</th><th>status</th><th>meaning</th></tr>");
    for e in errors {
        let _ = write!(
            out,
            "<tr id='problem-{0}'><td><code>{0}</code></td><td>{1}</td><td>{2}</td></tr>",
            esc(e.code),
            e.kind.status().as_u16(),
            esc(e.meaning)
        );
    }
    out.push_str("</table></body></html>");
    out
}

fn render_operation(out: &mut String, method: &str, path: &str, op: &Operation) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let _ = write!(
        out,
        "<div class=op><span class='m {method}'>{method}</span> <code>{}</code> {}<br><b>{}</b>",
        esc(path),
        if secured { "<span class=lock>🔒 needs credentials</span>" } else { "" },
        esc(op.summary.as_deref().unwrap_or(""))
    );
    if let Some(d) = op.description.as_deref().filter(|d| !d.is_empty()) {
        let _ = write!(out, "<p>{}</p>", esc(d));
    }
    if let Some(utoipa::openapi::RefOr::T(body)) = &op.request_body {
        let names: Vec<String> = body
            .content
            .values()
            .filter_map(|c| match c {
                utoipa::openapi::RefOr::T(c) => c.schema.as_ref(),
                utoipa::openapi::RefOr::Ref(_) => None,
            })
            .map(schema_name)
            .collect();
        let _ = write!(out, "<div>Body: <code>{}</code></div>", esc(&names.join(", ")));
    }
    out.push_str("<table>");
    for (status, response) in &op.responses.responses {
        let description = match response {
            utoipa::openapi::RefOr::T(r) => r.description.clone(),
            utoipa::openapi::RefOr::Ref(r) => r.ref_location.clone(),
        };
        let _ = write!(out, "<tr><td><code>{}</code></td><td>{}</td></tr>", esc(status), esc(&description));
    }
    out.push_str("</table></div>");
}

fn schema_name(schema: &utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>) -> String {
    match schema {
        utoipa::openapi::RefOr::Ref(r) => r.ref_location.rsplit('/').next().unwrap_or_default().to_owned(),
        utoipa::openapi::RefOr::T(_) => "inline schema".to_owned(),
    }
}
