//! Route access: what each operation's OpenAPI `security` says is what the server enforces.
//!
//! The document is the one statement of who may call what. For every operation it lists the
//! schemes it accepts (`bearer` for login sessions, `api_key` for integrations) and, in each,
//! the scopes the caller needs. This layer reads that table once and checks every request
//! against it before the handler runs:
//!
//! - a session must have a role that may hold each listed scope;
//! - an API key must hold each listed scope, and a route that lists no `api_key` scheme takes
//!   no key at all (403 `insufficient_scope`);
//! - a route that documents no security gets its credential headers removed, so a handler can
//!   never authenticate a caller the document says it does not look at.
//!
//! Handlers and services still check roles and ownership; this is the scope check they share.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kernel::auth::{AuthMethod, Authenticator, Principal, Scope, credentials};
use kernel::{Error, ErrorKind};
use std::collections::HashMap;
use std::sync::Arc;

/// What one operation accepts: per scheme, the scopes it needs.
#[derive(Debug, Clone, Default)]
struct Access {
    bearer: Option<Vec<Scope>>,
    api_key: Option<Vec<Scope>>,
}

/// Every documented operation's access, by route template, then method.
#[derive(Debug, Clone, Default)]
pub struct AccessTable(Arc<HashMap<String, HashMap<Method, Access>>>);

impl AccessTable {
    /// Reads the table from the document. An unknown scope name is a programming error that
    /// must stop start-up, not silently grant access.
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi, known: &[Scope]) -> anyhow::Result<Self> {
        let doc = serde_json::to_value(doc)?;
        let mut table: HashMap<String, HashMap<Method, Access>> = HashMap::new();
        let paths = doc["paths"].as_object().map(|p| p.iter()).into_iter().flatten();
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let Ok(method) = method.to_uppercase().parse::<Method>() else { continue };
                let Some(requirements) = op.get("security").and_then(|s| s.as_array()) else { continue };
                let mut access = Access::default();
                for requirement in requirements {
                    for (scheme, scopes) in requirement.as_object().into_iter().flatten() {
                        let scopes = scopes
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|s| {
                                let name = s.as_str().unwrap_or_default();
                                known
                                    .iter()
                                    .find(|s| s.as_str() == name)
                                    .copied()
                                    .ok_or_else(|| anyhow::anyhow!("{method} {path}: unknown scope `{name}`"))
                            })
                            .collect::<anyhow::Result<Vec<_>>>()?;
                        match scheme.as_str() {
                            "bearer" => access.bearer = Some(scopes),
                            "api_key" => access.api_key = Some(scopes),
                            other => anyhow::bail!("{method} {path}: unknown security scheme `{other}`"),
                        }
                    }
                }
                table.entry(path.clone()).or_default().insert(method, access);
            }
        }
        Ok(Self(Arc::new(table)))
    }

    fn get(&self, method: &Method, path: &str) -> Option<&Access> {
        let method = if method == Method::HEAD { &Method::GET } else { method };
        self.0.get(path)?.get(method)
    }
}

/// The layer: authenticate once, check the operation's scopes, hand the principal on.
pub async fn enforce(State(table): State<AccessTable>, mut req: Request, next: Next) -> Response {
    if credentials(req.headers()).map(|c| c.is_none()).unwrap_or(false) {
        return next.run(req).await;
    }
    let route = req.extensions().get::<MatchedPath>().cloned();
    let Some(access) = route.as_ref().and_then(|r| table.get(req.method(), r.as_str())) else {
        strip_credentials(req.headers_mut());
        return next.run(req).await;
    };
    let authenticator = req.extensions().get::<Authenticator>().cloned();
    let principal = match authenticate(req.headers().clone(), authenticator).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = check(access, &principal) {
        return e.into_response();
    }
    kernel::origin::set_actor(&principal);
    req.extensions_mut().insert(principal);
    next.run(req).await
}

// Owned arguments: a request body is not `Sync`, so the request itself cannot be held across
// the await.
async fn authenticate(headers: HeaderMap, authenticator: Option<Authenticator>) -> kernel::Result<Principal> {
    let credentials = credentials(&headers)?.ok_or_else(|| Error::internal("credentials vanished"))?;
    let authenticator = authenticator.ok_or_else(|| Error::internal("no authenticator installed"))?;
    authenticator.0.authenticate(credentials).await
}

fn check(access: &Access, principal: &Principal) -> kernel::Result<()> {
    let scopes = match principal.method {
        AuthMethod::Session { .. } => access.bearer.as_ref().ok_or_else(|| {
            Error::new(ErrorKind::Forbidden, "forbidden", "This route takes an API key, not a login session.")
        })?,
        AuthMethod::ApiKey { .. } => access.api_key.as_ref().ok_or_else(|| {
            Error::new(ErrorKind::Forbidden, "insufficient_scope", "This route needs a login session, not an API key.")
        })?,
    };
    scopes.iter().try_for_each(|scope| principal.require_scope(*scope))
}

fn strip_credentials(headers: &mut HeaderMap) {
    headers.remove(header::AUTHORIZATION);
    headers.remove("x-api-key");
}
