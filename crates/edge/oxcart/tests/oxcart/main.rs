//! Every integration suite of `oxcart`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod backends;
mod bad_input;
mod cli;
mod codes;
mod crash;
mod idempotency;
mod platform;
mod route_walk;
mod schema;
