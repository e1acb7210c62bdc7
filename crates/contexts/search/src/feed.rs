//! Keeps the index in step with the catalog: a bus consumer queues changed products in the
//! database, and an indexer applies the queue in batches, commits, then empties what it applied.

use crate::SearchService;
use crate::store as sql;
use bus::Handler;
use catalog::api::IndexEntry;
use catalog::api::events::{ProductChanged, SellerVisibilityChanged, TaxonomyChanged};
use inventory::api::events::AvailabilityChanged;
use kernel::event::{Envelope, Event};
use kernel::time::Timestamp;
use kernel::{BoxFuture, Error};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::Tx;
use tokio::sync::watch;

/// Products applied per index commit.
const BATCH: i64 = 1000;
/// How often an indexer looks for what other replicas queued for it.
const POLL: Duration = Duration::from_millis(250);
const HEARTBEAT: Duration = Duration::from_secs(30);
/// A replica unseen this long is forgotten; it rebuilds its index when it comes back.
const REPLICA_TTL: Duration = Duration::from_secs(3600);

pub(crate) fn to_doc(e: IndexEntry, in_stock: bool) -> crate::ProductDoc {
    crate::ProductDoc {
        in_stock,
        id: e.id,
        slug: e.slug,
        title: e.title,
        description: e.description,
        brand_id: e.brand_id,
        brand_name: e.brand_name,
        category_id: e.category_id,
        category_path: e.category_path,
        category_names: e.category_names,
        seller_id: e.seller_id,
        attributes: e.attributes,
        price_min: e.price_min,
        price_max: e.price_max,
        currency: e.currency,
        rating_avg: e.rating_avg,
        rating_count: e.rating_count,
        created_at: e.created_at,
        image: e.image,
    }
}

async fn queue(tx: &mut Tx, ids: &[String]) -> kernel::Result<()> {
    let now = Timestamp::now();
    for id in ids {
        sql::pending_queue(tx, id, now).await?;
    }
    Ok(())
}

/// The consumer: turns catalog events into queued product ids.
pub struct SearchFeed(pub Arc<SearchService>);

fn payload<T: Event>(event: &Envelope) -> kernel::Result<T> {
    event.decode()
}

impl Handler for SearchFeed {
    fn group(&self) -> &'static str {
        "search.index"
    }

    fn topics(&self) -> &'static [&'static str] {
        &["product.changed", "catalog.*", "inventory.availability_changed"]
    }

    fn handle<'a>(&'a self, tx: &'a mut Tx, event: &'a Envelope) -> BoxFuture<'a, kernel::Result<()>> {
        Box::pin(async move {
            let catalog = self.0.catalog();
            let ids = match event.event_type.as_str() {
                ProductChanged::TYPE => vec![payload::<ProductChanged>(event)?.product_id],
                TaxonomyChanged::TYPE => {
                    let t: TaxonomyChanged = payload(event)?;
                    catalog.products_under(&t.kind, &t.id).await?
                }
                SellerVisibilityChanged::TYPE => {
                    let s: SellerVisibilityChanged = payload(event)?;
                    catalog.products_under("seller", &s.seller_id).await?
                }
                AvailabilityChanged::TYPE => {
                    let a: AvailabilityChanged = payload(event)?;
                    catalog.products_with_skus(&[a.sku]).await?
                }
                _ => Vec::new(),
            };
            queue(tx, &ids).await?;
            if event.event_type == TaxonomyChanged::TYPE {
                // Cached listings name categories and brands and resolve filters by slug: they
                // are stale now even when no product is queued (an empty category renamed or
                // removed), so stop serving them.
                self.0.committed();
            }
            self.0.wake();
            Ok(())
        })
    }
}

impl SearchService {
    /// Applies up to one batch of the queue; returns how many products it handled.
    pub async fn apply_pending(&self) -> kernel::Result<usize> {
        let Some(replica) = self.replica() else { return Ok(0) };
        let _writer = self.writing.lock().await;
        let rows = sql::pending_batch(self.db(), replica, BATCH).await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let ids: Vec<String> = rows.iter().map(|r| r.product_id.clone()).collect();
        let entries = self.catalog().entries(&ids).await?;
        let visible: HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        let gone: Vec<String> = ids.iter().filter(|id| !visible.contains(id.as_str())).cloned().collect();
        let docs = self.docs(entries).await?;
        let index = self.index().clone();
        tokio::task::spawn_blocking(move || {
            index.delete(&gone)?;
            index.upsert(&docs)?;
            index.commit(Timestamp::now().as_micros())
        })
        .await
        .map_err(Error::internal)?
        .map_err(Error::internal)?;
        self.committed();
        // Only rows not queued again meanwhile are done.
        let mut tx = self.db().begin().await?;
        for r in &rows {
            sql::pending_done(&mut tx, replica, r).await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    /// Index documents of `entries`, each in stock when one of its variants is.
    async fn docs(&self, entries: Vec<IndexEntry>) -> kernel::Result<Vec<crate::ProductDoc>> {
        let skus: Vec<String> = entries.iter().flat_map(|e| e.variants.iter().map(|v| v.sku.clone())).collect();
        let available = self.stock().available(&skus).await?;
        Ok(entries
            .into_iter()
            .map(|e| {
                let in_stock = e.variants.iter().any(|v| available.get(&v.sku).is_some_and(|n| *n > 0));
                to_doc(e, in_stock)
            })
            .collect())
    }

    async fn heartbeat(&self) -> kernel::Result<()> {
        let Some(replica) = self.replica() else { return Ok(()) };
        let now = Timestamp::now();
        sql::replica_seen(self.db(), replica, now).await?;
        let forgotten = sql::replicas_prune(self.db(), now.minus(REPLICA_TTL)).await?;
        if forgotten > 0 {
            tracing::info!(forgotten, "search replicas unseen for an hour forgotten with their queues");
        }
        metrics::gauge!("oxcart_search_queue").set(sql::pending_count(self.db(), replica).await? as f64);
        Ok(())
    }

    /// Applies the whole queue.
    pub async fn drain(&self) -> kernel::Result<usize> {
        let mut total = 0;
        loop {
            let n = self.apply_pending().await?;
            total += n;
            if n == 0 {
                return Ok(total);
            }
        }
    }

    /// Rebuilds the index from the catalog, reporting progress as `(done, elapsed)`.
    pub async fn reindex(&self, mut progress: impl FnMut(usize, Duration)) -> kernel::Result<usize> {
        let _writer = self.writing.lock().await;
        let started = Instant::now();
        let index = self.index().clone();
        tokio::task::spawn_blocking(move || index.clear()).await.map_err(Error::internal)?.map_err(Error::internal)?;
        let mut after = String::new();
        let mut done = 0;
        let snapshot = Timestamp::now().as_micros();
        loop {
            let entries = self.catalog().entries_after(&after, BATCH).await?;
            let Some(last) = entries.last() else { break };
            after = last.id.clone();
            done += entries.len();
            let docs = self.docs(entries).await?;
            let index = self.index().clone();
            tokio::task::spawn_blocking(move || index.upsert(&docs))
                .await
                .map_err(Error::internal)?
                .map_err(Error::internal)?;
            progress(done, started.elapsed());
        }
        let index = self.index().clone();
        tokio::task::spawn_blocking(move || index.commit(snapshot))
            .await
            .map_err(Error::internal)?
            .map_err(Error::internal)?;
        self.committed();
        // Products changed while the rebuild ran are queued by their events; what was queued
        // before it is now in the index, so the older queue can go.
        if let Some(replica) = self.replica() {
            sql::pending_clear_before(self.db(), replica, snapshot).await?;
        }
        Ok(done)
    }

    /// Runs the indexer until `shutdown`: woken by this replica's consumer, and every quarter
    /// of a second for what other replicas' consumers queued. Marks the replica seen every
    /// half minute and forgets replicas unseen for an hour.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let mut seen = Instant::now();
        loop {
            match self.drain().await {
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "search indexer failed; retrying"),
            }
            if seen.elapsed() >= HEARTBEAT {
                seen = Instant::now();
                if let Err(e) = self.heartbeat().await {
                    tracing::warn!(error = %e, "search replica heartbeat failed");
                }
            }
            tokio::select! {
                _ = self.woken() => {}
                _ = tokio::time::sleep(POLL) => {}
                _ = shutdown.changed() => {
                    let _ = self.drain().await;
                    return;
                }
            }
        }
    }
}
