//! Registration, login, refresh, logout and throttling through the real router, on every backend.

use axum::http::{Method, StatusCode};
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn register_then_use_the_token() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let r = app
            .post(
                "/api/v1/auth/register",
                json!({"email": "  Ann@Example.COM ", "password": "correct horse battery", "name": "Ann"}),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}: {}", backend.name(), r.text);
        let v = r.json();
        assert_eq!(v["user"]["email"], "ann@example.com", "e-mail is normalised");
        assert_eq!(v["user"]["role"], "customer");
        assert!(v["user"].get("password_hash").is_none());
        let token = v["tokens"]["access_token"].as_str().expect("token");
        let me = app.get("/api/v1/me", Some(token)).await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.json()["name"], "Ann");

        let again = app
            .post(
                "/api/v1/auth/register",
                json!({"email": "ANN@example.com", "password": "another fine password"}),
                None,
            )
            .await;
        assert_eq!((again.status, again.code()), (StatusCode::CONFLICT, "email_taken".into()));
    }
}

#[tokio::test]
async fn registration_errors_name_every_field() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let r = app.post("/api/v1/auth/register", json!({"email": "nope", "password": "short"}), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into()));
    let fields: Vec<String> = r.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(fields, ["email", "password"]);

    let common =
        app.post("/api/v1/auth/register", json!({"email": "b@example.com", "password": "password123"}), None).await;
    assert_eq!(common.json()["errors"][0]["field"], "password");
    let long =
        app.post("/api/v1/auth/register", json!({"email": "b@example.com", "password": "x".repeat(129)}), None).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sneaky = app
        .post(
            "/api/v1/auth/register",
            json!({"email": "b@example.com", "password": "correct horse battery", "role": "admin"}),
            None,
        )
        .await;
    assert_eq!(
        (sneaky.status, sneaky.json()["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("role"))
    );
}

#[tokio::test]
async fn login_does_not_tell_unknown_address_from_wrong_password() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    app.register("known@example.com").await;
    let unknown = app
        .post("/api/v1/auth/login", json!({"email": "nobody@example.com", "password": "correct horse battery"}), None)
        .await;
    let wrong = app
        .post("/api/v1/auth/login", json!({"email": "known@example.com", "password": "not the password"}), None)
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!((unknown.status, unknown.text.clone()), (wrong.status, wrong.text.clone()));
    let ok = app
        .post("/api/v1/auth/login", json!({"email": "KNOWN@example.com", "password": "correct horse battery"}), None)
        .await;
    assert_eq!(ok.status, StatusCode::OK);
}

#[tokio::test]
async fn refresh_rotates_and_reuse_ends_the_session() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (access, refresh, _) = app.register("r@example.com").await;
        let first = app.post("/api/v1/auth/refresh", json!({"refresh_token": refresh}), None).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.text);
        let rotated = first.json()["refresh_token"].as_str().expect("new refresh").to_owned();
        assert_ne!(rotated, refresh);
        let new_access = first.json()["access_token"].as_str().expect("access").to_owned();
        assert_eq!(app.get("/api/v1/me", Some(&new_access)).await.status, StatusCode::OK);

        // The old token again: a leak. The whole family dies, including the newest tokens.
        let replay = app.post("/api/v1/auth/refresh", json!({"refresh_token": refresh}), None).await;
        assert_eq!(
            (replay.status, replay.code()),
            (StatusCode::UNAUTHORIZED, "refresh_token_reused".into()),
            "{}",
            backend.name()
        );
        let after = app.post("/api/v1/auth/refresh", json!({"refresh_token": rotated}), None).await;
        assert_eq!(after.code(), "session_ended");
        assert_eq!(app.get("/api/v1/me", Some(&new_access)).await.code(), "session_ended");
        assert_eq!(app.get("/api/v1/me", Some(&access)).await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn logout_stops_access_and_refresh_tokens_at_once() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (access, refresh, _) = app.register("l@example.com").await;
        let out = app.call(Method::POST, "/api/v1/auth/logout", None, Some(&access)).await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert_eq!(app.get("/api/v1/me", Some(&access)).await.code(), "session_ended");
        let r = app.post("/api/v1/auth/refresh", json!({"refresh_token": refresh}), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
}

/// The throttle does not depend on the database, only on where it counts.
fn counting_backends() -> Vec<testkit::TestBackend> {
    testkit::backends_with_redis().into_iter().filter(|b| !matches!(b, testkit::TestBackend::Postgres(_))).collect()
}

#[tokio::test]
async fn repeated_failures_are_slowed_then_answered_429() {
    for backend in counting_backends() {
        let app = TestApp::spawn(&backend).await;
        app.register("t@example.com").await;
        let bad = json!({"email": "t@example.com", "password": "guess guess guess"});
        for _ in 0..5 {
            assert_eq!(app.post("/api/v1/auth/login", bad.clone(), None).await.status, StatusCode::UNAUTHORIZED);
        }
        let good = json!({"email": "t@example.com", "password": "correct horse battery"});
        let limited = app.post("/api/v1/auth/login", good.clone(), None).await;
        assert_eq!((limited.status, limited.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()));
        let wait: u64 = limited.header("retry-after").expect("Retry-After").parse().expect("seconds");
        assert!(
            (1..=2).contains(&wait),
            "{}: the first delay is about a second, not a lock-out: {wait}",
            backend.name()
        );
        tokio::time::sleep(std::time::Duration::from_millis(1100 * wait)).await;
        let ok = app.post("/api/v1/auth/login", good, None).await;
        assert_eq!(ok.status, StatusCode::OK, "{}: the account is usable again after the delay", backend.name());
    }
}

/// Two replicas on one Redis: failures made through one slow down attempts through the other,
/// so a limit of N is N across replicas, not N each.
#[tokio::test]
async fn replicas_on_one_redis_share_the_login_throttle() {
    let Some(backend) = testkit::backends_with_redis().into_iter().find(|b| b.redis_url().is_some()) else { return };
    let first = TestApp::spawn(&backend).await;
    let prefix = first.app.config.redis.prefix.clone();
    let second = TestApp::spawn_with(&backend, |c| c.redis.prefix = prefix).await;
    let bad = json!({"email": "shared@example.com", "password": "guess guess guess"});
    for _ in 0..5 {
        assert_eq!(first.post("/api/v1/auth/login", bad.clone(), None).await.status, StatusCode::UNAUTHORIZED);
    }
    let r = second.post("/api/v1/auth/login", bad, None).await;
    assert_eq!((r.status, r.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()), "{}", r.text);
}

/// Ten registrations of one address at once: one account, the others told it exists, never a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_registrations_of_one_address_make_one_account() {
    for backend in testkit::backends() {
        let app = std::sync::Arc::new(TestApp::spawn(&backend).await);
        let body = json!({"email": "race@example.com", "password": "correct horse battery"});
        let answers = app.concurrently(10, Method::POST, "/api/v1/auth/register", body, None).await;
        assert_eq!(answers.iter().filter(|(s, _)| *s == 201).count(), 1, "{}: {answers:?}", backend.name());
        assert!(
            answers.iter().all(|(s, c)| *s == 201 || (*s == 409 && (c == "email_taken" || c == "concurrent_change"))),
            "{}: {answers:?}",
            backend.name()
        );
    }
}
