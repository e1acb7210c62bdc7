//! `Json<T>`: the request-body extractor every handler uses, so that a bad body always gets
//! the same problem+json answer: 415 for a wrong content type, 413 over the size limit, 400
//! for malformed JSON, 422 naming the field for a missing, unknown or mistyped one.

use crate::error::{Error, ErrorKind, FieldError};
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(Error::new(
                ErrorKind::UnsupportedMediaType,
                "unsupported_media_type",
                "Send the body as JSON with `Content-Type: application/json`.",
            ));
        }
        let bytes = crate::body::read(req, state).await?;
        parse(&bytes).map(Json)
    }
}

/// Deserialises `bytes`, turning serde's error into a problem that names the field.
///
/// Every body is a JSON object (serde would also fill a struct from an array). Numbers are
/// read by their value, as JSON Schema does: `3.0` is the integer 3 (up to 2^53, where a
/// double still holds every integer exactly). Bodies are read straight into `T`; only one
/// that fails on a float where an integer belongs is read a second time, through a value.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        Some(_) if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() => {
            return Err(Error::invalid_field("", "the body must be a JSON object"));
        }
        _ => return Err(invalid_json()),
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(de) {
        Ok(body) => Ok(body),
        Err(err) if err.inner().to_string().starts_with("invalid type: floating point") => {
            let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| invalid_json())?;
            integral_floats(&mut value);
            serde_path_to_error::deserialize(value).map_err(problem)
        }
        Err(err) => Err(problem(err)),
    }
}

fn invalid_json() -> Error {
    Error::bad_request("invalid_json", "The request body is not valid JSON.")
}

fn problem(err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = err.path().to_string();
    let inner = err.into_inner();
    match inner.classify() {
        serde_json::error::Category::Data => {
            let message = strip_position(&inner.to_string());
            // For a missing field the path is its parent; for an unknown one, the field itself.
            let field = match (named_field(&message), path.as_str()) {
                (Some(name), ".") => name.to_owned(),
                (Some(name), p) if p == name || p.ends_with(&format!(".{name}")) => p.to_owned(),
                (Some(name), p) => format!("{p}.{name}"),
                (None, ".") => String::new(),
                (None, p) => p.to_owned(),
            };
            Error::invalid_fields(vec![FieldError { field, message }])
        }
        _ => invalid_json(),
    }
}

const EXACT: f64 = 9_007_199_254_740_992.0;

fn integral_floats(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() <= EXACT) {
                *n = serde_json::Number::from(f as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(integral_floats),
        serde_json::Value::Object(map) => map.values_mut().for_each(integral_floats),
        _ => {}
    }
}

/// serde names the field in the message for missing and unknown fields: "missing field `x`".
fn named_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `").or_else(|| message.strip_prefix("unknown field `"))?;
    rest.split('`').next()
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        email: String,
        age: u32,
    }

    fn field_of(bytes: &[u8]) -> (String, String) {
        let err = parse::<Body>(bytes).expect_err("must fail");
        (err.errors.first().map(|e| e.field.clone()).unwrap_or_default(), err.code.into_owned())
    }

    #[test]
    fn names_the_field_at_fault() {
        assert_eq!(field_of(br#"{"age": 3}"#), ("email".into(), "validation_failed".into()));
        assert_eq!(field_of(br#"{"email": "a", "age": "x"}"#), ("age".into(), "validation_failed".into()));
        assert_eq!(
            field_of(br#"{"email": "a", "age": 1, "role": "admin"}"#),
            ("role".into(), "validation_failed".into())
        );
        assert_eq!(field_of(br#"{"email": "#).1, "invalid_json");
    }

    #[test]
    fn bodies_are_objects_and_numbers_are_read_by_value() {
        assert_eq!(field_of(br#"["a", 3]"#), (String::new(), "validation_failed".into()), "no struct from an array");
        assert_eq!(parse::<Body>(br#"{"email": "a", "age": 3.0}"#).map(|b| b.age).ok(), Some(3));
        assert_eq!(field_of(br#"{"email": "a", "age": 3.5}"#), ("age".into(), "validation_failed".into()));
        assert_eq!(field_of(br#"{"email": "a", "age": 1e300}"#), ("age".into(), "validation_failed".into()));
    }
}
