//! `AuditLog`: the single-connection handle for opening the database,
//! appending synchronously (CLI `--audit DB`), reading records back, and
//! turning itself into the group-commit [`AuditWriter`] for the server.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use crate::db::Conn;
use crate::error::Result;
use crate::record::{Appended, NewRecord, Receipt, StoredRecord};
use crate::verify::VerifyReport;
use crate::writer::AuditWriter;

/// An open audit database (one SQLite or PostgreSQL connection, not `Sync`).
#[derive(Debug)]
pub struct AuditLog {
    /// Reads need `&mut` on PostgreSQL (a client is `&mut` for every query); the log
    /// itself is not `Sync`, so a cell keeps the `&self` reading methods.
    conn: std::cell::RefCell<Conn>,
    path: PathBuf,
}

pub(crate) const SELECT_RECORD: &str = "SELECT seq, time, key_id, kind, request, response, \
     rulebook_fingerprint, lists_fingerprint, prev_hash, hash, packed, client_ref \
     FROM audit_log";

/// A stored row as a record, with a packed request and response unpacked.
pub(crate) fn row_to_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRecord> {
    let (request, response) = match r.get::<_, Option<Vec<u8>>>(10)? {
        Some(p) => crate::pack::unpack(&p).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(10, rusqlite::types::Type::Blob, Box::new(e))
        })?,
        None => (r.get(4)?, r.get(5)?),
    };
    Ok(StoredRecord {
        seq: r.get(0)?,
        time: r.get(1)?,
        key_id: r.get(2)?,
        kind: r.get(3)?,
        request,
        response,
        rulebook_fingerprint: r.get(6)?,
        lists_fingerprint: r.get(7)?,
        client_ref: r.get(11)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

impl AuditLog {
    /// Open (creating if needed) the audit database at `path`: for a file, WAL,
    /// `synchronous=FULL`, schema version checked/created; a `postgres://` URL connects to
    /// PostgreSQL and creates the schema there if it has none.
    pub fn open(path: impl AsRef<Path>) -> Result<AuditLog> {
        let path = path.as_ref().to_path_buf();
        let conn = Conn::open_rw(&path)?;
        Ok(AuditLog {
            conn: std::cell::RefCell::new(conn),
            path,
        })
    }

    /// Path of the database file (or the PostgreSQL URL).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record in its own transaction and return once it is
    /// durable. Extends the chain from the current head, even if another
    /// process appended meanwhile.
    pub fn append(&mut self, rec: NewRecord) -> Result<Receipt> {
        Ok(self.append_once(rec)?.receipt)
    }

    /// Like [`AuditLog::append`], and tells whether the record's idempotency key (if any)
    /// had been used before, in which case nothing was appended.
    pub fn append_once(&mut self, rec: NewRecord) -> Result<Appended> {
        let prepared = rec.prepare()?;
        let mut results = crate::store::append(self.conn.get_mut(), &[&prepared])?;
        results.pop().ok_or(crate::error::AuditError::BatchFailed(
            "no receipt returned".into(),
        ))?
    }

    /// The newest record's receipt, `None` if the log is empty.
    pub fn head(&self) -> Result<Option<Receipt>> {
        let (seq, hash) = match &mut *self.conn.borrow_mut() {
            Conn::Sqlite(c) => crate::store::last_link(c)?,
            Conn::Pg(c) => c.last_link()?,
        };
        Ok((seq > 0).then_some(Receipt { seq, hash }))
    }

    /// Number of records stored.
    pub fn len(&self) -> Result<u64> {
        match &mut *self.conn.borrow_mut() {
            Conn::Sqlite(c) => {
                let n: i64 = c.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
                Ok(u64::try_from(n).unwrap_or(0))
            }
            Conn::Pg(c) => c.len(),
        }
    }

    /// Whether the log has no records.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Read one record by sequence number.
    pub fn get(&self, seq: i64) -> Result<Option<StoredRecord>> {
        match &mut *self.conn.borrow_mut() {
            Conn::Sqlite(c) => {
                let sql = format!("{SELECT_RECORD} WHERE seq = ?1");
                Ok(c.query_row(&sql, [seq], row_to_record).optional()?)
            }
            Conn::Pg(c) => c.get(seq),
        }
    }

    /// Recompute and check the whole chain (see [`crate::verify`]).
    pub fn verify(&self) -> Result<VerifyReport> {
        crate::verify::verify_db(&mut self.conn.borrow_mut())
    }

    /// Write records whose UTC date is within `[from, to]` (inclusive, either
    /// end optional) as JSON Lines; returns the number of lines written.
    pub fn export<W: Write>(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        out: &mut W,
    ) -> Result<u64> {
        match &mut *self.conn.borrow_mut() {
            Conn::Sqlite(c) => crate::export::export_conn(c, from, to, out),
            Conn::Pg(_) => crate::export::export(&self.path, from, to, out),
        }
    }

    /// Hand the connection to a dedicated group-commit writer thread.
    pub fn into_writer(self) -> Result<AuditWriter> {
        AuditWriter::start(self.conn.into_inner(), &self.path)
    }
}
