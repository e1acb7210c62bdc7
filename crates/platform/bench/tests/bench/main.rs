//! Every integration suite of `bench`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod load;
mod support;
