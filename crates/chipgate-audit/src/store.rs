//! Appending a batch of records in one transaction, extending the chain from
//! the current head. Used by both the group-commit writer thread and the
//! synchronous `AuditLog::append`, so there is exactly one write path.

use chrono::Utc;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::chain::{record_hash, ChainFields, GENESIS_HASH};
use crate::error::Result;
use crate::record::{format_time, Prepared, Receipt};

/// Request and response go into `packed`; their text columns stay empty (see `pack`).
const INSERT_SQL: &str = "INSERT INTO audit_log (seq, time, key_id, kind, request, response, \
     rulebook_fingerprint, lists_fingerprint, prev_hash, hash, packed) \
     VALUES (?1, ?2, ?3, ?4, '', '', ?5, ?6, ?7, ?8, ?9)";

/// Last stored record's `(seq, hash)`, or `(0, GENESIS_HASH)` for an empty log.
pub(crate) fn last_link(conn: &Connection) -> Result<(i64, String)> {
    let row = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?;
    Ok(row.unwrap_or_else(|| (0, GENESIS_HASH.to_string())))
}

/// Write `records` in one IMMEDIATE transaction and commit (durable with
/// `synchronous=FULL`). Returns one receipt per record, in order. On any
/// error the transaction is rolled back and nothing of the batch exists.
///
/// The head is read inside the write transaction, so several processes
/// (server + CLI) appending to the same file still build one chain.
pub(crate) fn append_batch<'a, I>(conn: &mut Connection, records: I) -> Result<Vec<Receipt>>
where
    I: IntoIterator<Item = &'a Prepared>,
{
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (mut seq, mut prev) = last_link(&tx)?;
    let mut receipts = Vec::new();
    {
        let mut stmt = tx.prepare_cached(INSERT_SQL)?;
        for rec in records {
            seq += 1;
            let now;
            let time = match &rec.time {
                Some(t) => t.as_str(),
                None => {
                    now = format_time(Utc::now());
                    now.as_str()
                }
            };
            let hash = record_hash(&ChainFields {
                seq,
                prev_hash: &prev,
                time,
                key_id: rec.key_id.as_deref(),
                kind: &rec.kind,
                request: &rec.request,
                response: &rec.response,
                rulebook_fingerprint: &rec.rulebook_fingerprint,
                lists_fingerprint: &rec.lists_fingerprint,
            });
            stmt.execute(params![
                seq,
                time,
                rec.key_id,
                rec.kind,
                rec.rulebook_fingerprint,
                rec.lists_fingerprint,
                prev,
                hash,
                rec.packed,
            ])?;
            receipts.push(Receipt {
                seq,
                hash: hash.clone(),
            });
            prev = hash;
        }
    }
    if !receipts.is_empty() {
        tx.prepare_cached(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) \
             ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        )?
        .execute(params![seq, prev])?;
    }
    tx.commit()?;
    Ok(receipts)
}
