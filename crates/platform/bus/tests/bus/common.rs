//! The fixtures of the bus suites: an event, a consumer that counts its effects, and a fresh
//! database with their tables.

use bus::Handler;
use kernel::BoxFuture;
use kernel::event::{Envelope, Event};
use std::sync::atomic::{AtomicUsize, Ordering};
use store::{Db, Tx, args, outbox};
use testdb::{TestBackend, TestDb};

#[derive(serde::Serialize, serde::Deserialize)]
pub struct ThingMade {
    pub id: String,
}

impl Event for ThingMade {
    const TYPE: &'static str = "thing.made";
    fn aggregate_id(&self) -> &str {
        &self.id
    }
}

/// Counts its effects in a table of its own, written in the inbox transaction.
pub struct Counter {
    pub fail_first: AtomicUsize,
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

pub async fn setup(backend: &TestBackend) -> TestDb {
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

pub async fn make_thing(db: &Db, id: &str, commit: bool) {
    let mut tx = db.begin().await.expect("begin");
    tx.execute("INSERT INTO test_things (id) VALUES ($1)", args![id]).await.expect("insert");
    outbox::emit(&mut tx, &ThingMade { id: id.into() }).await.expect("emit");
    if commit { tx.commit().await.expect("commit") } else { tx.rollback().await.expect("rollback") }
}

pub async fn effects(db: &Db, id: &str) -> i64 {
    let (n,): (i64,) =
        db.fetch_one("SELECT COUNT(*) FROM test_effects WHERE thing_id = $1", args![id]).await.expect("count");
    n
}
