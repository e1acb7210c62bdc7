//! The retry schedule: 30 s, doubling per failed attempt up to 2 h, each wait jittered by up
//! to 20 % either way so endpoints that failed together do not all come back at once; no
//! attempt is scheduled more than a day after the delivery was queued.

use kernel::time::Timestamp;
use std::time::Duration;

pub const FIRST_WAIT: Duration = Duration::from_secs(30);
pub const MAX_WAIT: Duration = Duration::from_secs(2 * 3600);
/// How long after it was queued (made or replayed) a delivery is still tried.
pub const WINDOW: Duration = Duration::from_secs(24 * 3600);

/// The wait after the `n`th failed attempt of a round (n ≥ 1), before jitter.
pub fn wait_after(n: i64) -> Duration {
    let doublings = u32::try_from(n.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    FIRST_WAIT.saturating_mul(1 << doublings).min(MAX_WAIT)
}

/// When to try again after the `n`th failed attempt at `now`, or `None` when that would be
/// past the window: the delivery is then parked as failed. `jitter` is in [-1, 1] and
/// scales the wait by ±20 %.
pub fn next_attempt(now: Timestamp, n: i64, queued_at: Timestamp, jitter: f64) -> Option<Timestamp> {
    let wait = wait_after(n).mul_f64(1.0 + 0.2 * jitter.clamp(-1.0, 1.0));
    let next = now.plus(wait);
    (next <= queued_at.plus(WINDOW)).then_some(next)
}

/// A jitter in [-1, 1] from the operating system's randomness.
pub fn jitter() -> f64 {
    let r = u32::from_le_bytes(kernel::id::random_bytes::<4>());
    f64::from(r) / f64::from(u32::MAX) * 2.0 - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_thirty_seconds_to_two_hours() {
        let secs: Vec<u64> = (1..=10).map(|n| wait_after(n).as_secs()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3840, 7200, 7200]);
        assert_eq!(wait_after(400), MAX_WAIT);
    }

    #[test]
    fn jitter_stays_within_a_fifth_and_the_window_holds() {
        let t0 = Timestamp::from_micros(1_000_000_000_000);
        let low = next_attempt(t0, 1, t0, -1.0).expect("due");
        let high = next_attempt(t0, 1, t0, 1.0).expect("due");
        assert_eq!((low.as_secs() - t0.as_secs(), high.as_secs() - t0.as_secs()), (24, 36));
        for _ in 0..100 {
            assert!((-1.0..=1.0).contains(&jitter()));
        }
        let late = t0.plus(WINDOW).minus(Duration::from_secs(60));
        assert_eq!(next_attempt(late, 3, t0, 0.0), None, "two minutes would pass the day");
        assert!(next_attempt(late, 1, t0, -1.0).is_some(), "24 s still fits");
    }
}
