//! Short-lived shared state behind two small interfaces: a response [`Cache`] and the
//! [`Counters`] that rate limits and throttles keep. Both live in process by default and in
//! Redis (`redis.url`) when a shop runs several replicas, so that a limit of N is N across them.
//!
//! Cache entries always carry a time to live, so that a missed invalidation can only ever serve
//! a stale answer for that long; callers delete keys when the data behind them changes.

mod counters;
mod memory;
pub mod redis;

pub use counters::MemoryCounters;
pub use memory::MemoryCache;

use bytes::Bytes;
use kernel::BoxFuture;
use std::time::Duration;

/// A cache never fails its caller: an unreachable backend is a miss, and a lost write or delete
/// is bounded by the entry's time to live.
pub trait Cache: Send + Sync + 'static {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Bytes>>;
    fn set<'a>(&'a self, key: &'a str, value: Bytes, ttl: Duration) -> BoxFuture<'a, ()>;
    fn delete<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, ()>;
    /// Drops every key that starts with `prefix`.
    fn delete_prefix<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, ()>;
}

/// Counts that expire by themselves. Unlike the cache, a counter that cannot be read is an error
/// (503 `backend_unavailable`): a limit that silently stops counting is no limit.
pub trait Counters: Send + Sync + 'static {
    /// Adds one to `key` and returns the new count and the time before it is forgotten. A new
    /// count lives for `ttl`; with `extend`, every hit restarts that time (failures in a row),
    /// without it the first hit fixes it (a window).
    fn incr<'a>(&'a self, key: &'a str, ttl: Duration, extend: bool) -> BoxFuture<'a, kernel::Result<(u64, Duration)>>;
    /// Sets `key` for `ttl`, replacing what it held.
    fn mark<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, kernel::Result<()>>;
    /// The time left of `key`, or `None` when it is not set.
    fn remaining<'a>(&'a self, key: &'a str) -> BoxFuture<'a, kernel::Result<Option<Duration>>>;
    fn clear<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, kernel::Result<()>>;
}
