//! End-to-end runs against a raw TCP test server. Assertions are about counts and ordering, never about
//! absolute throughput, so they hold on a loaded two-core machine.

use std::sync::Arc;
use std::time::Duration;

use crate::support::Server;
use bench::{Load, Options, Paths, Report, RequestSpec, Scenario};

fn paths(paths: &[&str]) -> Arc<dyn Scenario> {
    Arc::new(Paths { name: "test".to_owned(), paths: paths.iter().map(|p| (*p).to_owned()).collect() })
}

fn options(base_url: String, load: Load, duration_ms: u64) -> Options {
    Options { base_url, load, duration: Duration::from_millis(duration_ms), warmup: Duration::ZERO, metrics_url: None }
}

async fn run(options: &Options, scenario: Arc<dyn Scenario>) -> Report {
    match bench::run(options, scenario).await {
        Ok(report) => report,
        Err(err) => panic!("run failed: {err:#}"),
    }
}

fn status(report: &Report, code: u16) -> u64 {
    report.status_counts.get(&code).copied().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_loop_counts_every_answered_request() {
    let server = Server::start().await;
    let report = run(&options(server.url(), Load::Closed { concurrency: 4 }, 400), paths(&["/a", "/b?x=1"])).await;
    assert!(report.requests > 0);
    // The server also saw the requests still in flight when the run stopped: at most one per worker.
    let unanswered = server.requests() - report.requests;
    assert!(unanswered <= 4, "server saw {} but report has {}", server.requests(), report.requests);
    assert_eq!(report.errors, 0);
    assert_eq!(report.status_counts, [(200, report.requests)].into());
    assert_eq!(server.counters.without_host.load(std::sync::atomic::Ordering::Relaxed), 0);
    assert_eq!(server.counters.connections.load(std::sync::atomic::Ordering::Relaxed), 4, "one keep-alive per worker");
    assert!(report.rps > 0.0 && report.elapsed == Duration::from_millis(400));
    assert!(report.p50 <= report.p99 && report.p99 <= report.p999 && report.p999 <= report.max, "{report:?}");
    assert_eq!(report.late, 0);
    // The server is this test process, listening on loopback: its CPU is read from /proc.
    if std::path::Path::new("/proc/net/tcp").exists() {
        assert!(report.server_cpu.is_some_and(|c| c > Duration::ZERO), "{report:?}");
        assert!(report.cpu_per_request().is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warmup_requests_are_sent_but_not_recorded() {
    let server = Server::start().await;
    let mut options = options(server.url(), Load::Closed { concurrency: 2 }, 300);
    options.warmup = Duration::from_millis(300);
    let report = run(&options, paths(&["/"])).await;
    assert!(report.requests > 0);
    assert!(
        server.requests() > report.requests + 2,
        "warmup traffic missing: {} vs {}",
        server.requests(),
        report.requests
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_2xx_answers_are_errors() {
    let server = Server::start().await;
    let report = run(&options(server.url(), Load::Closed { concurrency: 2 }, 400), paths(&["/ok", "/fail"])).await;
    assert!(status(&report, 200) > 0 && status(&report, 500) > 0, "{:?}", report.status_counts);
    assert_eq!(report.errors, status(&report, 500));
    assert_eq!(report.requests, status(&report, 200) + status(&report, 500));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_loop_latency_covers_the_service_time() {
    let server = Server::start().await;
    let report = run(&options(server.url(), Load::Closed { concurrency: 2 }, 500), paths(&["/sleep/20"])).await;
    assert!(report.requests >= 2);
    assert!(report.p50 >= Duration::from_millis(20), "p50 {:?}", report.p50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixed_rate_sends_the_requested_rate() {
    let server = Server::start().await;
    let load = Load::Fixed { rate_per_sec: 200, concurrency: 4 };
    let report = run(&options(server.url(), load, 2_000), paths(&["/"])).await;
    assert!((340..=460).contains(&report.requests), "{} requests, expected about 400", report.requests);
    assert!(server.requests() - report.requests <= 4);
    assert_eq!(report.errors, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixed_rate_latency_includes_queueing() {
    // Two workers on a 20 ms path serve at most 100 req/s; at 200 req/s the backlog grows all run long,
    // and latency measured from the schedule must show it.
    let server = Server::start().await;
    let load = Load::Fixed { rate_per_sec: 200, concurrency: 2 };
    let report = run(&options(server.url(), load, 1_000), paths(&["/sleep/20"])).await;
    assert!(report.requests > 0);
    assert!(report.p99 >= Duration::from_millis(100), "p99 {:?} hides the queue", report.p99);
    assert!(report.late > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnects_when_the_server_closes_the_connection() {
    let server = Server::start().await;
    let report = run(&options(server.url(), Load::Closed { concurrency: 2 }, 400), paths(&["/close"])).await;
    assert!(report.requests > 2);
    assert_eq!(report.errors, 0, "a graceful Connection: close is not an error");
    assert!(server.counters.connections.load(std::sync::atomic::Ordering::Relaxed) > 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_are_errors_and_the_worker_recovers() {
    let server = Server::start().await;
    let report = run(&options(server.url(), Load::Closed { concurrency: 1 }, 500), paths(&["/drop", "/ok"])).await;
    assert!(report.errors > 0 && status(&report, 200) > 0, "{report:?}");
    assert_eq!(report.requests, report.errors + status(&report, 200));
}

struct PostJson;

impl Scenario for PostJson {
    fn name(&self) -> &str {
        "post"
    }

    fn next(&self, worker: usize, seq: u64) -> RequestSpec {
        assert_eq!(worker, 0);
        RequestSpec::post_json(format!("/carts?seq={seq}"), br#"{"sku":"X"}"#.to_vec())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_bodies_are_sent_as_json() {
    let server = Server::start().await;
    let report = run(&options(server.url(), Load::Closed { concurrency: 1 }, 200), Arc::new(PostJson)).await;
    assert!(report.requests > 0 && report.errors == 0);
    let counters = &server.counters;
    let json = counters.json_bodies.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(json, server.requests());
    assert_eq!(counters.body_bytes.load(std::sync::atomic::Ordering::Relaxed), json * 11);
}

#[tokio::test]
async fn unreachable_server_is_an_error_naming_the_address() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let options = options(format!("http://{addr}"), Load::Closed { concurrency: 2 }, 200);
    let err = bench::run(&options, paths(&["/"])).await.expect_err("nothing listens there");
    assert!(err.to_string().contains(&addr.to_string()), "{err:#}");
}

#[tokio::test]
async fn bad_options_are_errors() {
    for url in ["", "not a url", "127.0.0.1:8080", "https://127.0.0.1:8080", "ftp://127.0.0.1"] {
        let options = options(url.to_owned(), Load::Closed { concurrency: 1 }, 100);
        assert!(bench::run(&options, paths(&["/"])).await.is_err(), "{url:?} accepted");
    }
    let server = Server::start().await;
    for load in [Load::Closed { concurrency: 0 }, Load::Fixed { rate_per_sec: 0, concurrency: 1 }] {
        assert!(bench::run(&options(server.url(), load, 100), paths(&["/"])).await.is_err(), "{load:?} accepted");
    }
    let err = bench::run(&options(server.url(), Load::Closed { concurrency: 1 }, 100), paths(&["no-slash"]))
        .await
        .expect_err("path without a leading slash");
    assert!(format!("{err:#}").contains("no-slash"), "{err:#}");
}

#[tokio::test]
async fn get_json_fetches_discovery_data() {
    let server = Server::start().await;
    let value = bench::get_json(&server.url(), "/json").await.expect("json");
    assert_eq!(value["items"], serde_json::json!([1, 2, 3]));
    let err = bench::get_json(&server.url(), "/fail").await.expect_err("500");
    assert!(err.to_string().contains("500"), "{err:#}");
    assert!(bench::get_json(&server.url(), "/ok").await.is_err(), "not JSON");
}
