//! One body per behaviour, run on the in-process default and on Redis (when
//! `OXCART_TEST_REDIS_URL` is set), so both backends keep the same promises.

use bytes::Bytes;
use cache::redis::{Redis, RedisCache, RedisCounters};
use cache::{Cache, Counters, MemoryCache, MemoryCounters};
use std::sync::Arc;
use std::time::Duration;

/// A backend's name, its cache and counters, and its server when it has one.
type Backend = (&'static str, Arc<dyn Cache>, Arc<dyn Counters>, Option<Redis>);

/// The backends under test, each with its own key space; the Redis keys go with the test.
async fn backends() -> Vec<Backend> {
    let mut list: Vec<Backend> =
        vec![("memory", Arc::new(MemoryCache::new(100, 1024)), Arc::new(MemoryCounters::default()), None)];
    match std::env::var("OXCART_TEST_REDIS_URL") {
        Ok(url) if !url.trim().is_empty() => {
            let prefix = format!("oxtest:{}:", kernel::id::new_id("c"));
            let redis = Redis::connect(&url, &prefix).await.expect("OXCART_TEST_REDIS_URL answers");
            list.push((
                "redis",
                Arc::new(RedisCache(redis.clone())),
                Arc::new(RedisCounters::new(redis.clone())),
                Some(redis),
            ));
        }
        _ => eprintln!("note: OXCART_TEST_REDIS_URL is not set; Redis runs are skipped"),
    }
    list
}

async fn cleanup(redis: Option<Redis>) {
    if let Some(r) = redis {
        r.delete_prefix("").await.expect("test keys deleted");
    }
}

#[tokio::test]
async fn cache_entries_expire_and_are_deleted_by_key_and_prefix() {
    for (name, cache, _, redis) in backends().await {
        cache.set("a", Bytes::from_static(b"1"), Duration::from_millis(50)).await;
        cache.set("p:1", Bytes::from_static(b"2"), Duration::from_secs(60)).await;
        cache.set("p:2", Bytes::from_static(b"3"), Duration::from_secs(60)).await;
        cache.set("q:1", Bytes::from_static(b"4"), Duration::from_secs(60)).await;
        assert_eq!(cache.get("a").await.as_deref(), Some(&b"1"[..]), "{name}");
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert_eq!(cache.get("a").await, None, "{name}: expired");
        cache.delete_prefix("p:").await;
        assert_eq!((cache.get("p:1").await, cache.get("p:2").await), (None, None), "{name}");
        assert_eq!(cache.get("q:1").await.as_deref(), Some(&b"4"[..]), "{name}: another prefix stays");
        cache.delete(&["q:1".to_owned()]).await;
        assert_eq!(cache.get("q:1").await, None, "{name}");
        cleanup(redis).await;
    }
}

#[tokio::test]
async fn a_window_counts_from_its_first_hit_and_failures_in_a_row_from_their_last() {
    for (name, _, counters, redis) in backends().await {
        let (n, left) = counters.incr("w", Duration::from_millis(300), false).await.expect("counts");
        assert_eq!(n, 1, "{name}");
        assert!(left <= Duration::from_millis(300) && left > Duration::from_millis(200), "{name}: {left:?}");
        tokio::time::sleep(Duration::from_millis(150)).await;
        let (n, left) = counters.incr("w", Duration::from_millis(300), false).await.expect("counts");
        assert_eq!(n, 2, "{name}");
        assert!(left <= Duration::from_millis(160), "{name}: a window does not move: {left:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(counters.incr("w", Duration::from_millis(300), false).await.expect("counts").0, 1, "{name}");

        counters.incr("f", Duration::from_millis(200), true).await.expect("counts");
        tokio::time::sleep(Duration::from_millis(120)).await;
        let (n, left) = counters.incr("f", Duration::from_millis(200), true).await.expect("counts");
        assert!(n == 2 && left > Duration::from_millis(150), "{name}: every failure restarts the time: {left:?}");
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(counters.incr("f", Duration::from_millis(200), true).await.expect("counts").0, 3, "{name}");
        cleanup(redis).await;
    }
}

#[tokio::test]
async fn marks_tell_their_time_left_until_cleared() {
    for (name, _, counters, redis) in backends().await {
        assert_eq!(counters.remaining("m").await.expect("reads"), None, "{name}");
        counters.mark("m", Duration::from_secs(30)).await.expect("marks");
        let left = counters.remaining("m").await.expect("reads").expect("set");
        assert!(left > Duration::from_secs(29), "{name}: {left:?}");
        counters.incr("n", Duration::from_secs(30), false).await.expect("counts");
        counters.clear(&["m".to_owned(), "n".to_owned()]).await.expect("clears");
        assert_eq!(counters.remaining("m").await.expect("reads"), None, "{name}");
        assert_eq!(counters.incr("n", Duration::from_secs(30), false).await.expect("counts").0, 1, "{name}");
        cleanup(redis).await;
    }
}

/// Keys of one shop never reach another's on a shared server.
#[tokio::test]
async fn prefixes_keep_shops_apart() {
    let Ok(url) = std::env::var("OXCART_TEST_REDIS_URL") else { return };
    let a = Redis::connect(&url, &format!("oxtest:{}:", kernel::id::new_id("a"))).await.expect("connects");
    let b = Redis::connect(&url, &format!("oxtest:{}:", kernel::id::new_id("b"))).await.expect("connects");
    let (ca, cb) = (RedisCounters::new(a.clone()), RedisCounters::new(b.clone()));
    ca.incr("k", Duration::from_secs(30), false).await.expect("counts");
    assert_eq!(cb.incr("k", Duration::from_secs(30), false).await.expect("counts").0, 1);
    RedisCache(a.clone()).delete_prefix("").await;
    assert!(cb.remaining("k").await.expect("reads").is_some(), "b's keys survive a's flush");
    cleanup(Some(a)).await;
    cleanup(Some(b)).await;
}

#[tokio::test]
async fn a_wrong_address_fails_the_start_with_its_reason() {
    let err = Redis::connect("redis://127.0.0.1:1/", "x:").await.err().expect("nothing listens on port 1");
    assert!(err.starts_with("cannot connect") || err.starts_with("no answer"), "{err}");
    let err = Redis::connect("http://127.0.0.1/", "x:").await.err().expect("not a Redis URL");
    assert!(err.starts_with("not a Redis URL"), "{err}");
}
