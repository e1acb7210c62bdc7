//! Request bodies under the platform's rules: a body whose declared length is over the route's
//! limit is refused before a byte is read (413 at once, instead of waiting for bytes that may
//! never come), and a body that stops arriving is 408. Every way a read can fail becomes a
//! problem with a stable code.

use crate::error::{Error, ErrorKind};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};

/// The body limit of the route, as a request extension. Set beside `DefaultBodyLimit` (which
/// enforces it while reading) by whoever sets the route's limit; the innermost one wins.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// 413 when the request declares a body longer than its route accepts.
pub fn length_check(parts: &Parts) -> Result<(), Error> {
    let Some(BodyLimit(limit)) = parts.extensions.get::<BodyLimit>().copied() else { return Ok(()) };
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => Err(too_large()),
        _ => Ok(()),
    }
}

fn too_large() -> Error {
    Error::new(ErrorKind::PayloadTooLarge, "payload_too_large", "The request body is larger than this route accepts.")
}

/// The whole body, read under the route's limit and the idle timeout set by the platform.
pub async fn read<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Error> {
    let (parts, body) = req.into_parts();
    length_check(&parts)?;
    Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(rejection)
}

fn rejection(rejection: BytesRejection) -> Error {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&rejection);
    while let Some(e) = cause {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return Error::new(ErrorKind::RequestTimeout, "body_timeout", "The request body stopped arriving.");
        }
        cause = e.source();
    }
    Error::bad_request("unreadable_body", "The request body could not be read.")
}

/// A raw body (CSV, bytes) extracted under the same rules as JSON bodies.
pub struct Body(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        read(req, state).await.map(Body)
    }
}

/// Checks the declared length before a streaming extractor (multipart) starts reading.
pub struct LengthChecked;

impl<S: Send + Sync> FromRequestParts<S> for LengthChecked {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        length_check(parts).map(|()| LengthChecked)
    }
}
