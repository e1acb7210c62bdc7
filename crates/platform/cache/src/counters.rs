use crate::Counters;
use kernel::BoxFuture;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counters of this process. Past `max_keys`, expired keys are dropped, then the ones closest
/// to expiry, so that a flood of client addresses cannot grow memory without bound.
pub struct MemoryCounters {
    entries: Mutex<HashMap<String, (u64, Instant)>>,
    max_keys: usize,
}

impl MemoryCounters {
    pub fn new(max_keys: usize) -> Self {
        Self { entries: Mutex::default(), max_keys: max_keys.max(2) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u64, Instant)>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The live entry of `key`, after forgetting it when it expired.
    fn live(map: &mut HashMap<String, (u64, Instant)>, key: &str, now: Instant) -> Option<(u64, Instant)> {
        match map.get(key) {
            Some(&(n, until)) if until > now => Some((n, until)),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    fn insert(&self, map: &mut HashMap<String, (u64, Instant)>, key: &str, entry: (u64, Instant), now: Instant) {
        if map.len() >= self.max_keys && !map.contains_key(key) {
            map.retain(|_, (_, until)| *until > now);
            if map.len() >= self.max_keys {
                let mut by_expiry: Vec<(Instant, String)> = map.iter().map(|(k, (_, u))| (*u, k.clone())).collect();
                by_expiry.sort_unstable();
                for (_, k) in by_expiry.into_iter().take(map.len() - self.max_keys / 2) {
                    map.remove(&k);
                }
            }
        }
        map.insert(key.to_owned(), entry);
    }
}

impl Default for MemoryCounters {
    fn default() -> Self {
        Self::new(100_000)
    }
}

impl Counters for MemoryCounters {
    fn incr<'a>(&'a self, key: &'a str, ttl: Duration, extend: bool) -> BoxFuture<'a, kernel::Result<(u64, Duration)>> {
        let now = Instant::now();
        let mut map = self.lock();
        let (n, until) = match Self::live(&mut map, key, now) {
            Some((n, until)) => (n + 1, if extend { now + ttl } else { until }),
            None => (1, now + ttl),
        };
        self.insert(&mut map, key, (n, until), now);
        Box::pin(std::future::ready(Ok((n, until - now))))
    }

    fn mark<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, kernel::Result<()>> {
        let now = Instant::now();
        let mut map = self.lock();
        self.insert(&mut map, key, (1, now + ttl), now);
        Box::pin(std::future::ready(Ok(())))
    }

    fn remaining<'a>(&'a self, key: &'a str) -> BoxFuture<'a, kernel::Result<Option<Duration>>> {
        let now = Instant::now();
        let left = Self::live(&mut self.lock(), key, now).map(|(_, until)| until - now);
        Box::pin(std::future::ready(Ok(left)))
    }

    fn clear<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, kernel::Result<()>> {
        let mut map = self.lock();
        for key in keys {
            map.remove(key);
        }
        Box::pin(std::future::ready(Ok(())))
    }
}
