//! Walks every operation in the OpenAPI document and checks that the server does what the
//! document's `security` says, whatever each handler's own code does:
//! - without credentials, an operation that requires them answers 401, a public one does not;
//! - a customer's token on an operation whose scopes need a higher role answers 403;
//! - an admin's API key holding one unrelated scope answers 403 `insufficient_scope` on every
//!   operation that takes credentials (the role alone would pass), and changes nothing on a
//!   public one;
//! - every `#[utoipa::path]` in the sources is in the document, so no route goes missing.

use axum::http::{Method, StatusCode};
use kernel::auth::{Role, Scope};
use serde_json::{Value, json};
use testkit::{TestApp, TestBackend};

struct Op {
    method: Method,
    path: String,
    concrete: String,
    /// `None`: public; `Some(true)`: credentials optional; `Some(false)`: required.
    security: Option<bool>,
    bearer: Vec<Scope>,
    api_key: Option<Vec<Scope>>,
}

/// The scopes a requirement names; a name no context declares fails the walk.
fn scopes(requirement: &Value, known: &[Scope]) -> Vec<Scope> {
    let names = requirement.as_array().into_iter().flatten().filter_map(Value::as_str);
    names.map(|n| *known.iter().find(|s| s.as_str() == n).unwrap_or_else(|| panic!("unknown scope {n}"))).collect()
}

/// Every scope the application's contexts declare.
fn known(app: &TestApp) -> Vec<Scope> {
    app.app.modules.iter().flat_map(|m| m.scopes).copied().collect()
}

fn operations(doc: &Value, known: &[Scope]) -> Vec<Op> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let concrete = path
            .split('/')
            .map(|seg| if seg.starts_with('{') { "usr_01JD3S0000000000000000000A" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        for (method, op) in item.as_object().expect("item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else { continue };
            let requirements = op.get("security").and_then(|s| s.as_array()).cloned().unwrap_or_default();
            let security = (!requirements.is_empty())
                .then(|| requirements.iter().any(|r| r.as_object().is_some_and(|o| o.is_empty())));
            let find = |scheme: &str| requirements.iter().find_map(|r| r.get(scheme)).map(|r| scopes(r, known));
            ops.push(Op {
                method,
                path: path.clone(),
                concrete: concrete.clone(),
                security,
                bearer: find("bearer").unwrap_or_default(),
                api_key: find("api_key"),
            });
        }
    }
    ops
}

fn body_for(method: &Method) -> Option<Value> {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH).then(|| json!({}))
}

#[tokio::test]
async fn every_route_enforces_its_documented_security() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let (customer, _) = app.user_with_role("walker@example.com", Role::Customer).await;
    let (admin, _) = app.user_with_role("root@example.com", Role::Admin).await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    let all_scopes = known(&app);
    let ops = operations(&doc, &all_scopes);
    assert!(ops.len() >= 70, "walked {} operations", ops.len());
    let mut keys = std::collections::HashMap::new();
    let mut keyed = 0;
    for op in &ops {
        let Op { method, path, concrete, .. } = op;
        let anonymous = app.call(method.clone(), concrete, body_for(method), None).await;
        match op.security {
            Some(false) => {
                assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{method} {path} without credentials");
                assert_eq!(anonymous.code(), "unauthenticated");
            }
            _ => assert_ne!(anonymous.status, StatusCode::UNAUTHORIZED, "{method} {path} is public"),
        }

        let customer_may = op.bearer.iter().all(|s| Role::Customer.at_least(s.min_role()));
        if op.security.is_some() && (!customer_may || path.starts_with("/api/v1/admin/")) {
            let r = app.call(method.clone(), concrete, body_for(method), Some(&customer)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path} as a customer");
        }

        // An admin key, so the role would pass; its one scope is one this route does not list.
        let listed = op.api_key.clone().unwrap_or_default();
        let Some(unrelated) =
            all_scopes.iter().copied().find(|s| !listed.contains(s) && s.min_role() == Role::Customer)
        else {
            panic!("{method} {path} lists every customer scope");
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = keys.entry(unrelated) {
            slot.insert(app.api_key(&admin, &[unrelated.as_str()]).await);
        }
        let r = app.call_with_key(method.clone(), concrete, body_for(method), &keys[&unrelated]).await;
        if op.security.is_some() {
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{method} {path} with a `{}` key: {}",
                unrelated.as_str(),
                r.text
            );
            assert_eq!(r.code(), "insufficient_scope", "{method} {path}");
            keyed += 1;
        } else {
            assert_eq!(r.status, anonymous.status, "{method} {path}: a key changes nothing on a public route");
        }
    }
    assert!(keyed >= 60, "{keyed} operations checked with a key");
}

/// The document holds every operation the sources declare, so a route cannot be served and
/// go undocumented (two contexts sharing a path once lost one of them).
#[tokio::test]
async fn every_declared_route_is_documented() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    let documented: std::collections::BTreeSet<(String, String)> =
        operations(&doc, &known(&app)).into_iter().map(|op| (op.method.to_string(), op.path)).collect();
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut declared = std::collections::BTreeSet::new();
    for entry in sources(&crates) {
        let text = std::fs::read_to_string(&entry).expect("source");
        for (i, _) in text.match_indices("#[utoipa::path(") {
            let rest = &text[i + "#[utoipa::path(".len()..];
            let method = rest.split(',').next().unwrap_or_default().trim().to_uppercase();
            let path = rest.split("path = \"").nth(1).and_then(|p| p.split('"').next()).unwrap_or_default();
            declared.insert((method, format!("/api/v1{path}")));
        }
    }
    assert!(declared.len() >= 70, "found {} declared operations", declared.len());
    let missing: Vec<_> = declared.difference(&documented).collect();
    assert!(missing.is_empty(), "served but not in /api/v1/openapi.json: {missing:?}");
}

/// Every `.rs` file under a `src/` folder below `dir` (tests and build output left out).
pub fn sources(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() && name != "target" && name != "tests" {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") && path.components().any(|c| c.as_os_str() == "src") {
            out.push(path);
        }
    }
    out
}
