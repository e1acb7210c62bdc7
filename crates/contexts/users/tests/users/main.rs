//! Every integration suite of `users`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod account;
mod admin;
mod auth;
mod reset;
