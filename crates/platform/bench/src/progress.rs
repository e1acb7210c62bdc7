//! A once-a-second status line on stderr, so a long run visibly makes progress.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};

use crate::report::thousands;

/// Counters shared by all workers, read only by the progress line; everything that ends up in the
/// report is tallied per worker instead.
#[derive(Debug, Default)]
pub(crate) struct Live {
    pub(crate) completed: AtomicU64,
}

pub(crate) struct Progress {
    task: JoinHandle<()>,
    terminal: bool,
}

impl Progress {
    pub(crate) fn start(label: String, live: Arc<Live>, measure_start: Instant) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        // Logs and CI capture get a line every 5 s instead of a \r-rewritten line they cannot render.
        let every = if terminal { 1 } else { 5 };
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval_at(Instant::now() + Duration::from_secs(1), Duration::from_secs(1));
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            let (mut last_count, mut last_at) = (0, Instant::now());
            for tick in 1u64.. {
                let now = ticks.tick().await;
                let count = live.completed.load(Ordering::Relaxed);
                let rate = (count - last_count) as f64 / now.duration_since(last_at).as_secs_f64().max(1e-3);
                (last_count, last_at) = (count, now);
                if !tick.is_multiple_of(every) {
                    continue;
                }
                let phase = match now.checked_duration_since(measure_start) {
                    Some(elapsed) => format!("{}s", elapsed.as_secs()),
                    None => "warmup".to_owned(),
                };
                let line = format!("{label}  {phase}  {} req  {} req/s", thousands(count), thousands(rate as u64));
                let mut err = std::io::stderr().lock();
                let _ = if terminal { write!(err, "\r{line:<70}") } else { writeln!(err, "{line}") };
                let _ = err.flush();
            }
        });
        Progress { task, terminal }
    }

    /// Clears the status line so whatever the caller prints next starts at column 0.
    pub(crate) fn finish(self) {
        self.task.abort();
        if self.terminal {
            let _ = write!(std::io::stderr(), "\r{:70}\r", "");
        }
    }
}

impl Drop for Progress {
    /// A cancelled run (the caller dropped the future) must not leave the line printing forever.
    fn drop(&mut self) {
        self.task.abort();
    }
}
