//! Per-worker tallies, their merge into a [`Report`], and the text table the CLI prints.

use std::collections::BTreeMap;
use std::time::Duration;

use hyper::StatusCode;

use crate::Load;
use crate::histogram::Histogram;

/// What one worker saw during the measured window; merged once at the end so workers never contend.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) latency: Histogram,
    pub(crate) requests: u64,
    pub(crate) errors: u64,
    pub(crate) late: u64,
    pub(crate) status_counts: BTreeMap<u16, u64>,
}

impl Tally {
    pub(crate) fn response(&mut self, status: StatusCode, latency: Duration) {
        self.requests += 1;
        *self.status_counts.entry(status.as_u16()).or_default() += 1;
        if !status.is_success() {
            self.errors += 1;
        }
        self.latency.record(u64::try_from(latency.as_micros()).unwrap_or(u64::MAX));
    }

    /// I/O failures have no meaningful latency (a refused connect takes microseconds), so they are
    /// counted but kept out of the percentiles.
    pub(crate) fn failure(&mut self) {
        self.requests += 1;
        self.errors += 1;
    }

    pub(crate) fn merge(&mut self, other: Tally) {
        self.latency.merge(&other.latency);
        self.requests += other.requests;
        self.errors += other.errors;
        self.late += other.late;
        for (status, count) in other.status_counts {
            *self.status_counts.entry(status).or_default() += count;
        }
    }

    pub(crate) fn into_report(self, scenario: String, load: Load, elapsed: Duration) -> Report {
        let micros = |quantile| Duration::from_micros(self.latency.percentile(quantile));
        let secs = elapsed.as_secs_f64();
        Report {
            scenario,
            load,
            requests: self.requests,
            errors: self.errors,
            late: self.late,
            rps: if secs > 0.0 { self.requests as f64 / secs } else { 0.0 },
            p50: micros(0.5),
            p99: micros(0.99),
            p999: micros(0.999),
            max: Duration::from_micros(self.latency.max()),
            status_counts: self.status_counts,
            elapsed,
            server_cpu: None,
            server_statements: None,
            server_rss: None,
        }
    }
}

/// Outcome of one [`crate::run`].
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub scenario: String,
    /// The load that produced this report, so a row of the table is self-describing.
    pub load: Load,
    /// Requests started (or, at a fixed rate, scheduled) in the measured window that finished before it
    /// closed, including those that failed.
    pub requests: u64,
    /// Non-2xx responses plus I/O failures (refused or dropped connections, malformed responses).
    pub errors: u64,
    /// Every status received, 2xx or not; I/O failures have none.
    pub status_counts: BTreeMap<u16, u64>,
    /// Fixed rate only: requests sent more than 2 ms after their scheduled time (every worker was busy, or
    /// the generator itself was starved of CPU), plus those still waiting for a worker when the run ended.
    /// Always 0 in a closed loop. Anything but a small number means the rate was not actually offered.
    pub late: u64,
    /// Length of the measured window (warmup excluded).
    pub elapsed: Duration,
    pub rps: f64,
    /// Percentiles over responses (any status), rounded up by at most 0.8 %.
    pub p50: Duration,
    pub p99: Duration,
    pub p999: Duration,
    pub max: Duration,
    /// The server's CPU time (every process on the port, user and system) over the measured
    /// window, when the server runs on this machine.
    pub server_cpu: Option<Duration>,
    /// Database statements the server sent over the measured window, when its `/metrics` was
    /// given and readable.
    pub server_statements: Option<u64>,
    /// The server's resident memory at the end of the run, in bytes (a server on this machine).
    pub server_rss: Option<u64>,
}

const WIDTHS: [usize; 11] = [24, 14, 10, 9, 9, 9, 9, 9, 8, 8, 8];

fn row(cells: [&str; 11]) -> String {
    let mut line = format!("{:<w$}", cells[0], w = WIDTHS[0]);
    for (cell, width) in cells.iter().zip(WIDTHS).skip(1) {
        line.push_str(&format!(" {cell:>width$}"));
    }
    line
}

impl Report {
    pub fn table_header() -> String {
        row(["scenario", "load", "req/s", "p50", "p99", "p99.9", "max", "cpu/req", "stmt/req", "errors", "late"])
    }

    /// The server's CPU time per request answered in the window (`None` for a server elsewhere).
    pub fn cpu_per_request(&self) -> Option<Duration> {
        let cpu = self.server_cpu?;
        let requests = u32::try_from(self.requests).ok().filter(|n| *n > 0)?;
        Some(cpu / requests)
    }

    /// Database statements per request answered in the window (`None` without `/metrics`).
    pub fn statements_per_request(&self) -> Option<f64> {
        let statements = self.server_statements?;
        (self.requests > 0).then(|| statements as f64 / self.requests as f64)
    }

    pub fn table_row(&self) -> String {
        let late = match self.load {
            Load::Closed { .. } => "-".to_owned(),
            Load::Fixed { .. } => thousands(self.late),
        };
        row([
            &self.scenario,
            &self.load.to_string(),
            &thousands(self.rps.round() as u64),
            &human(self.p50),
            &human(self.p99),
            &human(self.p999),
            &human(self.max),
            &self.cpu_per_request().map_or("-".to_owned(), human),
            &self.statements_per_request().map_or("-".to_owned(), |n| format!("{n:.1}")),
            &thousands(self.errors),
            &late,
        ])
    }
}

/// `1234567` → `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Three significant digits at most, in the unit a person would say out loud.
pub(crate) fn human(d: Duration) -> String {
    let micros = d.as_micros();
    if micros < 10 {
        format!("{:.1}µs", d.as_secs_f64() * 1e6)
    } else if micros < 1_000 {
        format!("{micros}µs")
    } else if micros < 10_000 {
        format!("{:.2}ms", d.as_secs_f64() * 1e3)
    } else if micros < 1_000_000 {
        format!("{:.1}ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.2}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_and_durations() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(human(Duration::from_micros(812)), "812µs");
        assert_eq!(human(Duration::from_micros(1_234)), "1.23ms");
        assert_eq!(human(Duration::from_micros(12_345)), "12.3ms");
        assert_eq!(human(Duration::from_millis(2_500)), "2.50s");
    }

    #[test]
    fn table_columns_line_up() {
        let mut tally = Tally::default();
        tally.response(StatusCode::OK, Duration::from_millis(3));
        tally.response(StatusCode::INTERNAL_SERVER_ERROR, Duration::from_millis(40));
        tally.failure();
        let report = tally.into_report(
            "search".into(),
            Load::Fixed { rate_per_sec: 200, concurrency: 16 },
            Duration::from_secs(1),
        );
        assert_eq!((report.requests, report.errors), (3, 2));
        assert_eq!(report.status_counts, BTreeMap::from([(200, 1), (500, 1)]));
        let header = Report::table_header();
        let line = report.table_row();
        assert_eq!(header.chars().count(), line.chars().count(), "\n{header}\n{line}");
        assert!(line.starts_with("search "), "{line}");
        assert!(line.contains("200/s c=16") && line.contains("40.0ms"), "{line}");
        assert_eq!(report.cpu_per_request(), None, "no server CPU read");
        let measured = Report { server_cpu: Some(Duration::from_micros(195)), ..report };
        assert_eq!(measured.cpu_per_request(), Some(Duration::from_micros(65)));
        assert!(measured.table_row().contains("65µs"), "{}", measured.table_row());
        assert_eq!(measured.table_row().chars().count(), header.chars().count());
    }
}
