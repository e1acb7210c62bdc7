//! Turning a [`SearchQuery`] or a type-ahead prefix into a tantivy query.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;

use super::SearchQuery;
use super::schema::{self, Fields, MAX_WORD_BYTES};

/// Words of a query beyond this are ignored: they rarely narrow results and each one costs a
/// boolean clause with fuzzy expansions.
pub(crate) const MAX_WORDS: usize = 8;
/// Input beyond this many bytes is ignored before it is even split into words.
const MAX_INPUT_BYTES: usize = 1024;

const TITLE_BOOST: f32 = 3.0;
const BRAND_BOOST: f32 = 2.0;
const CATEGORY_BOOST: f32 = 1.5;
const ATTRIBUTE_BOOST: f32 = 1.0;
const DESCRIPTION_BOOST: f32 = 1.0;
// A fuzzy match scores a constant, well under any BM25 match of the exact word, so that the
// exact spelling always ranks first while a misspelling still finds something.
const FUZZY_TITLE_SCORE: f32 = 0.5;
const FUZZY_BODY_SCORE: f32 = 0.25;

/// Function words that would make "case for phone" require "for" somewhere in the product.
/// They are dropped from a query unless the query has nothing else.
const STOP_WORDS: &[&str] = &["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"];

/// One word of user input: as typed (lowercased and folded) and as stemmed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    pub text: String,
    pub stem: String,
}

/// Splits user input into words. Cloned per call because tantivy analyzers need `&mut`.
#[derive(Clone)]
pub(crate) struct Analyzer {
    words: TextAnalyzer,
    stem: TextAnalyzer,
}

impl Analyzer {
    pub(crate) fn new() -> Self {
        Self { words: schema::query_word_analyzer(), stem: schema::stem_analyzer() }
    }

    fn tokens(&self, input: &str) -> Vec<String> {
        let input = &input[..input.floor_char_boundary(MAX_INPUT_BYTES)];
        let mut analyzer = self.words.clone();
        let mut stream = analyzer.token_stream(input);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    fn word(&self, text: String) -> Word {
        let mut analyzer = self.stem.clone();
        let stem = {
            let mut stream = analyzer.token_stream(&text);
            if stream.advance() { stream.token().text.clone() } else { text.clone() }
        };
        Word { text, stem }
    }

    /// The words a search must match: at most [`MAX_WORDS`], distinct, stop words dropped.
    pub(crate) fn query_words(&self, input: &str) -> Vec<Word> {
        let tokens = self.tokens(input);
        let has_content = tokens.iter().any(|t| !STOP_WORDS.contains(&t.as_str()));
        let mut words: Vec<String> = Vec::new();
        for token in tokens {
            if words.len() == MAX_WORDS {
                break;
            }
            if (has_content && STOP_WORDS.contains(&token.as_str())) || words.contains(&token) {
                continue;
            }
            words.push(token);
        }
        words.into_iter().map(|w| self.word(w)).collect()
    }

    /// Type-ahead words: the complete ones (at most [`MAX_WORDS`] - 1) and the last, a prefix.
    pub(crate) fn prefix_words(&self, input: &str) -> Option<(Vec<Word>, String)> {
        let mut tokens = self.tokens(input);
        let last = tokens.pop()?;
        tokens.truncate(MAX_WORDS - 1);
        Some((tokens.into_iter().map(|w| self.word(w)).collect(), last))
    }
}

/// Levenshtein distance tolerated for a word; short words are too easily confused to allow any.
fn fuzzy_distance(word: &str) -> Option<u8> {
    if word.len() > MAX_WORD_BYTES {
        return None;
    }
    match word.chars().count() {
        0..=3 => None,
        4..=7 => Some(1),
        _ => Some(2),
    }
}

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn boxed(query: impl Query) -> Box<dyn Query> {
    Box::new(query)
}

/// Matches a document having the word in at least one field, scoring by field weight.
fn word_query(f: &Fields, word: &Word) -> Box<dyn Query> {
    let scored = [
        (f.title, TITLE_BOOST),
        (f.brand_name, BRAND_BOOST),
        (f.category_names, CATEGORY_BOOST),
        (f.attr_values, ATTRIBUTE_BOOST),
        (f.description, DESCRIPTION_BOOST),
    ];
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = scored
        .into_iter()
        .map(|(field, boost)| {
            let exact = TermQuery::new(term(field, &word.stem), IndexRecordOption::WithFreqs);
            (Occur::Should, boxed(BoostQuery::new(boxed(exact), boost)))
        })
        .collect();
    if let Some(distance) = fuzzy_distance(&word.text) {
        for (field, score) in [(f.title_words, FUZZY_TITLE_SCORE), (f.body_words, FUZZY_BODY_SCORE)] {
            let fuzzy = FuzzyTermQuery::new(term(field, &word.text), distance, true);
            clauses.push((Occur::Should, boxed(BoostQuery::new(boxed(fuzzy), score))));
        }
    }
    boxed(BooleanQuery::new(clauses))
}

/// Restrictions that must hold but do not contribute to the score.
fn filters(f: &Fields, q: &SearchQuery) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let exact = |field: Field, value: &str| boxed(TermQuery::new(term(field, value), IndexRecordOption::Basic));
    if let Some(id) = &q.category_id {
        out.push(exact(f.category_path, id));
    }
    if !q.brand_ids.is_empty() {
        let any = q.brand_ids.iter().map(|id| (Occur::Should, exact(f.brand_id, id))).collect();
        out.push(boxed(BooleanQuery::new(any)));
    }
    if let Some(id) = &q.seller_id {
        out.push(exact(f.seller_id, id));
    }
    if q.price_min.is_some() || q.price_max.is_some() {
        let bound =
            |v: Option<i64>| v.map_or(Bound::Unbounded, |v| Bound::Included(Term::from_field_i64(f.price_min, v)));
        out.push(boxed(RangeQuery::new(bound(q.price_min), bound(q.price_max))));
    }
    if let Some(min) = q.rating_min.filter(|v| !v.is_nan()) {
        out.push(boxed(RangeQuery::new(Bound::Included(Term::from_field_f64(f.rating_avg, min)), Bound::Unbounded)));
    }
    for (name, value) in &q.attributes {
        out.push(exact(f.attr, &schema::attr_term(name, value)));
    }
    if q.in_stock {
        out.push(exact(f.in_stock, "yes"));
    }
    out.into_iter().map(|q| boxed(ConstScoreQuery::new(q, 0.0))).collect()
}

/// The query of a search: every word (in some field) and every filter.
pub(crate) fn search_query(f: &Fields, analyzer: &Analyzer, q: &SearchQuery) -> Box<dyn Query> {
    let words = q.text.as_deref().map(|t| analyzer.query_words(t)).unwrap_or_default();
    let clauses: Vec<(Occur, Box<dyn Query>)> =
        words.iter().map(|w| word_query(f, w)).chain(filters(f, q)).map(|query| (Occur::Must, query)).collect();
    if clauses.is_empty() { boxed(AllQuery) } else { boxed(BooleanQuery::new(clauses)) }
}

/// Products whose title has every complete word and a word starting with the last one.
pub(crate) fn suggest_query(f: &Fields, analyzer: &Analyzer, input: &str) -> Option<Box<dyn Query>> {
    let (complete, last) = analyzer.prefix_words(input)?;
    if last.len() > MAX_WORD_BYTES {
        return None;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = complete
        .iter()
        .map(|w| (Occur::Must, boxed(TermQuery::new(term(f.title, &w.stem), IndexRecordOption::Basic))))
        .collect();
    // A distance of zero makes the Levenshtein prefix automaton a plain prefix match.
    clauses.push((Occur::Must, boxed(FuzzyTermQuery::new_prefix(term(f.title_words, &last), 0, true))));
    Some(boxed(BooleanQuery::new(clauses)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_folded_stemmed_and_limited() {
        let a = Analyzer::new();
        let words = a.query_words("Running SHOES for Café");
        let texts: Vec<_> = words.iter().map(|w| (w.text.as_str(), w.stem.as_str())).collect();
        assert_eq!(texts, [("running", "run"), ("shoes", "shoe"), ("cafe", "cafe")]);
        assert_eq!(a.query_words("one two three four five six seven eight nine ten").len(), MAX_WORDS);
        assert_eq!(a.query_words("red red red").len(), 1);
        let only_stop: Vec<_> = a.query_words("The Of").into_iter().map(|w| w.text).collect();
        assert_eq!(only_stop, ["the", "of"]);
    }

    #[test]
    fn fuzzy_distance_grows_with_word_length() {
        assert_eq!(fuzzy_distance("tee"), None);
        assert_eq!(fuzzy_distance("shrit"), Some(1));
        assert_eq!(fuzzy_distance("wireles"), Some(1));
        assert_eq!(fuzzy_distance("headphone"), Some(2));
        assert_eq!(fuzzy_distance("ééé"), None);
        assert_eq!(fuzzy_distance(&"x".repeat(MAX_WORD_BYTES + 1)), None);
    }
}
