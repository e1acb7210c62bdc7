//! The platform around the API: health, metrics, request ids, security headers, CORS, the
//! OpenAPI document and the reference page.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use testkit::{TestApp, TestBackend};

#[tokio::test]
async fn health_metrics_and_request_ids() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let live = app.get("/health/live", None).await;
        assert_eq!(live.json()["status"], "ok");
        let ready = app.get("/health/ready", None).await;
        assert_eq!((ready.status, ready.json()["checks"]["database"].clone()), (StatusCode::OK, "ok".into()));
        let redis = if backend.redis_url().is_some() { serde_json::json!("ok") } else { serde_json::Value::Null };
        assert_eq!(ready.json()["checks"]["redis"], redis, "each configured backend is reported");
        let id = live.header("x-request-id").expect("request id");
        assert!(id.starts_with("req_"), "{id}");
        let given = app
            .send(Request::get("/health/live").header("x-request-id", "abc-123").body(Body::empty()).expect("req"))
            .await;
        assert_eq!(given.header("x-request-id"), Some("abc-123"), "a caller's id is kept");

        app.get("/api/v1/me", None).await;
        let public = app.get("/metrics", None).await;
        assert_eq!(
            (public.status, public.code()),
            (StatusCode::NOT_FOUND, "route_not_found".into()),
            "not on the shop's address"
        );
        let metrics = app.metrics().await;
        assert!(
            metrics.contains(r#"oxcart_http_requests_total{method="GET",route="/api/v1/me",status="401"}"#),
            "{metrics}"
        );
        assert!(metrics.contains("oxcart_http_request_duration_seconds_bucket"));
    }
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    app.app.db.close().await;
    let r = app.get("/health/ready", None).await;
    assert_eq!((r.status, r.code()), (StatusCode::SERVICE_UNAVAILABLE, "not_ready".into()));
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let r = app.get("/api/v1/me", None).await;
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("cache-control", "no-store"),
        ("content-security-policy", "default-src 'none'; frame-ancestors 'none'"),
        ("referrer-policy", "no-referrer"),
    ] {
        assert_eq!(r.header(name), Some(value), "{name}");
    }
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let app =
        TestApp::spawn_with(&TestBackend::Sqlite, |c| c.server.cors_origins = vec!["https://shop.example.com".into()])
            .await;
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/auth/login")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .body(Body::empty())
            .expect("req")
    };
    let allowed = app.send(preflight("https://shop.example.com")).await;
    assert_eq!(allowed.header("access-control-allow-origin"), Some("https://shop.example.com"));
    let denied = app.send(preflight("https://evil.example.com")).await;
    assert_eq!(denied.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn openapi_document_and_reference_page() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
    for path in ["/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/me", "/api/v1/admin/users"] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(doc["components"]["securitySchemes"].get("bearer").is_some());
    let page = app.get("/docs", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("/api/v1/auth/login") && page.text.contains("id='problem-email_taken'"));
    assert!(!page.text.contains("<script"), "the page works without scripts or a CDN");
}

mod slow_clients {
    //! The real accept loop against clients that are slow, silent or too many. Timeouts are
    //! set to a second or two so the suite stays quick; each wait is bounded.

    use super::*;
    use oxcart::http::listener::Limits;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    const LIMITS: Limits = Limits {
        header_read: Duration::from_secs(1),
        idle: Duration::from_secs(2),
        max_connections: 3,
        drain: Duration::from_secs(1),
    };

    async fn server() -> (TestApp, std::net::SocketAddr) {
        let app = TestApp::spawn_with(&TestBackend::Sqlite, |c| c.server.body_read_timeout_secs = 1).await;
        let addr = app.listen(LIMITS).await;
        (app, addr)
    }

    /// Everything the server sends until it closes, or what came within `within`.
    async fn read_all(stream: &mut TcpStream, within: Duration) -> (String, bool) {
        let mut out = Vec::new();
        let closed = tokio::time::timeout(within, async {
            let mut buf = [0u8; 4096];
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => out.extend_from_slice(&buf[..n]),
                }
            }
        })
        .await
        .is_ok();
        (String::from_utf8_lossy(&out).into_owned(), closed)
    }

    #[tokio::test]
    async fn a_declared_body_over_the_limit_is_413_at_once() {
        let (_app, addr) = server().await;
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"POST /api/v1/cart/add HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2000000\r\n\r\n")
            .await
            .expect("write");
        // Had the server waited for the body, its one-second body timeout would answer 408.
        let (text, _) = read_all(&mut s, Duration::from_secs(4)).await;
        assert!(text.starts_with("HTTP/1.1 413"), "{text}");
        assert!(text.contains("application/problem+json") && text.contains("\"payload_too_large\""), "{text}");
    }

    #[tokio::test]
    async fn a_body_that_stops_arriving_is_408() {
        let (_app, addr) = server().await;
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n{\"em")
            .await
            .expect("write");
        let (text, _) = read_all(&mut s, Duration::from_secs(5)).await;
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        assert!(text.contains("\"body_timeout\""), "{text}");
    }

    #[tokio::test]
    async fn half_sent_and_trickled_headers_are_cut_off() {
        let (_app, addr) = server().await;
        let mut half = TcpStream::connect(addr).await.expect("connect");
        half.write_all(b"GET /health/li").await.expect("write");
        let (_, closed) = read_all(&mut half, Duration::from_secs(5)).await;
        assert!(closed, "a half-sent request line is closed after the header timeout");

        let mut trickle = TcpStream::connect(addr).await.expect("connect");
        let request = b"GET /health/live HTTP/1.1\r\nhost: x\r\nx-slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
        let mut cut = false;
        for byte in request {
            if trickle.write_all(&[*byte]).await.is_err() {
                cut = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
            let mut probe = [0u8; 1];
            if let Ok(Ok(0)) = tokio::time::timeout(Duration::from_millis(1), trickle.read(&mut probe)).await {
                cut = true;
                break;
            }
        }
        assert!(cut, "headers trickled byte by byte are cut off before they complete");
    }

    #[tokio::test]
    async fn an_idle_keep_alive_connection_is_closed() {
        let (_app, addr) = server().await;
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET /health/live HTTP/1.1\r\nhost: x\r\n\r\n").await.expect("write");
        let mut buf = [0u8; 2048];
        let n = s.read(&mut buf).await.expect("answer");
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        let (_, closed) = read_all(&mut s, Duration::from_secs(6)).await;
        assert!(closed, "the idle connection is closed after the idle timeout");
    }

    #[tokio::test]
    async fn connections_over_the_cap_are_refused_politely() {
        let (_app, addr) = server().await;
        let mut held = Vec::new();
        for _ in 0..LIMITS.max_connections {
            let mut s = TcpStream::connect(addr).await.expect("connect");
            s.write_all(b"GET /health/live HTTP/1.1\r\nhost: x\r\n\r\n").await.expect("write");
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf).await.expect("answer");
            held.push(s);
        }
        let mut extra = TcpStream::connect(addr).await.expect("connect");
        let (text, closed) = read_all(&mut extra, Duration::from_secs(3)).await;
        assert!(closed && text.starts_with("HTTP/1.1 503"), "{text}");
        assert!(text.contains("\"too_many_connections\"") && text.contains("retry-after: 1"), "{text}");
        drop(held);
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut again = TcpStream::connect(addr).await.expect("connect");
        again.write_all(b"GET /health/live HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.expect("write");
        let (text, _) = read_all(&mut again, Duration::from_secs(3)).await;
        assert!(text.starts_with("HTTP/1.1 200"), "a freed slot serves again: {text}");
    }
}

/// Rejections by extractors and layers are problem+json with a code, like every other error.
#[tokio::test]
async fn protocol_level_rejections_are_problem_json() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let (token, _) = app.user_with_role("importer@example.com", kernel::auth::Role::Admin).await;
    for path in ["/api/v1/products/%FF", "/api/v1/me/addresses/%C3%28", "/api/v1/inventory/items/%FF", "/media/%FF"] {
        let method = if path.contains("addresses") { Method::DELETE } else { Method::GET };
        let r = app.call(method, path, None, Some(&token)).await;
        assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "bad_request".into()), "{path}");
    }
    let admin = token;
    let big = vec![b'a'; 32 * 1024 * 1024 + 1];
    let r = app.send_bytes(Method::POST, "/api/v1/seller/products/import", "text/csv", big, Some(&admin)).await;
    assert_eq!((r.status, r.code()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large".into()));
}

/// The API document is checked in (`docs/openapi.json`), so every change to the API shows in
/// review. After a deliberate change: `OXCART_UPDATE_OPENAPI=1 cargo test -p oxcart --test oxcart checked_in`.
#[tokio::test]
async fn the_checked_in_api_document_is_current() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let served = app.get("/api/v1/openapi.json", None).await.json();
    let text = serde_json::to_string_pretty(&served).expect("json") + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../docs/openapi.json");
    if std::env::var_os("OXCART_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &text).expect("write docs/openapi.json");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == text,
        "docs/openapi.json differs from what the server serves; review the change, then run \
         `OXCART_UPDATE_OPENAPI=1 cargo test -p oxcart --test oxcart checked_in` to update it"
    );
}

/// Two types of the API document under one name would be merged into one schema, silently:
/// the operations of the other then describe answers they never give. Every type that derives
/// `ToSchema` has a name of its own in the document (its own, or the `#[schema(as = …)]` it
/// is given).
#[test]
fn every_schema_of_the_api_document_has_a_name_of_its_own() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    let mut dirs = vec![crates];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() && !path.ends_with("target") && !path.ends_with("tests") {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut seen: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut clashes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !(line.trim_start().starts_with("#[derive(") && line.contains("ToSchema")) {
                continue;
            }
            let mut renamed = None;
            for next in &lines[i + 1..(i + 8).min(lines.len())] {
                let next = next.trim();
                if let Some(rest) = next.strip_prefix("#[schema(as = ") {
                    renamed = rest.split([')', ',']).next().map(|n| n.trim().to_owned());
                }
                let item = next.strip_prefix("pub struct ").or_else(|| next.strip_prefix("pub enum "));
                if let Some(item) = item {
                    let own: String = item.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    let name = renamed.take().unwrap_or(own);
                    let place = format!("{}:{}", file.display(), i + 1);
                    if let Some(first) = seen.insert(name.clone(), place.clone()) {
                        clashes.push(format!("{name}: {first} and {place}"));
                    }
                    break;
                }
            }
        }
    }
    assert!(clashes.is_empty(), "schema names used twice: {clashes:#?}");
    assert!(seen.len() > 50, "the scan found the API's types ({})", seen.len());
}
