//! Paying as checkout does: through the `Payments` contract of the real application.

use payments::api::{AuthorizeRequest, Payment, Payments};
use testkit::TestApp;

pub fn request(reference: &str, token: &str, amount: i64) -> AuthorizeRequest {
    AuthorizeRequest {
        reference: reference.into(),
        customer_id: Some("usr_customer".into()),
        seller_ids: vec!["usr_seller".into()],
        amount,
        currency: "USD".into(),
        token: token.into(),
        idempotency_key: format!("{reference}-1"),
        capture: false,
    }
}

pub async fn authorize(app: &TestApp, req: &AuthorizeRequest) -> Payment {
    app.app.payments.payment_authorize(req).await.expect("authorize answers")
}

/// A captured payment of `amount` for `customer`.
pub async fn captured(app: &TestApp, reference: &str, amount: i64, customer: &str) -> Payment {
    let mut req = request(reference, "tok_sandbox_ok", amount);
    req.customer_id = Some(customer.into());
    req.capture = true;
    authorize(app, &req).await
}

/// The ledger's sums and the row's refund hold agree with what the payment reports.
pub async fn ledger_agrees(app: &TestApp, payment: &Payment) {
    let mut db = app.app.db.clone();
    let rows = payments::audit::entry_list(&mut db, &payment.id).await.expect("ledger");
    let sum = |kind: &str, status: &str| {
        rows.iter().filter(|r| r.kind == kind && r.status == status).map(|r| r.amount).sum::<i64>()
    };
    let row = payments::audit::payment_get(&mut db, &payment.id).await.expect("row").expect("exists");
    assert_eq!(sum("capture", "succeeded"), row.captured, "captured column is the ledger's");
    assert_eq!(sum("refund", "succeeded") + sum("refund", "pending"), row.refund_held, "held is refunded + pending");
    assert!(row.refund_held <= row.captured, "refunded <= captured");
    assert!(row.captured <= sum("authorization", "succeeded"), "captured <= authorized");
}
