//! A response cache behind one small interface: in process by default, shared (Redis) when a
//! shop runs several replicas.
//!
//! Entries always carry a time to live, so that a missed invalidation can only ever serve a
//! stale answer for that long; callers delete keys when the data behind them changes.

mod memory;

pub use memory::MemoryCache;

use bytes::Bytes;
use kernel::BoxFuture;
use std::time::Duration;

pub trait Cache: Send + Sync + 'static {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Bytes>>;
    fn set<'a>(&'a self, key: &'a str, value: Bytes, ttl: Duration) -> BoxFuture<'a, ()>;
    fn delete<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, ()>;
    /// Drops every key that starts with `prefix`.
    fn delete_prefix<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, ()>;
}
