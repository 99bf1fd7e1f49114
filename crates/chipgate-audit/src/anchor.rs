//! Signed checkpoints: the chain's head anchored outside the database.
//!
//! The hash chain shows that no record was changed *relative to the records after it*; an
//! attacker who can write the file can still cut the tail off, or rewrite history and
//! recompute every hash after the change. A checkpoint closes that gap: a small JSON file
//! holding a record's `seq` and `hash`, the time, and an Ed25519 signature over them made with
//! a key kept apart from the database (another file, ideally on another machine or volume).
//! [`verify_checkpoint`] then requires that record to still exist with that hash and the
//! chain up to it to be intact — so truncation to before the checkpoint, an emptied log, or
//! any rewrite of a record at or before it is detected.
//!
//! Checkpoint file (`chipgate-audit-checkpoint/v1`):
//!
//! ```json
//! {"format":"chipgate-audit-checkpoint/v1","seq":42,"hash":"…","records":42,
//!  "time":"2026-01-01T00:00:00.000000Z","public_key":"…hex…","signature":"…hex…"}
//! ```
//!
//! The signature is over the bytes `chipgate-audit-checkpoint/v1\n{seq}\n{hash}\n{time}\n`.
//! `public_key` is informational: a verifier should compare it with the key it trusts (the
//! key file's public half, printed by `chipgate audit keygen`), which [`verify_checkpoint`]
//! does when given one. The key file holds the 32-byte secret seed as hex, created 0600.

use std::path::Path;

pub use ed25519_dalek::SigningKey;
use ed25519_dalek::{Signature, Signer, VerifyingKey};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::chain::{from_hex, to_hex};
use crate::error::{AuditError, Result};

/// Format tag of a checkpoint file.
pub const CHECKPOINT_FORMAT: &str = "chipgate-audit-checkpoint/v1";

/// A signed head of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub format: String,
    /// The anchored record.
    pub seq: i64,
    pub hash: String,
    /// Records in the log when the checkpoint was taken.
    pub records: u64,
    pub time: String,
    /// Hex Ed25519 public key of the signer.
    pub public_key: String,
    /// Hex Ed25519 signature.
    pub signature: String,
}

fn message(seq: i64, hash: &str, time: &str) -> Vec<u8> {
    format!("{CHECKPOINT_FORMAT}\n{seq}\n{hash}\n{time}\n").into_bytes()
}

fn bad(reason: impl Into<String>) -> AuditError {
    AuditError::Checkpoint(reason.into())
}

/// Creates a new signing key file (refuses to overwrite one), mode 0600; returns the public
/// key as hex.
pub fn generate_key(path: &Path) -> Result<String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| AuditError::Random(e.to_string()))?;
    let key = SigningKey::from_bytes(&seed);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| bad(format!("creating the signing key {}: {e}", path.display())))?;
    use std::io::Write;
    f.write_all(format!("{}\n", to_hex(&seed)).as_bytes())?;
    f.sync_all()?;
    Ok(to_hex(key.verifying_key().as_bytes()))
}

/// Reads a signing key file.
pub fn load_key(path: &Path) -> Result<SigningKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad(format!("reading the signing key {}: {e}", path.display())))?;
    let bytes = from_hex(text.trim())
        .filter(|b| b.len() == 32)
        .ok_or_else(|| {
            bad(format!(
                "{}: not a chipgate signing key (64 hex digits)",
                path.display()
            ))
        })?;
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&bytes);
    Ok(SigningKey::from_bytes(&seed))
}

/// The public half of a key file, as hex.
pub fn public_key_hex(key: &SigningKey) -> String {
    to_hex(key.verifying_key().as_bytes())
}

/// Signs the current head of the log at `db` (a file or a `postgres://` URL; after verifying the chain: a checkpoint of a
/// broken chain would anchor the damage). `None` when the log is empty.
pub fn checkpoint(db: &Path, key: &SigningKey) -> Result<Option<Checkpoint>> {
    let report = crate::verify(db)?;
    if let Some(p) = &report.first_problem {
        return Err(bad(format!(
            "the chain is broken at record {} ({}): no checkpoint written",
            p.seq, p.reason
        )));
    }
    let Some(head) = report.head else {
        return Ok(None);
    };
    let time = crate::record::format_time(chrono::Utc::now());
    let sig = key.sign(&message(head.seq, &head.hash, &time));
    Ok(Some(Checkpoint {
        format: CHECKPOINT_FORMAT.into(),
        seq: head.seq,
        hash: head.hash,
        records: report.records,
        time,
        public_key: public_key_hex(key),
        signature: to_hex(&sig.to_bytes()),
    }))
}

/// Signs the current head without re-verifying the chain first (the server, which wrote
/// every record itself, checkpoints this way periodically). `None` when the log is empty.
pub fn checkpoint_head(db: &Path, key: &SigningKey) -> Result<Option<Checkpoint>> {
    let log = crate::AuditLog::open(db)?;
    let Some(head) = log.head()? else {
        return Ok(None);
    };
    let records = log.len()?;
    let time = crate::record::format_time(chrono::Utc::now());
    let sig = key.sign(&message(head.seq, &head.hash, &time));
    Ok(Some(Checkpoint {
        format: CHECKPOINT_FORMAT.into(),
        seq: head.seq,
        hash: head.hash,
        records,
        time,
        public_key: public_key_hex(key),
        signature: to_hex(&sig.to_bytes()),
    }))
}

/// Writes a checkpoint file (temporary file and rename, so a reader never sees half of one).
pub fn write_checkpoint(path: &Path, c: &Checkpoint) -> Result<()> {
    let tmp = path.with_extension("json.part");
    let text = serde_json::to_string_pretty(c)?;
    std::fs::write(&tmp, format!("{text}\n"))?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Reads a checkpoint file.
pub fn read_checkpoint(path: &Path) -> Result<Checkpoint> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| bad(format!("reading checkpoint {}: {e}", path.display())))?;
    let c: Checkpoint = serde_json::from_str(&text)
        .map_err(|e| bad(format!("{}: not a checkpoint file: {e}", path.display())))?;
    if c.format != CHECKPOINT_FORMAT {
        return Err(bad(format!(
            "{}: unknown checkpoint format `{}`",
            path.display(),
            c.format
        )));
    }
    Ok(c)
}

/// Checks a checkpoint's signature, against `trusted` (hex public key) when given, else
/// against the key the file names.
pub fn check_signature(c: &Checkpoint, trusted: Option<&str>) -> Result<()> {
    let key_hex = trusted.unwrap_or(&c.public_key);
    if let Some(t) = trusted {
        if !t.eq_ignore_ascii_case(&c.public_key) {
            return Err(bad(format!(
                "the checkpoint is signed by key {}, not by the trusted key {t}",
                c.public_key
            )));
        }
    }
    let key_bytes: [u8; 32] = from_hex(key_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad("the public key is not 64 hex digits"))?;
    let key = VerifyingKey::from_bytes(&key_bytes).map_err(|e| bad(format!("public key: {e}")))?;
    let sig_bytes: [u8; 64] = from_hex(&c.signature)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad("the signature is not 128 hex digits"))?;
    key.verify_strict(
        &message(c.seq, &c.hash, &c.time),
        &Signature::from_bytes(&sig_bytes),
    )
    .map_err(|_| bad("the checkpoint's signature does not verify (file altered or wrong key)"))
}

/// What [`verify_checkpoint`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckpointReport {
    pub ok: bool,
    /// The anchored record.
    pub seq: i64,
    /// Why the log does not match the checkpoint.
    pub problem: Option<String>,
}

/// Verifies that the log at `db` still holds the checkpointed record with the checkpointed
/// hash, and that the chain up to it is intact (so nothing at or before it was removed or
/// rewritten). The signature is checked first ([`check_signature`]).
pub fn verify_checkpoint(
    db: &Path,
    c: &Checkpoint,
    trusted: Option<&str>,
) -> Result<CheckpointReport> {
    check_signature(c, trusted)?;
    let report = crate::verify(db)?;
    let fail = |problem: String| {
        Ok(CheckpointReport {
            ok: false,
            seq: c.seq,
            problem: Some(problem),
        })
    };
    if let Some(p) = &report.first_problem {
        if p.seq <= c.seq {
            return fail(format!(
                "record {} (at or before the checkpoint) is bad: {}",
                p.seq, p.reason
            ));
        }
    }
    let stored: Option<String> = match crate::db::Conn::open_existing(db)? {
        crate::db::Conn::Sqlite(conn) => conn
            .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [c.seq], |r| {
                r.get(0)
            })
            .optional()?,
        crate::db::Conn::Pg(mut conn) => conn.get(c.seq)?.map(|r| r.hash),
    };
    match stored {
        None => {
            let head = report.head.map_or(0, |h| h.seq);
            fail(format!(
                "record {} is missing: the log ends at record {head} but was checkpointed at {} on {} (truncated or emptied)",
                c.seq, c.seq, c.time
            ))
        }
        Some(h) if h != c.hash => fail(format!(
            "record {} has hash {h} but was checkpointed with {} on {} (history rewritten)",
            c.seq, c.hash, c.time
        )),
        Some(_) => Ok(CheckpointReport {
            ok: true,
            seq: c.seq,
            problem: None,
        }),
    }
}
