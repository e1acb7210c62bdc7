//! The two load models and the run that drives them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, ensure};
use hyper::StatusCode;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until};

use crate::conn::{Conn, HttpRequest};
use crate::cpu::ServerCpu;
use crate::progress::{Live, Progress};
use crate::report::{Report, Tally};
use crate::target::Target;
use crate::{Load, Options, Scenario};

/// Timer wheels wake up to a millisecond late; lateness below this is jitter, not backlog.
const LATE_SLACK: Duration = Duration::from_millis(2);
/// Keeps a worker from spinning on a server that is down while still noticing when it comes back.
const RECONNECT_PAUSE: Duration = Duration::from_millis(50);

/// Runs `scenario` against `options.base_url` and reports on the measured window.
///
/// All connections are opened before the clock starts, so handshakes never land in the samples and an
/// unreachable server fails fast with its address in the error. Dropping the returned future cancels
/// the run cleanly (workers and the progress line stop).
pub async fn run(options: &Options, scenario: Arc<dyn Scenario>) -> anyhow::Result<Report> {
    let (concurrency, rate) = match options.load {
        Load::Closed { concurrency } => (concurrency, None),
        Load::Fixed { rate_per_sec, concurrency } => (concurrency, Some(rate_per_sec)),
    };
    ensure!(concurrency > 0, "concurrency must be at least 1");
    ensure!(rate != Some(0), "rate must be at least 1 request per second");
    ensure!(!options.duration.is_zero(), "duration must be positive");
    let target = Arc::new(Target::resolve(&options.base_url).await?);
    // Only a server on this machine has its processes in this /proc.
    let server = target.addr.ip().is_loopback().then(|| ServerCpu::find(target.addr)).flatten();

    let mut connecting = JoinSet::new();
    for _ in 0..concurrency {
        connecting.spawn(Conn::open(target.clone()));
    }
    let mut conns = Vec::with_capacity(concurrency);
    while let Some(joined) = connecting.join_next().await {
        conns.push(joined.context("connect task failed")??);
    }

    let start = Instant::now();
    let measure_start = start + options.warmup;
    let end = measure_start + options.duration;
    let schedule = rate.map(|rate| Arc::new(Schedule { start, end, rate, claimed: AtomicU64::new(0) }));
    let live = Arc::new(Live::default());
    let progress = Progress::start(format!("{}  {}", scenario.name(), options.load), live.clone(), measure_start);

    let sampler = server.clone().map(|server| {
        tokio::spawn(async move {
            sleep_until(measure_start).await;
            let first = server.used();
            sleep_until(end).await;
            first.zip(server.used()).map(|(first, last)| last.saturating_sub(first))
        })
    });

    let statements = options.metrics_url.clone().map(|url| {
        tokio::spawn(async move {
            sleep_until(measure_start).await;
            let first = statements_sent(&url).await;
            sleep_until(end).await;
            first.zip(statements_sent(&url).await).map(|(first, last)| last.saturating_sub(first))
        })
    });

    let mut workers = JoinSet::new();
    for (id, conn) in conns.into_iter().enumerate() {
        let worker = Worker {
            id,
            seq: 0,
            conn,
            scenario: scenario.clone(),
            live: live.clone(),
            measure_start,
            end,
            tally: Tally::default(),
        };
        match &schedule {
            Some(schedule) => workers.spawn(worker.fixed(schedule.clone())),
            None => workers.spawn(worker.closed()),
        };
    }
    let mut total = Tally::default();
    while let Some(joined) = workers.join_next().await {
        // An error here is a broken scenario (unparseable path or header), not a server problem: stop.
        total.merge(joined.context("bench worker panicked")??);
    }
    progress.finish();
    if let Some(schedule) = schedule {
        total.late += schedule.never_sent(options.warmup, options.duration);
    }
    let mut report = total.into_report(scenario.name().to_owned(), options.load, options.duration);
    if let Some(sampler) = sampler {
        report.server_cpu = sampler.await.ok().flatten();
    }
    if let Some(statements) = statements {
        report.server_statements = statements.await.ok().flatten();
    }
    report.server_rss = server.as_ref().and_then(ServerCpu::resident);
    Ok(report)
}

/// The server's `oxcart_db_statements_total`; `None` when `/metrics` cannot be read.
async fn statements_sent(metrics_url: &str) -> Option<u64> {
    let (status, text) = crate::get_text(metrics_url, "/metrics").await.ok()?;
    (status == 200).then_some(())?;
    let line = text.lines().find(|l| l.starts_with("oxcart_db_statements_total"))?;
    line.rsplit(' ').next()?.parse::<f64>().ok().map(|n| n as u64)
}

/// Fixed-rate timetable: request `n` is due at `start + n / rate`, whichever worker is free to take it.
struct Schedule {
    start: Instant,
    end: Instant,
    rate: u64,
    claimed: AtomicU64,
}

impl Schedule {
    /// Offsets are computed from `n` rather than accumulated, so the rate does not drift by rounding.
    fn offset(&self, n: u64) -> Duration {
        let nanos = u128::from(n) * 1_000_000_000 / u128::from(self.rate);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    /// Number of requests due strictly before `offset`.
    fn due_before(&self, offset: Duration) -> u64 {
        let due = (offset.as_nanos() * u128::from(self.rate)).div_ceil(1_000_000_000);
        u64::try_from(due).unwrap_or(u64::MAX)
    }

    fn claim(&self) -> Option<Instant> {
        let n = self.claimed.fetch_add(1, Ordering::Relaxed);
        let due = self.start + self.offset(n);
        (due < self.end).then_some(due)
    }

    /// Requests due in the measured window that no worker got to before the end: the backlog left over.
    fn never_sent(&self, warmup: Duration, duration: Duration) -> u64 {
        let first = self.due_before(warmup);
        let last = self.due_before(warmup + duration);
        last - self.claimed.load(Ordering::Relaxed).clamp(first, last)
    }
}

struct Worker {
    id: usize,
    seq: u64,
    conn: Conn,
    scenario: Arc<dyn Scenario>,
    live: Arc<Live>,
    measure_start: Instant,
    end: Instant,
    tally: Tally,
}

impl Worker {
    async fn closed(mut self) -> anyhow::Result<Tally> {
        while Instant::now() < self.end {
            let request = self.next_request()?;
            let now = Instant::now();
            if !self.exchange(request, now, now).await {
                break;
            }
        }
        Ok(self.tally)
    }

    async fn fixed(mut self, schedule: Arc<Schedule>) -> anyhow::Result<Tally> {
        while let Some(due) = schedule.claim() {
            // A worker that is free before the due time waits for it, and the timer then fires up to a
            // millisecond late: that jitter is the generator's, so the clock starts when it fires. A worker
            // that only got free after the due time is backlog, and the clock started at the due time.
            let clock = if Instant::now() < due {
                sleep_until(due).await;
                Instant::now()
            } else {
                due
            };
            let request = self.next_request()?;
            if !self.exchange(request, clock, due).await {
                break;
            }
        }
        Ok(self.tally)
    }

    fn next_request(&mut self) -> anyhow::Result<HttpRequest> {
        let spec = self.scenario.next(self.id, self.seq);
        self.seq += 1;
        self.conn.request(spec).with_context(|| format!("scenario {:?} produced a bad request", self.scenario.name()))
    }

    /// Sends one request and records it if it was due inside the measured window and finished before the
    /// end. Latency runs from `clock`, which at a fixed rate is the scheduled time for backlogged requests,
    /// so time spent waiting for a free worker counts against the server. Returns false once the run is over.
    async fn exchange(&mut self, request: HttpRequest, clock: Instant, due: Instant) -> bool {
        let sent = Instant::now();
        let outcome: anyhow::Result<StatusCode> = tokio::select! {
            outcome = self.conn.send(request) => outcome,
            // In flight at the end: not counted; dropping the future closes the connection, which is fine now.
            () = sleep_until(self.end) => return false,
        };
        let done = Instant::now();
        if done > self.end {
            return false;
        }
        self.live.completed.fetch_add(1, Ordering::Relaxed);
        let measured = due >= self.measure_start;
        if measured && sent.duration_since(due) > LATE_SLACK {
            self.tally.late += 1;
        }
        match outcome {
            Ok(status) if measured => self.tally.response(status, done.duration_since(clock)),
            Ok(_) => {}
            Err(_) => {
                if measured {
                    self.tally.failure();
                }
                sleep_until((done + RECONNECT_PAUSE).min(self.end)).await;
            }
        }
        true
    }
}
