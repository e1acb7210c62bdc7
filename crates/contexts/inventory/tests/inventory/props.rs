//! Random sequences of receive / damage / reserve / release / commit / expire against the real
//! database, checked after every step against a model and the invariants.

use crate::common::{adjust, assert_invariants, location, product};
use inventory::api::{ReserveLine, StockReservations};
use kernel::time::Timestamp;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;
use testkit::TestApp;

#[derive(Debug, Clone)]
enum Op {
    Receive { sku: usize, loc: usize, quantity: i64 },
    Damage { sku: usize, loc: usize, quantity: i64 },
    Reserve { lines: Vec<(usize, i64)>, short: bool },
    Release(usize),
    Commit(usize),
    Expire,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..2usize, 0..2usize, 1..15i64).prop_map(|(sku, loc, quantity)| Op::Receive { sku, loc, quantity }),
        (0..2usize, 0..2usize, 1..8i64).prop_map(|(sku, loc, quantity)| Op::Damage { sku, loc, quantity }),
        (prop::collection::vec((0..2usize, 1..12i64), 1..3), any::<bool>())
            .prop_map(|(lines, short)| Op::Reserve { lines, short }),
        (0..20usize).prop_map(Op::Release),
        (0..20usize).prop_map(Op::Commit),
        Just(Op::Expire),
    ]
}

/// `(sku, location, quantity)` of a hold.
type Parts = Vec<(usize, usize, i64)>;

/// What the database should hold: on-hand per (sku, location) and the live holds.
#[derive(Default)]
struct Model {
    on_hand: HashMap<(usize, usize), i64>,
    reserved: HashMap<(usize, usize), i64>,
    /// Live holds: id, short-lived, parts; removed when closed.
    holds: Vec<(String, bool, Parts)>,
}

impl Model {
    fn available(&self, sku: usize) -> i64 {
        (0..2).map(|l| self.on_hand.get(&(sku, l)).unwrap_or(&0) - self.reserved.get(&(sku, l)).unwrap_or(&0)).sum()
    }
}

const SKUS: [&str; 2] = ["A", "B"];

#[test]
fn random_operation_sequences_keep_the_invariants() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    for backend in testkit::backends() {
        let app = rt.block_on(TestApp::spawn(&backend));
        let (seller, _) = rt.block_on(app.seller("seller@example.com"));
        let cases = if matches!(backend, testkit::TestBackend::Sqlite) { 40 } else { 16 };
        let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
        let case = std::sync::atomic::AtomicUsize::new(0);
        runner
            .run(&prop::collection::vec(op(), 1..25), |ops| {
                let n = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                rt.block_on(run_case(&app, &seller, n, ops));
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{}: {e}", backend.name()));
    }
}

async fn run_case(app: &TestApp, seller: &str, case: usize, ops: Vec<Op>) {
    let skus: Vec<String> = SKUS.iter().map(|s| format!("P{case}-{s}")).collect();
    product(app, seller, &format!("Case {case}"), &[&skus[0], &skus[1]]).await;
    let locs =
        [location(app, seller, &format!("c{case} one")).await, location(app, seller, &format!("c{case} two")).await];
    let inv = &app.app.inventory;
    // Cases share one database: clear holds an earlier (perhaps failed) case left behind.
    inv.stock_sweep(Timestamp::now().plus(Duration::from_secs(3 * 86_400))).await.expect("sweep");
    let mut m = Model::default();
    let mut made: Vec<String> = Vec::new();
    for (step, op) in ops.into_iter().enumerate() {
        match op {
            Op::Receive { sku, loc, quantity } => {
                adjust(app, seller, &skus[sku], &locs[loc], "received", quantity).await;
                *m.on_hand.entry((sku, loc)).or_default() += quantity;
            }
            Op::Damage { sku, loc, quantity } => {
                let body = json!({"sku": skus[sku], "location_id": locs[loc], "kind": "damaged", "quantity": quantity, "reason": "drop"});
                let r = app.post("/api/v1/inventory/adjustments", body, Some(seller)).await;
                let on_hand = *m.on_hand.get(&(sku, loc)).unwrap_or(&0);
                let reserved = *m.reserved.get(&(sku, loc)).unwrap_or(&0);
                if on_hand - quantity >= reserved {
                    assert_eq!(r.status, 201, "step {step}: {}", r.text);
                    *m.on_hand.entry((sku, loc)).or_default() -= quantity;
                } else {
                    assert_eq!(r.status, 409, "step {step}: {}", r.text);
                }
            }
            Op::Reserve { lines, short } => {
                let mut want: HashMap<usize, i64> = HashMap::new();
                for (sku, q) in &lines {
                    *want.entry(*sku).or_default() += q;
                }
                let fits = want.iter().all(|(sku, q)| m.available(*sku) >= *q);
                let request: Vec<ReserveLine> =
                    lines.iter().map(|(sku, q)| ReserveLine { sku: skus[*sku].clone(), quantity: *q }).collect();
                let ttl = Duration::from_secs(if short { 60 } else { 86_400 });
                let reference = format!("c{case}-s{step}");
                match inv.stock_reserve(&reference, &request, Some(ttl)).await {
                    Ok(r) => {
                        assert!(fits, "step {step}: granted beyond availability");
                        let mut parts = Vec::new();
                        for l in &r.lines {
                            let sku = skus.iter().position(|s| *s == l.sku).expect("our sku");
                            let loc = locs.iter().position(|x| *x == l.location_id).expect("our location");
                            *m.reserved.entry((sku, loc)).or_default() += l.quantity;
                            parts.push((sku, loc, l.quantity));
                        }
                        m.holds.push((r.id.clone(), short, parts));
                        made.push(r.id);
                    }
                    Err(e) => {
                        assert_eq!(e.code, "out_of_stock", "step {step}");
                        assert!(!fits, "step {step}: refused although it fitted");
                    }
                }
            }
            Op::Release(i) | Op::Commit(i) if made.is_empty() => {
                let _ = i;
            }
            Op::Release(i) => {
                let id = made[i % made.len()].clone();
                let live = m.holds.iter().position(|h| h.0 == id);
                let result = inv.stock_release(&id).await;
                match live {
                    Some(at) => {
                        assert_eq!(result.expect("release").state, "released");
                        for (sku, loc, q) in m.holds.remove(at).2 {
                            *m.reserved.entry((sku, loc)).or_default() -= q;
                        }
                    }
                    None => assert!(result.is_err() || result.is_ok_and(|r| r.state != "active")),
                }
            }
            Op::Commit(i) => {
                let id = made[i % made.len()].clone();
                let live = m.holds.iter().position(|h| h.0 == id);
                let result = inv.stock_commit(&id).await;
                match live {
                    Some(at) => {
                        assert_eq!(result.expect("commit").state, "committed");
                        for (sku, loc, q) in m.holds.remove(at).2 {
                            *m.reserved.entry((sku, loc)).or_default() -= q;
                            *m.on_hand.entry((sku, loc)).or_default() -= q;
                        }
                    }
                    None => assert!(result.is_err() || result.is_ok_and(|r| r.state == "committed")),
                }
            }
            Op::Expire => {
                let swept = inv.stock_sweep(Timestamp::now().plus(Duration::from_secs(120))).await.expect("sweep");
                let due: Vec<usize> = (0..m.holds.len()).filter(|&i| m.holds[i].1).collect();
                assert_eq!(swept, due.len(), "step {step}");
                for at in due.into_iter().rev() {
                    for (sku, loc, q) in m.holds.remove(at).2 {
                        *m.reserved.entry((sku, loc)).or_default() -= q;
                    }
                }
            }
        }
        check(app, &skus, &locs, &m, step).await;
    }
}

async fn check(app: &TestApp, skus: &[String], locs: &[String; 2], m: &Model, step: usize) {
    assert_invariants(app).await;
    let mut db = app.app.db.clone();
    for (si, sku) in skus.iter().enumerate() {
        let levels = inventory::audit::level_list(&mut db, None, Some(sku), None, None, 10).await.expect("levels");
        for (li, loc) in locs.iter().enumerate() {
            let (on_hand, reserved) =
                levels.iter().find(|l| l.location_id == *loc).map_or((0, 0), |l| (l.on_hand, l.reserved));
            let want = (*m.on_hand.get(&(si, li)).unwrap_or(&0), *m.reserved.get(&(si, li)).unwrap_or(&0));
            assert_eq!((on_hand, reserved), want, "step {step}: {sku} at location {li}");
        }
    }
}
