//! Fresh databases for tests on every configured backend: SQLite always, PostgreSQL too when
//! `OXCART_TEST_DATABASE_URL` is set (CI sets it). Kept apart from `testkit` so that the
//! platform's own suites (`store`, `bus`) build without the whole application.

use std::sync::Once;
use store::{Db, DbOptions, Migration};

/// A backend the suites run against.
#[derive(Debug, Clone)]
pub enum TestBackend {
    Sqlite,
    /// A PostgreSQL server url; each test works in a schema of its own there.
    Postgres(String),
    /// SQLite with a Redis server (url) for the cache, carts and counters; each test has a key
    /// prefix of its own there.
    SqliteRedis(String),
}

static SKIP_NOTE: Once = Once::new();

/// SQLite, plus PostgreSQL when `OXCART_TEST_DATABASE_URL` is set.
pub fn backends() -> Vec<TestBackend> {
    let mut list = vec![TestBackend::Sqlite];
    match std::env::var("OXCART_TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => list.push(TestBackend::Postgres(url)),
        _ => {
            SKIP_NOTE.call_once(|| eprintln!("note: OXCART_TEST_DATABASE_URL is not set; PostgreSQL runs are skipped"))
        }
    }
    list
}

static REDIS_SKIP_NOTE: Once = Once::new();

/// [`backends()`], plus SQLite with Redis when `OXCART_TEST_REDIS_URL` is set (CI sets it): for
/// the suites of what Redis can hold.
pub fn backends_with_redis() -> Vec<TestBackend> {
    let mut list = backends();
    match std::env::var("OXCART_TEST_REDIS_URL") {
        Ok(url) if !url.trim().is_empty() => list.push(TestBackend::SqliteRedis(url)),
        _ => REDIS_SKIP_NOTE.call_once(|| eprintln!("note: OXCART_TEST_REDIS_URL is not set; Redis runs are skipped")),
    }
    list
}

impl TestBackend {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres(_) => "postgres",
            Self::SqliteRedis(_) => "sqlite+redis",
        }
    }

    /// The Redis server of this backend, if it has one.
    pub fn redis_url(&self) -> Option<&str> {
        match self {
            Self::SqliteRedis(url) => Some(url),
            _ => None,
        }
    }

    /// A new, empty database with `migrations` applied.
    pub async fn fresh(&self, migrations: &[Migration]) -> TestDb {
        let (options, dir, pg) = match self {
            Self::Sqlite | Self::SqliteRedis(_) => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("oxcart.db").display());
                (DbOptions::new(url), Some(dir), None)
            }
            Self::Postgres(url) => {
                let schema = format!("t_{}", kernel::id::new_id("s").to_ascii_lowercase().replace('_', ""));
                let admin =
                    Db::connect(&DbOptions::new(url.clone())).await.expect("connect to OXCART_TEST_DATABASE_URL");
                admin
                    .execute_script(store::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .await
                    .expect("create test schema");
                admin.close().await;
                let mut options = DbOptions::new(url.clone());
                options.pg_schema = Some(schema.clone());
                (options, None, Some((url.clone(), schema)))
            }
        };
        let db = Db::connect(&options).await.expect("connect test database");
        store::migrate::run(&db, migrations).await.expect("migrations apply");
        TestDb { db, options, _dir: dir, pg }
    }
}

/// A database that lives as long as the test: its file or schema goes when this is dropped.
pub struct TestDb {
    pub db: Db,
    pub options: DbOptions,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A second, independent connection to the same database, as a restarted process gets.
    pub async fn reopen(&self) -> Db {
        Db::connect(&self.options).await.expect("reconnect test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((url, schema)) = self.pg.take() else { return };
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                if let Ok(db) = Db::connect(&DbOptions::new(url)).await {
                    let _ = db
                        .execute_script(store::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")))
                        .await;
                    db.close().await;
                }
            });
        })
        .join();
    }
}
