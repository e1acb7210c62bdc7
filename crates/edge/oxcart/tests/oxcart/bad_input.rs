//! Every kind of bad request gets problem+json with the right 4xx and a stable code: never a
//! 500, never internals in the body.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use testkit::{TestApp, TestBackend};

fn raw(method: Method, path: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(ct) = content_type {
        b = b.header(header::CONTENT_TYPE, ct);
    }
    b.body(body.into()).expect("request")
}

#[tokio::test]
async fn malformed_bodies_are_refused_with_a_code() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let path = "/api/v1/auth/register";
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (raw(Method::POST, path, Some("application/json"), "{\"email\": "), StatusCode::BAD_REQUEST, "invalid_json"),
        (
            raw(Method::POST, path, Some("application/json"), "[1,2]"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            raw(Method::POST, path, Some("application/json"), r#"{"email": 5, "password": "x"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            raw(Method::POST, path, Some("application/json"), r#"{"password": "correct horse battery"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            raw(Method::POST, path, Some("text/plain"), "{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (raw(Method::POST, path, None, "{}"), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        (
            raw(Method::POST, path, Some("application/json"), vec![b' '; 20 * 1024]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (raw(Method::GET, "/api/v1/nothing-here", None, ""), StatusCode::NOT_FOUND, "route_not_found"),
        (raw(Method::DELETE, "/api/v1/auth/login", None, ""), StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
    ];
    for (request, status, code) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let r = app.send(request).await;
        assert_eq!((r.status, r.code()), (status, code.to_owned()), "{what}: {}", r.text);
        assert!(!r.text.contains("sqlx") && !r.text.contains("panicked"), "{what}");
    }
    let missing =
        app.send(raw(Method::POST, path, Some("application/json"), r#"{"password": "correct horse battery"}"#)).await;
    assert_eq!(missing.json()["errors"][0]["field"], "email");
    let typed = app.send(raw(Method::POST, path, Some("application/json"), r#"{"email": 5, "password": "x"}"#)).await;
    assert_eq!(typed.json()["errors"][0]["field"], "email");
}

#[tokio::test]
async fn the_general_body_limit_applies_beyond_auth_routes() {
    let app = TestApp::spawn_with(&TestBackend::Sqlite, |c| c.server.body_limit_bytes = 4096).await;
    let (token, _, _) = app.register("big@example.com").await;
    let huge = json!({ "name": "x".repeat(8192) });
    let r = app.call(Method::PATCH, "/api/v1/me", Some(huge), Some(&token)).await;
    assert_eq!((r.status, r.code()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large".into()));
}

fn forge(header: serde_json::Value, claims: serde_json::Value, signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

fn sign(secret: &str, typ: &str, claims: &serde_json::Value) -> String {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.typ = Some(typ.into());
    jsonwebtoken::encode(&header, claims, &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes())).expect("sign")
}

#[tokio::test]
async fn forged_expired_and_malformed_tokens_get_401() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let (good, _, user_id) = app.register("victim@example.com").await;
    let payload = good.split('.').nth(1).expect("claims part");
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json");
    let now = claims["iat"].as_i64().expect("iat");
    let mut expired = claims.clone();
    expired["exp"] = json!(now - 3600);
    expired["nbf"] = json!(now - 7200);
    let mut long_lived = claims.clone();
    long_lived["exp"] = json!(now + 30 * 24 * 3600);
    let mut no_aud = claims.clone();
    no_aud.as_object_mut().expect("object").remove("aud");

    let cases = [
        ("alg none", forge(json!({"alg": "none", "typ": "at+jwt"}), claims.clone(), b"")),
        ("another key", sign("some-other-key-that-is-also-quite-long-0000", "at+jwt", &claims)),
        ("expired", sign(testkit::app::JWT_SECRET, "at+jwt", &expired)),
        ("no audience", sign(testkit::app::JWT_SECRET, "at+jwt", &no_aud)),
        ("lives longer than the access TTL", sign(testkit::app::JWT_SECRET, "at+jwt", &long_lived)),
        ("wrong type", sign(testkit::app::JWT_SECRET, "JWT", &claims)),
        ("garbage", "not.a.token".to_owned()),
        ("tampered", format!("{}x", good)),
    ];
    for (what, token) in cases {
        let r = app.get("/api/v1/me", Some(&token)).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNAUTHORIZED, "invalid_token".into()), "{what}");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    }
    assert_eq!(app.get("/api/v1/me", Some(&good)).await.status, StatusCode::OK, "the genuine one works for {user_id}");

    let basic = app
        .send(Request::get("/api/v1/me").header(header::AUTHORIZATION, "Basic YTpi").body(Body::empty()).expect("req"))
        .await;
    assert_eq!(basic.code(), "invalid_credentials");
    let bad_key = app
        .send(Request::get("/api/v1/me").header("x-api-key", "oxk_nope.short").body(Body::empty()).expect("req"))
        .await;
    assert_eq!(bad_key.code(), "invalid_api_key");
}
