//! Every integration suite of `pricing`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod common;
mod engine_props;
mod price;
mod promotions;
mod redeem;
