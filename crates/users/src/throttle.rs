//! Slows down password guessing without letting anyone lock an account for good.
//!
//! Per account: from the fifth failure in a row, each attempt waits for a delay that doubles from
//! one second up to fifteen minutes; a success clears it. Per client address: twenty failures in
//! a minute, then 429 until the minute is over. Kept in process; a shared store can replace it.

use kernel::Error;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FREE_FAILURES: u32 = 4;
const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
const IP_WINDOW: Duration = Duration::from_secs(60);
const IP_MAX_FAILURES: u32 = 20;
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
struct State {
    accounts: HashMap<String, (u32, Instant)>,
    ips: HashMap<String, (u32, Instant)>,
}

#[derive(Default)]
pub struct LoginThrottle {
    state: Mutex<State>,
}

impl LoginThrottle {
    /// 429 with the seconds to wait when `account` or `ip` must wait before another attempt.
    pub fn check(&self, account: &str, ip: &str) -> Result<(), Error> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if let Some(&(failures, last)) = state.accounts.get(account)
            && failures > FREE_FAILURES
            && last + delay(failures) > now
        {
            return Err(Error::rate_limited(secs_until(last + delay(failures), now)));
        }
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
        if state.accounts.len() > MAX_ENTRIES || state.ips.len() > MAX_ENTRIES {
            state.accounts.retain(|_, (_, last)| now.duration_since(*last) < MAX_DELAY);
            state.ips.retain(|_, (_, since)| now.duration_since(*since) < IP_WINDOW);
        }
        let entry = state.accounts.entry(account.to_owned()).or_insert((0, now));
        *entry = (entry.0.saturating_add(1), now);
        let ip_entry = state.ips.entry(ip.to_owned()).or_insert((0, now));
        if now.duration_since(ip_entry.1) >= IP_WINDOW {
            *ip_entry = (0, now);
        }
        ip_entry.0 += 1;
    }

    pub fn succeeded(&self, account: &str) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).accounts.remove(account);
    }
}

fn delay(failures: u32) -> Duration {
    let exponent = failures.saturating_sub(FREE_FAILURES + 1).min(20);
    Duration::from_secs(1u64 << exponent).min(MAX_DELAY)
}

fn secs_until(until: Instant, now: Instant) -> u64 {
    until.duration_since(now).as_secs_f64().ceil() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_after_four_failures_and_forgives_on_success() {
        let t = LoginThrottle::default();
        for _ in 0..4 {
            assert!(t.check("a@x.io", "1.1.1.1").is_ok());
            t.failed("a@x.io", "1.1.1.1");
        }
        assert!(t.check("a@x.io", "1.1.1.1").is_ok(), "four failures are free");
        t.failed("a@x.io", "1.1.1.1");
        let err = t.check("a@x.io", "2.2.2.2").expect_err("fifth failure slows the account down");
        assert_eq!(err.retry_after_secs, Some(1));
        assert!(t.check("b@x.io", "2.2.2.2").is_ok(), "other accounts are untouched");
        t.succeeded("a@x.io");
        assert!(t.check("a@x.io", "2.2.2.2").is_ok());
        assert_eq!(delay(30), MAX_DELAY, "the delay is capped, never a permanent lock");
    }

    #[test]
    fn limits_failures_per_address() {
        let t = LoginThrottle::default();
        for i in 0..IP_MAX_FAILURES {
            t.failed(&format!("u{i}@x.io"), "9.9.9.9");
        }
        let err = t.check("new@x.io", "9.9.9.9").expect_err("address is limited");
        assert!(err.retry_after_secs.is_some_and(|s| (1..=60).contains(&s)));
    }
}
