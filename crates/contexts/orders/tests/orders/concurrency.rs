//! Many customers at once for too little stock: exactly as many orders as there is stock,
//! one capture each, everyone else a 409, and no hold or authorization left behind. A checkout
//! whose step could not get a connection in time on a loaded machine answers 202 (under way);
//! the sweeper finishes it, and it must then come out the same way.

use crate::common::*;
use axum::http::{Method, StatusCode};
use std::sync::Arc;
use testkit::{TestApp, backends};

const BUYERS: usize = 200;
const STOCK: i64 = 50;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_checkouts_for_fifty_in_stock() {
    for backend in backends() {
        let app = Arc::new(TestApp::spawn(&backend).await);
        let shop = shop(&app, STOCK).await;
        let mut buyers = Vec::with_capacity(BUYERS);
        for _ in 0..BUYERS {
            buyers.push(guest_with(&app, &shop, 1).await);
        }
        let total = quoted_total(&app, &buyers[0], &address_us(), "standard").await;
        let tasks: Vec<_> = buyers
            .into_iter()
            .enumerate()
            .map(|(i, who)| {
                let app = app.clone();
                tokio::spawn(async move {
                    let body = checkout_body(&address_us(), "tok_sandbox_ok", total);
                    let r =
                        who.call(&app, Method::POST, "/api/v1/checkout", Some(body), Some(&format!("buyer-{i}"))).await;
                    (r.status, r.code_or_empty())
                })
            })
            .collect();
        let mut confirmed = 0;
        let mut refused = 0;
        let mut under_way = 0;
        for t in tasks {
            match t.await.expect("task") {
                (StatusCode::CREATED, _) => confirmed += 1,
                (StatusCode::CONFLICT, code) if code == "out_of_stock" => refused += 1,
                (StatusCode::ACCEPTED, _) => under_way += 1,
                other => panic!("unexpected answer {other:?} on {backend:?}"),
            }
        }
        // What was left under way is finished by the sweeper, as the server's timer would.
        for _ in 0..20 {
            let later = kernel::time::Timestamp::now().plus(std::time::Duration::from_secs(3600));
            if app.app.orders.saga_sweep(later).await.expect("sweep") == 0 {
                break;
            }
        }
        let pending =
            count(&app, "SELECT COUNT(*) FROM orders_orders WHERE state IN ('pending', 'payment_pending')").await;
        assert_eq!(pending, 0, "{under_way} answered 202 and every one was finished");
        assert_eq!(confirmed + refused + under_way, BUYERS, "{backend:?}");
        assert!(confirmed <= STOCK as usize && refused <= BUYERS - STOCK as usize, "{backend:?}");
        if under_way == 0 {
            assert_eq!((confirmed, refused), (STOCK as usize, BUYERS - STOCK as usize), "{backend:?}");
        }
        app.settle().await;
        let orders = count(&app, "SELECT COUNT(*) FROM orders_orders WHERE state = 'confirmed'").await;
        assert_eq!(orders, STOCK);
        let captures =
            count(&app, "SELECT COUNT(*) FROM payments_ledger WHERE kind = 'capture' AND status = 'succeeded'").await;
        assert_eq!(captures, STOCK, "one capture per order");
        let open = count(&app, "SELECT COUNT(*) FROM payments_payments WHERE state = 'authorized'").await;
        assert_eq!(open, 0, "no authorization left open");
        assert_eq!(stock_of(&app, "MUG").await, (0, 0), "all sold, nothing held");
        invariants(&app, "MUG").await;
    }
}
