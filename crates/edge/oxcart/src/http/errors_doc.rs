//! The error half of the API document, written once for every operation instead of by hand
//! in each handler: what the platform itself may answer (malformed input, credentials, body
//! limits, timeouts, rate limits), always as `application/problem+json` with the `Problem`
//! schema, plus a `default` entry for the business errors an operation names in its text.

use kernel::ErrorKind;
use kernel::error::{ErrorCode, PLATFORM_ERRORS};
use module::Module;
use std::collections::HashMap;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};

const PROBLEM_JSON: &str = kernel::error::PROBLEM_JSON;

/// Rewrites every operation's error answers as problem+json and adds the platform's ones,
/// each described by the codes of its kind from the platform's table and the table of the
/// context that owns the operation.
pub fn document_errors(doc: &mut OpenApi, modules: &[Module]) {
    let mut owner: HashMap<(String, &'static str), &[ErrorCode]> = HashMap::new();
    for m in modules {
        for (path, item) in &m.routes.get_openapi().paths.paths {
            for (method, op) in methods(item) {
                if op.is_some() {
                    owner.insert((format!("/api/v1{path}"), method), m.errors);
                }
            }
        }
    }
    // Credentials are checked for every route by the users context: its codes are everyone's.
    let every: Vec<ErrorCode> = modules.iter().flat_map(|m| m.errors).copied().collect();
    for (path, item) in doc.paths.paths.iter_mut() {
        let owned: Vec<_> = methods(item).map(|(m, _)| owner.get(&(path.clone(), m)).copied().unwrap_or(&[])).collect();
        for (op, own) in operations(item).zip(owned) {
            let Some(op) = op else { continue };
            problem_content(op);
            platform_errors(path, op, own, &every);
        }
    }
}

fn methods(item: &PathItem) -> impl Iterator<Item = (&'static str, &Option<Operation>)> {
    [
        ("get", &item.get),
        ("post", &item.post),
        ("put", &item.put),
        ("patch", &item.patch),
        ("delete", &item.delete),
        ("head", &item.head),
    ]
    .into_iter()
}

/// The same slots as [`methods`], in the same order, to change.
fn operations(item: &mut PathItem) -> impl Iterator<Item = Option<&mut Operation>> {
    [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete, &mut item.head]
        .into_iter()
        .map(Option::as_mut)
}

fn problem() -> Content {
    Content::new(Some(Ref::from_schema_name("Problem")))
}

/// Error bodies are served as `application/problem+json`; utoipa writes `application/json`.
fn problem_content(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else { continue };
        if !status.starts_with(['4', '5']) {
            continue;
        }
        if response.content.shift_remove("application/json").is_some() || response.content.is_empty() {
            response.content.insert(PROBLEM_JSON.into(), RefOr::T(problem()));
        }
    }
}

fn error(description: &str) -> RefOr<Response> {
    RefOr::T(ResponseBuilder::new().description(description).content(PROBLEM_JSON, problem()).build())
}

/// What a status means, then the codes of its kind the operation may answer: the platform's
/// and those of the context that owns it.
fn describe(status: &str, own: &[ErrorCode]) -> Option<String> {
    let (kind, hint) = match status {
        "400" => (ErrorKind::BadRequest, "Malformed request"),
        "401" => (ErrorKind::Unauthenticated, "Missing or refused credentials"),
        "402" => (ErrorKind::PaymentRequired, "The payment was declined; nothing was charged"),
        "403" => (ErrorKind::Forbidden, "The caller's role or the API key's scopes do not allow this"),
        "404" => (ErrorKind::NotFound, "No such resource, or not the caller's"),
        "405" => (ErrorKind::MethodNotAllowed, "Not with this method"),
        "408" => (ErrorKind::RequestTimeout, "The body stopped arriving"),
        "409" => (ErrorKind::Conflict, "The request conflicts with the current state"),
        "413" => (ErrorKind::PayloadTooLarge, "The body is too large"),
        "415" => (ErrorKind::UnsupportedMediaType, "The body's type is not accepted"),
        "422" => (ErrorKind::Invalid, "The content breaks a rule; `errors` names each field"),
        "429" => (ErrorKind::RateLimited, "Too many requests; wait for `Retry-After` seconds"),
        "503" => (ErrorKind::Unavailable, "Busy or not ready; retry shortly"),
        _ => return None,
    };
    let mut seen: Vec<&str> = Vec::new();
    // A documented operation was found, so the router's own 404 is not among its answers.
    for c in PLATFORM_ERRORS.iter().chain(own).filter(|c| c.kind == kind && c.code != "route_not_found") {
        if !seen.contains(&c.code) {
            seen.push(c.code);
        }
    }
    let codes: Vec<String> = seen.iter().map(|c| format!("`{c}`")).collect();
    Some(if codes.is_empty() { hint.to_owned() } else { format!("{hint}: {}", codes.join(", ")) })
}

fn platform_errors(path: &str, op: &mut Operation, own: &[ErrorCode], every: &[ErrorCode]) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = matches!(&op.request_body, Some(RefOr::T(b)) if !b.content.is_empty());
    let has_query =
        op.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
    let mut statuses = vec!["400", "429", "503"];
    if secured {
        statuses.extend(["401", "403"]);
    }
    if path.contains('{') {
        statuses.push("404");
    }
    if has_body {
        statuses.extend(["408", "413", "415"]);
    }
    if has_body || has_query {
        statuses.push("422");
    }
    for status in statuses {
        op.responses.responses.entry(status.into()).or_insert_with(|| error(""));
    }
    // Every error response, the handler's own too, is described from the tables.
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else { continue };
        let codes = if status == "401" { every } else { own };
        if response.description.is_empty()
            && let Some(description) = describe(status, codes)
        {
            response.description = description;
        }
    }
    let business: Vec<String> = own.iter().map(|c| format!("`{}` ({})", c.code, c.kind.status().as_u16())).collect();
    let default = if business.is_empty() {
        "Any other error, as problem+json with a stable `code` (see /docs#problems)".to_owned()
    } else {
        format!(
            "Any other error, as problem+json with a stable `code` (see /docs#problems); this context's: {}",
            business.join(", ")
        )
    };
    op.responses.responses.entry("default".into()).or_insert_with(|| error(&default));
}
