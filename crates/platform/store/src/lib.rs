//! Database access for every context, on SQLite or PostgreSQL through one code path.
//!
//! Queries are written once in the SQL both backends accept (`$1` parameters, `RETURNING`,
//! `ON CONFLICT`) and run through [`Db`] (outside a transaction) or [`Tx`] (inside one). Rows
//! decode into one `#[derive(sqlx::FromRow)]` struct for both backends. The [`migrate`] runner
//! applies each context's forward-only migrations; [`outbox`] writes events in the same
//! transaction as the change they announce.

pub mod bulk;
mod db;
mod error;
pub mod idempotency;
pub mod migrate;
pub mod outbox;

pub use db::{Arg, Backend, Db, DbOptions, Query, Row, Sql, Tx};
pub use error::{Error, Result};
pub use migrate::Migration;
pub use sqlx::{AssertSqlSafe, SqlSafeStr};

/// `$from, $from+1, …` for `count` parameters: the list inside `IN (…)`.
pub fn placeholders(from: usize, count: usize) -> String {
    (from..from + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Builds the argument list of a query: `args![email, 42_i64, None::<String>]`.
#[macro_export]
macro_rules! args {
    ($($value:expr),* $(,)?) => { vec![$($crate::Arg::from($value)),*] };
}
