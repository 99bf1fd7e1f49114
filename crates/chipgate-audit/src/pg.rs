//! The PostgreSQL backend: one database shared by several `chipgate serve` replicas (and the
//! CLI), holding one hash chain.
//!
//! How replicas build one chain: every batch transaction first locks the single head row
//! (`SELECT … FROM audit_head … FOR UPDATE`), so batches from all replicas are serialised;
//! inside the lock it numbers and hashes its records from that head, inserts them, moves the
//! head and commits. Sequence numbers are therefore consecutive with no gap and no fork, and
//! the primary key on `seq` refuses a second record with a number even if a writer ignored
//! the lock. A submitter is acknowledged only after COMMIT returned (with
//! `synchronous_commit` at least `local`, forced on for the writer's session).
//!
//! Append-only in the database itself: a trigger raises on UPDATE, DELETE and TRUNCATE of
//! `audit_log`, and those privileges are revoked from PUBLIC and from the role that creates
//! the schema. (A superuser can still disable triggers; the chain and signed checkpoints are
//! what detect that.) Idempotency keys are checked under the same head lock as the append,
//! with the table's primary key as a last guard, so two concurrent first requests with one
//! key, on any replicas, make one record.
//!
//! The schema is created on first open, under an advisory lock so replicas starting together
//! do not race; its version is kept in `audit_schema`. Connections are plain TCP (`NoTls`):
//! run the database on loopback, a private network, or behind a TLS-terminating proxy.
//!
//! The `postgres` client drives its own small runtime, so it must not be called from inside
//! an async task: callers in the server open stores on the blocking pool, and the key store
//! reloads on a scoped thread (see `keys`).

use postgres::{Client, IsolationLevel, NoTls};

use crate::chain::GENESIS_HASH;
use crate::error::{AuditError, Result};
use crate::keys::KeyRow;
use crate::record::{Appended, Prepared, Receipt, StoredRecord};
use crate::store::{idem_scope, link, replay, IdemRow, Linked};
use crate::verify::{RowRef, VerifyReport, Walk};

/// Schema version kept in `audit_schema` (the SQLite schema's version, same tables).
const PG_SCHEMA_VERSION: i32 = 4;

/// Advisory lock key taken while the schema is created or checked.
const SCHEMA_LOCK: i64 = 0x6368_6970_6761_7465; // "chipgate"

/// Rows read per query while verifying or exporting.
const PAGE: i64 = 5000;

const SCHEMA_SQL: &str = "
CREATE TABLE audit_schema (version INTEGER NOT NULL);
CREATE TABLE audit_log (
    seq                  BIGINT PRIMARY KEY,
    time                 TEXT NOT NULL,
    key_id               TEXT,
    kind                 TEXT NOT NULL,
    request              TEXT NOT NULL,
    response             TEXT NOT NULL,
    rulebook_fingerprint TEXT NOT NULL,
    lists_fingerprint    TEXT NOT NULL,
    prev_hash            TEXT NOT NULL,
    hash                 TEXT NOT NULL,
    packed               BYTEA,
    client_ref           TEXT
);
CREATE INDEX audit_log_time ON audit_log(time);
CREATE INDEX audit_log_client_ref ON audit_log(client_ref) WHERE client_ref IS NOT NULL;
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE audit_dict (
    id   INTEGER PRIMARY KEY,
    dict BYTEA NOT NULL
);
CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    scopes TEXT,
    rate_per_minute INTEGER
);
CREATE UNIQUE INDEX api_keys_active_name ON api_keys(name) WHERE revoked_at IS NULL;
CREATE TABLE idempotency (
    key_id       TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    seq          BIGINT NOT NULL REFERENCES audit_log(seq),
    hash         TEXT NOT NULL,
    answer       BYTEA NOT NULL,
    PRIMARY KEY (key_id, idem_key)
);
";

const SELECT_RECORD: &str = "SELECT seq, time, key_id, kind, request, response, \
     rulebook_fingerprint, lists_fingerprint, prev_hash, hash, packed, client_ref FROM audit_log";

/// A connection and the URL to reconnect with. (`None` only while being dropped.)
pub(crate) struct PgConn {
    client: Option<Client>,
    url: String,
}

impl Drop for PgConn {
    /// Closing the client runs its runtime, which must not happen on an async worker (the
    /// server drops its key store there): close it on a thread of its own.
    fn drop(&mut self) {
        if let Some(c) = self.client.take() {
            std::thread::scope(|s| {
                s.spawn(move || drop(c));
            });
        }
    }
}

fn connect(url: &str) -> Result<Client> {
    Ok(Client::connect(url, NoTls)?)
}

fn schema_version(tx: &mut postgres::Transaction<'_>) -> Result<Option<i32>> {
    let exists: bool = tx
        .query_one("SELECT to_regclass('audit_schema') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(None);
    }
    Ok(tx
        .query_opt("SELECT version FROM audit_schema", &[])?
        .map(|r| r.get(0)))
}

fn check_version(found: Option<i32>) -> Result<()> {
    match found {
        Some(PG_SCHEMA_VERSION) => Ok(()),
        other => Err(AuditError::SchemaVersion {
            found: i64::from(other.unwrap_or(0)),
            expected: i64::from(PG_SCHEMA_VERSION),
        }),
    }
}

/// Decodes one `audit_log` row (columns as in `SELECT_RECORD`) into a record.
fn to_record(r: &postgres::Row) -> Result<StoredRecord> {
    let seq: i64 = r.try_get(0)?;
    let (request, response) = match r.try_get::<_, Option<Vec<u8>>>(10)? {
        Some(p) => crate::pack::unpack(&p).map_err(|e| AuditError::Corrupt {
            seq,
            reason: e.to_string(),
        })?,
        None => (r.try_get(4)?, r.try_get(5)?),
    };
    Ok(StoredRecord {
        seq,
        time: r.try_get(1)?,
        key_id: r.try_get(2)?,
        kind: r.try_get(3)?,
        request,
        response,
        rulebook_fingerprint: r.try_get(6)?,
        lists_fingerprint: r.try_get(7)?,
        client_ref: r.try_get(11)?,
        prev_hash: r.try_get(8)?,
        hash: r.try_get(9)?,
    })
}

impl PgConn {
    /// Connects, creating the schema (under an advisory lock) if the database has none.
    pub(crate) fn open_rw(url: &str) -> Result<PgConn> {
        let mut client = connect(url)?;
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
        match schema_version(&mut tx)? {
            None => {
                tx.batch_execute(SCHEMA_SQL)?;
                tx.execute(
                    "INSERT INTO audit_schema (version) VALUES ($1)",
                    &[&PG_SCHEMA_VERSION],
                )?;
                tx.execute(
                    "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, $1)",
                    &[&GENESIS_HASH],
                )?;
                tx.execute(
                    "INSERT INTO audit_dict (id, dict) VALUES ($1, $2)",
                    &[&i32::from(crate::pack::CURRENT), &crate::pack::DICT1],
                )?;
            }
            Some(3) => {
                // Version 4 added the keys' scopes and rate limits (additive).
                tx.batch_execute(
                    "ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS scopes TEXT, \
                     ADD COLUMN IF NOT EXISTS rate_per_minute INTEGER; \
                     UPDATE audit_schema SET version = 4;",
                )?;
            }
            found => check_version(found)?,
        }
        tx.commit()?;
        Ok(PgConn {
            client: Some(client),
            url: url.to_string(),
        })
    }

    /// Connects to a database that must already hold the schema.
    pub(crate) fn open_existing(url: &str) -> Result<PgConn> {
        let mut client = connect(url)?;
        let mut tx = client.transaction()?;
        check_version(schema_version(&mut tx)?)?;
        tx.commit()?;
        Ok(PgConn {
            client: Some(client),
            url: url.to_string(),
        })
    }

    /// The client, reconnected first if the connection was lost (a database restart).
    fn client(&mut self) -> Result<&mut Client> {
        let open = self.client.as_ref().is_some_and(|c| !c.is_closed());
        if !open {
            self.client = Some(connect(&self.url)?);
        }
        self.client
            .as_mut()
            .ok_or_else(|| AuditError::Internal("no postgres connection".into()))
    }

    /// Makes sure a commit is durable before it returns (the writer's session).
    pub(crate) fn require_durable_commits(&mut self) -> Result<()> {
        let c = self.client()?;
        let mode: String = c.query_one("SHOW synchronous_commit", &[])?.get(0);
        if mode == "off" {
            c.batch_execute("SET synchronous_commit = on")?;
        }
        Ok(())
    }

    /// The group-commit batch: lock the head, replay known idempotency keys, number, hash and
    /// insert the rest (one statement per table), move the head, commit.
    pub(crate) fn append_batch(&mut self, records: &[&Prepared]) -> Result<Vec<Result<Appended>>> {
        let client = self.client()?;
        let mut tx = client.transaction()?;
        let head = tx.query_one(
            "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
            &[],
        )?;
        let (mut seq, mut prev): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
        // Idempotency keys already stored, looked up in one query under the lock.
        let (scopes, keys): (Vec<&str>, Vec<&str>) = records
            .iter()
            .filter_map(|r| r.idem.as_ref().map(|i| (idem_scope(r), i.key.as_str())))
            .unzip();
        let mut known: std::collections::HashMap<(String, String), IdemRow> = Default::default();
        if !keys.is_empty() {
            for r in tx.query(
                "SELECT i.key_id, i.idem_key, i.request_hash, i.seq, i.hash, i.answer \
                 FROM idempotency i JOIN unnest($1::text[], $2::text[]) AS u(k, ik) \
                 ON i.key_id = u.k AND i.idem_key = u.ik",
                &[&scopes, &keys],
            )? {
                known.insert(
                    (r.try_get(0)?, r.try_get(1)?),
                    (r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?),
                );
            }
        }
        let mut cols = Columns::default();
        let mut results = Vec::with_capacity(records.len());
        for rec in records {
            if let Some(idem) = &rec.idem {
                let k = (idem_scope(rec).to_string(), idem.key.clone());
                if let Some(found) = known.get(&k) {
                    results.push(replay(rec, found.clone()));
                    continue;
                }
                // A later record of this batch with the same key replays this one.
                known.insert(
                    k,
                    (
                        idem.request_hash.clone(),
                        seq + 1,
                        String::new(),
                        idem.answer.clone(),
                    ),
                );
            }
            seq += 1;
            let Linked { time, hash } = link(rec, seq, &prev);
            if let Some(idem) = &rec.idem {
                if let Some(entry) = known.get_mut(&(idem_scope(rec).to_string(), idem.key.clone()))
                {
                    entry.2.clone_from(&hash);
                }
                cols.idem_scope.push(idem_scope(rec).to_string());
                cols.idem_key.push(idem.key.clone());
                cols.idem_request.push(idem.request_hash.clone());
                cols.idem_seq.push(seq);
                cols.idem_hash.push(hash.clone());
                cols.idem_answer.push(idem.answer.clone());
            }
            cols.seq.push(seq);
            cols.time.push(time);
            cols.key_id.push(rec.key_id.clone());
            cols.kind.push(rec.kind.clone());
            cols.rulebook.push(rec.rulebook_fingerprint.clone());
            cols.lists.push(rec.lists_fingerprint.clone());
            cols.prev.push(prev.clone());
            cols.hash.push(hash.clone());
            cols.packed.push(rec.packed.clone());
            cols.client_ref.push(rec.client_ref.clone());
            results.push(Ok(Appended {
                receipt: Receipt {
                    seq,
                    hash: hash.clone(),
                },
                replayed: None,
            }));
            prev = hash;
        }
        if !cols.seq.is_empty() {
            tx.execute(
                "INSERT INTO audit_log (seq, time, key_id, kind, request, response, \
                 rulebook_fingerprint, lists_fingerprint, prev_hash, hash, packed, client_ref) \
                 SELECT s, t, k, kd, '', '', rb, ls, ph, h, p, c FROM unnest($1::int8[], \
                 $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
                 $8::text[], $9::bytea[], $10::text[]) AS u(s, t, k, kd, rb, ls, ph, h, p, c)",
                &[
                    &cols.seq,
                    &cols.time,
                    &cols.key_id,
                    &cols.kind,
                    &cols.rulebook,
                    &cols.lists,
                    &cols.prev,
                    &cols.hash,
                    &cols.packed,
                    &cols.client_ref,
                ],
            )?;
            if !cols.idem_key.is_empty() {
                tx.execute(
                    "INSERT INTO idempotency (key_id, idem_key, request_hash, seq, hash, answer) \
                     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], \
                     $5::text[], $6::bytea[])",
                    &[
                        &cols.idem_scope,
                        &cols.idem_key,
                        &cols.idem_request,
                        &cols.idem_seq,
                        &cols.idem_hash,
                        &cols.idem_answer,
                    ],
                )?;
            }
            tx.execute(
                "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
                &[&seq, &prev],
            )?;
        }
        tx.commit()?;
        Ok(results)
    }

    /// Last record's `(seq, hash)`, `(0, GENESIS_HASH)` when empty.
    pub(crate) fn last_link(&mut self) -> Result<(i64, String)> {
        let row = self.client()?.query_opt(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            &[],
        )?;
        match row {
            Some(r) => Ok((r.try_get(0)?, r.try_get(1)?)),
            None => Ok((0, GENESIS_HASH.to_string())),
        }
    }

    pub(crate) fn len(&mut self) -> Result<u64> {
        let n: i64 = self
            .client()?
            .query_one("SELECT count(*) FROM audit_log", &[])?
            .try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub(crate) fn get(&mut self, seq: i64) -> Result<Option<StoredRecord>> {
        let sql = format!("{SELECT_RECORD} WHERE seq = $1");
        self.client()?
            .query_opt(&sql, &[&seq])?
            .as_ref()
            .map(to_record)
            .transpose()
    }

    /// Verifies the whole chain in one repeatable-read snapshot, page by page.
    pub(crate) fn verify(&mut self) -> Result<VerifyReport> {
        let client = self.client()?;
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let mut walk = Walk::new();
        let mut after = 0i64;
        let sql = format!("{SELECT_RECORD} WHERE seq > $1 ORDER BY seq LIMIT {PAGE}");
        loop {
            let rows = tx.query(&sql, &[&after])?;
            let Some(last) = rows.last() else { break };
            after = last.try_get(0)?;
            for r in &rows {
                let mut cols: [Option<&str>; 9] = [None; 9];
                for (i, slot) in cols.iter_mut().enumerate() {
                    *slot = r.try_get(i + 1)?;
                }
                walk.push(Ok(RowRef {
                    seq: r.try_get(0)?,
                    cols,
                    packed: r.try_get(10)?,
                    client_ref: r.try_get(11)?,
                }));
            }
        }
        let head = tx
            .query_opt("SELECT seq, hash FROM audit_head WHERE id = 1", &[])?
            .map(|r| -> Result<(i64, String)> { Ok((r.try_get(0)?, r.try_get(1)?)) })
            .transpose()?;
        let tail = tx.query_opt(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            &[],
        )?;
        let tail = match tail {
            Some(r) => Some(Receipt {
                seq: r.try_get(0)?,
                hash: r.try_get(1)?,
            }),
            None => None,
        };
        tx.commit()?;
        Ok(walk.finish(head, tail))
    }

    /// Calls `each` for the records with `lo <= time < hi` (either bound optional), in seq
    /// order, within one snapshot.
    pub(crate) fn for_each_record(
        &mut self,
        lo: Option<&str>,
        hi: Option<&str>,
        each: &mut dyn FnMut(&StoredRecord) -> Result<()>,
    ) -> Result<()> {
        let client = self.client()?;
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let sql = format!(
            "{SELECT_RECORD} WHERE seq > $1 AND ($2::text IS NULL OR time >= $2) \
             AND ($3::text IS NULL OR time < $3) ORDER BY seq LIMIT {PAGE}"
        );
        let mut after = 0i64;
        loop {
            let rows = tx.query(&sql, &[&after, &lo, &hi])?;
            let Some(last) = rows.last() else { break };
            after = last.try_get(0)?;
            for r in &rows {
                each(&to_record(r)?)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// One page of records for the read API (see [`crate::query`]).
    pub(crate) fn page(
        &mut self,
        after: i64,
        to_seq: i64,
        lo: Option<&str>,
        hi: Option<&str>,
        client_ref: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredRecord>> {
        let sql = format!(
            "{SELECT_RECORD} WHERE seq > $1 AND seq <= $2 AND ($3::text IS NULL OR time >= $3) \
             AND ($4::text IS NULL OR time < $4) AND ($5::text IS NULL OR client_ref = $5) \
             ORDER BY seq LIMIT {}",
            limit.clamp(1, 1000)
        );
        let rows = self
            .client()?
            .query(&sql, &[&after, &to_seq, &lo, &hi, &client_ref])?;
        rows.iter().map(to_record).collect()
    }

    /// Whether an active key has this name.
    pub(crate) fn key_name_taken(&mut self, name: &str) -> Result<bool> {
        Ok(self
            .client()?
            .query_one(
                "SELECT EXISTS(SELECT 1 FROM api_keys WHERE name = $1 AND revoked_at IS NULL)",
                &[&name],
            )?
            .try_get(0)?)
    }

    /// Inserts a key; `Ok(false)` when an active key took the name first.
    pub(crate) fn insert_key(&mut self, row: &KeyRow) -> Result<bool> {
        let done = self.client()?.execute(
            "INSERT INTO api_keys (id, name, key_hash, created_at, revoked_at, scopes, \
             rate_per_minute) VALUES ($1, $2, $3, $4, NULL, $5, $6)",
            &[
                &row.id,
                &row.name,
                &row.hash,
                &row.created_at,
                &row.scopes,
                &row.rate_per_minute,
            ],
        );
        match done {
            Ok(_) => Ok(true),
            Err(e) if e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    pub(crate) fn load_keys(&mut self) -> Result<Vec<KeyRow>> {
        let rows = self.client()?.query(
            "SELECT id, name, key_hash, created_at, revoked_at, scopes, rate_per_minute \
             FROM api_keys ORDER BY created_at, id",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(KeyRow {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    hash: r.try_get(2)?,
                    created_at: r.try_get(3)?,
                    revoked_at: r.try_get(4)?,
                    scopes: r.try_get(5)?,
                    rate_per_minute: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Revokes the key with this id or else the active key with this name; its id, if any.
    pub(crate) fn revoke_key(&mut self, target: &str, now: &str) -> Result<Option<String>> {
        let mut tx = self.client()?.transaction()?;
        let by_id = tx.query_opt("SELECT id FROM api_keys WHERE id = $1", &[&target])?;
        let row = match by_id {
            Some(r) => Some(r),
            None => tx.query_opt(
                "SELECT id FROM api_keys WHERE name = $1 AND revoked_at IS NULL",
                &[&target],
            )?,
        };
        let id: Option<String> = row.map(|r| r.try_get(0)).transpose()?;
        if let Some(id) = &id {
            tx.execute(
                "UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                &[id, &now],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }
}

/// The per-column arrays of one batch insert.
#[derive(Default)]
struct Columns {
    seq: Vec<i64>,
    time: Vec<String>,
    key_id: Vec<Option<String>>,
    kind: Vec<String>,
    rulebook: Vec<String>,
    lists: Vec<String>,
    prev: Vec<String>,
    hash: Vec<String>,
    packed: Vec<Vec<u8>>,
    client_ref: Vec<Option<String>>,
    idem_scope: Vec<String>,
    idem_key: Vec<String>,
    idem_request: Vec<String>,
    idem_seq: Vec<i64>,
    idem_hash: Vec<String>,
    idem_answer: Vec<Vec<u8>>,
}
