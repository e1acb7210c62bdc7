//! A backend lost while serving: what needs it answers 503 with `Retry-After`, what does not
//! keeps working, readiness names it, and everything recovers by itself once it is back. The
//! Redis here is a real server of this test's own (Debian's `redis-server`), so it can be
//! stopped and started without touching the one other suites share.

use axum::http::StatusCode;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use testkit::{TestApp, TestBackend};

/// A server of the test's own, stopped when it goes out of scope (a failed assertion too).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn redis_server(port: u16) -> Option<Server> {
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "redis-server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Server(child))
}

#[tokio::test]
async fn redis_lost_while_serving_is_503_then_recovers_by_itself() {
    let port = crate::cli::free_port();
    let Some(server) = redis_server(port) else {
        eprintln!("note: redis-server is not installed; the Redis fault test is skipped");
        return;
    };
    let url = format!("redis://127.0.0.1:{port}");
    let app = TestApp::spawn(&TestBackend::SqliteRedis(url)).await;
    let (seller, _) = app.seller("seller@example.com").await;
    let body = serde_json::json!({"title": "Mug", "status": "active", "variants": [{"sku": "MUG", "price": 1200}]});
    let product = app.post("/api/v1/products", body, Some(&seller)).await.json();
    let variant = product["variants"][0]["id"].as_str().expect("variant").to_owned();
    let path = format!("/api/v1/products/{}", product["id"].as_str().expect("id"));
    let location = app.post("/api/v1/inventory/locations", serde_json::json!({"name": "Main"}), Some(&seller)).await;
    let stock = serde_json::json!({"sku": "MUG", "location_id": location.json()["id"], "kind": "received", "quantity": 9, "reason": "test"});
    assert_eq!(app.post("/api/v1/inventory/adjustments", stock, Some(&seller)).await.status, StatusCode::CREATED);
    let add = serde_json::json!({"variant_id": variant, "quantity": 1});
    let r = app.post("/api/v1/cart/add", add.clone(), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    drop(server);
    let r = app.post("/api/v1/cart/add", add.clone(), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::SERVICE_UNAVAILABLE, "backend_unavailable".into()), "{}", r.text);
    assert_eq!(r.header("retry-after"), Some("2"));
    assert_eq!(app.get(&path, None).await.status, StatusCode::OK, "a product page does without its cache");
    let ready = app.get("/health/ready", None).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        (ready.json()["checks"]["redis"].clone(), ready.json()["checks"]["database"].clone()),
        ("down".into(), "ok".into())
    );

    let _server = redis_server(port).expect("redis starts again");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let r = app.post("/api/v1/cart/add", add.clone(), None).await;
        if r.status == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "no recovery: {} {}", r.status, r.text);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.get("/health/ready", None).await.status, StatusCode::OK);
}

/// With `bus.url` set, events leave the outbox through RabbitMQ and each consumer reads its
/// own queue there: a new product reaches the search index with nothing delivered in process.
#[tokio::test]
async fn with_a_broker_events_reach_their_consumers_through_it() {
    let Ok(url) = std::env::var("OXCART_TEST_AMQP_URL") else {
        eprintln!("note: OXCART_TEST_AMQP_URL is not set; the broker run is skipped");
        return;
    };
    let prefix = format!("oxtest.{}", kernel::id::new_id("app"));
    let app = TestApp::spawn_with(&TestBackend::Sqlite, |c| {
        c.bus.url = Some(url);
        c.bus.prefix = prefix.clone();
    })
    .await;
    let ready = app.get("/health/ready", None).await;
    assert_eq!(
        (ready.status, ready.json()["checks"]["broker"].clone()),
        (StatusCode::OK, "ok".into()),
        "{}",
        ready.text
    );
    // The seller is made and settled in process first: one delivery path at a time.
    let (seller, _) = app.seller("seller@example.com").await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let background = oxcart::serve::background(&app.app, &stopped);

    let body = serde_json::json!({"title": "Brokered Lantern", "status": "active", "variants": [{"sku": "LANTERN", "price": 3100}]});
    let created = app.post("/api/v1/products", body, Some(&seller)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        // The indexer applies what the search consumer queued from its broker queue.
        app.app.search.drain().await.expect("indexer");
        let hits = app.get("/api/v1/products?q=lantern", None).await.json();
        if hits["total"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the product never reached the index: {hits}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (unsent,): (i64,) = app
        .app
        .db
        .fetch_one("SELECT COUNT(*) FROM store_outbox WHERE published_at IS NULL", vec![])
        .await
        .expect("count");
    assert_eq!(unsent, 0, "the relay published through the broker");
    stop.send(true).expect("stop");
    for task in background {
        task.await.expect("stops");
    }
    let groups: Vec<_> = app.app.modules.iter().flat_map(|m| m.handlers.iter().cloned()).collect();
    app.app.broker.as_ref().expect("broker").delete_everything(&groups).await.expect("the test's queues go");
}

/// Two replicas on one PostgreSQL (SQLite is one process's database: its single writer is
/// how that process avoids busy errors), each with its own search index: a change made through
/// either reaches both indexes, since each replica has a queue of its own that any consumer
/// fills.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_keep_their_own_indexes_in_step() {
    for backend in testkit::backends().into_iter().filter(|b| matches!(b, TestBackend::Postgres(_))) {
        let first = TestApp::spawn(&backend).await;
        let second = first.replica().await;
        // Made and settled before the replicas run their relays: one delivery path at a time.
        let (seller, _) = first.seller("seller@example.com").await;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mut tasks = Vec::new();
        for app in [&first, &second] {
            tasks.extend(oxcart::serve::background(&app.app, &stopped));
            tasks.push(tokio::spawn(app.app.search.clone().run(stopped.clone())));
        }
        let started = Instant::now();
        let product = |title: &str, sku: &str| serde_json::json!({"title": title, "status": "active", "variants": [{"sku": sku, "price": 1500}]});
        let lamp = first.post("/api/v1/products", product("Copper Lamp", "LAMP"), Some(&seller)).await;
        assert_eq!(lamp.status, StatusCode::CREATED, "{}", lamp.text);
        let r = second.post("/api/v1/products", product("Copper Kettle", "KETTLE"), Some(&seller)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let path = format!("/api/v1/products/{}", lamp.json()["id"].as_str().expect("id"));
        let r = second
            .call(
                axum::http::Method::PATCH,
                &path,
                Some(serde_json::json!({"title": "Copper Desk Lamp"})),
                Some(&seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);

        for (name, app) in [("first", &first), ("second", &second)] {
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                let hits = app.get("/api/v1/products?q=copper", None).await.json();
                let mut titles: Vec<String> = hits["items"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|h| h["title"].as_str().map(String::from))
                    .collect();
                titles.sort();
                if titles == ["Copper Desk Lamp", "Copper Kettle"] {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{}: the {name} replica's index is behind: {titles:?}",
                    backend.name()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        eprintln!(
            "{}: both indexes in step {} ms after the first change",
            backend.name(),
            started.elapsed().as_millis()
        );
        stop.send(true).expect("stop");
        for task in tasks {
            task.await.expect("stops");
        }
        drop(second);
    }
}

/// `database.read_url`: public product pages are read from the replica (here an empty one, so
/// the product is not there yet), what its owner sees from the primary.
#[tokio::test]
async fn public_product_pages_are_read_from_the_read_replica() {
    let Some(backend) = testkit::backends().into_iter().find(|b| matches!(b, TestBackend::Postgres(_))) else { return };
    let (app, _replica) = TestApp::spawn_with_read_replica(&backend).await.expect("postgres");
    let (seller, _) = app.seller("seller@example.com").await;
    let body =
        serde_json::json!({"title": "Replica Mug", "status": "active", "variants": [{"sku": "RMUG", "price": 900}]});
    let created = app.post("/api/v1/products", body, Some(&seller)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let path = format!("/api/v1/products/{}", created.json()["id"].as_str().expect("id"));
    assert_eq!(app.get(&path, Some(&seller)).await.status, StatusCode::OK, "the owner reads the primary");
    let public = app.get(&path, None).await;
    assert_eq!((public.status, public.code()), (StatusCode::NOT_FOUND, "product_not_found".into()), "the replica lags");
}

/// `server.rate_limit_per_minute`: N API requests a minute per client address, and with Redis
/// N across every replica, not N each.
#[tokio::test]
async fn the_api_rate_limit_is_one_count_across_replicas_sharing_redis() {
    for backend in testkit::backends_with_redis().into_iter().filter(|b| !matches!(b, TestBackend::Postgres(_))) {
        let first = TestApp::spawn_with(&backend, |c| c.server.rate_limit_per_minute = 3).await;
        let prefix = first.app.config.redis.prefix.clone();
        let second = match backend.redis_url() {
            Some(_) => Some(
                TestApp::spawn_with(&backend, |c| {
                    c.server.rate_limit_per_minute = 3;
                    c.redis.prefix = prefix;
                })
                .await,
            ),
            None => None,
        };
        let other = second.as_ref().unwrap_or(&first);
        for app in [&first, &first, other] {
            assert_eq!(app.get("/api/v1/categories", None).await.status, StatusCode::OK, "{}", backend.name());
        }
        let r = other.get("/api/v1/categories", None).await;
        assert_eq!((r.status, r.code()), (StatusCode::TOO_MANY_REQUESTS, "rate_limited".into()), "{}", backend.name());
        let wait: u64 = r.header("retry-after").expect("Retry-After").parse().expect("seconds");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(first.get("/health/live", None).await.status, StatusCode::OK, "health is not the API");
    }
}
