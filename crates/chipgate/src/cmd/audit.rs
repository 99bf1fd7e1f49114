//! `chipgate audit verify|export`, and the CLI's side of auditing (`check --audit DB`): the
//! record-keeping chipgate-audit provides, exposed to operators and auditors.

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
    let mut log =
        AuditLog::open(db).with_context(|| format!("opening the audit log {}", db.display()))?;
    let rec = NewRecord::new(
        kind,
        request,
        response,
        rulebook_fingerprint,
        lists_fingerprint,
    );
    log.append(rec)
        .with_context(|| format!("recording the decision in {}", db.display()))
}

/// Verifies or exports; `Ok(false)` when verification found a problem (exit 1).
pub fn run(c: &AuditCommand) -> Result<bool> {
    match c {
        AuditCommand::Verify { db } => {
            let r = chipgate_audit::verify(db)
                .with_context(|| format!("opening the audit log {}", db.display()))?;
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
                .with_context(|| format!("exporting {}", db.display()))?;
            out.flush()?;
            eprintln!("{n} records exported");
            Ok(true)
        }
    }
}
