//! Every integration suite of `tax`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod quotes;
mod rounding;
mod rules;
