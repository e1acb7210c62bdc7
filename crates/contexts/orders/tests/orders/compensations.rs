//! Every way a checkout is given up, each undone completely, and each undoing run twice to
//! show that a repeat changes nothing.

use crate::common::*;
use axum::http::StatusCode;
use testkit::{TestApp, backends};

/// Runs the sweeper as a restarted server would, with every checkout due.
async fn sweep_all(app: &TestApp) {
    app.app.db.execute("UPDATE orders_sagas SET due_at = 0", vec![]).await.expect("due");
    app.app.orders.saga_sweep(kernel::time::Timestamp::now()).await.expect("sweep");
    app.settle().await;
}

#[tokio::test]
async fn a_declined_payment_gives_the_stock_back_and_answers_402() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 3).await;
        for (token, reason) in
            [("tok_sandbox_declined", "card_declined"), ("tok_sandbox_insufficient_funds", "insufficient_funds")]
        {
            let who = guest_with(&app, &shop, 2).await;
            let r = checkout(&app, &who, token, token).await;
            assert_eq!((r.status, r.code()), (StatusCode::PAYMENT_REQUIRED, "payment_declined".into()), "{}", r.text);
            assert!(r.json()["detail"].as_str().expect("detail").contains(reason), "{}", r.text);
            let id = r.json()["order_id"].as_str().expect("order id").to_owned();
            assert_eq!(order_state(&app, &id).await, "cancelled");
            assert_eq!(stock_of(&app, "MUG").await, (3, 0), "nothing held after a decline");
            sweep_all(&app).await;
            assert_eq!(stock_of(&app, "MUG").await, (3, 0), "a second pass changes nothing");
            // The same key answers the same refusal, without a second attempt.
            let again = checkout(&app, &who, token, token).await;
            assert_eq!(
                (again.status, again.json()["order_id"].clone()),
                (StatusCode::PAYMENT_REQUIRED, id.clone().into())
            );
        }
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn a_refused_capture_voids_the_payment_and_cancels_the_order() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 3).await;
        let who = guest_with(&app, &shop, 1).await;
        let r = checkout(&app, &who, "tok_sandbox_capture_refused", "k").await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "payment_provider_refused".into()), "{}", r.text);
        let id = r.json()["order_id"].as_str().expect("order id").to_owned();
        assert_eq!(order_state(&app, &id).await, "cancelled");
        let payment: (String,) = app
            .app
            .db
            .fetch_one("SELECT state FROM payments_payments WHERE reference = $1", store::args![&id])
            .await
            .expect("payment");
        assert_eq!(payment.0, "cancelled", "the authorization was voided");
        assert_eq!(stock_of(&app, "MUG").await, (3, 0));
        sweep_all(&app).await;
        assert_eq!(stock_of(&app, "MUG").await, (3, 0));
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn a_payment_action_never_finished_ends_when_the_hold_does() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 3).await;
        let who = guest_with(&app, &shop, 1).await;
        let r = checkout(&app, &who, "tok_sandbox_3ds", "k").await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        let order = r.json();
        assert_eq!(order["state"], "payment_pending");
        assert_eq!(order["payment"]["state"], "requires_action");
        assert!(order["payment"]["next_action"].is_object());
        assert_eq!(stock_of(&app, "MUG").await, (3, 1), "held while the customer acts");
        let id = order["id"].as_str().expect("id").to_owned();

        sweep_all(&app).await;
        assert_eq!(order_state(&app, &id).await, "payment_pending", "still within the hold");
        // The hold's time runs out.
        app.app.db.execute("UPDATE orders_orders SET created_at = created_at - 3600000000", vec![]).await.expect("age");
        sweep_all(&app).await;
        assert_eq!(order_state(&app, &id).await, "cancelled");
        assert_eq!(stock_of(&app, "MUG").await, (3, 0));
        sweep_all(&app).await;
        assert_eq!(stock_of(&app, "MUG").await, (3, 0));
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn a_finished_payment_action_confirms_the_order() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 3).await;
        let (auth, _, _) = app.register("ann@example.com").await;
        let mut who = Who::customer(&auth);
        add(&app, &mut who, &shop.mug, 1).await;
        let r = checkout(&app, &who, "tok_sandbox_3ds", "k").await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        let order = r.json();
        let (id, payment) = (order["id"].as_str().expect("id"), order["payment"]["id"].as_str().expect("payment"));
        let r = app.post(&format!("/api/v1/payments/{payment}/confirm"), serde_json::json!({}), Some(&auth)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        // The payment's event wakes the checkout; the sweeper carries it on.
        app.settle().await;
        app.app.orders.saga_sweep(kernel::time::Timestamp::now()).await.expect("sweep");
        assert_eq!(order_state(&app, id).await, "confirmed");
        assert_eq!(stock_of(&app, "MUG").await, (2, 0));
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn a_payment_that_lands_on_a_cancelled_order_is_given_back() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 3).await;
        let (auth, _, _) = app.register("ann@example.com").await;
        let mut who = Who::customer(&auth);
        add(&app, &mut who, &shop.mug, 1).await;
        let r = checkout(&app, &who, "tok_sandbox_3ds", "k").await;
        let order = r.json();
        let (id, payment) = (order["id"].as_str().expect("id"), order["payment"]["id"].as_str().expect("payment"));
        let r = app
            .post(&format!("/api/v1/orders/{id}/cancel"), serde_json::json!({"reason": "changed my mind"}), Some(&auth))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["state"], "cancelled");
        // The customer's bank finishes the challenge anyway: the authorization must not stay.
        let r = app.post(&format!("/api/v1/payments/{payment}/confirm"), serde_json::json!({}), Some(&auth)).await;
        assert!(r.status == StatusCode::OK || r.status == StatusCode::CONFLICT, "{}", r.text);
        sweep_all(&app).await;
        assert_eq!(order_state(&app, id).await, "cancelled");
        invariants(&app, "MUG").await;
    }
}

#[tokio::test]
async fn a_capture_whose_order_cannot_complete_is_refunded() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app, 3).await;
        let (auth, _, _) = app.register("ann@example.com").await;
        let mut who = Who::customer(&auth);
        add(&app, &mut who, &shop.mug, 1).await;
        let r = checkout(&app, &who, "tok_sandbox_3ds", "k").await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        let order = r.json();
        let (id, payment) = (order["id"].as_str().expect("id"), order["payment"]["id"].as_str().expect("payment"));
        // The stock hold lapses (its sweeper ran) while the customer is still in the challenge.
        app.app.db.execute("UPDATE inventory_reservations SET expires_at = 0", vec![]).await.expect("lapse");
        app.app.inventory.stock_sweep(kernel::time::Timestamp::now()).await.expect("sweep");
        let r = app.post(&format!("/api/v1/payments/{payment}/confirm"), serde_json::json!({}), Some(&auth)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        sweep_all(&app).await;
        // Confirmed and captured, then the sale could not be made: the money went back.
        assert_eq!(order_state(&app, id).await, "cancelled");
        let r = app.get(&format!("/api/v1/orders/{id}"), Some(&auth)).await.json();
        assert_eq!(r["cancel_code"], "reservation_expired");
        assert_eq!(
            (r["payment"]["state"].as_str(), r["payment"]["refunded"].clone()),
            (Some("refunded"), r["payment"]["captured"].clone())
        );
        let states: Vec<&str> =
            r["history"].as_array().expect("history").iter().filter_map(|h| h["to"].as_str()).collect();
        assert_eq!(states, ["pending", "payment_pending", "confirmed", "cancelled"]);
        assert_eq!(stock_of(&app, "MUG").await, (3, 0));
        sweep_all(&app).await;
        assert_eq!(stock_of(&app, "MUG").await, (3, 0), "a second pass changes nothing");
        invariants(&app, "MUG").await;
    }
}
