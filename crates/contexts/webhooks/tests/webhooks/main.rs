//! Every integration suite of `webhooks`, in one test binary: one link instead of one per
//! file, which is most of the build time of a test run.

mod access;
mod common;
mod delivery;
mod endpoints;
mod outbound;
mod sellers;
mod ssrf;
