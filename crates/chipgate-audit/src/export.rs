//! JSON Lines export of the audit log for a date range: the format handed to
//! an auditor or BIS on request (one self-contained record per line, with the
//! request/response embedded as JSON, plus the chain fields to re-verify).

use std::io::Write;
use std::path::Path;

use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::error::{AuditError, Result};

#[derive(Serialize)]
struct Line<'a> {
    seq: i64,
    time: &'a str,
    key_id: Option<&'a str>,
    kind: &'a str,
    request: &'a RawValue,
    response: &'a RawValue,
    rulebook_fingerprint: &'a str,
    lists_fingerprint: &'a str,
    prev_hash: &'a str,
    hash: &'a str,
    /// Only on records that have one, so older exports stay byte-for-byte the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    client_ref: Option<&'a str>,
}

/// Open the database at `path` (it must exist; a `postgres://` URL names a PostgreSQL
/// database) and export records whose UTC
/// date lies in `[from, to]` (inclusive; `None` = unbounded) as JSON Lines,
/// in seq order. Returns the number of records written.
pub fn export<W: Write>(
    path: impl AsRef<Path>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: &mut W,
) -> Result<u64> {
    match crate::db::Conn::open_existing(path.as_ref())? {
        crate::db::Conn::Sqlite(conn) => export_conn(&conn, from, to, out),
        crate::db::Conn::Pg(mut conn) => {
            let (lo, hi) = bounds(from, to);
            let mut n: u64 = 0;
            let mut buf = Vec::with_capacity(4096);
            conn.for_each_record(lo.as_deref(), hi.as_deref(), &mut |r| {
                write_line(r, &mut buf, out)?;
                n += 1;
                Ok(())
            })?;
            out.flush()?;
            Ok(n)
        }
    }
}

/// `[from 00:00, to+1 00:00)` as stored-time text bounds.
pub(crate) fn bounds(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (Option<String>, Option<String>) {
    let lo = from.map(|d| d.format("%Y-%m-%d").to_string());
    let hi = to.map(|d| {
        d.checked_add_days(Days::new(1)).map_or_else(
            || "9999-12-31T99".to_string(),
            |n| n.format("%Y-%m-%d").to_string(),
        )
    });
    (lo, hi)
}

/// Writes one record as a JSON line.
pub(crate) fn write_line<W: Write>(
    r: &crate::StoredRecord,
    buf: &mut Vec<u8>,
    out: &mut W,
) -> Result<()> {
    let corrupt = |what: &str, e: serde_json::Error| AuditError::Corrupt {
        seq: r.seq,
        reason: format!("{what} is not valid json: {e}"),
    };
    let request: &RawValue = serde_json::from_str(&r.request).map_err(|e| corrupt("request", e))?;
    let response: &RawValue =
        serde_json::from_str(&r.response).map_err(|e| corrupt("response", e))?;
    buf.clear();
    serde_json::to_writer(
        &mut *buf,
        &Line {
            seq: r.seq,
            time: &r.time,
            key_id: r.key_id.as_deref(),
            kind: &r.kind,
            request,
            response,
            rulebook_fingerprint: &r.rulebook_fingerprint,
            lists_fingerprint: &r.lists_fingerprint,
            prev_hash: &r.prev_hash,
            hash: &r.hash,
            client_ref: r.client_ref.as_deref(),
        },
    )?;
    buf.push(b'\n');
    out.write_all(buf)?;
    Ok(())
}

pub(crate) fn export_conn<W: Write>(
    conn: &Connection,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: &mut W,
) -> Result<u64> {
    // Stored times are fixed-width RFC 3339 UTC, so text comparison is time
    // comparison: [from 00:00, to+1 00:00).
    let (lo, hi) = bounds(from, to);
    let sql = format!(
        "{} WHERE (?1 IS NULL OR time >= ?1) AND (?2 IS NULL OR time < ?2) ORDER BY seq",
        crate::log::SELECT_RECORD
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![lo, hi])?;
    let mut n: u64 = 0;
    let mut buf = Vec::with_capacity(4096);
    while let Some(row) = rows.next()? {
        let r = crate::log::row_to_record(row)?;
        write_line(&r, &mut buf, out)?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}
