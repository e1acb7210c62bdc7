//! The one place that maps errors to HTTP statuses.
//!
//! Contexts describe failures with an [`ErrorKind`] and a stable `code`; the kind alone decides
//! the status. Internal errors are logged with their cause and answered with a generic body, so
//! no SQL, path or stack trace ever reaches a client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request is malformed (bad JSON, bad parameter).
    BadRequest,
    /// The request is well-formed but its content breaks a rule.
    Invalid,
    Unauthenticated,
    /// The payment was declined (402).
    PaymentRequired,
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
    /// Every kind, for reading a status back into its kind.
    pub const ALL: [ErrorKind; 14] = [
        Self::BadRequest,
        Self::Invalid,
        Self::Unauthenticated,
        Self::PaymentRequired,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::RequestTimeout,
        Self::Conflict,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::RateLimited,
        Self::Unavailable,
        Self::Internal,
    ];

    /// The kind a status stands for; an unknown 4xx is a bad request, anything else internal.
    pub fn from_status(status: u16) -> Self {
        Self::ALL.into_iter().find(|k| k.status().as_u16() == status).unwrap_or(if (400..500).contains(&status) {
            Self::BadRequest
        } else {
            Self::Internal
        })
    }

    pub fn status(self) -> StatusCode {
        match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::PaymentRequired => StatusCode::PAYMENT_REQUIRED,
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

/// One entry of a context's error table: the stable code clients branch on, the kind that
/// decides its status, and what it means (shown on `/docs` and in the API document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    pub code: &'static str,
    pub kind: ErrorKind,
    pub meaning: &'static str,
}

impl ErrorCode {
    pub const fn new(code: &'static str, kind: ErrorKind, meaning: &'static str) -> Self {
        Self { code, kind, meaning }
    }
}

/// A field that failed validation, named as the client sent it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An error on its way to becoming a problem+json response.
#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    /// Stable, machine-readable code (`email_taken`, `invalid_json`…). Clients branch on it.
    /// Owned when the error was read back from another process's problem+json.
    pub code: Cow<'static, str>,
    pub detail: Cow<'static, str>,
    pub errors: Vec<FieldError>,
    pub retry_after_secs: Option<u64>,
    /// Members added to the problem body beside the standard ones (RFC 9457 §3.2), for
    /// answers a client acts on: the new totals of a cart whose prices moved.
    /// Boxed: most errors have none, and `Result<T, Error>` stays small.
    pub extensions: Option<Box<serde_json::Map<String, serde_json::Value>>>,
    /// The cause of an internal error: logged, never sent.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub fn new(kind: ErrorKind, code: &'static str, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            code: Cow::Borrowed(code),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
            extensions: None,
            source: None,
        }
    }

    /// The error a table entry names, its kind taken from the table.
    pub fn of(code: &ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self::new(code.kind, code.code, detail)
    }

    /// The error another process answered, read back from its status, headers and
    /// problem+json body, so that a remote call fails the same way an in-process one does.
    /// A body that is not a problem becomes `upstream_error` of the status's kind.
    pub fn from_problem(status: u16, retry_after_secs: Option<u64>, body: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Body {
            code: String,
            #[serde(default)]
            detail: String,
            #[serde(default)]
            errors: Vec<FieldError>,
            #[serde(flatten)]
            extensions: serde_json::Map<String, serde_json::Value>,
        }
        let kind = ErrorKind::from_status(status);
        let mut e = match serde_json::from_slice::<Body>(body) {
            Ok(b) if !b.code.is_empty() => {
                let mut e = Self::new(kind, "", b.detail);
                e.code = Cow::Owned(b.code);
                e.errors = b.errors;
                for (k, v) in b.extensions {
                    if !matches!(k.as_str(), "type" | "title" | "status") {
                        e = e.with_extension(&k, v);
                    }
                }
                e
            }
            _ => Self::new(kind, "upstream_error", format!("The upstream service answered {status}.")),
        };
        e.retry_after_secs = retry_after_secs;
        e
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

    /// A backend this request needs (Redis, the broker, object storage) does not answer: 503
    /// with `Retry-After`, logged with its cause; the request may simply be retried.
    pub fn backend_unavailable(backend: &str, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        let mut e = Self::new(
            ErrorKind::Unavailable,
            "backend_unavailable",
            format!("{backend} does not answer; retry shortly."),
        );
        e.retry_after_secs = Some(2);
        e.source = Some(source.into());
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
            code: &self.code,
            detail: &self.detail,
            errors: &self.errors,
            extensions: self.extensions.as_deref(),
        }
    }

    /// Adds a member to the problem body; the standard members cannot be replaced.
    pub fn with_extension(mut self, key: &str, value: serde_json::Value) -> Self {
        if !matches!(key, "type" | "title" | "status" | "code" | "detail" | "errors") {
            self.extensions.get_or_insert_default().insert(key.to_owned(), value);
        }
        self
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
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(ignore)]
    pub extensions: Option<&'a serde_json::Map<String, serde_json::Value>>,
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if self.kind == ErrorKind::Internal {
            tracing::error!(error = %self, "internal error");
        } else if self.code == "backend_unavailable" {
            tracing::warn!(error = %self, "a backend does not answer");
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

/// The platform's own error codes: those any route may answer, whatever its context.
pub const PLATFORM_ERRORS: &[ErrorCode] = &[
    ErrorCode::new(
        "validation_failed",
        ErrorKind::Invalid,
        "One or more fields are invalid; `errors` names each field and what is wrong.",
    ),
    ErrorCode::new("invalid_json", ErrorKind::BadRequest, "The body is not valid JSON."),
    ErrorCode::new(
        "unsupported_media_type",
        ErrorKind::UnsupportedMediaType,
        "The body must be sent as `application/json`.",
    ),
    ErrorCode::new("payload_too_large", ErrorKind::PayloadTooLarge, "The body is larger than this route accepts."),
    ErrorCode::new("unreadable_body", ErrorKind::BadRequest, "The body could not be read."),
    ErrorCode::new("body_timeout", ErrorKind::RequestTimeout, "The body stopped arriving before it was complete."),
    ErrorCode::new(
        "bad_request",
        ErrorKind::BadRequest,
        "The request could not be understood (a malformed path, header or parameter).",
    ),
    ErrorCode::new(
        "http_error",
        ErrorKind::BadRequest,
        "The server refused the request at the protocol level; the status says why.",
    ),
    ErrorCode::new("invalid_query", ErrorKind::BadRequest, "A query parameter is invalid; `errors` names it."),
    ErrorCode::new("invalid_limit", ErrorKind::BadRequest, "`limit` is outside 1–100."),
    ErrorCode::new("invalid_cursor", ErrorKind::BadRequest, "`cursor` was not issued by this API."),
    ErrorCode::new("unauthenticated", ErrorKind::Unauthenticated, "The route needs a bearer token or an API key."),
    ErrorCode::new(
        "invalid_credentials",
        ErrorKind::Unauthenticated,
        "The `Authorization` or `X-Api-Key` header is malformed.",
    ),
    ErrorCode::new("invalid_token", ErrorKind::Unauthenticated, "The access token is invalid, forged or expired."),
    ErrorCode::new(
        "session_ended",
        ErrorKind::Unauthenticated,
        "The session was logged out, revoked or expired, or the account was disabled.",
    ),
    ErrorCode::new("forbidden", ErrorKind::Forbidden, "The caller's role may not do this."),
    ErrorCode::new("insufficient_scope", ErrorKind::Forbidden, "The API key lacks the scope this route needs."),
    ErrorCode::new("rate_limited", ErrorKind::RateLimited, "Too many requests; wait for the seconds in `Retry-After`."),
    ErrorCode::new("route_not_found", ErrorKind::NotFound, "No route has this path."),
    ErrorCode::new("method_not_allowed", ErrorKind::MethodNotAllowed, "The route exists but not with this method."),
    ErrorCode::new("request_timeout", ErrorKind::Unavailable, "The request ran past the server's deadline."),
    ErrorCode::new("database_busy", ErrorKind::Unavailable, "The database is saturated; retry shortly."),
    ErrorCode::new(
        "too_many_connections",
        ErrorKind::Unavailable,
        "The server is at its connection limit (`server.max_connections`); retry shortly.",
    ),
    ErrorCode::new(
        "concurrent_change",
        ErrorKind::Conflict,
        "Two requests wrote the same unique thing at once; this one lost the race. Retry it.",
    ),
    ErrorCode::new(
        "not_ready",
        ErrorKind::Unavailable,
        "The server cannot reach its database or a configured backend.",
    ),
    ErrorCode::new(
        "backend_unavailable",
        ErrorKind::Unavailable,
        "A backend this request needs (Redis, the broker, object storage) does not answer; retry after `Retry-After`.",
    ),
    ErrorCode::new("internal", ErrorKind::Internal, "An unexpected error; the server logged it with the request id."),
    ErrorCode::new("idempotency_key_missing", ErrorKind::BadRequest, "This route needs an `Idempotency-Key` header."),
    ErrorCode::new(
        "idempotency_key_invalid",
        ErrorKind::BadRequest,
        "`Idempotency-Key` must be 1-255 visible characters.",
    ),
    ErrorCode::new(
        "idempotency_key_reused",
        ErrorKind::Invalid,
        "The `Idempotency-Key` was used before for a different request; a new request needs a new key.",
    ),
    ErrorCode::new(
        "idempotency_in_flight",
        ErrorKind::Conflict,
        "A request with this `Idempotency-Key` is still being served; retry when it is done.",
    ),
    ErrorCode::new(
        "upstream_error",
        ErrorKind::Internal,
        "Another Oxcart process answered with something other than a problem; the status says how it failed.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_back_into_the_same_error() {
        let mut sent = Error::conflict("sku_taken", "Another product has this SKU.");
        sent.errors = vec![FieldError { field: "sku".into(), message: "is taken".into() }];
        sent = sent.with_extension("totals", serde_json::json!({"total": 1200})).with_extension("code", "x".into());
        let body = serde_json::to_vec(&sent.problem()).expect("json");
        let back = Error::from_problem(409, None, &body);
        assert_eq!(
            (back.kind, back.code.as_ref(), back.detail.as_ref()),
            (sent.kind, "sku_taken", "Another product has this SKU.")
        );
        assert_eq!(back.errors, sent.errors);
        assert_eq!(back.status(), sent.status());
        assert_eq!(back.extensions, sent.extensions, "extensions travel, the standard members stay standard");
        assert_eq!(back.extensions.as_ref().map(|m| m.len()), Some(1));

        let limited = Error::from_problem(429, Some(3), br#"{"code":"rate_limited","detail":"slow down"}"#);
        assert_eq!((limited.kind, limited.retry_after_secs), (ErrorKind::RateLimited, Some(3)));
        let garbage = Error::from_problem(502, None, b"<html>bad gateway</html>");
        assert_eq!((garbage.kind, garbage.code.as_ref()), (ErrorKind::Internal, "upstream_error"));
        assert_eq!(ErrorKind::from_status(418), ErrorKind::BadRequest);
    }

    #[test]
    fn platform_codes_are_unique() {
        let mut codes: Vec<_> = PLATFORM_ERRORS.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(before, codes.len());
    }
}
