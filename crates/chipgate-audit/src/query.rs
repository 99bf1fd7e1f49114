//! Paged reads of the audit log for the API (`GET /v1/audit/records`): records by sequence
//! range, UTC date range and client reference, in sequence order, at most a page at a time,
//! each page ending with the sequence to continue after. Same JSON lines as [`crate::export`].

use chrono::NaiveDate;
use rusqlite::params;

use crate::error::Result;

/// Which records to read.
#[derive(Debug, Clone, Default)]
pub struct RecordQuery {
    /// Only records after this sequence number (paging: the previous page's `next_after`).
    pub after_seq: Option<i64>,
    /// Only records up to this sequence number (inclusive).
    pub to_seq: Option<i64>,
    /// Only records on or after this UTC date.
    pub from_date: Option<NaiveDate>,
    /// Only records on or before this UTC date.
    pub to_date: Option<NaiveDate>,
    /// Only records with this client reference (`client_ref`, else `order_id`).
    pub client_ref: Option<String>,
    /// Most records returned (1–1,000).
    pub limit: usize,
}

/// A page of records as JSON lines, and where the next page starts.
#[derive(Debug, Clone)]
pub struct RecordPage {
    /// One export line per record.
    pub lines: Vec<serde_json::Value>,
    /// The last sequence number returned, when the page is full (more may follow).
    pub next_after: Option<i64>,
}

/// Reads one page from the database at `path` (a file or a `postgres://` URL).
pub fn query(path: impl AsRef<std::path::Path>, q: &RecordQuery) -> Result<RecordPage> {
    let limit = q.limit.clamp(1, 1000);
    let (lo, hi) = crate::export::bounds(q.from_date, q.to_date);
    let after = q.after_seq.unwrap_or(0);
    let to_seq = q.to_seq.unwrap_or(i64::MAX);
    let mut records = Vec::new();
    match crate::db::Conn::open_existing(path.as_ref())? {
        crate::db::Conn::Sqlite(conn) => {
            let sql = format!(
                "{} WHERE seq > ?1 AND seq <= ?2 AND (?3 IS NULL OR time >= ?3) \
                 AND (?4 IS NULL OR time < ?4) AND (?5 IS NULL OR client_ref = ?5) \
                 ORDER BY seq LIMIT ?6",
                crate::log::SELECT_RECORD
            );
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query(params![
                after,
                to_seq,
                lo,
                hi,
                q.client_ref,
                i64::try_from(limit).unwrap_or(1000)
            ])?;
            while let Some(row) = rows.next()? {
                records.push(crate::log::row_to_record(row)?);
            }
        }
        crate::db::Conn::Pg(mut conn) => {
            records = conn.page(
                after,
                to_seq,
                lo.as_deref(),
                hi.as_deref(),
                q.client_ref.as_deref(),
                limit,
            )?;
        }
    }
    let mut lines = Vec::with_capacity(records.len());
    let mut buf = Vec::new();
    for r in &records {
        crate::export::write_line(r, &mut buf, &mut std::io::sink())?;
        lines.push(serde_json::from_slice(buf.trim_ascii_end()).map_err(|e| {
            crate::error::AuditError::Corrupt {
                seq: r.seq,
                reason: format!("export line: {e}"),
            }
        })?);
    }
    let next_after = (records.len() == limit)
        .then(|| records.last().map(|r| r.seq))
        .flatten();
    Ok(RecordPage { lines, next_after })
}
