//! The index layout: fields, analyzers and the mapping of a [`ProductDoc`] onto them.
//!
//! Every searchable text is indexed twice: once stemmed (scored with BM25 per field, so each
//! field can carry its own boost) and once as plain lowercased words. Typo tolerance and
//! type-ahead prefixes run against the plain words, because a stem is not a reliable base for
//! an edit distance or a prefix ("wireles" stems to "wirel", three edits away from "wireless").

use tantivy::TantivyDocument;
use tantivy::schema::{FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenizerManager,
};

use super::ProductDoc;

/// Bump whenever the schema or an analyzer changes: an index written by another version is
/// wiped on open and reported fresh so that the caller rebuilds it from the catalog.
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// Stemmed English words, for scored full-text matching.
const STEMMED: &str = "oxcart_en";
/// Lowercased, accent-folded words without stemming, for typo tolerance and prefixes.
const WORDS: &str = "oxcart_words";

/// Longest word (in bytes) that is indexed; longer ones are never matchable.
pub(crate) const MAX_WORD_BYTES: usize = 64;

// Names of the fast fields, which sorts and aggregations address by name.
pub(crate) const CATEGORY_PATH: &str = "category_path";
pub(crate) const BRAND_ID: &str = "brand_id";
pub(crate) const PRICE_MIN: &str = "price_min";
pub(crate) const RATING_AVG: &str = "rating_avg";
pub(crate) const RATING_COUNT: &str = "rating_count";
pub(crate) const CREATED_AT: &str = "created_at";

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub slug: Field,
    pub title: Field,
    pub title_words: Field,
    pub brand_name: Field,
    pub category_names: Field,
    pub attr_values: Field,
    pub description: Field,
    /// Plain words of everything searchable but the title.
    pub body_words: Field,
    pub category_path: Field,
    pub brand_id: Field,
    pub seller_id: Field,
    /// `name=value` pairs, lowercased, for exact attribute filters.
    pub attr: Field,
    pub price_min: Field,
    pub price_max: Field,
    pub currency: Field,
    pub rating_avg: Field,
    pub rating_count: Field,
    pub created_at: Field,
    pub image: Field,
    /// `yes` or `no`.
    pub in_stock: Field,
}

pub(crate) fn build() -> (Schema, Fields) {
    let stemmed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(STEMMED).set_index_option(IndexRecordOption::WithFreqs),
    );
    // Matching on plain words never scores by frequency, so neither freqs nor norms are kept.
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        slug: b.add_text_field("slug", STORED),
        title: b.add_text_field("title", stemmed.clone().set_stored()),
        title_words: b.add_text_field("title_words", words.clone()),
        brand_name: b.add_text_field("brand_name", stemmed.clone().set_stored()),
        category_names: b.add_text_field("category_names", stemmed.clone()),
        attr_values: b.add_text_field("attr_values", stemmed.clone()),
        description: b.add_text_field("description", stemmed),
        body_words: b.add_text_field("body_words", words),
        category_path: b.add_text_field(CATEGORY_PATH, STRING | FAST),
        brand_id: b.add_text_field(BRAND_ID, STRING | FAST),
        seller_id: b.add_text_field("seller_id", STRING),
        attr: b.add_text_field("attr", STRING),
        price_min: b.add_i64_field(PRICE_MIN, FAST | STORED),
        price_max: b.add_i64_field("price_max", FAST | STORED),
        currency: b.add_text_field("currency", STORED),
        rating_avg: b.add_f64_field(RATING_AVG, FAST | STORED),
        rating_count: b.add_i64_field(RATING_COUNT, FAST | STORED),
        created_at: b.add_i64_field(CREATED_AT, FAST),
        image: b.add_text_field("image", STORED),
        in_stock: b.add_text_field("in_stock", STRING),
    };
    (b.build(), fields)
}

/// The analyzers the schema refers to, registered on every index handle (they are not persisted).
pub(crate) fn tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(
        STEMMED,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES + 1))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build(),
    );
    manager.register(
        WORDS,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES + 1))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    manager
}

/// Splits user input into words exactly as [`WORDS`] does, but keeps over-long words so that a
/// query containing one matches nothing instead of silently ignoring it.
pub(crate) fn query_word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).filter(AsciiFoldingFilter).build()
}

/// Stems one already split, lowercased and folded word, so that stemming a query word gives the
/// same term as indexing it through [`STEMMED`].
pub(crate) fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build()
}

/// The `attr` term of an attribute pair; filters build theirs the same way.
pub(crate) fn attr_term(name: &str, value: &str) -> String {
    format!("{}={}", name.trim().to_lowercase(), value.trim().to_lowercase())
}

pub(crate) fn to_document(f: &Fields, p: &ProductDoc) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(f.id, &p.id);
    d.add_text(f.slug, &p.slug);
    d.add_text(f.title, &p.title);
    d.add_text(f.title_words, &p.title);
    if let Some(name) = &p.brand_name {
        d.add_text(f.brand_name, name);
        d.add_text(f.body_words, name);
    }
    if let Some(id) = &p.brand_id {
        d.add_text(f.brand_id, id);
    }
    let mut categories: Vec<&str> = p.category_path.iter().map(String::as_str).collect();
    if let Some(id) = &p.category_id {
        categories.push(id);
    }
    // A repeated value would be counted twice by the category facet.
    let mut seen = std::collections::HashSet::new();
    for id in categories.into_iter().filter(|id| seen.insert(*id)) {
        d.add_text(f.category_path, id);
    }
    for name in &p.category_names {
        d.add_text(f.category_names, name);
        d.add_text(f.body_words, name);
    }
    d.add_text(f.seller_id, &p.seller_id);
    for (name, value) in &p.attributes {
        d.add_text(f.attr_values, value);
        d.add_text(f.body_words, value);
        d.add_text(f.attr, attr_term(name, value));
    }
    d.add_text(f.description, &p.description);
    d.add_text(f.body_words, &p.description);
    d.add_i64(f.price_min, p.price_min);
    d.add_i64(f.price_max, p.price_max);
    d.add_text(f.currency, &p.currency);
    // NaN would sort and bucket unpredictably; a product without a usable rating is unrated.
    d.add_f64(f.rating_avg, if p.rating_avg.is_finite() { p.rating_avg } else { 0.0 });
    d.add_i64(f.rating_count, p.rating_count);
    d.add_i64(f.created_at, p.created_at);
    if let Some(image) = &p.image {
        d.add_text(f.image, image);
    }
    d.add_text(f.in_stock, if p.in_stock { "yes" } else { "no" });
    d
}
