//! Counting uses under concurrency: limits hold however many orders are placed at once.

use crate::common::create_id;
use kernel::auth::Role;
use pricing::api::Pricing;
use serde_json::json;
use testkit::TestApp;

/// Places `orders` orders at once, each redeeming `promotion` for `customer(i)`; returns how
/// many were counted and the codes of the refusals.
async fn redeem_at_once(
    app: &TestApp,
    promotion: &str,
    orders: usize,
    customer: impl Fn(usize) -> Option<String>,
) -> (usize, Vec<String>) {
    let tasks: Vec<_> = (0..orders)
        .map(|i| {
            let pricing = app.app.pricing.clone();
            let ids = vec![promotion.to_owned()];
            let customer = customer(i);
            tokio::spawn(async move { pricing.promotions_redeem(&ids, customer.as_deref(), &format!("ord_{i}")).await })
        })
        .collect();
    let mut counted = 0;
    let mut refused = Vec::new();
    for task in tasks {
        match task.await.expect("task") {
            Ok(()) => counted += 1,
            Err(e) => refused.push(e.code.into_owned()),
        }
    }
    (counted, refused)
}

async fn counts(app: &TestApp, promotion: &str) -> (i64, i64) {
    let sql = "SELECT (SELECT times_used FROM pricing_promotions WHERE id = $1),
                      (SELECT COUNT(*) FROM pricing_redemptions WHERE promotion_id = $1)";
    app.app.db.fetch_one(sql, store::args![promotion]).await.expect("counts")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_orders_never_pass_the_usage_limit() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let id = create_id(
            &app,
            &admin,
            json!({"name": "Three", "code": "THREE", "kind": "percent", "value": 5, "usage_limit": 3}),
        )
        .await;
        let (counted, refused) = redeem_at_once(&app, &id, 12, |i| Some(format!("usr_{i}"))).await;
        assert_eq!(counted, 3, "{} {refused:?}", backend.name());
        assert!(refused.iter().all(|c| *c == "code_exhausted"), "{refused:?}");
        assert_eq!(counts(&app, &id).await, (3, 3));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_orders_of_one_customer_never_pass_their_limit() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let id = create_id(
            &app,
            &admin,
            json!({"name": "Two each", "code": "TWOEACH", "kind": "percent", "value": 5, "per_customer_limit": 2}),
        )
        .await;
        let (counted, refused) = redeem_at_once(&app, &id, 10, |_| Some("usr_greedy".to_owned())).await;
        assert_eq!(counted, 2, "{} {refused:?}", backend.name());
        assert!(refused.iter().all(|c| *c == "code_customer_limit"), "{refused:?}");
        assert_eq!(counts(&app, &id).await, (2, 2));
    }
}
