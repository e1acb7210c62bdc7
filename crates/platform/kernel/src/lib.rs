//! Shared vocabulary of every Oxcart context: identifiers, time, errors rendered as
//! RFC 9457 problem+json, the JSON body extractor, cursor pagination, the authenticated
//! principal, where the work in hand comes from (origin) and the event envelope. Nothing here
//! does I/O.

pub mod auth;
pub mod body;
pub mod error;
pub mod event;
pub mod geo;
pub mod id;
pub mod json;
pub mod origin;
pub mod page;
pub mod query;
pub mod snapshot;
pub mod time;

pub use error::{Error, ErrorKind, FieldError, Result, Validation};

/// A boxed future, for traits that are used as trait objects across contexts.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
