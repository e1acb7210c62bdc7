//! Product search for Oxcart: an embedded full-text index of what customers may see, fed from
//! the catalog and queried by the storefront.

pub mod api;
pub mod index;

pub use index::{
    Facets, Hit, IndexError, MAX_RESULT_WINDOW, MAX_SUGGESTIONS, PriceBucket, ProductDoc, SearchIndex, SearchQuery,
    SearchResult, Sort, Suggestion,
};

mod dto;
mod feed;
mod http;
mod service;
mod store;

pub use dto::{
    FacetValue, FacetsDto, PriceFacet, ProductHit, RatingFacet, SearchPage, SearchParams, SuggestParams, SuggestionDto,
};
pub use feed::SearchFeed;
pub use http::router;
pub use service::SearchService;

pub const MIGRATIONS: &[::store::Migration] = &[
    ::store::Migration {
        context: "search",
        version: 1,
        name: "search",
        sql: include_str!("../migrations/0001_search.sql"),
        postgres: None,
    },
    ::store::Migration {
        context: "search",
        version: 2,
        name: "replicas",
        sql: include_str!("../migrations/0002_replicas.sql"),
        postgres: None,
    },
];

/// The search context for the application: the routes and the consumer that queues changed
/// products, around a service the application opened on its index directory.
pub fn module(search: std::sync::Arc<SearchService>) -> module::Module {
    module::Module::new("search", MIGRATIONS, router(search.clone()))
        .errors(api::ERRORS)
        .handler(std::sync::Arc::new(SearchFeed(search)))
}
