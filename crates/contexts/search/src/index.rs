//! The embedded full-text product index.
//!
//! One [`SearchIndex`] per process: searches run concurrently on a reader snapshot; writes go
//! through the single writer and become visible at [`SearchIndex::commit`]. The catalog stays
//! the source of truth: the index can be wiped and rebuilt at any time, and the watermark stored
//! with each commit tells the caller where to resume feeding it.

mod facets;
mod query;
mod schema;
mod storage;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::AggregationResults;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::directory::error::OpenReadError;
use tantivy::query::{AllQuery, Query};
use tantivy::schema::{Field, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument, TantivyError, Term,
};
use tracing::{info, warn};

use self::schema::{CREATED_AT, Fields, PRICE_MIN, RATING_AVG, RATING_COUNT};

/// Memory the writer may buffer before flushing a segment.
const WRITER_MEMORY: usize = 50_000_000;
/// Deepest result reachable by paging (`offset + limit`), as collecting the top N costs memory
/// and time in N. Deeper pages come back without hits (the total stays exact).
pub const MAX_RESULT_WINDOW: usize = 10_000;
/// Most suggestions returned by one call.
pub const MAX_SUGGESTIONS: usize = 50;

/// What the index knows about one product that customers may see.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductDoc {
    /// `prd_…`, the unique key.
    pub id: String,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub brand_id: Option<String>,
    pub brand_name: Option<String>,
    pub category_id: Option<String>,
    /// Ids of the category and all its ancestors, root first.
    pub category_path: Vec<String>,
    /// Names along the same path; searchable text.
    pub category_names: Vec<String>,
    pub seller_id: String,
    /// `(name, value)` pairs such as `("color", "Red")`; names lowercase.
    pub attributes: Vec<(String, String)>,
    /// Minor units (cents) of the cheapest variant.
    pub price_min: i64,
    pub price_max: i64,
    pub currency: String,
    /// 0.0 when there are no reviews.
    pub rating_avg: f64,
    pub rating_count: i64,
    /// Microseconds since the epoch.
    pub created_at: i64,
    /// Thumbnail url for listing cards.
    pub image: Option<String>,
    /// Some variant has stock to sell.
    pub in_stock: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// BM25 over the weighted fields, ties (and browsing without text) by rating.
    #[default]
    Relevance,
    /// By `price_min`, cheapest first.
    PriceAsc,
    /// By `price_min`, dearest first.
    PriceDesc,
    /// By `rating_avg`, then `rating_count`, best first.
    Rating,
    /// By `created_at`, newest first.
    Newest,
}

#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Every word must match, in any field (title, brand, category names, attribute values,
    /// description), exactly after stemming or, for words of 4+ letters, with a typo or two.
    /// Only the first 8 words count; "the", "for" and similar are ignored when other words are
    /// present. `None`, blank or word-less text (punctuation only) matches everything.
    pub text: Option<String>,
    /// Matches products whose category path contains it (descendants included).
    pub category_id: Option<String>,
    /// Any of these brands.
    pub brand_ids: Vec<String>,
    pub seller_id: Option<String>,
    /// Inclusive, on the product's `price_min`.
    pub price_min: Option<i64>,
    /// Inclusive, on the product's `price_min`.
    pub price_max: Option<i64>,
    pub rating_min: Option<f64>,
    pub in_stock: bool,
    /// All must match; the value case-insensitively.
    pub attributes: Vec<(String, String)>,
    pub sort: Sort,
    /// Hits to skip. Hits beyond [`MAX_RESULT_WINDOW`] are never returned.
    pub offset: usize,
    /// Hits to return; 0 for only the total (and facets).
    pub limit: usize,
    /// Compute [`Facets`] over every match.
    pub facets: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub brand_name: Option<String>,
    pub price_min: i64,
    pub price_max: i64,
    pub currency: String,
    pub rating_avg: f64,
    pub rating_count: i64,
    pub image: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facets {
    /// Category id (any level of the path) and count, by count descending, at most 100.
    pub categories: Vec<(String, u64)>,
    /// Brand id and count, by count descending, at most 50.
    pub brands: Vec<(String, u64)>,
    /// Every fixed price bucket, in order, empty ones included.
    pub price: Vec<PriceBucket>,
    /// `(n, count)` of products rated at least `n`.0, for 4, 3, 2, 1 in that order.
    pub rating: Vec<(u8, u64)>,
}

/// Products whose `price_min` lies in `[from, to)`, in minor units.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceBucket {
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    /// Every match, not only the page.
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Option<Facets>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub id: String,
    pub slug: String,
    pub title: String,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] TantivyError),
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index directory cannot be opened: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
}

impl From<IndexError> for kernel::Error {
    fn from(e: IndexError) -> Self {
        kernel::Error::internal(e)
    }
}

pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    analyzer: query::Analyzer,
    aggregations: Aggregations,
    /// Mirrors the payload of the last commit so that reading it costs no I/O.
    watermark: Mutex<Option<i64>>,
    dir: Option<PathBuf>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// A lock is only poisoned by a panic between two writer calls, which leaves the writer itself
/// consistent, so carrying on is safe.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Errors that mean the files on disk cannot be used as they are (as opposed to a busy lock or
/// a failing disk), so wiping and rebuilding is the cure.
fn is_unusable(e: &IndexError) -> bool {
    match e {
        IndexError::Tantivy(e) => matches!(
            e,
            TantivyError::SchemaError(_)
                | TantivyError::IncompatibleIndex(_)
                | TantivyError::DataCorruption(_)
                | TantivyError::DeserializeError(_)
                | TantivyError::OpenReadError(
                    OpenReadError::FileDoesNotExist(_) | OpenReadError::IncompatibleIndex(..)
                )
        ),
        _ => false,
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (and the dir) when missing.
    ///
    /// The second field is true when the index has no committed content to trust, so that the
    /// caller rebuilds it from the catalog: it was just created, it was written with another
    /// schema version (or is unreadable) and was wiped, or it was never committed to.
    pub fn open(dir: &Path) -> Result<(SearchIndex, bool), IndexError> {
        std::fs::create_dir_all(dir)?;
        let exists = dir.join("meta.json").exists();
        let version = storage::read_version(dir)?;
        let mut created = !exists;
        if exists && version != Some(schema::SCHEMA_VERSION) {
            let expected = schema::SCHEMA_VERSION;
            warn!(dir = %dir.display(), ?version, expected, "search index has another schema version; rebuilding");
            storage::wipe(dir)?;
            created = true;
        }
        let index = match Self::open_existing_or_create(dir) {
            Err(e) if is_unusable(&e) => {
                warn!(dir = %dir.display(), error = %e, "search index is unreadable; rebuilding");
                storage::wipe(dir)?;
                created = true;
                Self::open_existing_or_create(dir)?
            }
            other => other?,
        };
        storage::write_version(dir, schema::SCHEMA_VERSION)?;
        let fresh = created || index.watermark().is_none();
        info!(dir = %dir.display(), docs = index.doc_count(), fresh, "search index opened");
        Ok((index, fresh))
    }

    fn open_existing_or_create(dir: &Path) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .tokenizers(schema::tokenizers())
            .open_or_create(MmapDirectory::open(dir)?)?;
        let writer = index.writer(WRITER_MEMORY)?;
        Self::assemble(index, writer, fields, Some(dir.to_path_buf()))
    }

    /// A RAM-only index for tests.
    pub fn in_memory() -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema::build();
        let index = Index::builder().schema(schema).tokenizers(schema::tokenizers()).create_in_ram()?;
        // One thread keeps many test indexes side by side cheap.
        let writer = index.writer_with_num_threads(1, 20_000_000)?;
        Self::assemble(index, writer, fields, None)
    }

    fn assemble(index: Index, writer: IndexWriter, fields: Fields, dir: Option<PathBuf>) -> Result<Self, IndexError> {
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let watermark = index.load_metas()?.payload.and_then(|p| p.parse().ok());
        Ok(SearchIndex {
            reader,
            writer: Mutex::new(writer),
            fields,
            analyzer: query::Analyzer::new(),
            aggregations: facets::request(),
            watermark: Mutex::new(watermark),
            dir,
        })
    }

    /// Stages documents, replacing any with the same id. Not visible until [`Self::commit`].
    pub fn upsert(&self, docs: &[ProductDoc]) -> Result<(), IndexError> {
        let writer = lock(&self.writer);
        for doc in docs {
            // Deletes apply to everything staged before them, so the new version survives.
            writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            writer.add_document(schema::to_document(&self.fields, doc))?;
        }
        Ok(())
    }

    /// Stages removal of the products with these ids.
    pub fn delete(&self, ids: &[String]) -> Result<(), IndexError> {
        let writer = lock(&self.writer);
        for id in ids {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        Ok(())
    }

    /// Stages removal of every document (for a full rebuild).
    pub fn clear(&self) -> Result<(), IndexError> {
        // Not `delete_all_documents`: that drops segments but not documents still buffered in
        // the indexing threads. A delete of everything is ordered with the adds around it.
        lock(&self.writer).delete_query(Box::new(AllQuery))?;
        Ok(())
    }

    /// Commits staged changes with `watermark` as the commit payload and makes them visible to
    /// the next search.
    pub fn commit(&self, watermark: i64) -> Result<(), IndexError> {
        let mut writer = lock(&self.writer);
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&watermark.to_string());
        prepared.commit()?;
        self.reader.reload()?;
        *lock(&self.watermark) = Some(watermark);
        Ok(())
    }

    /// The watermark of the last commit, `None` for a fresh index.
    pub fn watermark(&self) -> Option<i64> {
        *lock(&self.watermark)
    }

    pub fn search(&self, q: &SearchQuery) -> Result<SearchResult, IndexError> {
        let searcher = self.reader.searcher();
        let query = query::search_query(&self.fields, &self.analyzer, q);
        let end = q.offset.saturating_add(q.limit).min(MAX_RESULT_WINDOW);
        let range = (q.offset < end).then_some(q.offset..end);
        let aggregations =
            q.facets.then(|| AggregationCollector::from_aggs(self.aggregations.clone(), AggContextParams::default()));
        let top = |range: &std::ops::Range<usize>| TopDocs::for_doc_range(range.clone());
        let by_i64 = |field: &str, order| (SortByStaticFastValue::<i64>::for_field(field), order);
        let by_rating = (SortByStaticFastValue::<f64>::for_field(RATING_AVG), Order::Desc);
        let (docs, total, aggs) = match q.sort {
            Sort::Relevance => collect(
                &searcher,
                query.as_ref(),
                range.map(|r| top(&r).order_by(((SortBySimilarityScore, Order::Desc), by_rating))),
                aggregations,
            )?,
            Sort::PriceAsc | Sort::PriceDesc => {
                let order = if q.sort == Sort::PriceAsc { Order::Asc } else { Order::Desc };
                let collector = range.map(|r| top(&r).order_by(by_i64(PRICE_MIN, order)));
                collect(&searcher, query.as_ref(), collector, aggregations)?
            }
            Sort::Rating => {
                let collector = range.map(|r| top(&r).order_by((by_rating, by_i64(RATING_COUNT, Order::Desc))));
                collect(&searcher, query.as_ref(), collector, aggregations)?
            }
            Sort::Newest => {
                let collector = range.map(|r| top(&r).order_by(by_i64(CREATED_AT, Order::Desc)));
                collect(&searcher, query.as_ref(), collector, aggregations)?
            }
        };
        let hits = docs.into_iter().map(|addr| self.hit(&searcher, addr)).collect::<Result<_, _>>()?;
        let facets = q.facets.then(|| aggs.map_or_else(facets::empty, facets::parse));
        Ok(SearchResult { total: total as u64, hits, facets })
    }

    /// Type-ahead: up to `limit` (at most [`MAX_SUGGESTIONS`]) products whose title has every
    /// word typed, the last one as a prefix (case-insensitive). Prefix matches carry no useful
    /// relevance signal, so the best rated products (then the most reviewed) come first.
    pub fn suggest(&self, prefix: &str, limit: usize) -> Result<Vec<Suggestion>, IndexError> {
        let limit = limit.min(MAX_SUGGESTIONS);
        let Some(query) = query::suggest_query(&self.fields, &self.analyzer, prefix).filter(|_| limit > 0) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        let by_rating = (
            (SortByStaticFastValue::<f64>::for_field(RATING_AVG), Order::Desc),
            (SortByStaticFastValue::<i64>::for_field(RATING_COUNT), Order::Desc),
        );
        let top = searcher.search(query.as_ref(), &TopDocs::with_limit(limit).order_by(by_rating))?;
        top.into_iter()
            .map(|(_, addr)| {
                let doc: TantivyDocument = searcher.doc(addr)?;
                let f = &self.fields;
                Ok(Suggestion { id: text(&doc, f.id), slug: text(&doc, f.slug), title: text(&doc, f.title) })
            })
            .collect()
    }

    /// Documents visible to searches.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes on disk of the index files (0 in memory).
    pub fn size_bytes(&self) -> u64 {
        let Some(dir) = &self.dir else { return 0 };
        storage::size(dir).unwrap_or_else(|e| {
            warn!(dir = %dir.display(), error = %e, "cannot measure the search index");
            0
        })
    }

    fn hit(&self, searcher: &Searcher, addr: DocAddress) -> Result<Hit, IndexError> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let f = &self.fields;
        let int = |field: Field| doc.get_first(field).and_then(|v| v.as_i64()).unwrap_or(0);
        Ok(Hit {
            id: text(&doc, f.id),
            slug: text(&doc, f.slug),
            title: text(&doc, f.title),
            brand_name: opt_text(&doc, f.brand_name),
            price_min: int(f.price_min),
            price_max: int(f.price_max),
            currency: text(&doc, f.currency),
            rating_avg: doc.get_first(f.rating_avg).and_then(|v| v.as_f64()).unwrap_or(0.0),
            rating_count: int(f.rating_count),
            image: opt_text(&doc, f.image),
        })
    }
}

/// Runs the query once, feeding the page, the count and the facets at the same time.
fn collect<K, C>(
    searcher: &Searcher,
    query: &dyn Query,
    top: Option<C>,
    aggregations: Option<AggregationCollector>,
) -> Result<(Vec<DocAddress>, usize, Option<AggregationResults>), IndexError>
where
    C: Collector<Fruit = Vec<(K, DocAddress)>>,
{
    let (top, total, aggs) = searcher.search(query, &(top, Count, aggregations))?;
    let docs = top.unwrap_or_default().into_iter().map(|(_, addr)| addr).collect();
    Ok((docs, total, aggs))
}

fn opt_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned)
}

fn text(doc: &TantivyDocument, field: Field) -> String {
    opt_text(doc, field).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_is_shareable_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SearchIndex>();
    }
}
