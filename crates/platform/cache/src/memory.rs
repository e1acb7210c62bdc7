use crate::Cache;
use bytes::Bytes;
use kernel::BoxFuture;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A bounded map with per-entry expiry. When full, expired entries go first, then the entries
/// closest to expiry, so memory stays bounded under any key pattern.
pub struct MemoryCache {
    entries: Mutex<HashMap<String, (Instant, Bytes)>>,
    max_entries: usize,
    max_bytes: usize,
}

impl MemoryCache {
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), max_entries: max_entries.max(1), max_bytes }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Bytes)>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn make_room(map: &mut HashMap<String, (Instant, Bytes)>, max_entries: usize) {
        let now = Instant::now();
        map.retain(|_, (expires, _)| *expires > now);
        if map.len() < max_entries {
            return;
        }
        let mut by_expiry: Vec<(Instant, String)> = map.iter().map(|(k, (e, _))| (*e, k.clone())).collect();
        by_expiry.sort_unstable();
        for (_, key) in by_expiry.into_iter().take(map.len() - max_entries / 2) {
            map.remove(&key);
        }
    }
}

impl Default for MemoryCache {
    fn default() -> Self {
        Self::new(5_000, 64 * 1024)
    }
}

impl Cache for MemoryCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<Bytes>> {
        let hit = {
            let map = self.lock();
            map.get(key).filter(|(expires, _)| *expires > Instant::now()).map(|(_, v)| v.clone())
        };
        Box::pin(std::future::ready(hit))
    }

    fn set<'a>(&'a self, key: &'a str, value: Bytes, ttl: Duration) -> BoxFuture<'a, ()> {
        // One huge answer must not evict the whole cache; it is simply not kept.
        if value.len() <= self.max_bytes {
            let mut map = self.lock();
            if map.len() >= self.max_entries && !map.contains_key(key) {
                Self::make_room(&mut map, self.max_entries);
            }
            map.insert(key.to_owned(), (Instant::now() + ttl, value));
        }
        Box::pin(std::future::ready(()))
    }

    fn delete<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, ()> {
        let mut map = self.lock();
        for key in keys {
            map.remove(key);
        }
        Box::pin(std::future::ready(()))
    }

    fn delete_prefix<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, ()> {
        self.lock().retain(|k, _| !k.starts_with(prefix));
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn size_stays_bounded() {
        let cache = MemoryCache::new(10, 4);
        for i in 0..100 {
            cache.set(&format!("k{i}"), Bytes::from_static(b"v"), Duration::from_secs(60)).await;
        }
        assert!(cache.len() <= 10);
        assert!(cache.get("k99").await.is_some(), "the newest entry is kept");
        cache.set("big", Bytes::from_static(b"too big"), Duration::from_secs(60)).await;
        assert!(cache.get("big").await.is_none());
    }
}
