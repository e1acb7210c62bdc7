//! The sandbox's tokens walk every path of the state machine, through the contract checkout
//! uses, on every backend.

use crate::common::{authorize, ledger_agrees, request};
use payments::api::{PaymentState, Payments};
use testkit::TestApp;

#[tokio::test]
async fn each_sandbox_token_ends_where_it_should() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let ok = authorize(&app, &request("ord_ok", "tok_sandbox_ok", 2500)).await;
        assert_eq!((ok.state, ok.amounts.authorized, ok.amounts.captured), (PaymentState::Authorized, 2500, 0));
        let declined = authorize(&app, &request("ord_no", "tok_sandbox_declined", 2500)).await;
        assert_eq!((declined.state, declined.failure_code.as_deref()), (PaymentState::Failed, Some("card_declined")));
        assert_eq!(declined.amounts.authorized, 0, "nothing held");
        let poor = authorize(&app, &request("ord_poor", "tok_sandbox_insufficient_funds", 2500)).await;
        assert_eq!(poor.failure_code.as_deref(), Some("insufficient_funds"));
        let action = authorize(&app, &request("ord_3ds", "tok_sandbox_3ds", 2500)).await;
        assert_eq!(action.state, PaymentState::RequiresAction);
        assert!(
            action.next_action.as_ref().is_some_and(|a| a.to_string().contains(&action.id)),
            "{:?}",
            action.next_action
        );

        // A transient failure is retried with the same key and then succeeds; the history says so.
        let flaky = authorize(&app, &request("ord_flaky", "tok_sandbox_transient", 900)).await;
        assert_eq!(flaky.state, PaymentState::Authorized, "{}", backend.name());
        let mut db = app.app.db.clone();
        let row = payments::audit::payment_get(&mut db, &flaky.id).await.expect("row").expect("exists");
        assert_eq!(row.attempts, 2);
        ledger_agrees(&app, &ok).await;
    }
}

#[tokio::test]
async fn asking_again_with_the_same_key_answers_the_same_payment() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let first = authorize(&app, &request("ord_1", "tok_sandbox_ok", 1000)).await;
    let again = authorize(&app, &request("ord_1", "tok_sandbox_ok", 1000)).await;
    assert_eq!(first.id, again.id);
    let mut other = request("ord_1", "tok_sandbox_ok", 1000);
    other.idempotency_key = "ord_1-2".into();
    assert_ne!(authorize(&app, &other).await.id, first.id, "a new key is a new attempt");
}

#[tokio::test]
async fn capture_cancel_and_illegal_moves() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let svc = app.app.payments.clone();
        let held = authorize(&app, &request("ord_part", "tok_sandbox_ok", 1000)).await;
        let refund = svc.payment_refund(&held.id, 100, "", "r1", "usr_admin").await.expect_err("not captured");
        assert_eq!((refund.status().as_u16(), refund.code.as_ref()), (409, "payment_state"));
        let over = svc.payment_capture(&held.id, Some(1001), "c1", "usr_admin").await.expect_err("too much");
        assert_eq!(over.code, "capture_exceeds_authorized");
        let part = svc.payment_capture(&held.id, Some(600), "c1", "usr_admin").await.expect("captured");
        assert_eq!((part.state, part.amounts.captured, part.amounts.authorized), (PaymentState::Captured, 600, 600));
        let replay = svc.payment_capture(&held.id, Some(600), "c1", "usr_admin").await.expect("same key");
        assert_eq!(replay.amounts.captured, 600, "captured once");
        let cancel = svc.payment_cancel(&held.id, "usr_admin").await.expect_err("captured already");
        assert_eq!(cancel.code, "payment_state");
        ledger_agrees(&app, &part).await;

        let other = authorize(&app, &request("ord_void", "tok_sandbox_ok", 700)).await;
        let cancelled = svc.payment_cancel(&other.id, "usr_admin").await.expect("voided");
        assert_eq!((cancelled.state, cancelled.amounts.authorized), (PaymentState::Cancelled, 0));
        assert_eq!(svc.payment_cancel(&other.id, "usr_admin").await.expect("again").state, PaymentState::Cancelled);
        let late = svc.payment_capture(&other.id, None, "c2", "usr_admin").await.expect_err("voided");
        assert_eq!(late.code, "payment_state");
    }
}

#[tokio::test]
async fn bad_requests_change_nothing() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let svc = app.app.payments.clone();
    let cases = [
        (request("ord_a", "tok_sandbox_ok", 0), "validation_failed"),
        (request("ord_b", "tok_other_provider", 100), "unknown_payment_method"),
        (request("ord_c", "4242424242424242", 100), "card_number_refused"),
        (
            payments::api::AuthorizeRequest { currency: "EUR".into(), ..request("ord_d", "tok_sandbox_ok", 100) },
            "currency_mismatch",
        ),
    ];
    for (req, code) in cases {
        let err = svc.payment_authorize(&req).await.expect_err(code);
        assert_eq!(err.code, code);
    }
    let missing = svc.payment_status("pay_01JD3S0000000000000000000A").await.expect_err("unknown");
    assert_eq!(missing.code, "payment_not_found");
    let (n,): (i64,) = app.app.db.fetch_one("SELECT COUNT(*) FROM payments_payments", vec![]).await.expect("count");
    assert_eq!(n, 0);
}

/// A payment whose provider answer was lost (the process died after asking) is settled by the
/// reconciler from what the provider says.
#[tokio::test]
async fn a_lost_answer_is_reconciled() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let paid = authorize(&app, &request("ord_lost", "tok_sandbox_ok", 1200)).await;
        // As if the process had stopped between the provider's answer and our record of it.
        app.app
            .db
            .execute(
                "UPDATE payments_payments SET state = 'processing', updated_at = 0 WHERE id = $1",
                store::args![paid.id.as_str()],
            )
            .await
            .expect("rewind");
        app.app
            .db
            .execute("DELETE FROM payments_ledger WHERE payment_id = $1", store::args![paid.id.as_str()])
            .await
            .expect("rewind");
        let settled = app.app.payments.payment_reconcile(kernel::time::Timestamp::now()).await.expect("reconcile");
        assert_eq!(settled, 1);
        let now = app.app.payments.payment_status(&paid.id).await.expect("status");
        assert_eq!((now.state, now.amounts.authorized), (PaymentState::Authorized, 1200), "{}", backend.name());
        assert_eq!(app.app.payments.payment_reconcile(kernel::time::Timestamp::now()).await.expect("again"), 0);
    }
}
