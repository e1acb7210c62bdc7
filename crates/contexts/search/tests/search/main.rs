//! Every integration suite of `search`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod api;
mod common;
mod index;
mod perf;
mod persistence;
mod queries;
