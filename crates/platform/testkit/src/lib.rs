//! Test harness: fresh databases on every configured backend, and the real application served
//! from its real router.
//!
//! Suites loop over [`backends()`]: SQLite always, PostgreSQL too when
//! `OXCART_TEST_DATABASE_URL` is set (CI sets it). Nothing here mocks our own storage.

pub mod app;
pub mod localstripe;
pub mod s3;

pub use app::{TestApp, TestResponse, expect};
pub use testdb::{TestBackend, TestDb, backends, backends_with_redis};
