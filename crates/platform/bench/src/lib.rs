//! HTTP load generator behind `oxcart bench`.
//!
//! A [`Scenario`] says what to request; [`run`] sends it over one keep-alive HTTP/1.1 connection per
//! worker, either as fast as answers come back ([`Load::Closed`]) or on a fixed timetable
//! ([`Load::Fixed`]), and returns a [`Report`] of throughput and latency percentiles.
//!
//! At a fixed rate a request that had to wait for a free worker is timed from its *scheduled* time, so a
//! server that stalls shows up in the tail instead of silently slowing the generator down (no coordinated
//! omission). A request whose worker was idle is timed from when its timer fired, so the runtime's
//! millisecond timer granularity does not inflate sub-millisecond responses.
//!
//! When the server listens on this machine, the report also gives its CPU time per request over
//! the measured window, read from `/proc` (see `cpu.rs`), and with `metrics_url` the database
//! statements per request.

mod conn;
mod cpu;
mod histogram;
mod progress;
mod report;
mod run;
mod target;

use std::fmt;
use std::time::Duration;

pub use conn::{Answer, get_json, get_text, send_json, send_raw};
pub use hyper::Method;
pub use report::Report;
pub use run::run;

/// How requests are paced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// `concurrency` workers, each sending its next request as soon as the previous body is read.
    Closed { concurrency: usize },
    /// `rate_per_sec` requests per second on an exact timetable, at most `concurrency` in flight. When all
    /// workers are busy the backlog grows and shows up in latency and [`Report::late`].
    Fixed { rate_per_sec: u64, concurrency: usize },
}

impl fmt::Display for Load {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Load::Closed { concurrency } => write!(f, "c={concurrency}"),
            Load::Fixed { rate_per_sec, concurrency } => write!(f, "{rate_per_sec}/s c={concurrency}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// `http://host:port`, optionally with a path prefix that is prepended to every request.
    pub base_url: String,
    pub load: Load,
    /// Length of the measured window, after the warmup.
    pub duration: Duration,
    /// Requests are sent but not recorded for this long first, so connection pools and caches settle.
    pub warmup: Duration,
    /// Where the server serves Prometheus `/metrics`, if anywhere: the report then gives the
    /// database statements per request (`oxcart_db_statements_total` over the window).
    pub metrics_url: Option<String>,
}

/// Produces the next request path+query (and optionally a JSON body) for a worker; called once per request.
pub trait Scenario: Send + Sync {
    fn name(&self) -> &str;
    /// `worker` is in `0..concurrency`; `seq` counts that worker's requests from 0, warmup included.
    fn next(&self, worker: usize, seq: u64) -> RequestSpec;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpec {
    pub method: Method,
    /// Must start with `/`.
    pub path_and_query: String,
    /// Sent with `Content-Type: application/json` unless `headers` names another content type.
    pub body: Option<Vec<u8>>,
    pub headers: Vec<(String, String)>,
}

impl RequestSpec {
    pub fn get(path_and_query: impl Into<String>) -> RequestSpec {
        RequestSpec { method: Method::GET, path_and_query: path_and_query.into(), body: None, headers: Vec::new() }
    }

    pub fn post_json(path_and_query: impl Into<String>, body: Vec<u8>) -> RequestSpec {
        RequestSpec {
            method: Method::POST,
            path_and_query: path_and_query.into(),
            body: Some(body),
            headers: Vec::new(),
        }
    }
}

/// The simplest scenario: GET a fixed list of paths round-robin, each worker starting at a different one
/// so that concurrent workers do not all hit the same path at once.
#[derive(Debug, Clone)]
pub struct Paths {
    pub name: String,
    pub paths: Vec<String>,
}

impl Scenario for Paths {
    fn name(&self) -> &str {
        &self.name
    }

    fn next(&self, worker: usize, seq: u64) -> RequestSpec {
        let len = self.paths.len().max(1) as u64;
        let index = (worker as u64).wrapping_add(seq) % len;
        RequestSpec::get(self.paths.get(index as usize).map_or("/", String::as_str))
    }
}
