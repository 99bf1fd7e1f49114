//! `chipgate-audit`: the record-keeping half of chipgate.
//!
//! Exporters must keep records of export decisions for five years
//! (15 CFR part 762). Every decision made through the API (and through the
//! CLI with `--audit DB`) is appended to one SQLite database (or, given a
//! `postgres://` URL, one PostgreSQL database shared by several servers; see
//! `pg`) as a hash-chained, append-only log; the same database holds the API keys.
//!
//! * [`AuditLog`] — open/create the database, synchronous append (CLI), read.
//! * [`AuditWriter`] — group-commit writer thread for the server: many
//!   concurrent submitters, one transaction + one fsync per batch, each
//!   submitter acknowledged only after its record is durable.
//! * [`verify()`] — recompute the chain, report the first bad/missing record.
//! * [`export()`] — JSON Lines export for a date range.
//! * [`KeyStore`] — API keys (`cg_<id>_<secret>`, SHA-256 stored).
//! * [`anchor`] — Ed25519-signed checkpoints of the chain's head, kept outside the
//!   database, so truncation and rewrites before a checkpoint are detected.
//!
//! The database file is created with mode 0600 (it holds key hashes and every request and
//! answer); SQLite gives its `-wal` and `-shm` files the same mode.
//!
//! Schema (version 3, `PRAGMA user_version = 3`; older databases are upgraded on open),
//! WAL, `synchronous=FULL`:
//!
//! ```sql
//! audit_log(seq INTEGER PRIMARY KEY, time TEXT, key_id TEXT NULL, kind TEXT,
//!           request TEXT, response TEXT, rulebook_fingerprint TEXT,
//!           lists_fingerprint TEXT, prev_hash TEXT, hash TEXT,
//!           packed BLOB NULL,  -- v2: request+response, zlib with a dictionary
//!           client_ref TEXT NULL) STRICT  -- v3: the caller's order id / reference
//! audit_dict(id INTEGER PRIMARY KEY, dict BLOB)  -- v2: the dictionaries `packed` uses
//!   -- triggers audit_log_no_update / audit_log_no_delete RAISE(ABORT)
//! audit_head(id = 1, seq, hash)      -- last record, updated per batch
//! api_keys(id TEXT PRIMARY KEY, name, key_hash, created_at, revoked_at NULL, scopes NULL, rate_per_minute NULL)
//! idempotency(key_id, idem_key, request_hash, seq, hash, answer,  -- v3
//!             PRIMARY KEY (key_id, idem_key))
//! ```
//!
//! `hash` = lowercase hex SHA-256 over the canonical encoding (integers
//! big-endian): `str("chipgate-audit/v1") || seq:i64 || str(prev_hash) ||
//! str(time) || opt(key_id) || str(kind) || str(request) || str(response) ||
//! str(rulebook_fingerprint) || str(lists_fingerprint) [|| 0x01 || str(client_ref)]`
//! (the last part only for a record with a client reference), where
//! `str(s) = len:u64 || utf8 bytes` and `opt(None) = 0x00`,
//! `opt(Some(s)) = 0x01 || str(s)`. `prev_hash` of seq 1 is [`GENESIS_HASH`].
//! The request/response are hashed as the exact stored JSON text.
//!
//! Durability: an append is acknowledged (a [`Receipt`] returned) only after
//! the COMMIT of the transaction holding it returned with
//! `synchronous=FULL`; a crash can lose only unacknowledged records, and only
//! whole batches.

pub mod anchor;
mod chain;
mod checkpoint;
mod db;
mod error;
mod export;
mod keys;
mod log;
mod pack;
mod pg;
mod query;
mod record;
mod schema;
mod store;
mod verify;
mod writer;

pub use chain::GENESIS_HASH;
pub use db::{display_db, postgres_url};
pub use error::{AuditError, Result};
pub use export::export;
pub use keys::{KeyInfo, KeyStore, DEFAULT_SCOPES, SCOPES};
pub use log::AuditLog;
pub use query::{query, RecordPage, RecordQuery};
pub use record::{Appended, Idempotency, NewRecord, Receipt, StoredRecord};
pub use schema::SCHEMA_VERSION;
pub use verify::{verify, Problem, ProblemKind, VerifyReport};
pub use writer::AuditWriter;
