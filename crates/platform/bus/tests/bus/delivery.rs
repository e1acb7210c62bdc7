//! The outbox + inbox promise, on every backend: an event committed with its state change
//! reaches each consumer exactly once; a rolled-back one never does; one left in the outbox by a
//! stopped process is delivered after restart; a failing consumer is retried, then parked.

use crate::common::{Counter, effects, make_thing, setup};
use bus::{Bus, InProcessBus, Relay, RelayOptions};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use store::Db;

fn relay(db: &Db, fail_first: usize) -> Relay {
    let bus = InProcessBus::new(db.clone());
    bus.subscribe(Arc::new(Counter { fail_first: AtomicUsize::new(fail_first) }));
    let bus: Arc<dyn Bus> = Arc::new(bus);
    Relay::new(db.clone(), bus, RelayOptions { max_attempts: 3, ..RelayOptions::default() })
}

#[tokio::test]
async fn committed_event_reaches_its_consumer_exactly_once() {
    for backend in testdb::backends() {
        let t = setup(&backend).await;
        let relay = relay(&t.db, 0);
        make_thing(&t.db, "a", true).await;
        assert_eq!(relay.drain().await.expect("drain"), 1, "{}", backend.name());
        assert_eq!(effects(&t.db, "a").await, 1, "{}", backend.name());

        // A duplicate delivery (a relay that crashed before marking) changes nothing.
        t.db.execute("UPDATE store_outbox SET published_at = NULL, next_attempt_at = 0", vec![]).await.expect("reset");
        assert_eq!(relay.drain().await.expect("drain"), 1, "{}", backend.name());
        assert_eq!(effects(&t.db, "a").await, 1, "{}: duplicate must be dropped", backend.name());
    }
}

#[tokio::test]
async fn rolled_back_event_is_never_delivered() {
    for backend in testdb::backends() {
        let t = setup(&backend).await;
        let relay = relay(&t.db, 0);
        make_thing(&t.db, "b", false).await;
        assert_eq!(relay.drain().await.expect("drain"), 0, "{}", backend.name());
        assert_eq!(effects(&t.db, "b").await, 0, "{}", backend.name());
        let (rows,): (i64,) = t.db.fetch_one("SELECT COUNT(*) FROM store_outbox", vec![]).await.expect("count");
        assert_eq!(rows, 0, "{}", backend.name());
    }
}

#[tokio::test]
async fn event_left_in_outbox_is_delivered_after_restart() {
    for backend in testdb::backends() {
        let t = setup(&backend).await;
        make_thing(&t.db, "c", true).await;
        // The process stops before its relay ran.
        t.db.close().await;

        let restarted = t.reopen().await;
        let relay = relay(&restarted, 0);
        assert_eq!(relay.drain().await.expect("drain"), 1, "{}", backend.name());
        assert_eq!(effects(&restarted, "c").await, 1, "{}", backend.name());
    }
}

#[tokio::test]
async fn failing_consumer_is_retried_then_parked() {
    for backend in testdb::backends() {
        let t = setup(&backend).await;
        let relay = relay(&t.db, 1);
        make_thing(&t.db, "d", true).await;
        assert_eq!(relay.drain().await.expect("drain"), 0, "{}", backend.name());
        assert_eq!(effects(&t.db, "d").await, 0);
        // The retry is scheduled with backoff; bring it forward instead of sleeping.
        t.db.execute("UPDATE store_outbox SET next_attempt_at = 0", vec![]).await.expect("due");
        assert_eq!(relay.drain().await.expect("drain"), 1, "{}", backend.name());
        assert_eq!(effects(&t.db, "d").await, 1, "{}", backend.name());

        let always_failing = self::relay(&t.db, usize::MAX);
        make_thing(&t.db, "e", true).await;
        for _ in 0..3 {
            always_failing.drain().await.expect("drain");
            t.db.execute("UPDATE store_outbox SET next_attempt_at = 0 WHERE dead_at IS NULL", vec![])
                .await
                .expect("due");
        }
        let (dead,): (i64,) =
            t.db.fetch_one("SELECT COUNT(*) FROM store_outbox WHERE dead_at IS NOT NULL", vec![]).await.expect("count");
        assert_eq!(dead, 1, "{}: parked after max attempts", backend.name());
        assert_eq!(effects(&t.db, "e").await, 0);
    }
}
