//! The notifications suites, on every configured backend, through the real application.

mod account;
mod common;
mod outbox;
mod preferences;
mod providers;
mod push;
mod smtp;
