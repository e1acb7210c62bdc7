//! Every integration suite of `payments`, in one test binary.

mod common;
mod flows;
mod http;
mod paypal;
mod refunds;
mod scripted;
mod stripe;
mod webhooks;
