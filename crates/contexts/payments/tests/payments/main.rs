//! Every integration suite of `payments`, in one test binary.

mod common;
mod fake_stripe;
mod flows;
mod http;
mod refunds;
mod stripe;
mod webhooks;
