use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("unsupported database url `{0}`: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error(
        "migration {context}/{version} ({name}) was changed after it was applied; migrations are forward-only, add a new one"
    )]
    MigrationEdited { context: String, version: i64, name: String },
    #[error("migration {context}/{version} ({name}) failed: {source}")]
    MigrationFailed { context: String, version: i64, name: String, source: sqlx::Error },
    #[error("event payload could not be encoded: {0}")]
    Encode(#[from] serde_json::Error),
}

impl Error {
    /// True when the statement broke a UNIQUE constraint (a duplicate e-mail, a reused key…).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

impl From<Error> for kernel::Error {
    fn from(e: Error) -> Self {
        match &e {
            Error::Sqlx(sqlx::Error::PoolTimedOut) => {
                let mut err = kernel::Error::new(
                    kernel::ErrorKind::Unavailable,
                    "database_busy",
                    "The database is busy; retry shortly.",
                );
                err.retry_after_secs = Some(1);
                err.source = Some(Box::new(e));
                err
            }
            // A race on a unique key that the caller's own check did not catch (two requests
            // inserting the same thing at once): the loser is told to retry, never a 500.
            _ if e.is_unique_violation() => {
                tracing::warn!(error = %e, "unique key race answered 409");
                let mut err = kernel::Error::conflict(
                    "concurrent_change",
                    "Another request changed the same thing at the same moment; retry.",
                );
                err.source = Some(Box::new(e));
                err
            }
            _ => kernel::Error::internal(e),
        }
    }
}
