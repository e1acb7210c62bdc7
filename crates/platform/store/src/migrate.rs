//! Forward-only migrations, owned per context.
//!
//! Each context lists its migrations in a `MIGRATIONS` constant, with SQL embedded from its own
//! `migrations/` folder. One SQL text serves both backends where it can; a context gives a
//! PostgreSQL variant only where the dialects differ. A checksum of what was applied is kept, so
//! a migration edited after it landed stops start-up instead of drifting silently.

use crate::db::{Backend, Db};
use crate::error::{Error, Result};
use kernel::time::Timestamp;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub context: &'static str,
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    /// PostgreSQL's text, when it must differ from `sql`.
    pub postgres: Option<&'static str>,
}

impl Migration {
    pub fn sql_for(&self, backend: Backend) -> &'static str {
        match (backend, self.postgres) {
            (Backend::Postgres, Some(pg)) => pg,
            _ => self.sql,
        }
    }
}

/// Arbitrary key of the PostgreSQL advisory lock that serialises replicas migrating at once.
const MIGRATION_LOCK: i64 = 0x6f78_6361_7274;

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS store_migrations (
    context    TEXT NOT NULL,
    version    BIGINT NOT NULL,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    PRIMARY KEY (context, version)
)";

/// Applies every migration not yet applied, in order; returns how many were applied.
pub async fn run(db: &Db, migrations: &[Migration]) -> Result<usize> {
    db.execute_script(CREATE_TABLE).await?;
    let mut applied = 0;
    for m in migrations {
        let sql = m.sql_for(db.backend());
        let checksum = hex(&Sha256::digest(sql.as_bytes()));
        let mut tx = db.begin().await?;
        if db.backend() == Backend::Postgres {
            tx.execute("SELECT pg_advisory_xact_lock($1)", crate::args![MIGRATION_LOCK]).await?;
            tx.execute("SET LOCAL statement_timeout = 0", vec![]).await?;
        }
        let existing: Option<(String,)> = tx
            .fetch_optional(
                "SELECT checksum FROM store_migrations WHERE context = $1 AND version = $2",
                crate::args![m.context, m.version],
            )
            .await?;
        match existing {
            Some((c,)) if c == checksum => continue,
            Some(_) => {
                return Err(Error::MigrationEdited {
                    context: m.context.into(),
                    version: m.version,
                    name: m.name.into(),
                });
            }
            None => {}
        }
        tx.execute_script(sqlx::AssertSqlSafe(sql)).await.map_err(|e| match e {
            Error::Sqlx(source) => {
                Error::MigrationFailed { context: m.context.into(), version: m.version, name: m.name.into(), source }
            }
            other => other,
        })?;
        tx.execute(
            "INSERT INTO store_migrations (context, version, name, checksum, applied_at) VALUES ($1, $2, $3, $4, $5)",
            crate::args![m.context, m.version, m.name, checksum, Timestamp::now()],
        )
        .await?;
        tx.commit().await?;
        tracing::info!(context = m.context, version = m.version, name = m.name, "migration applied");
        applied += 1;
    }
    Ok(applied)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
