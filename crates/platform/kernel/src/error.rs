//! The one place that maps errors to HTTP statuses.
//!
//! Contexts describe failures with an [`ErrorKind`] and a stable `code`; the kind alone decides
//! the status. Internal errors are logged with their cause and answered with a generic body, so
//! no SQL, path or stack trace ever reaches a client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is malformed (bad JSON, bad parameter).
    BadRequest,
    /// The request is well-formed but its content breaks a rule.
    Invalid,
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    /// The client was too slow sending its request.
    RequestTimeout,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    Unavailable,
    Internal,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Conflict => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// A field that failed validation, named as the client sent it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An error on its way to becoming a problem+json response.
#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    /// Stable, machine-readable code (`email_taken`, `invalid_json`…). Clients branch on it.
    pub code: &'static str,
    pub detail: Cow<'static, str>,
    pub errors: Vec<FieldError>,
    pub retry_after_secs: Option<u64>,
    /// The cause of an internal error: logged, never sent.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub fn new(kind: ErrorKind, code: &'static str, detail: impl Into<Cow<'static, str>>) -> Self {
        Self { kind, code, detail: detail.into(), errors: Vec::new(), retry_after_secs: None, source: None }
    }

    pub fn not_found(code: &'static str, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::NotFound, code, detail)
    }

    pub fn conflict(code: &'static str, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::Conflict, code, detail)
    }

    pub fn bad_request(code: &'static str, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::BadRequest, code, detail)
    }

    pub fn unauthenticated(code: &'static str, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::Unauthenticated, code, detail)
    }

    pub fn forbidden(detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::Forbidden, "forbidden", detail)
    }

    /// A validation failure of one field: 422 `validation_failed`, naming the field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::invalid_fields(vec![FieldError { field: field.to_owned(), message: message.into() }])
    }

    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(ErrorKind::Invalid, "validation_failed", "One or more fields are invalid.");
        e.errors = errors;
        e
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let mut e = Self::new(ErrorKind::RateLimited, "rate_limited", "Too many requests; retry later.");
        e.retry_after_secs = Some(retry_after_secs.max(1));
        e
    }

    /// An unexpected failure. The cause is logged when the response is built.
    pub fn internal(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        let mut e = Self::new(ErrorKind::Internal, "internal", "An internal error occurred.");
        e.source = Some(source.into());
        e
    }

    pub fn status(&self) -> StatusCode {
        self.kind.status()
    }

    pub fn problem(&self) -> Problem<'_> {
        let status = self.status();
        Problem {
            r#type: format!("/docs#problem-{}", self.code),
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            code: self.code,
            detail: &self.detail,
            errors: &self.errors,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.detail)?;
        if let Some(source) = &self.source {
            write!(f, " ({source})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The RFC 9457 body. `type` points at the code's entry in the reference page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem<'a> {
    #[schema(example = "/docs#problem-validation_failed")]
    pub r#type: String,
    pub title: &'a str,
    pub status: u16,
    /// Stable machine-readable error code.
    pub code: &'a str,
    pub detail: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub errors: &'a [FieldError],
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if self.kind == ErrorKind::Internal {
            tracing::error!(error = %self, "internal error");
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (self.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if self.kind == ErrorKind::Unauthenticated {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after_secs {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// Gathers field errors so that a form is answered with all its faults at once.
#[derive(Debug, Default)]
pub struct Validation(Vec<FieldError>);

impl Validation {
    /// The value of `r`, or its default after keeping its field errors.
    pub fn check<T: Default>(&mut self, r: Result<T>) -> T {
        r.unwrap_or_else(|e| {
            self.0.extend(e.errors);
            T::default()
        })
    }

    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), message: message.into() });
    }

    /// 422 with every error seen, or Ok when there was none.
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() { Ok(()) } else { Err(Error::invalid_fields(self.0)) }
    }
}

/// The platform's own problem codes and what they mean, listed on the reference page.
pub const PROBLEMS: &[(&str, &str)] = &[
    ("validation_failed", "One or more fields are invalid; `errors` names each field and what is wrong."),
    ("invalid_json", "The body is not valid JSON."),
    ("unsupported_media_type", "The body must be sent as `application/json`."),
    ("payload_too_large", "The body is larger than this route accepts."),
    ("unreadable_body", "The body could not be read."),
    ("body_timeout", "The body stopped arriving before it was complete."),
    ("bad_request", "The request could not be understood (a malformed path, header or parameter)."),
    ("http_error", "The server refused the request at the protocol level; the status says why."),
    ("invalid_query", "A query parameter is invalid; `errors` names it."),
    ("invalid_limit", "`limit` is outside 1–100."),
    ("invalid_cursor", "`cursor` was not issued by this API."),
    ("unauthenticated", "The route needs a bearer token or an API key."),
    ("invalid_credentials", "The `Authorization` or `X-Api-Key` header is malformed."),
    ("invalid_token", "The access token is invalid, forged or expired."),
    ("session_ended", "The session was logged out, revoked or expired, or the account was disabled."),
    ("forbidden", "The caller's role may not do this."),
    ("insufficient_scope", "The API key lacks the scope this route needs."),
    ("rate_limited", "Too many requests; wait for the seconds in `Retry-After`."),
    ("route_not_found", "No route has this path."),
    ("method_not_allowed", "The route exists but not with this method."),
    ("request_timeout", "The request ran past the server's deadline."),
    ("database_busy", "The database is saturated; retry shortly."),
    ("too_many_connections", "The server is at its connection limit (`server.max_connections`); retry shortly."),
    ("concurrent_change", "Two requests wrote the same unique thing at once; this one lost the race. Retry it."),
    ("not_ready", "The server cannot reach its database."),
    ("internal", "An unexpected error; the server logged it with the request id."),
];
