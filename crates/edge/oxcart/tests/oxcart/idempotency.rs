//! The `Idempotency-Key` layer on its own terms: a key still being served is 409, an expired
//! answer or an abandoned claim is forgotten, keys are the caller's own, and the purge deletes
//! what expired.

use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use payments::api::{AuthorizeRequest, Payments};
use serde_json::json;
use sha2::{Digest, Sha256};
use testkit::{TestApp, TestBackend};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn authorized(app: &TestApp, reference: &str) -> String {
    let req = AuthorizeRequest {
        reference: reference.into(),
        customer_id: None,
        seller_ids: vec![],
        amount: 1000,
        currency: "USD".into(),
        token: "tok_sandbox_ok".into(),
        idempotency_key: "k".into(),
        capture: false,
    };
    app.app.payments.payment_authorize(&req).await.expect("authorized").id
}

#[tokio::test]
async fn in_flight_expired_and_scoped_keys() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let (admin, admin_id) = app.user_with_role("admin@example.com", Role::Admin).await;
    let (other_admin, _) = app.user_with_role("root@example.com", Role::Admin).await;
    let id = authorized(&app, "ord_1").await;
    let path = format!("/api/v1/payments/{id}/capture");
    let db = &app.app.db;
    let now = kernel::time::Timestamp::now().as_micros();

    // Another request of this admin holds the key and has not answered yet.
    let key_hash = hex(&Sha256::digest(b"busy"));
    store::idempotency::claim(db, &format!("user:{admin_id}"), &key_hash, "other", now, now + 60_000_000, 0)
        .await
        .expect("claim");
    let busy =
        app.call_with_headers(Method::POST, &path, Some(json!({})), Some(&admin), &[("idempotency-key", "busy")]).await;
    assert_eq!((busy.status, busy.code()), (StatusCode::CONFLICT, "idempotency_in_flight".into()));
    // The same key is free for another caller.
    let other = app
        .call_with_headers(Method::POST, &path, Some(json!({})), Some(&other_admin), &[("idempotency-key", "busy")])
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text);

    // An expired answer is forgotten: the key serves a new request.
    let id2 = authorized(&app, "ord_2").await;
    let stale = hex(&Sha256::digest(b"stale"));
    store::idempotency::claim(db, &format!("user:{admin_id}"), &stale, "old", now - 10, now - 1, 0)
        .await
        .expect("claim");
    let path2 = format!("/api/v1/payments/{id2}/capture");
    let fresh = app
        .call_with_headers(Method::POST, &path2, Some(json!({})), Some(&admin), &[("idempotency-key", "stale")])
        .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.text);
    assert!(fresh.header("idempotent-replayed").is_none());

    // A claim left unanswered by a request that died (a panic, a crash) is taken over.
    let id3 = authorized(&app, "ord_3").await;
    let dead = hex(&Sha256::digest(b"dead"));
    // Longer ago than any request may run (the request deadline, 30 s by default).
    let long_ago = now - 60_000_000;
    store::idempotency::claim(db, &format!("user:{admin_id}"), &dead, "died", long_ago, now + 60_000_000, 0)
        .await
        .expect("claim");
    let path3 = format!("/api/v1/payments/{id3}/capture");
    let revived = app
        .call_with_headers(Method::POST, &path3, Some(json!({})), Some(&admin), &[("idempotency-key", "dead")])
        .await;
    assert_eq!(revived.status, StatusCode::OK, "{}", revived.text);

    // A malformed key is refused before anything runs.
    let long = "x".repeat(300);
    let bad =
        app.call_with_headers(Method::POST, &path2, Some(json!({})), Some(&admin), &[("idempotency-key", &long)]).await;
    assert_eq!((bad.status, bad.code()), (StatusCode::BAD_REQUEST, "idempotency_key_invalid".into()));

    let (kept,): (i64,) = db.fetch_one("SELECT COUNT(*) FROM store_idempotency", vec![]).await.expect("count");
    assert!(kept >= 4, "{kept}");
    let purged = store::idempotency::purge(db, now + 25 * 3600 * 1_000_000).await.expect("purge");
    assert_eq!(purged as i64, kept, "a day later every answer has expired");
}
