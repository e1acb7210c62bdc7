//! `Idempotency-Key` for the whole API (DESIGN.md §5). An operation that documents the header
//! takes part: the first answer to a key (status and body) is kept for the caller and replayed
//! to any retry with `Idempotent-Replayed: true`; the same key with another request is 422
//! `idempotency_key_reused`; a retry while the first is still being served is 409
//! `idempotency_in_flight`; a missing key where the document requires one is 400. Keys are
//! scoped to the caller (the principal, else the guest cart token, else the address) and kept
//! `server.idempotency_ttl_hours`. Server errors (5xx) are not kept, so a retry runs again.

use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kernel::auth::Principal;
use kernel::body::BodyLimit;
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use store::Db;

/// Which operations take a key, and whether they require one, read from the API document.
#[derive(Clone)]
pub struct Idempotency {
    /// By route template, then method (looked up without allocating, on every API request).
    routes: Arc<HashMap<String, HashMap<Method, Route>>>,
    db: Db,
    ttl: Duration,
    /// No request runs longer than this (the server's deadline and a margin): an unanswered
    /// claim older than it belonged to a request that died, and is taken over.
    in_flight_max: Duration,
}

const HEADER: &str = "idempotency-key";
#[derive(Clone, Copy)]
struct Route {
    /// The document marks the key required.
    required: bool,
    /// The operation needs credentials: without them it answers 401, whatever the key.
    secured: bool,
}

/// Answers larger than this are not kept (and so not replayed): no money route answers one.
const MAX_KEPT: usize = 256 * 1024;

impl Idempotency {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi, db: Db, ttl: Duration, in_flight_max: Duration) -> Self {
        let mut routes: HashMap<String, HashMap<Method, Route>> = HashMap::new();
        for (path, item) in &doc.paths.paths {
            let ops = [
                (Method::GET, &item.get),
                (Method::POST, &item.post),
                (Method::PUT, &item.put),
                (Method::PATCH, &item.patch),
                (Method::DELETE, &item.delete),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                let param = op.parameters.iter().flatten().find_map(|p| match p {
                    utoipa::openapi::RefOr::T(p) if p.name.eq_ignore_ascii_case(HEADER) => Some(p),
                    _ => None,
                });
                if let Some(param) = param {
                    let required = matches!(param.required, utoipa::openapi::Required::True);
                    // `()` among the requirements makes credentials optional.
                    let optional = |r: &utoipa::openapi::security::SecurityRequirement| {
                        serde_json::to_value(r).ok().and_then(|v| v.as_object().map(|o| o.is_empty())).unwrap_or(false)
                    };
                    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty() && !s.iter().any(optional));
                    routes.entry(path.clone()).or_default().insert(method, Route { required, secured });
                }
            }
        }
        Self { routes: Arc::new(routes), db, ttl, in_flight_max }
    }
}

fn problem(kind: ErrorKind, code: &'static str, detail: &'static str) -> Response {
    Error::new(kind, code, detail).into_response()
}

pub async fn enforce(State(idem): State<Idempotency>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>();
    let Some(Route { required, secured }) =
        route.and_then(|r| idem.routes.get(r.as_str())).and_then(|m| m.get(req.method())).copied()
    else {
        return next.run(req).await;
    };
    if secured && req.extensions().get::<Principal>().is_none() {
        return next.run(req).await; // unauthenticated: the handler answers 401 first
    }
    let key = match req.headers().get(HEADER).map(|v| v.to_str().map(str::trim)) {
        None if required => {
            return problem(
                ErrorKind::BadRequest,
                "idempotency_key_missing",
                "This route needs an `Idempotency-Key` header.",
            );
        }
        None => return next.run(req).await,
        // Kept as a hash: a key is the client's text, and may hold anything (a card number too).
        Some(Ok(k)) if !k.is_empty() && k.len() <= 255 => hex(&Sha256::digest(k.as_bytes())),
        Some(_) => {
            return problem(
                ErrorKind::BadRequest,
                "idempotency_key_invalid",
                "`Idempotency-Key` must be 1-255 visible characters.",
            );
        }
    };
    let scope = scope_of(&req);
    let limit = req.extensions().get::<BodyLimit>().map_or(1024 * 1024, |l| l.0);
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, limit).await else {
        return problem(
            ErrorKind::PayloadTooLarge,
            "payload_too_large",
            "The request body is larger than this route accepts.",
        );
    };
    let mut hash = Sha256::new();
    hash.update(parts.method.as_str());
    hash.update(b" ");
    hash.update(parts.uri.path());
    hash.update(b"\n");
    hash.update(&bytes);
    let hash = hex(&hash.finalize());

    let now = Timestamp::now().as_micros();
    let expires = now + idem.ttl.as_micros() as i64;
    let abandoned_before = now - idem.in_flight_max.as_micros() as i64;
    match store::idempotency::claim(&idem.db, &scope, &key, &hash, now, expires, abandoned_before).await {
        Err(e) => return Error::from(e).into_response(),
        // Still being served: 409 whatever this request is, as the first may yet fail.
        Ok(Some(held)) if held.status.is_none() => return replay(held),
        Ok(Some(held)) if held.request_hash != hash => {
            return problem(
                ErrorKind::Invalid,
                "idempotency_key_reused",
                "This `Idempotency-Key` was used for another request; use a new key for a new request.",
            );
        }
        Ok(Some(held)) => return replay(held),
        Ok(None) => {}
    }
    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    keep(&idem.db, &scope, &key, response).await
}

/// The caller a key belongs to: two callers may use the same key without meeting.
fn scope_of(req: &Request) -> String {
    if let Some(p) = req.extensions().get::<Principal>() {
        return format!("user:{}", p.user_id);
    }
    if let Some(token) = req.headers().get("x-cart-token").and_then(|v| v.to_str().ok()) {
        return format!("cart:{}", hex(&Sha256::digest(token.as_bytes())));
    }
    let ip = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string());
    format!("ip:{}", ip.unwrap_or_else(|| "unknown".into()))
}

fn replay(held: store::idempotency::Claimed) -> Response {
    let (Some(status), Some(body)) = (held.status, held.body) else {
        return problem(
            ErrorKind::Conflict,
            "idempotency_in_flight",
            "A request with this `Idempotency-Key` is still being served; retry when it is done.",
        );
    };
    let status = axum::http::StatusCode::from_u16(status as u16).unwrap_or(axum::http::StatusCode::OK);
    let mut response = (status, body).into_response();
    let content_type = held.content_type.unwrap_or_else(|| "application/json".into());
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

/// Keeps the answer for replays and sends it on. A server error, or any answer that says when
/// to ask again (`Retry-After`: busy, rate-limited, still under way), is not an outcome: the
/// key is given up so that the retry is served.
async fn keep(db: &Db, scope: &str, key: &str, response: Response) -> Response {
    let status = response.status();
    if status.is_server_error() || response.headers().contains_key(header::RETRY_AFTER) {
        if let Err(e) = store::idempotency::release(db, scope, key).await {
            tracing::warn!(error = %e, "could not release an idempotency key");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_KEPT).await else {
        let _ = store::idempotency::release(db, scope, key).await;
        return problem(ErrorKind::Internal, "internal", "An internal error occurred.");
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let text = String::from_utf8_lossy(&bytes);
    if let Err(e) = store::idempotency::finish(db, scope, key, status.as_u16(), &content_type, &text).await {
        // The effect happened; without a kept answer a retry would be served again, so say so.
        tracing::error!(error = %e, "could not keep an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The platform's own clean-up: answers past their time are deleted.
pub fn sweeper(db: Db) -> module::Sweeper {
    module::Sweeper {
        done: "deleted expired idempotency answers",
        every: Duration::from_secs(300),
        run: Arc::new(move |now| {
            let db = db.clone();
            Box::pin(async move { Ok(store::idempotency::purge(&db, now.as_micros()).await?) })
        }),
    }
}
