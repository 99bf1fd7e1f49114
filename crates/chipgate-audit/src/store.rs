//! Appending a batch of records in one transaction, extending the chain from
//! the current head. Used by both the group-commit writer thread and the
//! synchronous `AuditLog::append`, so there is exactly one write path per
//! backend (SQLite here, PostgreSQL in `pg`), and both share how a record is
//! linked ([`link`]) and how an idempotency key is honoured ([`replay`]).

use chrono::Utc;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::chain::{record_hash, ChainFields, GENESIS_HASH};
use crate::db::Conn;
use crate::error::{AuditError, Result};
use crate::record::{format_time, Appended, Prepared, Receipt};

/// Request and response go into `packed`; their text columns stay empty (see `pack`).
const INSERT_SQL: &str = "INSERT INTO audit_log (seq, time, key_id, kind, request, response, \
     rulebook_fingerprint, lists_fingerprint, prev_hash, hash, packed, client_ref) \
     VALUES (?1, ?2, ?3, ?4, '', '', ?5, ?6, ?7, ?8, ?9, ?10)";

/// The key id an idempotency key is scoped to (`""` for records without one, the CLI).
pub(crate) fn idem_scope(rec: &Prepared) -> &str {
    rec.key_id.as_deref().unwrap_or_default()
}

/// A record placed in the chain: its time and hash, given its seq and the previous hash.
pub(crate) struct Linked {
    pub time: String,
    pub hash: String,
}

/// Stamps `rec` (when it has no time yet) and computes its chain hash.
pub(crate) fn link(rec: &Prepared, seq: i64, prev: &str) -> Linked {
    let time = rec.time.clone().unwrap_or_else(|| format_time(Utc::now()));
    let hash = record_hash(&ChainFields {
        seq,
        prev_hash: prev,
        time: &time,
        key_id: rec.key_id.as_deref(),
        kind: &rec.kind,
        request: &rec.request,
        response: &rec.response,
        rulebook_fingerprint: &rec.rulebook_fingerprint,
        lists_fingerprint: &rec.lists_fingerprint,
        client_ref: rec.client_ref.as_deref(),
    });
    Linked { time, hash }
}

/// A stored idempotency row: `(request_hash, seq, hash, answer)`.
pub(crate) type IdemRow = (String, i64, String, Vec<u8>);

/// What a record whose idempotency key is already stored gets: the first answer and
/// receipt, or a conflict when the key was used for another request.
pub(crate) fn replay(rec: &Prepared, found: IdemRow) -> Result<Appended> {
    let (request_hash, seq, hash, answer) = found;
    match &rec.idem {
        Some(i) if i.request_hash != request_hash => {
            Err(AuditError::IdempotencyConflict(i.key.clone()))
        }
        _ => Ok(Appended {
            receipt: Receipt { seq, hash },
            replayed: Some(answer),
        }),
    }
}

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

/// Appends a batch on either backend: one result per record, in order (a record fails
/// alone only for an idempotency conflict); `Err` means the whole batch was rolled back.
pub(crate) fn append(conn: &mut Conn, records: &[&Prepared]) -> Result<Vec<Result<Appended>>> {
    match conn {
        Conn::Sqlite(c) => append_batch(c, records.iter().copied()),
        Conn::Pg(c) => c.append_batch(records),
    }
}

/// Write `records` in one IMMEDIATE transaction and commit (durable with
/// `synchronous=FULL`). Returns one result per record, in order. On any
/// error the transaction is rolled back and nothing of the batch exists.
///
/// The head is read inside the write transaction, so several processes
/// (server + CLI) appending to the same file still build one chain. A record
/// whose idempotency key is stored already is not appended (its result is the
/// stored answer, see [`replay`]); the key of a new one is stored in the same
/// transaction, so a later duplicate in the same batch sees it.
pub(crate) fn append_batch<'a, I>(
    conn: &mut Connection,
    records: I,
) -> Result<Vec<Result<Appended>>>
where
    I: IntoIterator<Item = &'a Prepared>,
{
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (mut seq, mut prev) = last_link(&tx)?;
    let mut results = Vec::new();
    let mut appended = false;
    {
        let mut stmt = tx.prepare_cached(INSERT_SQL)?;
        for rec in records {
            if let Some(idem) = &rec.idem {
                let found = tx
                    .prepare_cached(
                        "SELECT request_hash, seq, hash, answer FROM idempotency \
                         WHERE key_id = ?1 AND idem_key = ?2",
                    )?
                    .query_row(params![idem_scope(rec), idem.key], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })
                    .optional()?;
                if let Some(found) = found {
                    results.push(replay(rec, found));
                    continue;
                }
            }
            seq += 1;
            let Linked { time, hash } = link(rec, seq, &prev);
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
                rec.client_ref,
            ])?;
            if let Some(idem) = &rec.idem {
                tx.prepare_cached(
                    "INSERT INTO idempotency (key_id, idem_key, request_hash, seq, hash, answer) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    idem_scope(rec),
                    idem.key,
                    idem.request_hash,
                    seq,
                    hash,
                    idem.answer
                ])?;
            }
            appended = true;
            results.push(Ok(Appended {
                receipt: Receipt {
                    seq,
                    hash: hash.clone(),
                },
                replayed: None,
            }));
            prev = hash;
        }
    }
    if appended {
        tx.prepare_cached(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) \
             ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        )?
        .execute(params![seq, prev])?;
    }
    tx.commit()?;
    Ok(results)
}
