//! Cross-cutting layers: request ids, access log, deadlines, security headers, metrics, and the
//! problem+json answers for unknown routes, wrong methods and panics.

use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kernel::origin::Origin;
use kernel::{Error, ErrorKind};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tower_http::request_id::{MakeRequestId as MakeId, RequestId};

#[derive(Clone, Copy)]
pub struct MakeRequestId;

impl MakeId for MakeRequestId {
    fn make_request_id<B>(&mut self, _req: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&kernel::id::new_id("req")).ok().map(RequestId::new)
    }
}

/// One span per request, carrying its id, so every log line of the request can be found; and
/// the request's origin (its id and the client's address), which the events it causes carry.
pub async fn log_request(req: Request, next: Next) -> Response {
    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
    let address = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let origin = Origin { request_id: Some(id.clone()), address, ..Origin::default() };
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let span = tracing::info_span!("request", request_id = %id, %method, %path);
    let start = Instant::now();
    let response = kernel::origin::scope(origin, tracing::Instrument::instrument(next.run(req), span.clone())).await;
    let status = response.status().as_u16();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::error!(status, ms, "request failed");
        } else {
            tracing::debug!(status, ms, "request served");
        }
    });
    response
}

/// Answers 503 `request_timeout` when a request runs past its deadline.
pub async fn deadline(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            let mut e = Error::new(ErrorKind::Unavailable, "request_timeout", "The request took too long.");
            e.retry_after_secs = Some(1);
            e.into_response()
        }
    }
}

/// API responses are not cached, framed or sniffed; `/docs` and the storefront's pages set
/// their own page and referrer policies.
pub async fn api_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::REFERRER_POLICY).or_insert(HeaderValue::from_static("no-referrer"));
    h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Counts requests and their latency per route template (never per raw path).
pub async fn track(req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let method = req.method().to_string();
    let start = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("oxcart_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("oxcart_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    response
}

pub async fn route_not_found() -> Error {
    Error::not_found("route_not_found", "No such route.")
}

/// An unknown path: the shop's 404 page for a browser asking for a page, problem+json for
/// everything else (and always under `/api/`).
pub async fn not_found(shop: std::sync::Arc<web::Storefront>, req: Request) -> Response {
    let wants_page =
        req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    if wants_page && !req.uri().path().starts_with("/api/") {
        shop.not_found()
    } else {
        Error::not_found("route_not_found", "No such route.").into_response()
    }
}

pub async fn method_not_allowed() -> Error {
    Error::new(ErrorKind::MethodNotAllowed, "method_not_allowed", "This route does not take that method.")
}

pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    tracing::error!("handler panicked");
    Error::new(ErrorKind::Internal, "internal", "An internal error occurred.").into_response()
}

/// The last word on error bodies: any error answer that is not problem+json yet (a rejection by
/// axum's own extractors, a tower layer, a bad path encoding) is rewritten as one, keeping its
/// status and headers, so that clients parse one error format whatever refused them.
pub async fn problem_only(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_error = status.is_client_error() || status.is_server_error();
    // The storefront answers its errors with pages of its own.
    let own_body = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(kernel::error::PROBLEM_JSON.as_bytes()) || v.as_bytes().starts_with(b"text/html")
    });
    if !is_error || own_body {
        return response;
    }
    let (code, detail) = match status.as_u16() {
        400 => ("bad_request", "The request is malformed: a path segment, header or parameter could not be read."),
        404 => ("route_not_found", "No such route."),
        405 => ("method_not_allowed", "This route does not take that method."),
        408 => ("body_timeout", "The request stopped arriving before it was complete."),
        413 => ("payload_too_large", "The request body is larger than this route accepts."),
        415 => ("unsupported_media_type", "The body's content type is not one this route takes."),
        422 => ("validation_failed", "The request could not be processed."),
        _ => ("http_error", "The request was refused."),
    };
    let problem = kernel::error::Problem {
        r#type: format!("/docs#problem-{code}"),
        title: status.canonical_reason().unwrap_or("Error"),
        status: status.as_u16(),
        code,
        detail,
        errors: &[],
        extensions: None,
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kernel::error::PROBLEM_JSON));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(serde_json::to_vec(&problem).unwrap_or_default()))
}
