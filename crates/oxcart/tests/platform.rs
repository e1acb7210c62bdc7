//! The platform around the API: health, metrics, request ids, security headers, CORS, the
//! OpenAPI document and the reference page.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use testkit::{TestApp, TestBackend};

#[tokio::test]
async fn health_metrics_and_request_ids() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let live = app.get("/health/live", None).await;
        assert_eq!(live.json()["status"], "ok");
        let ready = app.get("/health/ready", None).await;
        assert_eq!((ready.status, ready.json()["checks"]["database"].clone()), (StatusCode::OK, "ok".into()));
        let id = live.header("x-request-id").expect("request id");
        assert!(id.starts_with("req_"), "{id}");
        let given = app
            .send(Request::get("/health/live").header("x-request-id", "abc-123").body(Body::empty()).expect("req"))
            .await;
        assert_eq!(given.header("x-request-id"), Some("abc-123"), "a caller's id is kept");

        app.get("/api/v1/me", None).await;
        let metrics = app.get("/metrics", None).await.text;
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
