//! Opening the SQLite database: durability pragmas (WAL, `synchronous=FULL`)
//! and the versioned schema (audit table with append-only triggers, head row,
//! API key table). Kept in one place so every connection is configured alike.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{AuditError, Result};

/// Schema version stored in `PRAGMA user_version`. Version 2 added the `packed` column and
/// the `audit_dict` table (see `pack`); version 3 the `client_ref` column and the
/// `idempotency` table; version 4 the keys' `scopes` and `rate_per_minute`. Older databases
/// are upgraded when opened.
pub const SCHEMA_VERSION: i64 = 4;

/// From version 1 to 2 (additive: old records keep their text columns).
const MIGRATE_2_SQL: &str = "
ALTER TABLE audit_log ADD COLUMN packed BLOB;
CREATE TABLE audit_dict (
    id   INTEGER PRIMARY KEY,
    dict BLOB NOT NULL
) STRICT;
";

/// From version 2 to 3 (additive: old records have no client reference). An idempotency
/// row points at the record its first request made, and holds the answer a retry gets.
const MIGRATE_3_SQL: &str = "
ALTER TABLE audit_log ADD COLUMN client_ref TEXT;
CREATE INDEX audit_log_client_ref ON audit_log(client_ref) WHERE client_ref IS NOT NULL;
CREATE TABLE idempotency (
    key_id       TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    seq          INTEGER NOT NULL REFERENCES audit_log(seq),
    hash         TEXT NOT NULL,
    answer       BLOB NOT NULL,
    PRIMARY KEY (key_id, idem_key)
) STRICT;
";

/// From version 3 to 4 (additive: a key without `scopes` predates them and keeps every
/// scope; no `rate_per_minute` means no rate limit).
pub(crate) const MIGRATE_4_SQL: &str = "
ALTER TABLE api_keys ADD COLUMN scopes TEXT;
ALTER TABLE api_keys ADD COLUMN rate_per_minute INTEGER;
";

/// Brings a version 0 (new), 1, 2, 3 or 4 database to version 4 inside `tx`.
fn upgrade(tx: &rusqlite::Transaction<'_>, version: i64) -> Result<()> {
    if version == 0 {
        tx.execute_batch(SCHEMA_SQL)?;
    }
    if version < 2 {
        tx.execute_batch(MIGRATE_2_SQL)?;
        tx.execute(
            "INSERT INTO audit_dict (id, dict) VALUES (?1, ?2)",
            rusqlite::params![i64::from(crate::pack::CURRENT), crate::pack::DICT1],
        )?;
    }
    if version < 3 {
        tx.execute_batch(MIGRATE_3_SQL)?;
    }
    if version < 4 {
        tx.execute_batch(MIGRATE_4_SQL)?;
        tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION};"))?;
    }
    Ok(())
}

/// How long a connection waits for another connection's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The complete schema (version 1). Documented in the crate root.
pub const SCHEMA_SQL: &str = "
CREATE TABLE audit_log (
    seq                  INTEGER PRIMARY KEY,
    time                 TEXT NOT NULL,
    key_id               TEXT,
    kind                 TEXT NOT NULL,
    request              TEXT NOT NULL,
    response             TEXT NOT NULL,
    rulebook_fingerprint TEXT NOT NULL,
    lists_fingerprint    TEXT NOT NULL,
    prev_hash            TEXT NOT NULL,
    hash                 TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_time ON audit_log(time);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
CREATE UNIQUE INDEX api_keys_active_name ON api_keys(name) WHERE revoked_at IS NULL;
";

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(AuditError::NotWal(mode));
    }
    conn.execute_batch("PRAGMA synchronous=FULL;")?;
    Ok(())
}

/// Creates the database file, if it does not exist yet, readable by its owner only (0600):
/// it holds API key hashes and every request and answer. SQLite creates the `-wal` and
/// `-shm` files with the database file's mode.
fn create_private(path: &Path) -> Result<()> {
    if path.exists() || path.as_os_str() == ":memory:" {
        return Ok(());
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    match opts.open(path) {
        Ok(_) => Ok(()),
        // Another process created it first: fine.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Open (creating if needed) the database at `path`, configure WAL +
/// `synchronous=FULL`, and create or check the schema.
pub(crate) fn open_rw(path: &Path) -> Result<Connection> {
    create_private(path)?;
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if !(0..=SCHEMA_VERSION).contains(&version) {
        return Err(AuditError::SchemaVersion {
            found: version,
            expected: SCHEMA_VERSION,
        });
    }
    upgrade(&tx, version)?;
    tx.commit()?;
    Ok(conn)
}

/// Open an existing database without creating it (used by `verify`/`export`).
/// It is opened read-write only so that SQLite can recover a WAL left behind
/// by a crashed writer; nothing is written.
pub(crate) fn open_existing(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if (1..SCHEMA_VERSION).contains(&version) {
        // The additive upgrades (no record is touched).
        let mut conn = conn;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        upgrade(&tx, version)?;
        tx.commit()?;
        return Ok(conn);
    }
    if version != SCHEMA_VERSION {
        return Err(AuditError::SchemaVersion {
            found: version,
            expected: SCHEMA_VERSION,
        });
    }
    Ok(conn)
}
