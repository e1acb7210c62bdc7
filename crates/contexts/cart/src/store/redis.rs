//! Carts in Redis: the document under `cart:<id>` (its JSON and version), and one pointer per
//! owner, `cart:owner:c:<customer>` or `cart:owner:g:<token hash>`, to its id. Every save sets
//! both to expire at the cart's idle deadline, so Redis forgets idle carts by itself and
//! nothing needs purging. How many carts survive a Redis restart is Redis's persistence
//! setting (`appendonly yes` keeps them; without it a restart empties every cart).

use super::CartStore;
use crate::model::{CartDoc, Owner};
use cache::redis::{Redis, Script, cmd, unavailable};
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error, Result};

/// One round trip: the owner's pointer, then the document it points to.
const LOAD: &str = r"
local id = redis.call('GET', KEYS[1])
if not id then return false end
local found = redis.call('HMGET', ARGV[1] .. id, 'doc', 'version')
if not found[1] then return false end
return found
";

/// The version check and the write in one step. KEYS: the document, its owner's pointer.
/// ARGV: expected version, JSON, time to live (ms), id, document key prefix, absorbed id or ''.
const SAVE: &str = r"
local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if version ~= tonumber(ARGV[1]) then return 0 end
if version == 0 then
  local other = redis.call('GET', KEYS[2])
  if other and other ~= ARGV[4] and redis.call('EXISTS', ARGV[5] .. other) == 1 then return 0 end
end
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'version', version + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3])
if ARGV[6] ~= '' then redis.call('DEL', ARGV[5] .. ARGV[6]) end
return 1
";

pub struct RedisCartStore {
    redis: Redis,
    load: Script,
    save: Script,
}

impl RedisCartStore {
    pub fn new(redis: Redis) -> Self {
        Self { redis, load: Script::new(LOAD), save: Script::new(SAVE) }
    }

    fn doc_prefix(&self) -> String {
        self.redis.key("cart:")
    }

    fn owner_key(&self, owner: &Owner) -> String {
        match owner {
            Owner::Customer(id) => self.redis.key(&format!("cart:owner:c:{id}")),
            Owner::Guest(hash) => self.redis.key(&format!("cart:owner:g:{hash}")),
        }
    }

    async fn write(&self, doc: &CartDoc, expires_at: Timestamp, absorbed: &str) -> Result<bool> {
        let owner = match (&doc.customer_id, &doc.token_hash) {
            (Some(customer), _) => Owner::Customer(customer.clone()),
            (None, Some(hash)) => Owner::Guest(hash.clone()),
            (None, None) => return Err(Error::internal("a cart without an owner")),
        };
        let json = serde_json::to_string(doc).map_err(|e| Error::internal(format!("cart does not serialise: {e}")))?;
        let ttl_ms = ((expires_at.as_micros() - Timestamp::now().as_micros()) / 1_000).max(1);
        let saved: i64 = self
            .save
            .key(format!("{}{}", self.doc_prefix(), doc.id))
            .key(self.owner_key(&owner))
            .arg(doc.version)
            .arg(json)
            .arg(ttl_ms)
            .arg(&doc.id)
            .arg(self.doc_prefix())
            .arg(absorbed)
            .invoke_async(&mut self.redis.connection())
            .await
            .map_err(unavailable)?;
        Ok(saved == 1)
    }
}

impl CartStore for RedisCartStore {
    fn load<'a>(&'a self, owner: &'a Owner, _now: Timestamp) -> BoxFuture<'a, Result<Option<CartDoc>>> {
        Box::pin(async move {
            let found: Option<(String, i64)> = self
                .load
                .key(self.owner_key(owner))
                .arg(self.doc_prefix())
                .invoke_async(&mut self.redis.connection())
                .await
                .map_err(unavailable)?;
            let Some((json, version)) = found else { return Ok(None) };
            let mut doc: CartDoc = serde_json::from_str(&json)
                .map_err(|e| Error::internal(format!("a stored cart does not parse: {e}")))?;
            doc.version = version;
            Ok(Some(doc))
        })
    }

    fn save<'a>(&'a self, doc: &'a CartDoc, expires_at: Timestamp) -> BoxFuture<'a, Result<bool>> {
        Box::pin(self.write(doc, expires_at, ""))
    }

    fn save_absorbing<'a>(
        &'a self,
        doc: &'a CartDoc,
        expires_at: Timestamp,
        absorbed: &'a str,
    ) -> BoxFuture<'a, Result<bool>> {
        Box::pin(self.write(doc, expires_at, absorbed))
    }

    fn delete<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let key = format!("{}{id}", self.doc_prefix());
            cmd("DEL").arg(key).query_async::<()>(&mut self.redis.connection()).await.map_err(unavailable)
        })
    }

    /// Redis expires idle carts itself.
    fn purge_expired(&self, _now: Timestamp) -> BoxFuture<'_, Result<u64>> {
        Box::pin(std::future::ready(Ok(0)))
    }
}
