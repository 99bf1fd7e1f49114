//! Error type shared by the whole crate, so callers (server, CLI) can match on
//! one enum and print one lowercase message.

use thiserror::Error;

/// Everything that can go wrong while writing, reading or verifying the audit
/// log or the API key store.
#[derive(Debug, Error)]
pub enum AuditError {
    /// The underlying SQLite call failed.
    #[error("sqlite error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The underlying PostgreSQL call failed.
    #[error("postgres error: {}", pg_message(.0))]
    Postgres(#[from] postgres::Error),
    /// An idempotency key was sent again with a different request.
    #[error("idempotency key {0:?} was already used for a different request")]
    IdempotencyConflict(String),
    /// Writing an export failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A request/response could not be serialised, or an export line could not be written.
    #[error("json error: {0}")]
    Json(#[from] serde_json::Error),
    /// The database was created by a different (newer or unknown) schema version.
    #[error("unsupported audit schema version {found} (this build supports {expected})")]
    SchemaVersion {
        /// Version found in the database (`PRAGMA user_version`).
        found: i64,
        /// Version this build writes.
        expected: i64,
    },
    /// SQLite refused to switch the database to WAL mode.
    #[error("could not enable wal journal mode (got {0:?})")]
    NotWal(String),
    /// `shutdown()` was called; no further records are accepted.
    #[error("audit writer is shut down; record not written")]
    WriterClosed,
    /// The writer thread exited or died before acknowledging the record.
    /// The record must be treated as NOT durable.
    #[error("audit writer thread is gone; record not acknowledged")]
    WriterGone,
    /// The batch containing this record failed and was rolled back.
    #[error("audit batch write failed and was rolled back: {0}")]
    BatchFailed(String),
    /// No API key with that id or (active) name exists.
    #[error("no api key matches {0:?}")]
    KeyNotFound(String),
    /// An active API key with that name already exists.
    #[error("an active api key named {0:?} already exists")]
    KeyNameTaken(String),
    /// The key name is empty, too long or contains control characters.
    #[error("invalid api key name {0:?}: use 1-64 printable characters")]
    InvalidKeyName(String),
    /// A key's scopes or rate limit are not valid.
    #[error("invalid api key grant: {0}")]
    InvalidScope(String),
    /// The operating system's random number generator failed.
    #[error("random number generator failed: {0}")]
    Random(String),
    /// A signed checkpoint or its key could not be made, read or verified.
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// A helper thread died.
    #[error("internal error: {0}")]
    Internal(String),
    /// Stored data could not be interpreted (e.g. a timestamp or JSON text).
    #[error("corrupt audit data at seq {seq}: {reason}")]
    Corrupt {
        /// Record (or 0 for non-record data) that could not be read.
        seq: i64,
        /// What was wrong with it.
        reason: String,
    },
}

/// The server's own message when there is one (the client's `Display` says only "db error").
fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

/// Crate-wide result alias.
pub type Result<T> = std::result::Result<T, AuditError>;
