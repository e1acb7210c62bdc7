//! Reservations: never oversold under concurrency, all lines or none, split across locations
//! only when needed, and released, committed or swept exactly once.

use crate::common::{adjust, assert_invariants, location, product, totals};
use inventory::api::{ReserveLine, StockReservations};
use kernel::time::Timestamp;
use std::sync::Arc;
use std::time::Duration;
use testkit::TestApp;

fn line(sku: &str, quantity: i64) -> Vec<ReserveLine> {
    vec![ReserveLine { sku: sku.into(), quantity }]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_holds_on_fifty_units_grant_exactly_fifty() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, _) = app.seller("seller@example.com").await;
        product(&app, &seller, "Hot Item", &["HOT-1"]).await;
        let main = location(&app, &seller, "Main").await;
        adjust(&app, &seller, "HOT-1", &main, "received", 50).await;

        let inventory = app.app.inventory.clone();
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let inventory = Arc::clone(&inventory);
                tokio::spawn(
                    async move { inventory.stock_reserve(&format!("order-{i}"), &line("HOT-1", 1), None).await },
                )
            })
            .collect();
        let (mut granted, mut refused) = (0, 0);
        for t in tasks {
            match t.await.expect("task") {
                Ok(r) => {
                    assert_eq!(r.state, "active");
                    granted += 1;
                }
                Err(e) if e.code == "out_of_stock" => refused += 1,
                Err(e) => panic!("{}: unexpected {e:?}", backend.name()),
            }
        }
        assert_eq!((granted, refused), (50, 150), "{}", backend.name());
        assert_eq!(totals(&app, &seller, "HOT-1").await, (50, 50, 0));
        assert_invariants(&app).await;
    }
}

#[tokio::test]
async fn a_hold_of_several_lines_is_all_or_nothing() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, _) = app.seller("seller@example.com").await;
        product(&app, &seller, "Pair", &["LEFT", "RIGHT"]).await;
        let main = location(&app, &seller, "Main").await;
        adjust(&app, &seller, "LEFT", &main, "received", 5).await;
        adjust(&app, &seller, "RIGHT", &main, "received", 1).await;

        let lines = [ReserveLine { sku: "left".into(), quantity: 2 }, ReserveLine { sku: "RIGHT".into(), quantity: 2 }];
        let err = app.app.inventory.stock_reserve("order-1", &lines, None).await.expect_err("RIGHT is short");
        assert_eq!(err.code, "out_of_stock");
        assert_eq!(err.errors.len(), 1, "{err:?}");
        assert_eq!((err.errors[0].field.as_str(), err.errors[0].message.as_str()), ("RIGHT", "2 wanted, 1 available"));
        assert_eq!(totals(&app, &seller, "LEFT").await, (5, 0, 5), "{}: nothing held", backend.name());

        let bad = app.app.inventory.stock_reserve("order-2", &line("LEFT", 0), None).await.expect_err("zero");
        assert_eq!(bad.code, "validation_failed");
        let unknown = app.app.inventory.stock_reserve("order-3", &line("NOPE", 1), None).await.expect_err("unknown");
        assert_eq!(unknown.code, "out_of_stock");
        assert_invariants(&app).await;
    }
}

#[tokio::test]
async fn one_location_serves_a_line_when_it_can_otherwise_the_line_is_split() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, _) = app.seller("seller@example.com").await;
        product(&app, &seller, "Crate", &["CRATE"]).await;
        let small = location(&app, &seller, "Small").await;
        let big = location(&app, &seller, "Big").await;
        adjust(&app, &seller, "CRATE", &small, "received", 3).await;
        adjust(&app, &seller, "CRATE", &big, "received", 5).await;

        let first = app.app.inventory.stock_reserve("order-1", &line("CRATE", 4), None).await.expect("held");
        assert_eq!(first.lines.len(), 1, "{}: {first:?}", backend.name());
        assert_eq!((first.lines[0].location_id.as_str(), first.lines[0].quantity), (big.as_str(), 4));
        let second = app.app.inventory.stock_reserve("order-2", &line("CRATE", 4), None).await.expect("held");
        let mut parts: Vec<(String, i64)> = second.lines.iter().map(|l| (l.location_id.clone(), l.quantity)).collect();
        parts.sort();
        let mut expected = vec![(small.clone(), 3), (big.clone(), 1)];
        expected.sort();
        assert_eq!(parts, expected);
        assert_eq!(totals(&app, &seller, "CRATE").await, (8, 8, 0));
        assert_invariants(&app).await;
    }
}

#[tokio::test]
async fn reservations_are_released_committed_or_swept_once() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, _) = app.seller("seller@example.com").await;
        product(&app, &seller, "Kettle", &["KETTLE"]).await;
        let main = location(&app, &seller, "Main").await;
        adjust(&app, &seller, "KETTLE", &main, "received", 10).await;
        let inv = &app.app.inventory;

        let sold = inv.stock_reserve("order-1", &line("KETTLE", 3), None).await.expect("held");
        let again = inv.stock_reserve("order-1", &line("KETTLE", 3), None).await.expect("same reference");
        assert_eq!(again.id, sold.id, "a retried reserve answers the first hold");
        let released = inv.stock_reserve("order-2", &line("KETTLE", 2), None).await.expect("held");
        let swept =
            inv.stock_reserve("order-3", &line("KETTLE", 1), Some(Duration::from_secs(60))).await.expect("held");
        assert_eq!(totals(&app, &seller, "KETTLE").await, (10, 6, 4), "{}", backend.name());

        assert_eq!(inv.stock_commit(&sold.id).await.expect("commit").state, "committed");
        assert_eq!(inv.stock_commit("order-1").await.expect("commit twice").state, "committed");
        assert_eq!(inv.stock_release(&sold.id).await.expect_err("sold").code, "reservation_committed");
        assert_eq!(inv.stock_release(&released.id).await.expect("release").state, "released");
        assert_eq!(inv.stock_release(&released.id).await.expect("release twice").state, "released");
        assert_eq!(inv.stock_commit(&released.id).await.expect_err("released").code, "reservation_expired");
        assert_eq!(totals(&app, &seller, "KETTLE").await, (7, 1, 6));

        assert_eq!(inv.stock_sweep(Timestamp::now()).await.expect("sweep"), 0, "not yet due");
        assert_eq!(inv.stock_sweep(Timestamp::now().plus(Duration::from_secs(61))).await.expect("sweep"), 1);
        assert_eq!(inv.stock_sweep(Timestamp::now().plus(Duration::from_secs(61))).await.expect("sweep"), 0);
        assert_eq!(inv.stock_commit(&swept.id).await.expect_err("expired").code, "reservation_expired");
        assert_eq!(totals(&app, &seller, "KETTLE").await, (7, 0, 7));

        let history = app.get("/api/v1/inventory/adjustments?sku=KETTLE", Some(&seller)).await.json();
        assert_eq!(history["items"][0]["kind"], "sold");
        assert_eq!(history["items"][0]["delta"], -3);
        assert_eq!(history["items"][0]["reference"], "order-1");
        assert_eq!(inv.stock_release("no-such").await.expect_err("unknown").code, "reservation_not_found");
        assert_invariants(&app).await;
    }
}

#[tokio::test]
async fn admins_hold_stock_over_http_and_nobody_else_may() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, _) = app.seller("seller@example.com").await;
        let (admin, _) = app.user_with_role("admin@example.com", kernel::auth::Role::Admin).await;
        product(&app, &seller, "Kettle", &["KETTLE"]).await;
        let main = location(&app, &seller, "Main").await;
        adjust(&app, &seller, "KETTLE", &main, "received", 2).await;

        let body =
            serde_json::json!({"reference": "order-9", "lines": [{"sku": "KETTLE", "quantity": 2}], "ttl_secs": 60});
        let r = app.post("/api/v1/inventory/reservations", body.clone(), Some(&seller)).await;
        assert_eq!(r.status, axum::http::StatusCode::FORBIDDEN, "{}", r.text);
        let r = app.post("/api/v1/inventory/reservations", body, Some(&admin)).await;
        assert_eq!(r.status, axum::http::StatusCode::CREATED, "{} {}", backend.name(), r.text);
        let id = r.json()["id"].as_str().expect("id").to_owned();
        let more = serde_json::json!({"reference": "order-10", "lines": [{"sku": "KETTLE", "quantity": 1}]});
        let r = app.post("/api/v1/inventory/reservations", more, Some(&admin)).await;
        assert_eq!((r.status, r.code()), (axum::http::StatusCode::CONFLICT, "out_of_stock".to_owned()));
        let r = app
            .post(&format!("/api/v1/inventory/reservations/{id}/release"), serde_json::json!({}), Some(&admin))
            .await;
        assert_eq!(r.json()["state"], "released", "{}", r.text);
        assert_eq!(totals(&app, &seller, "KETTLE").await, (2, 0, 2));
    }
}

/// Fifty holds with one reference at once: every caller gets the one reservation (as a replay
/// would), one hold's worth of stock is taken, and no race on the unique reference is a 500.
/// Locations of one name raced the same way: one is made, the others are told it exists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_duplicates_get_the_first_answer_never_a_500() {
    for backend in testkit::backends() {
        let app = Arc::new(TestApp::spawn(&backend).await);
        let (seller, _) = app.seller("seller@example.com").await;
        product(&app, &seller, "Hot Item", &["DUP-1"]).await;
        let main = location(&app, &seller, "Main").await;
        adjust(&app, &seller, "DUP-1", &main, "received", 100).await;

        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let inventory = Arc::clone(&app.app.inventory);
                tokio::spawn(async move { inventory.stock_reserve("order-dup", &line("DUP-1", 2), None).await })
            })
            .collect();
        let mut ids = std::collections::BTreeSet::new();
        for t in tasks {
            match t.await.expect("task") {
                Ok(r) => ids.insert(r.id),
                Err(e) => panic!("{}: a duplicate hold failed: {e:?}", backend.name()),
            };
        }
        assert_eq!(ids.len(), 1, "{}: one reservation for one reference", backend.name());
        assert_eq!(totals(&app, &seller, "DUP-1").await, (100, 2, 98), "{}", backend.name());
        assert_invariants(&app).await;

        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (app, seller) = (Arc::clone(&app), seller.clone());
                tokio::spawn(async move {
                    let r = app
                        .post("/api/v1/inventory/locations", serde_json::json!({"name": "Annex"}), Some(&seller))
                        .await;
                    (r.status.as_u16(), r.code_or_empty())
                })
            })
            .collect();
        let mut answers = Vec::new();
        for t in tasks {
            answers.push(t.await.expect("task"));
        }
        assert_eq!(answers.iter().filter(|(s, _)| *s == 201).count(), 1, "{}: {answers:?}", backend.name());
        assert!(
            answers
                .iter()
                .all(|(s, c)| *s == 201 || (*s == 409 && (c == "location_name_taken" || c == "concurrent_change"))),
            "{}: {answers:?}",
            backend.name()
        );
    }
}
