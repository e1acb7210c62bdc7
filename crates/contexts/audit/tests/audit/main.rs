//! Every integration suite of `audit`, in one test binary.

mod access;
mod chain;
mod common;
mod record;
