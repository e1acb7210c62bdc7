//! Redis (`redis.url`): one multiplexed connection per process that reconnects by itself, and
//! the cache and counters on it. Every key starts with `redis.prefix`, so that several shops or
//! test runs can share one server. Scripts build keys from that prefix, so a Redis Cluster is
//! not supported; one server (with a replica for failover) is.

use crate::{Cache, Counters};
use bytes::Bytes;
use kernel::BoxFuture;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::time::Duration;

pub use redis::{RedisError, Script, cmd};

/// A command waits this long for its answer; past it the request gets a 503, not a hang.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct Redis {
    connection: ConnectionManager,
    prefix: String,
}

impl Redis {
    /// Connects once, so that a wrong address or password stops the start with its reason.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, String> {
        let client = redis::Client::open(url).map_err(|e| format!("not a Redis URL ({e})"))?;
        let config = ConnectionManagerConfig::new()
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_secs(1));
        let connection = tokio::time::timeout(
            CONNECT_TIMEOUT + RESPONSE_TIMEOUT,
            ConnectionManager::new_with_config(client, config),
        )
        .await
        .map_err(|_| "no answer within 4 s".to_owned())?
        .map_err(|e| format!("cannot connect ({e})"))?;
        let redis = Self { connection, prefix: prefix.to_owned() };
        redis.ping().await.map_err(|e| format!("does not answer PING ({e})"))?;
        Ok(redis)
    }

    /// `key` in this shop's key space.
    pub fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// A handle on the shared connection (cheap: it is multiplexed).
    pub fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    /// Deletes every key of this shop that starts with `prefix` ("" for all of them).
    pub async fn delete_prefix(&self, prefix: &str) -> Result<(), RedisError> {
        delete_matching(self, &self.key(prefix)).await
    }

    pub async fn ping(&self) -> Result<(), RedisError> {
        redis::cmd("PING").query_async::<String>(&mut self.connection()).await.map(|_| ())
    }
}

/// What a request gets when Redis does not answer.
pub fn unavailable(e: RedisError) -> kernel::Error {
    kernel::Error::backend_unavailable("Redis", e)
}

fn millis(d: Duration) -> u64 {
    (d.as_millis() as u64).max(1)
}

/// The product and search answers shared by every replica.
pub struct RedisCache(pub Redis);

impl Cache for RedisCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Bytes>> {
        Box::pin(async move {
            let got =
                redis::cmd("GET").arg(self.0.key(key)).query_async::<Option<Vec<u8>>>(&mut self.0.connection()).await;
            match got {
                Ok(hit) => hit.map(Bytes::from),
                Err(e) => {
                    tracing::warn!(error = %e, "cache read failed; answering from the database");
                    None
                }
            }
        })
    }

    fn set<'a>(&'a self, key: &'a str, value: Bytes, ttl: Duration) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let mut cmd = redis::cmd("SET");
            cmd.arg(self.0.key(key)).arg(value.as_ref()).arg("PX").arg(millis(ttl));
            if let Err(e) = cmd.query_async::<()>(&mut self.0.connection()).await {
                tracing::warn!(error = %e, "cache write failed");
            }
        })
    }

    fn delete<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if keys.is_empty() {
                return;
            }
            let keys: Vec<String> = keys.iter().map(|k| self.0.key(k)).collect();
            if let Err(e) = redis::cmd("DEL").arg(&keys).query_async::<()>(&mut self.0.connection()).await {
                tracing::warn!(error = %e, "cache delete failed; entries expire by their time to live");
            }
        })
    }

    fn delete_prefix<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if let Err(e) = delete_matching(&self.0, &self.0.key(prefix)).await {
                tracing::warn!(error = %e, "cache delete failed; entries expire by their time to live");
            }
        })
    }
}

/// SCAN, not KEYS, so that a large key space does not stall the server.
async fn delete_matching(redis: &Redis, prefix: &str) -> Result<(), RedisError> {
    let pattern = format!("{}*", glob_escape(prefix));
    let mut connection = redis.connection();
    let mut cursor: u64 = 0;
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(&pattern)
            .arg("COUNT")
            .arg(500)
            .query_async(&mut connection)
            .await?;
        if !keys.is_empty() {
            redis::cmd("UNLINK").arg(&keys).query_async::<()>(&mut connection).await?;
        }
        if next == 0 {
            return Ok(());
        }
        cursor = next;
    }
}

fn glob_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Rate limits and throttles shared by every replica: one atomic script per count.
pub struct RedisCounters {
    redis: Redis,
    incr: Script,
}

const INCR: &str = r"
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if n == 1 or ARGV[2] == '1' or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
";

impl RedisCounters {
    pub fn new(redis: Redis) -> Self {
        Self { redis, incr: Script::new(INCR) }
    }
}

impl Counters for RedisCounters {
    fn incr<'a>(&'a self, key: &'a str, ttl: Duration, extend: bool) -> BoxFuture<'a, kernel::Result<(u64, Duration)>> {
        Box::pin(async move {
            let (n, left): (u64, u64) = self
                .incr
                .key(self.redis.key(key))
                .arg(millis(ttl))
                .arg(if extend { "1" } else { "0" })
                .invoke_async(&mut self.redis.connection())
                .await
                .map_err(unavailable)?;
            Ok((n, Duration::from_millis(left)))
        })
    }

    fn mark<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            let mut cmd = redis::cmd("SET");
            cmd.arg(self.redis.key(key)).arg(1).arg("PX").arg(millis(ttl));
            cmd.query_async::<()>(&mut self.redis.connection()).await.map_err(unavailable)
        })
    }

    fn remaining<'a>(&'a self, key: &'a str) -> BoxFuture<'a, kernel::Result<Option<Duration>>> {
        Box::pin(async move {
            let left: i64 = redis::cmd("PTTL")
                .arg(self.redis.key(key))
                .query_async(&mut self.redis.connection())
                .await
                .map_err(unavailable)?;
            // -2: no such key; -1: a key without expiry, which these scripts never leave.
            Ok((left > 0).then(|| Duration::from_millis(left as u64)))
        })
    }

    fn clear<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            if keys.is_empty() {
                return Ok(());
            }
            let keys: Vec<String> = keys.iter().map(|k| self.redis.key(k)).collect();
            redis::cmd("DEL").arg(&keys).query_async::<()>(&mut self.redis.connection()).await.map_err(unavailable)
        })
    }
}
