//! `chipgate audit verify|export|checkpoint`, and the CLI's side of auditing (`check --audit DB`): the
//! record-keeping chipgate-audit provides, exposed to operators and auditors. Every `--db`
//! is a file path or a `postgres://` URL (shown with its password hidden).

use crate::args::AuditCommand;
use crate::question::parse_date;
use anyhow::{Context, Result};
use chipgate_audit::{AuditLog, NewRecord, Receipt};
use std::io::Write;
use std::path::Path;

/// Appends one CLI decision (no key id) and returns once it is durable.
pub fn append_decision(
    db: &Path,
    kind: &str,
    request: serde_json::Value,
    response: serde_json::Value,
    rulebook_fingerprint: &str,
    lists_fingerprint: &str,
) -> Result<Receipt> {
    let mut log = AuditLog::open(db)
        .with_context(|| format!("opening the audit log {}", chipgate_audit::display_db(db)))?;
    let rec = NewRecord::new(
        kind,
        request,
        response,
        rulebook_fingerprint,
        lists_fingerprint,
    );
    log.append(rec).with_context(|| {
        format!(
            "recording the decision in {}",
            chipgate_audit::display_db(db)
        )
    })
}

/// Warns when the signing key sits in the database's directory: whoever can rewrite the
/// database could then also sign a rewritten head.
fn warn_if_beside(db: &Path, key: &Path) {
    let dir = |p: &Path| {
        p.parent()
            .map(|d| {
                if d.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    d
                }
            })
            .and_then(|d| d.canonicalize().ok())
    };
    if dir(db).is_some() && dir(db) == dir(key) {
        eprintln!(
            "warning: the signing key {} is in the same directory as the database {}: keep it apart (another volume or machine)",
            key.display(),
            chipgate_audit::display_db(db)
        );
    }
}

/// Verifies, exports or checkpoints; `Ok(false)` when verification found a problem (exit 1).
pub fn run(c: &AuditCommand) -> Result<bool> {
    match c {
        AuditCommand::Keygen { key } => {
            let public = chipgate_audit::anchor::generate_key(key)?;
            println!(
                "created signing key {} (keep it apart from the database)\npublic key: {public}",
                key.display()
            );
            Ok(true)
        }
        AuditCommand::Checkpoint { db, key, out } => {
            warn_if_beside(db, key);
            let k = chipgate_audit::anchor::load_key(key)?;
            match chipgate_audit::anchor::checkpoint(db, &k)
                .with_context(|| format!("checkpointing {}", chipgate_audit::display_db(db)))?
            {
                Some(c) => {
                    chipgate_audit::anchor::write_checkpoint(out, &c)
                        .with_context(|| format!("writing {}", out.display()))?;
                    println!(
                        "wrote {}: record {} hash {} ({} records), signed by {}",
                        out.display(),
                        c.seq,
                        c.hash,
                        c.records,
                        c.public_key
                    );
                }
                None => println!("the audit log is empty: nothing to checkpoint"),
            }
            Ok(true)
        }
        AuditCommand::Verify {
            db,
            checkpoint,
            public_key,
        } => {
            if let Some(cp) = checkpoint {
                let c = chipgate_audit::anchor::read_checkpoint(cp)?;
                let r = chipgate_audit::anchor::verify_checkpoint(db, &c, public_key.as_deref())
                    .with_context(|| format!("verifying {}", chipgate_audit::display_db(db)))?;
                match &r.problem {
                    None => println!(
                        "ok: checkpoint {} holds (record {} hash {}, signed {} by {})",
                        cp.display(),
                        c.seq,
                        c.hash,
                        c.time,
                        c.public_key
                    ),
                    Some(p) => {
                        println!("FAILED: checkpoint {}: {p}", cp.display());
                        return Ok(false);
                    }
                }
            }
            let r = chipgate_audit::verify(db).with_context(|| {
                format!("opening the audit log {}", chipgate_audit::display_db(db))
            })?;
            match (&r.first_problem, &r.head) {
                (None, Some(h)) => println!(
                    "ok: {} records, chain intact; head seq {} hash {}",
                    r.records, h.seq, h.hash
                ),
                (None, None) => println!("ok: the audit log is empty"),
                (Some(p), _) => {
                    println!(
                        "FAILED: record {} {}: {}",
                        p.seq,
                        serde_json::to_value(p.kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default(),
                        p.reason
                    );
                    println!("{} records present", r.records);
                }
            }
            Ok(r.ok)
        }
        AuditCommand::Export { db, from, to } => {
            let from = from.as_deref().map(|d| parse_date("from", d)).transpose()?;
            let to = to.as_deref().map(|d| parse_date("to", d)).transpose()?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let n = chipgate_audit::export(db, from, to, &mut out)
                .with_context(|| format!("exporting {}", chipgate_audit::display_db(db)))?;
            out.flush()?;
            eprintln!("{n} records exported");
            Ok(true)
        }
    }
}
