//! Every integration suite of `payments`, in one test binary.

mod common;
mod flows;
mod http;
mod refunds;
