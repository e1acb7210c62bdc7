//! Every integration suite of `catalog`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod common;
mod images;
mod import;
mod products;
mod reviews;
