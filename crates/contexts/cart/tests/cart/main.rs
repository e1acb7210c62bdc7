//! Every integration suite of `cart`, in one test binary: one link instead of one per file,
//! which is most of the build time of a test run.

mod carts;
mod checkout;
mod codes;
mod common;
