//! Slows down password guessing without letting a stranger lock an owner out.
//!
//! - Per account and client address: from the fifth failure in a row, each attempt waits for a
//!   delay that doubles from one second up to fifteen minutes; a success clears it. A guesser
//!   only slows down their own attempts.
//! - Per account, over every address: a looser brake against guessing from many addresses,
//!   from the twentieth failure, doubling up to one minute at most.
//! - Per client address: twenty failures in a minute, then 429 until the minute is over
//!   (password spraying across accounts).
//!
//! An address that has signed in to an account before is trusted for it: the per-account and
//! per-address brakes do not apply to it, so an owner is never kept out by someone else's
//! failures, while their own wrong guesses still slow them.
//!
//! The counts live in [`Counters`]: in process by default, in Redis when configured, so that
//! every replica sees the same failures.

use cache::Counters;
use kernel::Error;
use std::sync::Arc;
use std::time::Duration;

const PAIR_FREE_FAILURES: u64 = 4;
const PAIR_MAX_DELAY: Duration = Duration::from_secs(15 * 60);
const ACCOUNT_FREE_FAILURES: u64 = 19;
const ACCOUNT_MAX_DELAY: Duration = Duration::from_secs(60);
const IP_WINDOW: Duration = Duration::from_secs(60);
const IP_MAX_FAILURES: u64 = 20;
const TRUST_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// Failures in a row are forgotten after a day without another.
const FAILURES_TTL: Duration = Duration::from_secs(24 * 3600);

pub struct LoginThrottle {
    counters: Arc<dyn Counters>,
}

/// The keys of one account and client address. A failure count sets a `wait` key that lives
/// as long as the next attempt must wait, so a check is a read of times left, never a sum.
struct Keys {
    pair: String,
    pair_wait: String,
    account: String,
    account_wait: String,
    ip: String,
    ip_wait: String,
    trusted: String,
}

fn keys(account: &str, ip: &str) -> Keys {
    Keys {
        pair: format!("users:login:pair:{account}:{ip}"),
        pair_wait: format!("users:login:pair-wait:{account}:{ip}"),
        account: format!("users:login:account:{account}"),
        account_wait: format!("users:login:account-wait:{account}"),
        ip: format!("users:login:ip:{ip}"),
        ip_wait: format!("users:login:ip-wait:{ip}"),
        trusted: format!("users:login:trusted:{account}:{ip}"),
    }
}

impl LoginThrottle {
    pub fn new(counters: Arc<dyn Counters>) -> Self {
        Self { counters }
    }

    /// 429 with the seconds to wait when this attempt must wait.
    pub async fn check(&self, account: &str, ip: &str) -> Result<(), Error> {
        let k = keys(account, ip);
        self.wait(&k.pair_wait).await?;
        if self.counters.remaining(&k.trusted).await?.is_some() {
            return Ok(());
        }
        self.wait(&k.account_wait).await?;
        self.wait(&k.ip_wait).await
    }

    async fn wait(&self, key: &str) -> Result<(), Error> {
        match self.counters.remaining(key).await? {
            Some(left) => Err(Error::rate_limited(left.as_secs_f64().ceil() as u64)),
            None => Ok(()),
        }
    }

    pub async fn failed(&self, account: &str, ip: &str) -> Result<(), Error> {
        let k = keys(account, ip);
        let (pair, _) = self.counters.incr(&k.pair, FAILURES_TTL, true).await?;
        if pair > PAIR_FREE_FAILURES {
            self.counters.mark(&k.pair_wait, delay(pair, PAIR_FREE_FAILURES, PAIR_MAX_DELAY)).await?;
        }
        let (failures, _) = self.counters.incr(&k.account, FAILURES_TTL, true).await?;
        if failures > ACCOUNT_FREE_FAILURES {
            self.counters.mark(&k.account_wait, delay(failures, ACCOUNT_FREE_FAILURES, ACCOUNT_MAX_DELAY)).await?;
        }
        let (from_ip, window_left) = self.counters.incr(&k.ip, IP_WINDOW, false).await?;
        if from_ip >= IP_MAX_FAILURES {
            self.counters.mark(&k.ip_wait, window_left).await?;
        }
        Ok(())
    }

    pub async fn succeeded(&self, account: &str, ip: &str) -> Result<(), Error> {
        let k = keys(account, ip);
        self.counters.clear(&[k.pair, k.pair_wait, k.account, k.account_wait]).await?;
        self.counters.mark(&k.trusted, TRUST_TTL).await
    }
}

fn delay(failures: u64, free: u64, max: Duration) -> Duration {
    let exponent = failures.saturating_sub(free + 1).min(20) as u32;
    Duration::from_secs(1u64 << exponent).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(Arc::new(cache::MemoryCounters::default()))
    }

    #[tokio::test]
    async fn backs_off_after_four_failures_from_one_address_and_forgives_on_success() {
        let t = throttle();
        for _ in 0..4 {
            assert!(t.check("a@x.io", "1.1.1.1").await.is_ok());
            t.failed("a@x.io", "1.1.1.1").await.expect("counted");
        }
        assert!(t.check("a@x.io", "1.1.1.1").await.is_ok(), "four failures are free");
        t.failed("a@x.io", "1.1.1.1").await.expect("counted");
        let err = t.check("a@x.io", "1.1.1.1").await.expect_err("fifth failure slows this address down");
        assert_eq!(err.retry_after_secs, Some(1));
        assert!(t.check("a@x.io", "2.2.2.2").await.is_ok(), "the owner elsewhere is not kept waiting");
        assert!(t.check("b@x.io", "1.1.1.1").await.is_ok(), "other accounts are untouched");
        t.succeeded("a@x.io", "1.1.1.1").await.expect("counted");
        assert!(t.check("a@x.io", "1.1.1.1").await.is_ok());
        assert_eq!(delay(30, PAIR_FREE_FAILURES, PAIR_MAX_DELAY), PAIR_MAX_DELAY, "capped, never a permanent lock");
    }

    #[tokio::test]
    async fn a_stranger_never_locks_the_owner_out() {
        let t = throttle();
        t.succeeded("owner@x.io", "10.0.0.1").await.expect("counted");
        // Guesses from many addresses: the account-wide brake engages, capped at a minute...
        for i in 0..40 {
            t.failed("owner@x.io", &format!("6.6.6.{i}")).await.expect("counted");
        }
        let err = t.check("owner@x.io", "7.7.7.7").await.expect_err("a new address waits");
        assert!(err.retry_after_secs.is_some_and(|s| s <= ACCOUNT_MAX_DELAY.as_secs()), "{err:?}");
        // ...but never for the owner's own address.
        assert!(t.check("owner@x.io", "10.0.0.1").await.is_ok());
    }

    #[tokio::test]
    async fn limits_failures_per_address_but_not_its_known_sign_ins() {
        let t = throttle();
        t.succeeded("regular@x.io", "9.9.9.9").await.expect("counted");
        for i in 0..IP_MAX_FAILURES {
            t.failed(&format!("u{i}@x.io"), "9.9.9.9").await.expect("counted");
        }
        let err = t.check("new@x.io", "9.9.9.9").await.expect_err("address is limited");
        assert!(err.retry_after_secs.is_some_and(|s| (1..=60).contains(&s)));
        assert!(t.check("regular@x.io", "9.9.9.9").await.is_ok(), "a known sign-in from the address still works");
    }
}
