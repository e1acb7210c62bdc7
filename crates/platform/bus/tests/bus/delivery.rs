//! The outbox + inbox promise, on every backend: an event committed with its state change
//! reaches each consumer exactly once; a rolled-back one never does; one left in the outbox by a
//! stopped process is delivered after restart; a failing consumer is retried, then parked.

use bus::{Bus, Handler, InProcessBus, Relay, RelayOptions};
use kernel::BoxFuture;
use kernel::event::{Envelope, Event};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use store::{Db, Tx, args, outbox};
use testdb::{TestBackend, TestDb};

#[derive(serde::Serialize, serde::Deserialize)]
struct ThingMade {
    id: String,
}

impl Event for ThingMade {
    const TYPE: &'static str = "thing.made";
    fn aggregate_id(&self) -> &str {
        &self.id
    }
}

/// Counts its effects in a table of its own, written in the inbox transaction.
struct Counter {
    fail_first: AtomicUsize,
}

impl Handler for Counter {
    fn group(&self) -> &'static str {
        "test-counter"
    }
    fn topics(&self) -> &'static [&'static str] {
        &["thing.*"]
    }
    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            if self.fail_first.load(Ordering::SeqCst) > 0 {
                self.fail_first.fetch_sub(1, Ordering::SeqCst);
                return Err(kernel::Error::internal("consumer is down"));
            }
            tx.execute("INSERT INTO test_effects (thing_id) VALUES ($1)", args![event.aggregate_id.as_str()]).await?;
            Ok(())
        })
    }
}

async fn setup(backend: &TestBackend) -> TestDb {
    let mut migrations = store::outbox::MIGRATIONS.to_vec();
    migrations.extend_from_slice(bus::MIGRATIONS);
    let t = backend.fresh(&migrations).await;
    t.db.execute_script(
        "CREATE TABLE test_things (id TEXT PRIMARY KEY); CREATE TABLE test_effects (thing_id TEXT NOT NULL)",
    )
    .await
    .expect("test tables");
    t
}

fn relay(db: &Db, fail_first: usize) -> Relay {
    let bus = InProcessBus::new(db.clone());
    bus.subscribe(Arc::new(Counter { fail_first: AtomicUsize::new(fail_first) }));
    let bus: Arc<dyn Bus> = Arc::new(bus);
    Relay::new(db.clone(), bus, RelayOptions { max_attempts: 3, ..RelayOptions::default() })
}

async fn make_thing(db: &Db, id: &str, commit: bool) {
    let mut tx = db.begin().await.expect("begin");
    tx.execute("INSERT INTO test_things (id) VALUES ($1)", args![id]).await.expect("insert");
    outbox::emit(&mut tx, &ThingMade { id: id.into() }).await.expect("emit");
    if commit { tx.commit().await.expect("commit") } else { tx.rollback().await.expect("rollback") }
}

async fn effects(db: &Db, id: &str) -> i64 {
    let (n,): (i64,) =
        db.fetch_one("SELECT COUNT(*) FROM test_effects WHERE thing_id = $1", args![id]).await.expect("count");
    n
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
