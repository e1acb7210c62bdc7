//! Product media: checking uploaded pictures by their content, making JPEG thumbnails, and
//! storing the results in an object store (local disk now, S3-compatible later).
//!
//! The image functions are synchronous and CPU-heavy; run them on a blocking thread.

pub mod image;
pub mod store;

pub use crate::image::{Format, ImageError, ImageInfo, Limits, inspect, placeholder, thumbnail};
pub use crate::store::{LocalStore, Object, ObjectStore, StoreError};
