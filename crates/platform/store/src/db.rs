use crate::error::{Error, Result};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{ConnectOptions, FromRow, Postgres, SqlSafeStr, Sqlite, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A row type that decodes on both backends; `#[derive(sqlx::FromRow)]` gives it.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// A query argument. Only the types both backends store alike: times are `BIGINT`
/// microseconds, ids and JSON are `TEXT`.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Self::Int(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Self {
        Self::Bool(Some(v))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Text(Some(v))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Self::Text(Some(v.clone()))
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Text(Some(v.to_owned()))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Self::Text(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Self::Text(v.map(str::to_owned))
    }
}
impl From<kernel::time::Timestamp> for Arg {
    fn from(v: kernel::time::Timestamp) -> Self {
        Self::Int(Some(v.as_micros()))
    }
}
impl From<Option<kernel::time::Timestamp>> for Arg {
    fn from(v: Option<kernel::time::Timestamp>) -> Self {
        Self::Int(v.map(|t| t.as_micros()))
    }
}

#[derive(Debug, Clone)]
pub struct DbOptions {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub url: String,
    /// Connections for readers (SQLite) or for everything (PostgreSQL).
    pub max_connections: u32,
    /// PostgreSQL only: the schema to work in (tests use one schema each).
    pub pg_schema: Option<String>,
    /// PostgreSQL only: a read replica for the reads that may lag a little ([`Db::reads`]).
    pub read_url: Option<String>,
    /// The replica's schema when it is not `pg_schema` (tests).
    pub read_pg_schema: Option<String>,
}

impl DbOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), max_connections: 8, pg_schema: None, read_url: None, read_pg_schema: None }
    }
}

enum Pools {
    /// One writer connection, so writers queue in-process instead of failing with
    /// SQLITE_BUSY, and a read-only pool that WAL lets run beside it.
    Sqlite {
        write: SqlitePool,
        read: SqlitePool,
    },
    Postgres(PgPool),
}

struct Inner {
    pools: Pools,
    outbox_signal: Notify,
    /// The read replica's handle, when there is one.
    reads: Option<Db>,
}

/// A handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db(Arc<Inner>);

impl Db {
    pub async fn connect(options: &DbOptions) -> Result<Self> {
        let pools = Self::pools(&options.url, options.max_connections, options.pg_schema.as_ref()).await?;
        let reads = match &options.read_url {
            Some(url) if url.starts_with("postgres:") || url.starts_with("postgresql:") => {
                let schema = options.read_pg_schema.as_ref().or(options.pg_schema.as_ref());
                let pools = Self::pools(url, options.max_connections, schema).await?;
                Some(Self(Arc::new(Inner { pools, outbox_signal: Notify::new(), reads: None })))
            }
            Some(url) => return Err(Error::UnsupportedUrl(redact(url))),
            None => None,
        };
        Ok(Self(Arc::new(Inner { pools, outbox_signal: Notify::new(), reads })))
    }

    /// Where reads that may lag the primary a little go: the read replica when one is
    /// configured, this database otherwise. Writes and reads that must see them stay here.
    pub fn reads(&self) -> Db {
        self.0.reads.clone().unwrap_or_else(|| self.clone())
    }

    async fn pools(url: &str, max_connections: u32, pg_schema: Option<&String>) -> Result<Pools> {
        let pools = if url.starts_with("sqlite:") {
            let base = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
                // Statement logs would print bulk inserts whole; requests are logged and timed instead.
                .disable_statement_logging();
            // An in-process database has no connection to lose: testing one before each use
            // would only cost a round trip to its worker thread per statement.
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .acquire_timeout(Duration::from_secs(10))
                .test_before_acquire(false)
                .connect_with(base.clone())
                .await?;
            let read = SqlitePoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(Duration::from_secs(3))
                .test_before_acquire(false)
                .connect_with(base.read_only(true))
                .await?;
            Pools::Sqlite { write, read }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let mut settings = vec![("statement_timeout", "5s".to_owned()), ("lock_timeout", "2s".to_owned())];
            if let Some(schema) = pg_schema {
                settings.push(("search_path", schema.clone()));
            }
            let connect = PgConnectOptions::from_str(url)?.options(settings).disable_statement_logging();
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(2))
                .acquire_timeout(Duration::from_secs(3))
                .connect_with(connect)
                .await?;
            Pools::Postgres(pool)
        } else {
            return Err(Error::UnsupportedUrl(redact(url)));
        };
        Ok(pools)
    }

    pub fn backend(&self) -> Backend {
        match self.0.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Starts a transaction: the unit of every write that matters.
    pub async fn begin(&self) -> Result<Tx> {
        count_statement();
        let inner = match &self.0.pools {
            Pools::Sqlite { write, .. } => TxInner::Sqlite(write.begin().await?),
            Pools::Postgres(pool) => TxInner::Postgres(pool.begin().await?),
        };
        Ok(Tx { inner, db: self.clone(), wrote_outbox: false })
    }

    /// Runs one statement in its own transaction; returns the rows affected.
    pub async fn execute(&self, sql: impl SqlSafeStr, args: Vec<Arg>) -> Result<u64> {
        count_statement();
        let sql = sql.into_sql_str();
        Ok(match &self.0.pools {
            Pools::Sqlite { write, .. } => bind_sqlite(sqlx::query(sql), args).execute(write).await?.rows_affected(),
            Pools::Postgres(pool) => bind_pg(sqlx::query(sql), args).execute(pool).await?.rows_affected(),
        })
    }

    pub async fn fetch_one<T: Row>(&self, sql: impl SqlSafeStr, args: Vec<Arg>) -> Result<T> {
        count_statement();
        let sql = sql.into_sql_str();
        Ok(match &self.0.pools {
            Pools::Sqlite { read, .. } => bind_sqlite_as(sqlx::query_as(sql), args).fetch_one(read).await?,
            Pools::Postgres(pool) => bind_pg_as(sqlx::query_as(sql), args).fetch_one(pool).await?,
        })
    }

    pub async fn fetch_optional<T: Row>(&self, sql: impl SqlSafeStr, args: Vec<Arg>) -> Result<Option<T>> {
        count_statement();
        let sql = sql.into_sql_str();
        Ok(match &self.0.pools {
            Pools::Sqlite { read, .. } => bind_sqlite_as(sqlx::query_as(sql), args).fetch_optional(read).await?,
            Pools::Postgres(pool) => bind_pg_as(sqlx::query_as(sql), args).fetch_optional(pool).await?,
        })
    }

    pub async fn fetch_all<T: Row>(&self, sql: impl SqlSafeStr, args: Vec<Arg>) -> Result<Vec<T>> {
        count_statement();
        let sql = sql.into_sql_str();
        Ok(match &self.0.pools {
            Pools::Sqlite { read, .. } => bind_sqlite_as(sqlx::query_as(sql), args).fetch_all(read).await?,
            Pools::Postgres(pool) => bind_pg_as(sqlx::query_as(sql), args).fetch_all(pool).await?,
        })
    }

    /// Readiness probe: one round trip to the database (the writer, on SQLite).
    pub async fn ping(&self) -> Result<()> {
        match &self.0.pools {
            Pools::Sqlite { write, .. } => {
                sqlx::query("SELECT 1").execute(write).await?;
            }
            Pools::Postgres(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        };
        Ok(())
    }

    /// Woken after every commit that wrote to the outbox, so the relay need not poll fast.
    pub fn outbox_signal(&self) -> &Notify {
        &self.0.outbox_signal
    }

    pub async fn close(&self) {
        if let Some(reads) = &self.0.reads {
            Box::pin(reads.close()).await;
        }
        match &self.0.pools {
            Pools::Sqlite { write, read } => {
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }

    /// Runs a script of several statements (migrations, test set-up).
    pub async fn execute_script(&self, sql: impl SqlSafeStr) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.execute_script(sql).await?;
        tx.commit().await
    }
}

enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// An open transaction. Dropping it without [`Tx::commit`] rolls it back.
pub struct Tx {
    inner: TxInner,
    db: Db,
    wrote_outbox: bool,
}

impl Tx {
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    pub async fn execute(&mut self, sql: impl SqlSafeStr, args: Vec<Arg>) -> Result<u64> {
        count_statement();
        let sql = sql.into_sql_str();
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => bind_sqlite(sqlx::query(sql), args).execute(&mut **tx).await?.rows_affected(),
            TxInner::Postgres(tx) => bind_pg(sqlx::query(sql), args).execute(&mut **tx).await?.rows_affected(),
        })
    }

    pub async fn fetch_one<T: Row>(&mut self, sql: impl SqlSafeStr, args: Vec<Arg>) -> Result<T> {
        count_statement();
        let sql = sql.into_sql_str();
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => bind_sqlite_as(sqlx::query_as(sql), args).fetch_one(&mut **tx).await?,
            TxInner::Postgres(tx) => bind_pg_as(sqlx::query_as(sql), args).fetch_one(&mut **tx).await?,
        })
    }

    pub async fn fetch_optional<T: Row>(&mut self, sql: impl SqlSafeStr, args: Vec<Arg>) -> Result<Option<T>> {
        count_statement();
        let sql = sql.into_sql_str();
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => bind_sqlite_as(sqlx::query_as(sql), args).fetch_optional(&mut **tx).await?,
            TxInner::Postgres(tx) => bind_pg_as(sqlx::query_as(sql), args).fetch_optional(&mut **tx).await?,
        })
    }

    pub async fn fetch_all<T: Row>(&mut self, sql: impl SqlSafeStr, args: Vec<Arg>) -> Result<Vec<T>> {
        count_statement();
        let sql = sql.into_sql_str();
        Ok(match &mut self.inner {
            TxInner::Sqlite(tx) => bind_sqlite_as(sqlx::query_as(sql), args).fetch_all(&mut **tx).await?,
            TxInner::Postgres(tx) => bind_pg_as(sqlx::query_as(sql), args).fetch_all(&mut **tx).await?,
        })
    }

    pub async fn execute_script(&mut self, sql: impl SqlSafeStr) -> Result<()> {
        match &mut self.inner {
            TxInner::Sqlite(tx) => {
                sqlx::raw_sql(sql).execute(&mut **tx).await?;
            }
            TxInner::Postgres(tx) => {
                sqlx::raw_sql(sql).execute(&mut **tx).await?;
            }
        };
        Ok(())
    }

    pub(crate) fn mark_outbox_written(&mut self) {
        self.wrote_outbox = true;
    }

    pub async fn commit(self) -> Result<()> {
        count_statement();
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        if self.wrote_outbox {
            self.db.outbox_signal().notify_one();
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<()> {
        count_statement();
        match self.inner {
            TxInner::Sqlite(tx) => tx.rollback().await?,
            TxInner::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }
}

type SqliteQuery = sqlx::query::Query<'static, Sqlite, sqlx::sqlite::SqliteArguments>;
type PgQuery = sqlx::query::Query<'static, Postgres, sqlx::postgres::PgArguments>;
type SqliteQueryAs<T> = sqlx::query::QueryAs<'static, Sqlite, T, sqlx::sqlite::SqliteArguments>;
type PgQueryAs<T> = sqlx::query::QueryAs<'static, Postgres, T, sqlx::postgres::PgArguments>;

/// Binds arguments in order. One macro so the four binders cannot drift apart.
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for arg in $args {
            q = match arg {
                Arg::Int(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::Bool(v) => q.bind(v),
            };
        }
        q
    }};
}

fn bind_sqlite(q: SqliteQuery, args: Vec<Arg>) -> SqliteQuery {
    bind_all!(q, args)
}
fn bind_pg(q: PgQuery, args: Vec<Arg>) -> PgQuery {
    bind_all!(q, args)
}
fn bind_sqlite_as<T>(q: SqliteQueryAs<T>, args: Vec<Arg>) -> SqliteQueryAs<T> {
    bind_all!(q, args)
}
fn bind_pg_as<T>(q: PgQueryAs<T>, args: Vec<Arg>) -> PgQueryAs<T> {
    bind_all!(q, args)
}

/// Statements sent (BEGIN and COMMIT included), for `/metrics`: what a request costs is mostly
/// how many round trips to the database it makes.
fn count_statement() {
    metrics::counter!("oxcart_db_statements_total").increment(1);
}

/// The url without its password, for error messages and logs.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// A statement for [`Query`]: a literal, or text built at run time and asserted safe.
pub struct Sql(SqlText);

enum SqlText {
    Static(&'static str),
    Owned(String),
}

impl From<&'static str> for Sql {
    fn from(s: &'static str) -> Self {
        Self(SqlText::Static(s))
    }
}

impl From<sqlx::AssertSqlSafe<String>> for Sql {
    fn from(s: sqlx::AssertSqlSafe<String>) -> Self {
        Self(SqlText::Owned(s.0))
    }
}

impl Sql {
    fn run<R>(self, f: impl FnOnce(sqlx::SqlStr) -> R) -> R {
        match self.0 {
            SqlText::Static(s) => f(s.into_sql_str()),
            SqlText::Owned(s) => f(sqlx::AssertSqlSafe(s).into_sql_str()),
        }
    }
}

/// The query methods of [`Db`] and [`Tx`], so that a read is written once and runs inside or
/// outside a transaction. The statement is a concrete [`Sql`] rather than a generic, so that
/// futures built on it stay `Send` for every caller.
pub trait Query: Send {
    fn execute(&mut self, sql: Sql, args: Vec<Arg>) -> impl Future<Output = Result<u64>> + Send;
    fn fetch_one<T: Row>(&mut self, sql: Sql, args: Vec<Arg>) -> impl Future<Output = Result<T>> + Send;
    fn fetch_optional<T: Row>(&mut self, sql: Sql, args: Vec<Arg>) -> impl Future<Output = Result<Option<T>>> + Send;
    fn fetch_all<T: Row>(&mut self, sql: Sql, args: Vec<Arg>) -> impl Future<Output = Result<Vec<T>>> + Send;
}

impl Query for Db {
    async fn execute(&mut self, sql: Sql, args: Vec<Arg>) -> Result<u64> {
        sql.run(|s| Db::execute(self, s, args)).await
    }
    async fn fetch_one<T: Row>(&mut self, sql: Sql, args: Vec<Arg>) -> Result<T> {
        sql.run(|s| Db::fetch_one(self, s, args)).await
    }
    async fn fetch_optional<T: Row>(&mut self, sql: Sql, args: Vec<Arg>) -> Result<Option<T>> {
        sql.run(|s| Db::fetch_optional(self, s, args)).await
    }
    async fn fetch_all<T: Row>(&mut self, sql: Sql, args: Vec<Arg>) -> Result<Vec<T>> {
        sql.run(|s| Db::fetch_all(self, s, args)).await
    }
}

impl Query for Tx {
    async fn execute(&mut self, sql: Sql, args: Vec<Arg>) -> Result<u64> {
        sql.run(|s| Tx::execute(self, s, args)).await
    }
    async fn fetch_one<T: Row>(&mut self, sql: Sql, args: Vec<Arg>) -> Result<T> {
        sql.run(|s| Tx::fetch_one(self, s, args)).await
    }
    async fn fetch_optional<T: Row>(&mut self, sql: Sql, args: Vec<Arg>) -> Result<Option<T>> {
        sql.run(|s| Tx::fetch_optional(self, s, args)).await
    }
    async fn fetch_all<T: Row>(&mut self, sql: Sql, args: Vec<Arg>) -> Result<Vec<T>> {
        sql.run(|s| Tx::fetch_all(self, s, args)).await
    }
}
