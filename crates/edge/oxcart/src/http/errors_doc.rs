//! The error half of the API document, written once for every operation instead of by hand
//! in each handler: what the platform itself may answer (malformed input, credentials, body
//! limits, timeouts, rate limits), always as `application/problem+json` with the `Problem`
//! schema, plus a `default` entry for the business errors an operation names in its text.

use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};

const PROBLEM_JSON: &str = kernel::error::PROBLEM_JSON;

/// Rewrites every operation's error answers as problem+json and adds the platform's ones.
pub fn document_errors(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        for op in operations(item) {
            problem_content(op);
            platform_errors(path, op);
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete, &mut item.head]
        .into_iter()
        .filter_map(Option::as_mut)
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

fn platform_errors(path: &str, op: &mut Operation) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = matches!(&op.request_body, Some(RefOr::T(b)) if !b.content.is_empty());
    let has_query =
        op.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
    let mut add = |status: &str, description: &str| {
        op.responses.responses.entry(status.into()).or_insert_with(|| error(description));
    };
    add("400", "Malformed request: `bad_request`, `invalid_json`, `invalid_query`, `invalid_limit`, `invalid_cursor`");
    if secured {
        add("401", "`unauthenticated`, `invalid_credentials`, `invalid_token`, `session_ended`, `invalid_api_key`");
        add("403", "`forbidden` (the caller's role), `insufficient_scope` (the API key's scopes)");
    }
    if path.contains('{') {
        add("404", "No such resource, or not the caller's");
    }
    if has_body {
        add("408", "`body_timeout`: the body stopped arriving");
        add("413", "`payload_too_large`");
        add("415", "`unsupported_media_type`");
    }
    if has_body || has_query {
        add("422", "`validation_failed`: `errors` names each field");
    }
    add("429", "`rate_limited`: wait for `Retry-After` seconds");
    add("503", "`request_timeout`, `database_busy`, `not_ready`: retry shortly");
    add("default", "Any other error, as problem+json with a stable `code` (see /docs#problems)");
}
