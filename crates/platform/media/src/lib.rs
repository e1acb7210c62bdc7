//! Product media: checking uploaded pictures by their content, making JPEG thumbnails, and
//! storing the results in an object store: local disk by default, an S3-compatible bucket when
//! `media.s3.*` is set.
//!
//! The image functions are synchronous and CPU-heavy; run them on a blocking thread.

pub mod image;
pub mod s3;
pub mod store;

pub use crate::image::{Format, ImageError, ImageInfo, Limits, inspect, placeholder, thumbnail};
pub use crate::s3::{S3Settings, S3Store};
pub use crate::store::{LocalStore, Object, ObjectStore, StoreError};
