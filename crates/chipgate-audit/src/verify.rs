//! Chain verification: recompute every record's hash in seq order and report
//! the first missing, re-linked or altered record. This is what shows an
//! auditor (or the operator after a crash) that the log is complete and
//! unmodified.
//!
//! Limitation by design: an attacker who can rewrite the file can also
//! recompute the chain from the point of tampering onward. Anchor the head
//! hash (`VerifyReport::head`) outside the database (e.g. in a daily signed
//! report) to detect that, and truncation beyond the stored head row.

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::chain::{record_hash, ChainFields, GENESIS_HASH};
use crate::error::Result;
use crate::record::Receipt;

/// What kind of problem `verify` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A sequence number is absent (deleted record, renumbered record, or
    /// truncated tail compared with the head row).
    Missing,
    /// `prev_hash` does not equal the previous record's hash.
    BrokenLink,
    /// The recomputed hash differs from the stored one (a field was changed),
    /// or a column holds a value of the wrong type.
    Altered,
    /// The head row disagrees with the last record.
    HeadMismatch,
}

/// The first problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Sequence number of the first bad (or first missing) record.
    pub seq: i64,
    /// Classification.
    pub kind: ProblemKind,
    /// Human-readable, lowercase explanation.
    pub reason: String,
}

/// Result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// True iff no problem was found.
    pub ok: bool,
    /// Number of records present in the table.
    pub records: u64,
    /// Last record's seq and hash (anchor it externally).
    pub head: Option<Receipt>,
    /// The first problem, by seq order.
    pub first_problem: Option<Problem>,
}

/// Open the database at `path` (it must exist; a `postgres://` URL names a PostgreSQL
/// database) and verify its chain.
pub fn verify(path: impl AsRef<Path>) -> Result<VerifyReport> {
    verify_db(&mut crate::db::Conn::open_existing(path.as_ref())?)
}

/// Verifies the chain over an open connection of either backend.
pub(crate) fn verify_db(conn: &mut crate::db::Conn) -> Result<VerifyReport> {
    match conn {
        crate::db::Conn::Sqlite(c) => verify_conn(c),
        crate::db::Conn::Pg(c) => c.verify(),
    }
}

fn text(v: ValueRef<'_>) -> std::result::Result<Option<&str>, &'static str> {
    match v {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => std::str::from_utf8(t)
            .map(Some)
            .map_err(|_| "invalid utf-8"),
        _ => Err("wrong column type"),
    }
}

/// Column names of [`RowRef::cols`], for messages.
const NAMES: [&str; 9] = [
    "time",
    "key_id",
    "kind",
    "request",
    "response",
    "rulebook_fingerprint",
    "lists_fingerprint",
    "prev_hash",
    "hash",
];

/// One stored row as read by either backend, before any check: `cols` are the text
/// columns in the order of [`NAMES`].
pub(crate) struct RowRef<'a> {
    pub seq: i64,
    pub cols: [Option<&'a str>; 9],
    pub packed: Option<&'a [u8]>,
    pub client_ref: Option<&'a str>,
}

/// Reads an SQLite row into a [`RowRef`], reporting columns of the wrong type (SQLite
/// stores any type in any column of a table altered outside chipgate).
fn sqlite_row<'a>(
    row: &'a rusqlite::Row<'_>,
    expected: i64,
) -> rusqlite::Result<std::result::Result<RowRef<'a>, Problem>> {
    let seq: i64 = match row.get_ref(0)? {
        ValueRef::Integer(i) => i,
        _ => {
            return Ok(Err(Problem {
                seq: expected,
                kind: ProblemKind::Altered,
                reason: "seq column is not an integer".into(),
            }))
        }
    };
    let altered = |reason: String| Problem {
        seq,
        kind: ProblemKind::Altered,
        reason,
    };
    if seq != expected {
        // Reported by `check_row`, before any column is looked at.
        return Ok(Ok(RowRef {
            seq,
            cols: [None; 9],
            packed: None,
            client_ref: None,
        }));
    }
    let mut cols: [Option<&str>; 9] = [None; 9];
    for (i, slot) in cols.iter_mut().enumerate() {
        match text(row.get_ref(i + 1)?) {
            Ok(v) => *slot = v,
            Err(why) => return Ok(Err(altered(format!("column {}: {why}", NAMES[i])))),
        }
        if slot.is_none() && i != 1 {
            return Ok(Err(altered(format!("column {} is null", NAMES[i]))));
        }
    }
    let packed = match row.get_ref(10)? {
        ValueRef::Null => None,
        ValueRef::Blob(b) => Some(b),
        _ => return Ok(Err(altered("column packed: wrong column type".into()))),
    };
    let client_ref = match text(row.get_ref(11)?) {
        Ok(v) => v,
        Err(why) => return Ok(Err(altered(format!("column client_ref: {why}")))),
    };
    Ok(Ok(RowRef {
        seq,
        cols,
        packed,
        client_ref,
    }))
}

/// Check one row against the expected seq and previous hash.
fn check_row(
    row: &RowRef<'_>,
    expected: i64,
    prev: &str,
) -> std::result::Result<(i64, String), Problem> {
    let seq = row.seq;
    if seq != expected {
        return Err(Problem {
            seq: expected,
            kind: ProblemKind::Missing,
            reason: format!("record {expected} is missing (next stored record is {seq})"),
        });
    }
    let altered = |reason: String| Problem {
        seq,
        kind: ProblemKind::Altered,
        reason,
    };
    let cols = &row.cols;
    for (i, c) in cols.iter().enumerate() {
        if c.is_none() && i != 1 {
            return Err(altered(format!("column {} is null", NAMES[i])));
        }
    }
    let s = |i: usize| cols[i].unwrap_or_default();
    // A packed record keeps its request and response in `packed` (empty text columns).
    let unpacked = match row.packed {
        None => None,
        Some(b) => {
            if !s(3).is_empty() || !s(4).is_empty() {
                return Err(altered(
                    "request or response text beside a packed record".into(),
                ));
            }
            match crate::pack::unpack(b) {
                Ok(v) => Some(v),
                Err(e) => return Err(altered(format!("column packed: {e}"))),
            }
        }
    };
    let (request, response) = match &unpacked {
        Some((q, a)) => (q.as_str(), a.as_str()),
        None => (s(3), s(4)),
    };
    let (prev_hash, stored_hash) = (s(7), s(8));
    if prev_hash != prev {
        return Err(Problem {
            seq,
            kind: ProblemKind::BrokenLink,
            reason: "prev_hash does not match the previous record's hash".into(),
        });
    }
    let computed = record_hash(&ChainFields {
        seq,
        prev_hash,
        time: s(0),
        key_id: cols[1],
        kind: s(2),
        request,
        response,
        rulebook_fingerprint: s(5),
        lists_fingerprint: s(6),
        client_ref: row.client_ref,
    });
    if computed != stored_hash {
        return Err(altered(
            "recomputed hash differs from the stored hash (record altered)".into(),
        ));
    }
    Ok((seq, computed))
}

/// The walk over the rows in seq order, shared by both backends.
pub(crate) struct Walk {
    records: u64,
    expected: i64,
    prev: String,
    first_problem: Option<Problem>,
    last: Option<Receipt>,
}

impl Walk {
    pub(crate) fn new() -> Walk {
        Walk {
            records: 0,
            expected: 1,
            prev: GENESIS_HASH.to_string(),
            first_problem: None,
            last: None,
        }
    }

    /// Takes the next row (or the problem found while reading it).
    pub(crate) fn push(&mut self, row: std::result::Result<RowRef<'_>, Problem>) {
        self.records += 1;
        if self.first_problem.is_some() {
            return; // keep counting only
        }
        match row.and_then(|r| check_row(&r, self.expected, &self.prev)) {
            Ok((seq, hash)) => {
                self.expected = seq + 1;
                self.prev.clone_from(&hash);
                self.last = Some(Receipt { seq, hash });
            }
            Err(p) => self.first_problem = Some(p),
        }
    }

    /// The report, given the head row and the highest stored record.
    pub(crate) fn finish(
        self,
        head_row: Option<(i64, String)>,
        tail: Option<Receipt>,
    ) -> VerifyReport {
        let first_problem = self
            .first_problem
            .or_else(|| check_head(head_row, self.last.as_ref()));
        VerifyReport {
            ok: first_problem.is_none(),
            records: self.records,
            head: tail.filter(|t| t.seq > 0),
            first_problem,
        }
    }
}

pub(crate) fn verify_conn(conn: &Connection) -> Result<VerifyReport> {
    // One read transaction: a consistent snapshot even while a writer appends.
    conn.execute_batch("BEGIN DEFERRED")?;
    let result = verify_snapshot(conn);
    let _ = conn.execute_batch("COMMIT");
    result
}

fn verify_snapshot(conn: &Connection) -> Result<VerifyReport> {
    let mut stmt = conn.prepare(
        "SELECT seq, time, key_id, kind, request, response, rulebook_fingerprint, \
         lists_fingerprint, prev_hash, hash, packed, client_ref FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut walk = Walk::new();
    while let Some(row) = rows.next()? {
        if walk.first_problem.is_some() {
            walk.records += 1;
            continue;
        }
        let r = sqlite_row(row, walk.expected)?;
        walk.push(r);
    }
    drop(rows);
    drop(stmt);
    let head_row: Option<(i64, String)> = conn
        .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let tail = crate::store::last_link(conn)
        .ok()
        .map(|(seq, hash)| Receipt { seq, hash });
    Ok(walk.finish(head_row, tail))
}

/// Compare the head row (updated in every batch transaction) with the last
/// record, to catch a truncated tail.
fn check_head(head: Option<(i64, String)>, last: Option<&Receipt>) -> Option<Problem> {
    let last_seq = last.map_or(0, |l| l.seq);
    match head {
        None if last_seq == 0 => None,
        None => Some(Problem {
            seq: last_seq,
            kind: ProblemKind::HeadMismatch,
            reason: "head row is missing".into(),
        }),
        Some((seq, _)) if seq > last_seq => Some(Problem {
            seq: last_seq + 1,
            kind: ProblemKind::Missing,
            reason: format!(
                "records {} to {seq} are missing (log truncated)",
                last_seq + 1
            ),
        }),
        Some((seq, _)) if seq < last_seq => Some(Problem {
            seq: seq + 1,
            kind: ProblemKind::HeadMismatch,
            reason: format!("records after {seq} were not written through the audit log"),
        }),
        Some((seq, hash)) if last.is_some_and(|l| l.hash != hash) => Some(Problem {
            seq,
            kind: ProblemKind::HeadMismatch,
            reason: "head hash differs from the last record's hash".into(),
        }),
        Some(_) => None,
    }
}
