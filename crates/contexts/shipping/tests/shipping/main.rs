//! Every integration suite of `shipping`, in one test binary: one link instead of one per
//! file, which is most of the build time of a test run.

mod common;
mod domain;
mod labels;
mod quotes;
mod tracking;
mod zones;
