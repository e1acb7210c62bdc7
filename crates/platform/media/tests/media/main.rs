//! Every integration suite of `media`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod backends;
mod common;
mod inspect;
mod store;
mod thumbnail;
