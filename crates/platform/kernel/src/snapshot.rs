//! A context's rarely changing settings (shipping zones, tax rules, the category tree) held in
//! memory for a while, so that a request does not read them again: they are read on nearly every
//! cart and checkout, and change a few times a day.
//!
//! A change made through this process forgets the snapshot at once ([`Snapshot::forget`]); one
//! made through another replica is seen once the snapshot is older than its time to live.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub struct Snapshot<T> {
    ttl: Duration,
    slot: RwLock<Option<(Instant, Arc<T>)>>,
    /// Bumped by every forget, so that a load begun before a change cannot store what it read.
    generation: AtomicU64,
}

impl<T> Snapshot<T> {
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, slot: RwLock::new(None), generation: AtomicU64::new(0) }
    }

    /// The snapshot, or a fresh one from `load` when there is none or it is too old.
    pub async fn get<E, F>(&self, load: impl FnOnce() -> F) -> Result<Arc<T>, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        if let Some((at, value)) = self.slot.read().unwrap_or_else(|p| p.into_inner()).as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(value.clone());
        }
        let generation = self.generation.load(Ordering::Acquire);
        let value = Arc::new(load().await?);
        let mut slot = self.slot.write().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::Acquire) == generation {
            *slot = Some((Instant::now(), value.clone()));
        }
        Ok(value)
    }

    /// Drops the snapshot: the next read loads anew. Call it after committing a change.
    pub fn forget(&self) {
        let mut slot = self.slot.write().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        *slot = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn block_on<F: Future>(f: F) -> F::Output {
        // The loads below never wait, so polling once finishes them.
        let mut f = std::pin::pin!(f);
        let waker = std::task::Waker::noop();
        match f.as_mut().poll(&mut std::task::Context::from_waker(waker)) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => panic!("a load waited"),
        }
    }

    #[test]
    fn loads_once_until_forgotten_or_stale() {
        let loads = AtomicUsize::new(0);
        let load = || async { Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst)) };
        let s = Snapshot::new(Duration::from_secs(60));
        assert_eq!(*block_on(s.get(load)).expect("loaded"), 0);
        assert_eq!(*block_on(s.get(load)).expect("loaded"), 0, "served from memory");
        s.forget();
        assert_eq!(*block_on(s.get(load)).expect("loaded"), 1, "read again after a change");

        let stale = Snapshot::new(Duration::ZERO);
        block_on(stale.get(load)).expect("loaded");
        block_on(stale.get(load)).expect("loaded");
        assert_eq!(loads.load(Ordering::SeqCst), 4, "a snapshot past its time is read again");
    }

    #[test]
    fn a_load_overtaken_by_a_change_is_not_kept() {
        let s = Snapshot::new(Duration::from_secs(60));
        let value = block_on(s.get(|| async {
            s.forget(); // a change commits while this load is under way
            Ok::<_, ()>("before the change")
        }))
        .expect("loaded");
        assert_eq!(*value, "before the change", "the caller still gets what it read");
        assert_eq!(*block_on(s.get(|| async { Ok::<_, ()>("after") })).expect("loaded"), "after");
    }

    #[test]
    fn a_failed_load_keeps_nothing() {
        let s: Snapshot<u8> = Snapshot::new(Duration::from_secs(60));
        assert!(block_on(s.get(|| async { Err("down") })).is_err());
        assert_eq!(*block_on(s.get(|| async { Ok::<_, &str>(7) })).expect("loaded"), 7);
    }
}
