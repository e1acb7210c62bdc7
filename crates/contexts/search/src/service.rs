//! The search use cases: turn request parameters into an index query, answer from the cache
//! when the index has not changed since, and describe facets with catalog names.

use crate::dto::{
    FacetValue, FacetsDto, PriceFacet, ProductHit, RatingFacet, SearchPage, SearchParams, SuggestParams, SuggestionDto,
};
use crate::{SearchIndex, SearchQuery, Sort};
use cache::Cache;
use catalog::api::{CatalogFeed, Taxonomy};
use inventory::api::StockAvailability;
use kernel::{Error, ErrorKind, Result};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use store::Db;
use tokio::sync::Notify;

/// How long a cached listing may live; index commits make it unreachable sooner.
const CACHE_TTL: Duration = Duration::from_secs(300);
const MAX_LIMIT: u32 = 100;

pub struct SearchService {
    db: Db,
    index: Arc<SearchIndex>,
    catalog: Arc<dyn CatalogFeed>,
    stock: Arc<dyn StockAvailability>,
    cache: Arc<dyn Cache>,
    wake: Notify,
    /// Part of every cache key; bumped by each commit so older answers are never served again.
    generation: AtomicU64,
    /// One writer at a time: a rebuild and the indexer must not interleave their commits.
    pub(crate) writing: tokio::sync::Mutex<()>,
    /// This replica's name in `search_replicas`, once it joined; a process that never searches
    /// (the worker) does not join, and its indexer has nothing to do.
    replica: std::sync::OnceLock<String>,
}

impl SearchService {
    pub fn new(
        db: Db,
        index: Arc<SearchIndex>,
        catalog: Arc<dyn CatalogFeed>,
        stock: Arc<dyn StockAvailability>,
        cache: Arc<dyn Cache>,
    ) -> Self {
        Self {
            db,
            index,
            catalog,
            stock,
            cache,
            wake: Notify::new(),
            generation: AtomicU64::new(kernel::time::Timestamp::now().as_micros() as u64),
            writing: tokio::sync::Mutex::new(()),
            replica: std::sync::OnceLock::new(),
        }
    }

    /// Joins the replicas that keep an index, as `id` (kept with the index, so a restart is the
    /// same replica). False when the index must be rebuilt: the replica is new, or was away so
    /// long that it was forgotten with its queue.
    pub async fn replica_join(&self, id: &str) -> kernel::Result<bool> {
        let known = crate::store::replica_seen(&self.db, id, kernel::time::Timestamp::now()).await?;
        let _ = self.replica.set(id.to_owned());
        Ok(known)
    }

    pub(crate) fn replica(&self) -> Option<&str> {
        self.replica.get().map(String::as_str)
    }

    pub fn index(&self) -> &Arc<SearchIndex> {
        &self.index
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    pub(crate) fn catalog(&self) -> &Arc<dyn CatalogFeed> {
        &self.catalog
    }

    pub(crate) fn stock(&self) -> &Arc<dyn StockAvailability> {
        &self.stock
    }

    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }

    pub(crate) fn committed(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
    }

    /// The listing as JSON, from the cache when the index has not changed since.
    pub async fn search_json(&self, raw_query: &str, params: SearchParams) -> Result<bytes::Bytes> {
        let key = format!("search:{}:{raw_query}", self.generation.load(Ordering::Relaxed));
        if let Some(hit) = self.cache.get(&key).await {
            metrics::counter!("cache_hits_total", "cache" => "search").increment(1);
            return Ok(hit);
        }
        metrics::counter!("cache_misses_total", "cache" => "search").increment(1);
        let page = self.search(params).await?;
        let bytes = bytes::Bytes::from(serde_json::to_vec(&page).map_err(Error::internal)?);
        self.cache.set(&key, bytes.clone(), CACHE_TTL).await;
        Ok(bytes)
    }

    pub async fn search(&self, params: SearchParams) -> Result<SearchPage> {
        let t = self.catalog.taxonomy().await?;
        let (query, limit) = to_query(&t, &params)?;
        // A query takes about a millisecond: run it on the worker rather than the blocking
        // pool, whose threads (one malloc arena each) would multiply memory under load.
        let result = self.index.search(&query).map_err(Error::internal)?;
        let shown = query.offset + result.hits.len();
        let next_cursor =
            (result.hits.len() == limit && (shown as u64) < result.total && shown < crate::MAX_RESULT_WINDOW)
                .then(|| format!("o{shown}"));
        let facets = result.facets.filter(|_| query.facets).map(|f| facets_dto(&t, query.category_id.as_deref(), f));
        Ok(SearchPage {
            items: result
                .hits
                .into_iter()
                .map(|h| ProductHit {
                    id: h.id,
                    slug: h.slug,
                    title: h.title,
                    brand: h.brand_name,
                    price_min: h.price_min,
                    price_max: h.price_max,
                    currency: h.currency,
                    rating: h.rating_avg,
                    review_count: h.rating_count,
                    image: h.image,
                })
                .collect(),
            total: result.total,
            next_cursor,
            facets,
        })
    }

    pub async fn suggest(&self, params: SuggestParams) -> Result<Vec<SuggestionDto>> {
        let limit = params.limit.unwrap_or(8);
        if !(1..=20).contains(&limit) {
            return Err(Error::bad_request("invalid_limit", "`limit` must be between 1 and 20."));
        }
        if params.q.chars().count() > 100 {
            return Err(invalid_query("q", "must be at most 100 characters"));
        }
        let found = self.index.suggest(&params.q, limit as usize).map_err(Error::internal)?;
        Ok(found.into_iter().map(|s| SuggestionDto { id: s.id, slug: s.slug, title: s.title }).collect())
    }
}

fn invalid_query(name: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::BadRequest, "invalid_query", "A query parameter is invalid.")
        .with_errors(vec![kernel::error::FieldError { field: name.into(), message: message.into() }])
}

fn to_query(t: &Taxonomy, p: &SearchParams) -> Result<(SearchQuery, usize)> {
    let limit = p.limit.unwrap_or(20);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(Error::bad_request("invalid_limit", format!("`limit` must be between 1 and {MAX_LIMIT}.")));
    }
    let offset = match &p.cursor {
        None => 0,
        Some(c) => c
            .strip_prefix('o')
            .filter(|n| !n.is_empty() && n.len() <= 5 && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= crate::MAX_RESULT_WINDOW)
            .ok_or_else(|| Error::bad_request("invalid_cursor", "`cursor` is not a cursor this API issued."))?,
    };
    let sort = match p.sort.as_deref() {
        None | Some("relevance") => Sort::Relevance,
        Some("price_asc") => Sort::PriceAsc,
        Some("price_desc") => Sort::PriceDesc,
        Some("rating") => Sort::Rating,
        Some("newest") => Sort::Newest,
        Some(_) => return Err(invalid_query("sort", "must be relevance, price_asc, price_desc, rating or newest")),
    };
    if p.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(invalid_query("q", "must be at most 200 characters"));
    }
    for (name, v) in [("price_min", p.price_min), ("price_max", p.price_max)] {
        if v.is_some_and(|v| v < 0) {
            return Err(invalid_query(name, "must be zero or more (minor units)"));
        }
    }
    if p.rating_min.is_some_and(|r| !(0.0..=5.0).contains(&r)) {
        return Err(invalid_query("rating_min", "must be from 0 to 5"));
    }
    let category_id = match p.category.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => {
            Some(t.category(c).ok_or_else(|| Error::not_found("category_not_found", "No such category."))?.id.clone())
        }
    };
    let mut brand_ids = Vec::new();
    for b in p.brand.as_deref().unwrap_or("").split(',').map(str::trim).filter(|b| !b.is_empty()).take(20) {
        brand_ids.push(
            t.brand(b).ok_or_else(|| Error::not_found("brand_not_found", format!("No such brand: {b}.")))?.id.clone(),
        );
    }
    let mut attributes = Vec::new();
    for pair in p.attr.as_deref().unwrap_or("").split(',').map(str::trim).filter(|a| !a.is_empty()).take(20) {
        let (name, value) =
            pair.split_once(':').ok_or_else(|| invalid_query("attr", "must be name:value pairs, comma-separated"))?;
        attributes.push((name.trim().to_lowercase(), value.trim().to_owned()));
    }
    let query = SearchQuery {
        text: p.q.clone(),
        category_id,
        brand_ids,
        seller_id: p.seller.clone().filter(|s| !s.is_empty()),
        price_min: p.price_min,
        price_max: p.price_max,
        rating_min: p.rating_min,
        in_stock: p.in_stock.unwrap_or(false),
        attributes,
        sort,
        offset,
        limit: limit as usize,
        facets: p.facets.unwrap_or(false),
    };
    Ok((query, limit as usize))
}

fn facets_dto(t: &Taxonomy, category: Option<&str>, f: crate::Facets) -> FacetsDto {
    let children: Vec<&catalog::CategoryRow> = t.children_of(category);
    let categories = children
        .into_iter()
        .filter_map(|c| {
            let count = f.categories.iter().find(|(id, _)| *id == c.id).map(|(_, n)| *n)?;
            Some(FacetValue { id: c.id.clone(), slug: c.slug.clone(), name: c.name.clone(), count })
        })
        .collect();
    let brands = f
        .brands
        .iter()
        .filter_map(|(id, count)| {
            let b = t.brand(id)?;
            Some(FacetValue { id: b.id.clone(), slug: b.slug.clone(), name: b.name.clone(), count: *count })
        })
        .collect();
    FacetsDto {
        categories,
        brands,
        price: f.price.into_iter().map(|b| PriceFacet { from: b.from, to: b.to, count: b.count }).collect(),
        rating: f.rating.into_iter().map(|(min, count)| RatingFacet { min, count }).collect(),
    }
}
