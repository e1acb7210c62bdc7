//! Checkouts through a server killed with SIGKILL at random moments and started again, as a
//! crash in production would: afterwards no capture without a confirmed order, one capture
//! per confirmed order, no checkout left half-way, no hold past its time, and stock reserved
//! equal to the live holds. Bounded: 300 checkouts or 90 seconds, whichever comes first.

use crate::cli::{free_port, get, oxcart};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use store::{Db, DbOptions};

const CHECKOUTS: usize = 300;
const BUYERS: usize = 4;
/// Per backend.
const BUDGET: Duration = Duration::from_secs(60);

struct Server {
    port: u16,
    data_dir: std::path::PathBuf,
    database_url: String,
}

impl Server {
    fn start(&self) -> Child {
        let child = oxcart()
            .args(["serve", "--bind", &format!("127.0.0.1:{}", self.port), "--data-dir"])
            .arg(&self.data_dir)
            .env("OXCART_DATABASE__URL", &self.database_url)
            .env("OXCART_SERVER__METRICS_BIND", "")
            // A checkout cut short is taken over a second later, not after the default 30.
            .env("OXCART_ORDERS__RESUME_AFTER_SECS", "1")
            .env("OXCART_ORDERS__RETRY_SECS", "1")
            // A killed request's Idempotency-Key claim lapses after this and 5 s.
            .env("OXCART_SERVER__REQUEST_TIMEOUT_SECS", "5")
            // A payment whose provider answer died with the server is looked up within seconds.
            .env("OXCART_PAYMENTS__RECONCILE_AFTER_SECS", "5")
            .env("OXCART_PAYMENTS__RECONCILE_INTERVAL_SECS", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        while get(self.port, "/health/live").is_none_or(|r| !r.starts_with("HTTP/1.1 200")) {
            assert!(Instant::now() < deadline, "server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        child
    }
}

/// A POST that answers "" when the server is not there (killed, or starting again).
fn post(port: u16, path: &str, body: &str, headers: &[(&str, &str)]) -> String {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return String::new() };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    );
    if s.write_all(request.as_bytes()).is_err() {
        return String::new();
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

fn body(response: &str) -> Value {
    response.split_once("\r\n\r\n").and_then(|(_, b)| serde_json::from_str(b).ok()).unwrap_or(Value::Null)
}

fn status(response: &str) -> u16 {
    response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn address() -> Value {
    json!({"name": "Crash Test", "line1": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US"})
}

/// Sends until the server answers (it may be down or starting again), for up to 20 s.
fn answered(port: u16, path: &str, body: &str, headers: &[(&str, &str)]) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let r = post(port, path, body, headers);
        if status(&r) != 0 && status(&r) != 503 {
            return Some(r);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// One guest checkout of one unit of `variant`, as a patient client makes it: each request
/// is sent again until the server answers, the checkout always with the same key. Its final
/// status, or `None` when the server never answered.
fn buy(port: u16, variant: &str, key: &str) -> Option<(u16, String)> {
    let added = answered(port, "/api/v1/cart/add", &json!({"variant_id": variant, "quantity": 1}).to_string(), &[])?;
    let Some(token) = body(&added)["token"].as_str().map(str::to_owned) else {
        return Some((status(&added), format!("cart add: {}", body(&added)["code"])));
    };
    let quote = json!({"address": address(), "shipping_method": "standard"}).to_string();
    let quoted = answered(port, "/api/v1/checkout/quote", &quote, &[("X-Cart-Token", &token)])?;
    let Some(total) = body(&quoted)["totals"]["total"].as_i64() else {
        return Some((status(&quoted), format!("quote: {}", body(&quoted)["code"])));
    };
    let order = json!({"address": address(), "email": "crash@example.com", "shipping_method": "standard",
        "payment_token": "tok_sandbox_ok", "expected_total": total})
    .to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = answered(port, "/api/v1/checkout", &order, &[("X-Cart-Token", &token), ("Idempotency-Key", key)])?;
        // 409 in flight: the first try is still held (a killed request's claim lapses in time).
        let code = body(&r)["code"].as_str().unwrap_or_default().to_owned();
        if code != "idempotency_in_flight" || Instant::now() > deadline {
            return Some((status(&r), code));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    let (n,): (i64,) = db.fetch_one(sql, vec![]).await.expect("count");
    n
}

#[test]
fn checkouts_survive_sigkill_at_random_moments() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("dir");
    let data_dir = dir.path().join("sqlite");
    crash_run(&runtime, &data_dir, &format!("sqlite://{}", data_dir.join("oxcart.db").display()));
    if let Some(url) = std::env::var("OXCART_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        let database_url = runtime.block_on(fresh_postgres(&url));
        crash_run(&runtime, &dir.path().join("postgres"), &database_url);
        runtime.block_on(drop_postgres(&url, &database_url));
    }
}

fn crash_run(runtime: &tokio::runtime::Runtime, data_dir: &std::path::Path, database_url: &str) {
    let data_dir = data_dir.to_path_buf();
    let seeded = oxcart()
        .args(["seed", "--products", "30", "--data-dir"])
        .arg(&data_dir)
        .env("OXCART_DATABASE__URL", database_url)
        .output()
        .expect("seed runs");
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));

    let server = Server { port: free_port(), data_dir, database_url: database_url.to_owned() };
    let mut child = server.start();
    let list = body(&get(server.port, "/api/v1/products?limit=8&in_stock=true").expect("list"));
    let mut variants = Vec::new();
    for p in list["items"].as_array().expect("items") {
        let slug = p["slug"].as_str().expect("slug");
        let detail = body(&get(server.port, &format!("/api/v1/products/{slug}")).expect("detail"));
        variants.extend(
            detail["variants"].as_array().into_iter().flatten().filter_map(|v| v["id"].as_str().map(str::to_owned)),
        );
    }
    assert!(!variants.is_empty(), "the seeded catalog has variants");

    let started = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let buyers: Vec<_> = (0..BUYERS)
        .map(|_| {
            let (next, done, variants, port) = (next.clone(), done.clone(), variants.clone(), server.port);
            std::thread::spawn(move || {
                let mut answers = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= CHECKOUTS || done.load(Ordering::Relaxed) {
                        return answers;
                    }
                    answers.push(buy(port, &variants[i % variants.len()], &format!("crash-{i}")));
                }
            })
        })
        .collect();
    let mut kills = 0;
    let mut seed = 0x9E37_79B9_u64;
    while next.load(Ordering::Relaxed) < CHECKOUTS && started.elapsed() < BUDGET {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(400 + seed % 1000));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        kills += 1;
        child = server.start();
    }
    done.store(true, Ordering::Relaxed);
    let answers: Vec<Option<(u16, String)>> = buyers.into_iter().flat_map(|b| b.join().expect("buyer")).collect();

    // Give the restarted server time to take over what the last kill cut short.
    let db = runtime.block_on(Db::connect(&DbOptions::new(database_url.to_owned()))).expect("open the database");
    let deadline = Instant::now() + Duration::from_secs(40);
    while runtime.block_on(count(&db, "SELECT COUNT(*) FROM orders_sagas")) > 0 {
        if Instant::now() > deadline {
            let left: Vec<(String, String, i64, Option<String>)> = runtime
                .block_on(db.fetch_all("SELECT order_id, step, attempts, last_error FROM orders_sagas", vec![]))
                .expect("sagas");
            panic!("checkouts left unfinished after a restart: {left:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    child.kill().expect("stop");
    child.wait().expect("reaped");

    let confirmed = runtime.block_on(count(&db, "SELECT COUNT(*) FROM orders_orders WHERE state = 'confirmed'"));
    let placed = answers.iter().filter(|a| a.as_ref().is_some_and(|(s, _)| *s == 201)).count();
    let mut refused: Vec<String> =
        answers.iter().flatten().filter(|(s, _)| *s != 201).map(|(s, c)| format!("{s} {c}")).collect();
    refused.sort();
    refused.dedup_by(|a, b| a == b);
    eprintln!(
        "crash test on {}: {} checkouts, {kills} kills, {placed} answered 201, {confirmed} confirmed, {} never answered, \
         refusals seen: {refused:?}",
        database_url.split(':').next().unwrap_or_default(),
        answers.len(),
        answers.iter().filter(|a| a.is_none()).count()
    );
    assert!(kills >= 3, "the server was killed often enough to mean something ({kills})");
    assert!(confirmed as usize >= placed, "every order answered 201 stands");
    runtime.block_on(invariants(&db));
    runtime.block_on(db.close());
}

async fn invariants(db: &Db) {
    let orphan = count(
        db,
        "SELECT COUNT(*) FROM payments_ledger g JOIN payments_payments p ON p.id = g.payment_id
         LEFT JOIN orders_orders o ON o.id = p.reference
         WHERE g.kind = 'capture' AND g.status = 'succeeded' AND (o.id IS NULL OR o.state <> 'confirmed')
           AND NOT EXISTS (SELECT 1 FROM payments_ledger r WHERE r.payment_id = g.payment_id AND r.kind = 'refund'
                           AND r.status = 'succeeded')",
    )
    .await;
    assert_eq!(orphan, 0, "a capture without a confirmed order");
    let not_once = count(
        db,
        "SELECT COUNT(*) FROM orders_orders o WHERE o.state = 'confirmed' AND 1 <> (SELECT COUNT(*) FROM payments_ledger g
         JOIN payments_payments p ON p.id = g.payment_id WHERE p.reference = o.id AND g.kind = 'capture'
         AND g.status = 'succeeded')",
    )
    .await;
    assert_eq!(not_once, 0, "a confirmed order without exactly one capture");
    let open = count(
        db,
        "SELECT COUNT(*) FROM payments_payments p JOIN orders_orders o ON o.id = p.reference
         WHERE o.state = 'cancelled' AND p.state IN ('authorized', 'captured')",
    )
    .await;
    assert_eq!(open, 0, "money held or kept for a cancelled order");
    let (stale,): (i64,) = db
        .fetch_one(
            "SELECT COUNT(*) FROM inventory_reservations WHERE state = 'active' AND expires_at < $1",
            store::args![kernel::time::Timestamp::now()],
        )
        .await
        .expect("count");
    assert_eq!(stale, 0, "a hold past its time");
    let mismatched = count(
        db,
        "SELECT COUNT(*) FROM (SELECT sku, SUM(reserved) AS reserved FROM inventory_levels GROUP BY sku) l
         WHERE l.reserved <> (SELECT COALESCE(SUM(x.quantity), 0) FROM inventory_reservation_lines x
             JOIN inventory_reservations r ON r.id = x.reservation_id WHERE r.state = 'active' AND x.sku = l.sku)",
    )
    .await;
    assert_eq!(mismatched, 0, "reserved differs from the live holds");
    let negative = count(db, "SELECT COUNT(*) FROM inventory_levels WHERE reserved < 0 OR reserved > on_hand").await;
    assert_eq!(negative, 0, "0 <= reserved <= on_hand");
}

async fn fresh_postgres(url: &str) -> String {
    let name = format!("oxcart_crash_{}", std::process::id());
    let admin = Db::connect(&DbOptions::new(url.to_owned())).await.expect("connect");
    admin.execute(store::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name}")), vec![]).await.expect("drop");
    admin.execute(store::AssertSqlSafe(format!("CREATE DATABASE {name}")), vec![]).await.expect("create");
    admin.close().await;
    let base = url.rsplit_once('/').map_or(url, |(b, _)| b);
    format!("{base}/{name}")
}

async fn drop_postgres(admin_url: &str, url: &str) {
    let name = url.rsplit_once('/').map(|(_, n)| n.to_owned()).unwrap_or_default();
    let admin = Db::connect(&DbOptions::new(admin_url.to_owned())).await.expect("connect");
    let _ = admin.execute(store::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")), vec![]).await;
}
