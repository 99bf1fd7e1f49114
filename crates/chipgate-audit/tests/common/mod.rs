//! Shared helpers for the integration tests: temp databases and sample records.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chipgate_audit::NewRecord;
use serde_json::json;

pub fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.db");
    (dir, path)
}

pub fn sample(i: u64) -> NewRecord {
    NewRecord::new(
        "check",
        json!({"chip": {"name": format!("chip-{i}"), "tpp": 4800 + i}, "destination": "CN"}),
        json!({"eccn": "3A090.a", "license_required": true, "n": i}),
        "rulebook-sha256:abc",
        "lists-sha256:def",
    )
}

/// Raw connection with the append-only triggers removed, for tampering.
pub fn tamper_conn(path: &std::path::Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;",
    )
    .unwrap();
    c
}
