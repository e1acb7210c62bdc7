//! Where carts live. [`CartStore`] reads and writes whole documents with a version check, so
//! that the platform's database ([`SqlCartStore`], the default) and Redis ([`RedisCartStore`],
//! `redis.url`, idle carts expired by Redis itself) hold them alike.

mod redis;
mod sql;

pub use redis::RedisCartStore;
pub use sql::SqlCartStore;

use crate::model::{CartDoc, Owner};
use kernel::BoxFuture;
use kernel::Result;
use kernel::time::Timestamp;

pub trait CartStore: Send + Sync + 'static {
    /// The owner's cart, unless it expired.
    fn load<'a>(&'a self, owner: &'a Owner, now: Timestamp) -> BoxFuture<'a, Result<Option<CartDoc>>>;
    /// Writes `doc` if nobody saved it since it was loaded (version 0: a new cart); false when
    /// someone did, and the caller should load and try again. `expires_at` is the idle deadline.
    fn save<'a>(&'a self, doc: &'a CartDoc, expires_at: Timestamp) -> BoxFuture<'a, Result<bool>>;
    /// Saves `doc` and deletes the cart `absorbed` in one step (a guest cart merged into it).
    fn save_absorbing<'a>(
        &'a self,
        doc: &'a CartDoc,
        expires_at: Timestamp,
        absorbed: &'a str,
    ) -> BoxFuture<'a, Result<bool>>;
    fn delete<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<()>>;
    /// Removes carts idle past their deadline; returns how many.
    fn purge_expired(&self, now: Timestamp) -> BoxFuture<'_, Result<u64>>;
}
