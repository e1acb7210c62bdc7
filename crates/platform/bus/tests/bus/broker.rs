//! The outbox + inbox promise through RabbitMQ (`OXCART_TEST_AMQP_URL`): each event reaches its
//! consumer group once, a failing consumer is redelivered and then dead-lettered, and a broker
//! killed and restarted in the middle of a stream loses nothing and applies nothing twice.

use crate::common::{Counter, effects, make_thing, setup};
use bus::{AmqpBus, AmqpOptions, Handler, Relay, RelayOptions};
use lapin::options::{ExchangeDeleteOptions, QueueDeclareOptions, QueueDeleteOptions};
use lapin::types::FieldTable;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};
use store::Db;
use testdb::TestBackend;
use tokio::sync::watch;

fn broker_url() -> Option<String> {
    match std::env::var("OXCART_TEST_AMQP_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            eprintln!("note: OXCART_TEST_AMQP_URL is not set; RabbitMQ runs are skipped");
            None
        }
    }
}

/// Names of this test's own, so that runs sharing a broker never meet.
fn options(max_attempts: u32) -> AmqpOptions {
    AmqpOptions { max_attempts, prefix: format!("oxtest.{}", kernel::id::new_id("q")) }
}

fn relay(db: &Db, bus: Arc<AmqpBus>) -> Relay {
    let options = RelayOptions { max_backoff: Duration::from_secs(1), ..RelayOptions::default() };
    Relay::new(db.clone(), bus, options)
}

/// Waits until `ready` holds, or fails after `limit`.
async fn until(limit: Duration, what: &str, mut ready: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Messages waiting in `queue`.
async fn queue_depth(url: &str, queue: &str) -> u32 {
    let connection = lapin::Connection::connect(url, lapin::ConnectionProperties::default()).await.expect("connects");
    let channel = connection.create_channel().await.expect("channel");
    let passive = QueueDeclareOptions { passive: true, durable: true, ..QueueDeclareOptions::default() };
    let depth = channel.queue_declare(queue.into(), passive, FieldTable::default()).await.expect("queue exists");
    let _ = connection.close(200, "done".into()).await;
    depth.message_count()
}

/// Removes what a test declared on the shared broker.
async fn cleanup(url: &str, prefix: &str) {
    let connection = lapin::Connection::connect(url, lapin::ConnectionProperties::default()).await.expect("connects");
    let channel = connection.create_channel().await.expect("channel");
    for queue in [format!("{prefix}.test-counter"), format!("{prefix}.test-counter.dead")] {
        let _ = channel.queue_delete(queue.as_str().into(), QueueDeleteOptions::default()).await;
    }
    for exchange in [format!("{prefix}.events"), format!("{prefix}.dead")] {
        let _ = channel.exchange_delete(exchange.as_str().into(), ExchangeDeleteOptions::default()).await;
    }
    let _ = connection.close(200, "done".into()).await;
}

#[tokio::test]
async fn each_event_reaches_its_group_once_through_the_broker() {
    let Some(url) = broker_url() else { return };
    let t = setup(&TestBackend::Sqlite).await;
    let counter: Arc<dyn Handler> = Arc::new(Counter { fail_first: AtomicUsize::new(0) });
    let options = options(3);
    let bus = AmqpBus::connect(&url, options.clone(), std::slice::from_ref(&counter)).await.expect("broker answers");
    let (stop, stopped) = watch::channel(false);
    let consumer = bus.consume(t.db.clone(), counter.clone(), stopped);
    let relay = relay(&t.db, bus.clone());

    make_thing(&t.db, "a", true).await;
    make_thing(&t.db, "rolled-back", false).await;
    // The consumer may still be declaring its queue: publish until the first event arrives.
    until(Duration::from_secs(10), "the first event", async || {
        relay.drain().await.expect("drain");
        effects(&t.db, "a").await == 1
    })
    .await;
    // A relay that crashed before marking publishes again: the inbox drops the duplicate, and
    // the event behind it in the queue shows the duplicate was consumed.
    t.db.execute("UPDATE store_outbox SET published_at = NULL, next_attempt_at = 0", vec![]).await.expect("reset");
    make_thing(&t.db, "b", true).await;
    relay.drain().await.expect("drain");
    until(Duration::from_secs(10), "the event after the duplicate", async || effects(&t.db, "b").await == 1).await;
    assert_eq!(effects(&t.db, "a").await, 1, "the duplicate changed nothing");
    assert_eq!(effects(&t.db, "rolled-back").await, 0);

    stop.send(true).expect("stop");
    consumer.await.expect("consumer stops");
    cleanup(&url, &options.prefix).await;
}

#[tokio::test]
async fn a_failing_consumer_is_redelivered_then_dead_lettered() {
    let Some(url) = broker_url() else { return };
    let t = setup(&TestBackend::Sqlite).await;
    let flaky: Arc<dyn Handler> = Arc::new(Counter { fail_first: AtomicUsize::new(2) });
    let options = options(3);
    let bus = AmqpBus::connect(&url, options.clone(), std::slice::from_ref(&flaky)).await.expect("broker answers");
    let (stop, stopped) = watch::channel(false);
    let consumer = bus.consume(t.db.clone(), flaky.clone(), stopped.clone());
    let relay = relay(&t.db, bus.clone());
    make_thing(&t.db, "retried", true).await;
    until(Duration::from_secs(15), "the third delivery to succeed", async || {
        relay.drain().await.expect("drain");
        effects(&t.db, "retried").await == 1
    })
    .await;
    stop.send(true).expect("stop");
    consumer.await.expect("consumer stops");

    let (stop, stopped) = watch::channel(false);
    let broken: Arc<dyn Handler> = Arc::new(Counter { fail_first: AtomicUsize::new(usize::MAX) });
    let consumer = bus.consume(t.db.clone(), broken.clone(), stopped);
    make_thing(&t.db, "poison", true).await;
    relay.drain().await.expect("drain");
    let dead = format!("{}.dead", bus.queue(broken.group()));
    until(Duration::from_secs(15), "the dead-letter queue", async || queue_depth(&url, &dead).await == 1).await;
    assert_eq!(effects(&t.db, "poison").await, 0);
    stop.send(true).expect("stop");
    consumer.await.expect("consumer stops");
    cleanup(&url, &options.prefix).await;
}

/// A RabbitMQ node of the test's own (Debian's `rabbitmq-server`), so that it can be killed
/// without touching the one other suites share. Killed when dropped.
struct Node {
    dir: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

impl Node {
    fn start() -> Option<Self> {
        if Command::new("rabbitmq-server").arg("--help").output().is_err() {
            eprintln!("note: rabbitmq-server is not installed; the broker fault test is skipped");
            return None;
        }
        let dir = tempfile::tempdir().expect("dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        // The server drops to its own user, which must be able to write here.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
        std::fs::write(dir.path().join("rabbitmq.conf"), format!("listeners.tcp.local = 127.0.0.1:{port}\n"))
            .expect("config");
        let mut node = Self { dir, port, child: None };
        node.run();
        Some(node)
    }

    fn run(&mut self) {
        let d = self.dir.path();
        let child = Command::new("rabbitmq-server")
            .env("RABBITMQ_NODENAME", format!("oxtest{}@localhost", self.port))
            .env("RABBITMQ_DIST_PORT", (self.port as u32 + 20_000).min(65_000).to_string())
            .env("RABBITMQ_CONFIG_FILE", d.join("rabbitmq.conf"))
            .env("RABBITMQ_MNESIA_BASE", d.join("mnesia"))
            .env("RABBITMQ_FEATURE_FLAGS_FILE", d.join("feature_flags"))
            .env("RABBITMQ_LOG_BASE", d.join("log"))
            .env("RABBITMQ_ENABLED_PLUGINS_FILE", d.join("plugins"))
            .env("RABBITMQ_PID_FILE", d.join("pid"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("rabbitmq-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "the test's RabbitMQ node did not start");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// As a crash would: no clean shutdown.
    fn kill(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(self.dir.path().join("pid")) {
            let _ = Command::new("kill").args(["-KILL", pid.trim()]).status();
        }
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self) -> String {
        format!("amqp://guest:guest@127.0.0.1:{}/%2f", self.port)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_killed_and_restarted_mid_stream_loses_nothing_and_applies_nothing_twice() {
    const EVENTS: usize = 500;
    if broker_url().is_none() {
        return;
    }
    // What the bus logs on the way is the first thing to read when this fails.
    let _ = tracing_subscriber::fmt().with_env_filter("warn,bus=info").with_test_writer().try_init();
    let Some(mut node) = tokio::task::spawn_blocking(Node::start).await.expect("starts") else { return };
    let t = setup(&TestBackend::Sqlite).await;
    let counter: Arc<dyn Handler> = Arc::new(Counter { fail_first: AtomicUsize::new(0) });
    let bus =
        AmqpBus::connect(&node.url(), options(10), std::slice::from_ref(&counter)).await.expect("the node answers");
    let (stop, stopped) = watch::channel(false);
    let consumer = bus.consume(t.db.clone(), counter, stopped.clone());
    let relay = tokio::spawn(relay(&t.db, bus.clone()).run(stopped));

    for i in 0..EVENTS {
        make_thing(&t.db, &format!("t{i}"), true).await;
        if i == EVENTS / 3 {
            node = tokio::task::spawn_blocking(move || {
                node.kill();
                node.run();
                node
            })
            .await
            .expect("restarts");
        }
    }
    let count = async || {
        let (n,): (i64,) =
            t.db.fetch_one("SELECT COUNT(DISTINCT thing_id) FROM test_effects", vec![]).await.expect("count");
        n as usize
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while count().await < EVENTS {
        let (backlog,): (i64,) =
            t.db.fetch_one("SELECT COUNT(*) FROM store_outbox WHERE published_at IS NULL", vec![])
                .await
                .expect("count");
        assert!(Instant::now() < deadline, "{} of {EVENTS} applied, {backlog} not yet published", count().await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (twice,): (i64,) =
        t.db.fetch_one(
            "SELECT COUNT(*) FROM (SELECT thing_id FROM test_effects GROUP BY thing_id HAVING COUNT(*) > 1) d",
            vec![],
        )
        .await
        .expect("count");
    assert_eq!(twice, 0, "no event applied twice");
    let (backlog,): (i64,) =
        t.db.fetch_one("SELECT COUNT(*) FROM store_outbox WHERE published_at IS NULL", vec![]).await.expect("count");
    assert_eq!(backlog, 0, "the outbox drained");
    stop.send(true).expect("stop");
    let _ = relay.await;
    consumer.await.expect("consumer stops");
    drop(node);
}
