//! `AuditLog`: the single-connection handle for opening the database,
//! appending synchronously (CLI `--audit DB`), reading records back, and
//! turning itself into the group-commit [`AuditWriter`] for the server.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;
use crate::record::{NewRecord, Receipt, StoredRecord};
use crate::verify::VerifyReport;
use crate::writer::AuditWriter;

/// An open audit database (one SQLite connection, not `Sync`).
#[derive(Debug)]
pub struct AuditLog {
    conn: Connection,
    path: PathBuf,
}

pub(crate) const SELECT_RECORD: &str = "SELECT seq, time, key_id, kind, request, response, \
     rulebook_fingerprint, lists_fingerprint, prev_hash, hash, packed FROM audit_log";

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
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

impl AuditLog {
    /// Open (creating if needed) the audit database at `path`: WAL,
    /// `synchronous=FULL`, schema version checked/created.
    pub fn open(path: impl AsRef<Path>) -> Result<AuditLog> {
        let path = path.as_ref().to_path_buf();
        let conn = crate::schema::open_rw(&path)?;
        Ok(AuditLog { conn, path })
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record in its own transaction and return once durable.
    /// Fine for the CLI; the server should use [`AuditWriter`].
    pub fn append(&mut self, rec: NewRecord) -> Result<Receipt> {
        let prepared = rec.prepare()?;
        let mut receipts = crate::store::append_batch(&mut self.conn, std::iter::once(&prepared))?;
        receipts.pop().ok_or(crate::error::AuditError::BatchFailed(
            "no receipt returned".into(),
        ))
    }

    /// The newest record's receipt, `None` if the log is empty.
    pub fn head(&self) -> Result<Option<Receipt>> {
        let (seq, hash) = crate::store::last_link(&self.conn)?;
        Ok((seq > 0).then_some(Receipt { seq, hash }))
    }

    /// Number of records stored.
    pub fn len(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Whether the log has no records.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Read one record by sequence number.
    pub fn get(&self, seq: i64) -> Result<Option<StoredRecord>> {
        let sql = format!("{SELECT_RECORD} WHERE seq = ?1");
        Ok(self.conn.query_row(&sql, [seq], row_to_record).optional()?)
    }

    /// Recompute and check the whole chain (see [`crate::verify`]).
    pub fn verify(&self) -> Result<VerifyReport> {
        crate::verify::verify_conn(&self.conn)
    }

    /// Write records whose UTC date is within `[from, to]` (inclusive, either
    /// end optional) as JSON Lines; returns the number of lines written.
    pub fn export<W: Write>(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        out: &mut W,
    ) -> Result<u64> {
        crate::export::export_conn(&self.conn, from, to, out)
    }

    /// Hand the connection to a dedicated group-commit writer thread.
    pub fn into_writer(self) -> Result<AuditWriter> {
        AuditWriter::start(self.conn, &self.path)
    }
}
