//! Refunds never add up to more than was captured, however many arrive at once.

use crate::common::{captured, ledger_agrees};
use payments::api::{PaymentState, Payments};
use testkit::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_refunds_never_pass_the_capture() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let paid = captured(&app, "ord_many", 100, "usr_c").await;
        assert_eq!(paid.state, PaymentState::Captured);
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let svc = app.app.payments.clone();
                let id = paid.id.clone();
                tokio::spawn(async move { svc.payment_refund(&id, 10, "", &format!("r{i}"), "usr_admin").await })
            })
            .collect();
        let mut ok = 0;
        for task in tasks {
            match task.await.expect("task") {
                Ok(_) => ok += 1,
                Err(e) => assert_eq!(e.code, "refund_exceeds_captured", "{}: {e}", backend.name()),
            }
        }
        assert_eq!(ok, 10, "{}", backend.name());
        let now = app.app.payments.payment_status(&paid.id).await.expect("status");
        assert_eq!((now.state, now.amounts.refunded, now.amounts.refund_pending), (PaymentState::Refunded, 100, 0));
        ledger_agrees(&app, &now).await;
    }
}

#[tokio::test]
async fn partial_then_full_and_each_key_once() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let svc = app.app.payments.clone();
        let paid = captured(&app, "ord_part", 1000, "usr_c").await;
        let part = svc.payment_refund(&paid.id, 300, "damaged box", "k1", "usr_admin").await.expect("refund");
        assert_eq!((part.state, part.amounts.refunded), (PaymentState::PartiallyRefunded, 300));
        let again = svc.payment_refund(&paid.id, 300, "damaged box", "k1", "usr_admin").await.expect("replay");
        assert_eq!(again.amounts.refunded, 300, "the same key refunds once");
        let over = svc.payment_refund(&paid.id, 701, "", "k2", "usr_admin").await.expect_err("too much");
        assert_eq!((over.status().as_u16(), over.code.as_ref()), (422, "refund_exceeds_captured"));
        assert!(over.detail.contains("700"), "{}", over.detail);
        let rest = svc.payment_refund(&paid.id, 700, "", "k3", "usr_admin").await.expect("the rest");
        assert_eq!((rest.state, rest.amounts.refunded), (PaymentState::Refunded, 1000));
        let done = svc.payment_refund(&paid.id, 1, "", "k4", "usr_admin").await.expect_err("nothing left");
        assert_eq!(done.code, "payment_state");
        ledger_agrees(&app, &rest).await;
    }
}
