//! At most `max` requests per key in any `window` (a sliding log), for what sends e-mail: a
//! reset or verification link must not become a way to flood someone's mailbox. Kept in
//! process like the login throttle; a shared store can replace it.

use kernel::Error;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const MAX_KEYS: usize = 100_000;

pub struct RateLimit {
    max: usize,
    window: Duration,
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimit {
    pub fn new(max: usize, window: Duration) -> Self {
        Self { max: max.max(1), window, hits: Mutex::default() }
    }

    /// Counts a request for `key`; 429 with the seconds until a slot frees when it is one too many.
    pub fn hit(&self, key: &str) -> Result<(), Error> {
        let mut hits = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if hits.len() > MAX_KEYS {
            hits.retain(|_, log| log.back().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let log = hits.entry(key.to_owned()).or_default();
        while log.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            log.pop_front();
        }
        if log.len() >= self.max {
            let frees = log.front().map_or(now, |t| *t + self.window);
            return Err(Error::rate_limited(frees.duration_since(now).as_secs_f64().ceil() as u64));
        }
        log.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_max_per_window_per_key() {
        let limit = RateLimit::new(3, Duration::from_secs(900));
        for _ in 0..3 {
            assert!(limit.hit("a").is_ok());
        }
        let err = limit.hit("a").expect_err("fourth is refused");
        assert!(err.retry_after_secs.is_some_and(|s| (899..=900).contains(&s)), "{err:?}");
        assert!(limit.hit("b").is_ok(), "other keys are untouched");
    }

    #[test]
    fn slots_free_as_the_window_slides() {
        let limit = RateLimit::new(1, Duration::from_millis(30));
        assert!(limit.hit("a").is_ok());
        assert!(limit.hit("a").is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(limit.hit("a").is_ok());
    }
}
