//! At most `max` requests per key in a `window`, for what sends e-mail: a reset or verification
//! link must not become a way to flood someone's mailbox. Fixed windows that start with the
//! first request, counted in [`Counters`] (shared by every replica when they are in Redis).

use cache::Counters;
use kernel::Error;
use std::sync::Arc;
use std::time::Duration;

pub struct RateLimit {
    name: &'static str,
    max: u64,
    window: Duration,
    counters: Arc<dyn Counters>,
}

impl RateLimit {
    pub fn new(name: &'static str, max: u64, window: Duration, counters: Arc<dyn Counters>) -> Self {
        Self { name, max: max.max(1), window, counters }
    }

    /// Counts a request for `key`; 429 with the seconds until the window ends when it is one
    /// too many.
    pub async fn hit(&self, key: &str) -> Result<(), Error> {
        let (n, left) = self.counters.incr(&format!("users:limit:{}:{key}", self.name), self.window, false).await?;
        if n > self.max {
            return Err(Error::rate_limited(left.as_secs_f64().ceil() as u64));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(max: u64, window: Duration) -> RateLimit {
        RateLimit::new("test", max, window, Arc::new(cache::MemoryCounters::default()))
    }

    #[tokio::test]
    async fn allows_max_per_window_per_key() {
        let limit = limit(3, Duration::from_secs(900));
        for _ in 0..3 {
            assert!(limit.hit("a").await.is_ok());
        }
        let err = limit.hit("a").await.expect_err("fourth is refused");
        assert!(err.retry_after_secs.is_some_and(|s| (899..=900).contains(&s)), "{err:?}");
        assert!(limit.hit("b").await.is_ok(), "other keys are untouched");
    }

    #[tokio::test]
    async fn the_count_starts_again_when_the_window_ends() {
        let limit = limit(1, Duration::from_millis(30));
        assert!(limit.hit("a").await.is_ok());
        assert!(limit.hit("a").await.is_err());
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert!(limit.hit("a").await.is_ok());
    }
}
