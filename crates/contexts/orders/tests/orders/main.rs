//! The orders suites, on every configured backend, through the real application.

mod bad_input;
mod cancel;
mod checkout;
mod common;
mod compensations;
mod concurrency;
mod fulfilment;
mod idempotency;
mod live;
mod returns;
mod states;
