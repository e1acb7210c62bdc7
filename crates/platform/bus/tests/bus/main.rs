//! Every integration suite of `bus`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod broker;
mod common;
mod delivery;
