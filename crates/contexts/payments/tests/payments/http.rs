//! The HTTP face: who sees which payment, money routes behind `Idempotency-Key`, and no card
//! number anywhere.

use crate::common::{authorize, captured, request};
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn admins_capture_and_refund_once_per_key() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let held = authorize(&app, &request("ord_http", "tok_sandbox_ok", 5000)).await;
        let path = format!("/api/v1/payments/{}/capture", held.id);

        let missing = app.call(Method::POST, &path, Some(json!({})), Some(&admin)).await;
        assert_eq!((missing.status, missing.code()), (StatusCode::BAD_REQUEST, "idempotency_key_missing".into()));
        let key = [("idempotency-key", "cap-1")];
        let first = app.call_with_headers(Method::POST, &path, Some(json!({})), Some(&admin), &key).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.text);
        assert_eq!(first.json()["state"], "captured");
        assert!(first.header("idempotent-replayed").is_none());
        let replay = app.call_with_headers(Method::POST, &path, Some(json!({})), Some(&admin), &key).await;
        assert_eq!((replay.status, replay.header("idempotent-replayed")), (StatusCode::OK, Some("true")));
        assert_eq!(replay.json(), first.json(), "the first answer, byte for byte");
        let changed = app.call_with_headers(Method::POST, &path, Some(json!({"amount": 1})), Some(&admin), &key).await;
        assert_eq!(
            (changed.status, changed.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused".into())
        );

        let refunds = format!("/api/v1/payments/{}/refunds", held.id);
        let body = json!({"amount": 1500, "reason": "late delivery"});
        let r = app
            .call_with_headers(
                Method::POST,
                &refunds,
                Some(body.clone()),
                Some(&admin),
                &[("idempotency-key", "ref-1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let again = app
            .call_with_headers(Method::POST, &refunds, Some(body), Some(&admin), &[("idempotency-key", "ref-1")])
            .await;
        assert_eq!(again.status, StatusCode::CREATED);
        let detail = app.get(&format!("/api/v1/payments/{}", held.id), Some(&admin)).await.json();
        assert_eq!(detail["amounts"]["refunded"], 1500, "refunded once: {detail}");
        assert_eq!(detail["state"], "partially_refunded");
        let kinds: Vec<&str> =
            detail["ledger"].as_array().expect("ledger").iter().filter_map(|e| e["kind"].as_str()).collect();
        assert_eq!(kinds, ["authorization", "capture", "refund"]);
        let steps: Vec<&str> =
            detail["history"].as_array().expect("history").iter().filter_map(|h| h["to"].as_str()).collect();
        assert_eq!(steps, ["initiated", "processing", "authorized", "captured", "partially_refunded"]);
        assert!(detail["history"][3]["actor"].as_str().is_some_and(|a| a.starts_with("usr_")), "who captured");
    }
}

#[tokio::test]
async fn each_caller_sees_only_their_payments() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let (alice, alice_id) = app.user_with_role("alice@example.com", Role::Customer).await;
    let (bob, _) = app.user_with_role("bob@example.com", Role::Customer).await;
    let (seller, seller_id) = app.user_with_role("shop@example.com", Role::Seller).await;
    let (other_seller, _) = app.user_with_role("other@example.com", Role::Seller).await;
    let mut req = request("ord_alice", "tok_sandbox_ok", 800);
    req.customer_id = Some(alice_id);
    req.seller_ids = vec![seller_id];
    let paid = authorize(&app, &req).await;
    let path = format!("/api/v1/payments/{}", paid.id);

    assert_eq!(app.get(&path, Some(&alice)).await.status, StatusCode::OK);
    assert_eq!(app.get(&path, Some(&seller)).await.status, StatusCode::OK);
    for stranger in [&bob, &other_seller] {
        let r = app.get(&path, Some(stranger)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "payment_not_found".into()));
    }
    let listed = |token: &str| {
        let token = token.to_owned();
        let app = &app;
        async move { app.get("/api/v1/payments", Some(&token)).await.json()["items"].as_array().map_or(0, Vec::len) }
    };
    assert_eq!(
        (listed(&alice).await, listed(&bob).await, listed(&seller).await, listed(&other_seller).await),
        (1, 0, 1, 0)
    );

    // Customers may not move money.
    let capture = format!("{path}/capture");
    let r =
        app.call_with_headers(Method::POST, &capture, Some(json!({})), Some(&alice), &[("idempotency-key", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_customer_finishes_a_challenge() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let (alice, alice_id) = app.user_with_role("alice@example.com", Role::Customer).await;
    let (bob, _) = app.user_with_role("bob@example.com", Role::Customer).await;
    let mut req = request("ord_3ds", "tok_sandbox_3ds", 4200);
    req.customer_id = Some(alice_id);
    let pending = authorize(&app, &req).await;
    let confirm = format!("/api/v1/payments/{}/confirm", pending.id);
    assert_eq!(app.call(Method::POST, &confirm, None, Some(&bob)).await.status, StatusCode::NOT_FOUND);
    let done = app.call(Method::POST, &confirm, None, Some(&alice)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.json()["state"], "authorized");
    let twice = app.call(Method::POST, &confirm, None, Some(&alice)).await;
    assert_eq!((twice.status, twice.code()), (StatusCode::CONFLICT, "payment_state".into()));
}

/// PCI SAQ A: a card number sent in any field is refused, and no trace of it is kept.
#[tokio::test]
async fn a_card_number_is_refused_and_never_stored() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let paid = captured(&app, "ord_pci", 3000, "usr_c").await;
        let refunds = format!("/api/v1/payments/{}/refunds", paid.id);
        for card in ["4111 1111 1111 1111", "5555555555554444"] {
            let body = json!({"amount": 100, "reason": format!("refund to card {card}")});
            let r = app
                .call_with_headers(Method::POST, &refunds, Some(body), Some(&admin), &[("idempotency-key", card)])
                .await;
            assert_eq!(
                (r.status, r.code()),
                (StatusCode::UNPROCESSABLE_ENTITY, "card_number_refused".into()),
                "{}",
                r.text
            );
            assert!(!r.text.contains(card) && !r.text.contains(&card.replace(' ', "")), "not echoed");
        }
        let digits = ["4111111111111111", "4111 1111 1111 1111", "5555555555554444"];
        let dump = text_columns(&app).await;
        assert!(dump.contains("ord_pci"), "the dump reads the tables");
        for d in digits {
            assert!(!dump.contains(d), "a table holds {d}");
        }
    }
}

/// Every text a client could have put into the payments and platform tables, concatenated.
async fn text_columns(app: &TestApp) -> String {
    let columns = [
        ("payments_payments", "reference"),
        ("payments_payments", "method_token"),
        ("payments_payments", "idempotency_key"),
        ("payments_payments", "next_action"),
        ("payments_ledger", "idempotency_key"),
        ("payments_ledger", "reason"),
        ("payments_history", "reason"),
        ("store_idempotency", "key"),
        ("store_idempotency", "body"),
        ("store_outbox", "payload"),
    ];
    let mut out = String::new();
    for (table, column) in columns {
        let sql = format!("SELECT COALESCE({column}, '') FROM {table}");
        let rows: Vec<(String,)> = app.app.db.fetch_all(store::AssertSqlSafe(sql), vec![]).await.expect("rows");
        for (text,) in rows {
            out.push_str(&text);
            out.push('\n');
        }
    }
    out
}
