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
//! failures, while their own wrong guesses still slow them. Kept in process; a shared store can
//! replace it.

use kernel::Error;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const PAIR_FREE_FAILURES: u32 = 4;
const PAIR_MAX_DELAY: Duration = Duration::from_secs(15 * 60);
const ACCOUNT_FREE_FAILURES: u32 = 19;
const ACCOUNT_MAX_DELAY: Duration = Duration::from_secs(60);
const IP_WINDOW: Duration = Duration::from_secs(60);
const IP_MAX_FAILURES: u32 = 20;
const TRUST_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
const MAX_ENTRIES: usize = 100_000;

type Pair = (String, String);

#[derive(Default)]
struct State {
    pairs: HashMap<Pair, (u32, Instant)>,
    accounts: HashMap<String, (u32, Instant)>,
    ips: HashMap<String, (u32, Instant)>,
    trusted: HashMap<Pair, Instant>,
}

#[derive(Default)]
pub struct LoginThrottle {
    state: Mutex<State>,
}

fn pair(account: &str, ip: &str) -> Pair {
    (account.to_owned(), ip.to_owned())
}

/// 429 with the seconds to wait when the backoff of `(failures, last)` has not run out.
fn backoff(entry: Option<&(u32, Instant)>, free: u32, max: Duration, now: Instant) -> Result<(), Error> {
    match entry {
        Some(&(failures, last)) if failures > free && last + delay(failures, free, max) > now => {
            Err(Error::rate_limited(secs_until(last + delay(failures, free, max), now)))
        }
        _ => Ok(()),
    }
}

impl LoginThrottle {
    /// 429 with the seconds to wait when this attempt must wait.
    pub fn check(&self, account: &str, ip: &str) -> Result<(), Error> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let key = pair(account, ip);
        backoff(state.pairs.get(&key), PAIR_FREE_FAILURES, PAIR_MAX_DELAY, now)?;
        if state.trusted.get(&key).is_some_and(|since| now.duration_since(*since) < TRUST_TTL) {
            return Ok(());
        }
        backoff(state.accounts.get(account), ACCOUNT_FREE_FAILURES, ACCOUNT_MAX_DELAY, now)?;
        if let Some(&(failures, since)) = state.ips.get(ip) {
            let until = since + IP_WINDOW;
            if failures >= IP_MAX_FAILURES && until > now {
                return Err(Error::rate_limited(secs_until(until, now)));
            }
        }
        Ok(())
    }

    pub fn failed(&self, account: &str, ip: &str) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if state.pairs.len() > MAX_ENTRIES || state.accounts.len() > MAX_ENTRIES || state.ips.len() > MAX_ENTRIES {
            state.pairs.retain(|_, (_, last)| now.duration_since(*last) < PAIR_MAX_DELAY);
            state.accounts.retain(|_, (_, last)| now.duration_since(*last) < ACCOUNT_MAX_DELAY);
            state.ips.retain(|_, (_, since)| now.duration_since(*since) < IP_WINDOW);
        }
        let entry = state.pairs.entry(pair(account, ip)).or_insert((0, now));
        *entry = (entry.0.saturating_add(1), now);
        let entry = state.accounts.entry(account.to_owned()).or_insert((0, now));
        *entry = (entry.0.saturating_add(1), now);
        let ip_entry = state.ips.entry(ip.to_owned()).or_insert((0, now));
        if now.duration_since(ip_entry.1) >= IP_WINDOW {
            *ip_entry = (0, now);
        }
        ip_entry.0 += 1;
    }

    pub fn succeeded(&self, account: &str, ip: &str) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let key = pair(account, ip);
        state.pairs.remove(&key);
        state.accounts.remove(account);
        if state.trusted.len() > MAX_ENTRIES {
            state.trusted.retain(|_, since| now.duration_since(*since) < TRUST_TTL);
        }
        state.trusted.insert(key, now);
    }
}

fn delay(failures: u32, free: u32, max: Duration) -> Duration {
    let exponent = failures.saturating_sub(free + 1).min(20);
    Duration::from_secs(1u64 << exponent).min(max)
}

fn secs_until(until: Instant, now: Instant) -> u64 {
    until.duration_since(now).as_secs_f64().ceil() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_after_four_failures_from_one_address_and_forgives_on_success() {
        let t = LoginThrottle::default();
        for _ in 0..4 {
            assert!(t.check("a@x.io", "1.1.1.1").is_ok());
            t.failed("a@x.io", "1.1.1.1");
        }
        assert!(t.check("a@x.io", "1.1.1.1").is_ok(), "four failures are free");
        t.failed("a@x.io", "1.1.1.1");
        let err = t.check("a@x.io", "1.1.1.1").expect_err("fifth failure slows this address down");
        assert_eq!(err.retry_after_secs, Some(1));
        assert!(t.check("a@x.io", "2.2.2.2").is_ok(), "the owner elsewhere is not kept waiting");
        assert!(t.check("b@x.io", "1.1.1.1").is_ok(), "other accounts are untouched");
        t.succeeded("a@x.io", "1.1.1.1");
        assert!(t.check("a@x.io", "1.1.1.1").is_ok());
        assert_eq!(delay(30, PAIR_FREE_FAILURES, PAIR_MAX_DELAY), PAIR_MAX_DELAY, "capped, never a permanent lock");
    }

    #[test]
    fn a_stranger_never_locks_the_owner_out() {
        let t = LoginThrottle::default();
        t.succeeded("owner@x.io", "10.0.0.1");
        // Guesses from many addresses: the account-wide brake engages, capped at a minute...
        for i in 0..40 {
            t.failed("owner@x.io", &format!("6.6.6.{i}"));
        }
        let err = t.check("owner@x.io", "7.7.7.7").expect_err("a new address waits");
        assert!(err.retry_after_secs.is_some_and(|s| s <= ACCOUNT_MAX_DELAY.as_secs()), "{err:?}");
        // ...but never for the owner's own address.
        assert!(t.check("owner@x.io", "10.0.0.1").is_ok());
    }

    #[test]
    fn limits_failures_per_address_but_not_its_known_sign_ins() {
        let t = LoginThrottle::default();
        t.succeeded("regular@x.io", "9.9.9.9");
        for i in 0..IP_MAX_FAILURES {
            t.failed(&format!("u{i}@x.io"), "9.9.9.9");
        }
        let err = t.check("new@x.io", "9.9.9.9").expect_err("address is limited");
        assert!(err.retry_after_secs.is_some_and(|s| (1..=60).contains(&s)));
        assert!(t.check("regular@x.io", "9.9.9.9").is_ok(), "a known sign-in from the address still works");
    }
}
