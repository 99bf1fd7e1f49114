//! Signed checkpoints (issue 17): truncation, emptying and rewriting before a checkpoint are
//! detected even when the chain itself has been made consistent again; the database is
//! created readable by its owner only.
#![expect(clippy::unwrap_used, reason = "tests fail by unwrapping")]

mod common;

use chipgate_audit::anchor::{
    checkpoint, generate_key, load_key, read_checkpoint, verify_checkpoint, write_checkpoint,
};
use chipgate_audit::{verify, AuditLog};
use common::{sample, tamper_conn, temp_db};

fn log_with(path: &std::path::Path, n: u64, offset: u64) {
    let mut log = AuditLog::open(path).unwrap();
    for i in 0..n {
        log.append(sample(offset + i)).unwrap();
    }
}

#[test]
fn truncation_and_emptying_before_a_checkpoint_are_detected() {
    let (dir, db) = temp_db();
    log_with(&db, 5, 0);
    let key_path = dir.path().join("keys").join("audit.key");
    std::fs::create_dir_all(key_path.parent().unwrap()).unwrap();
    let public = generate_key(&key_path).unwrap();
    assert!(
        generate_key(&key_path).is_err(),
        "a key is never overwritten"
    );
    let key = load_key(&key_path).unwrap();
    let c = checkpoint(&db, &key).unwrap().unwrap();
    assert_eq!((c.seq, c.records), (5, 5));
    let cp = dir.path().join("cp.json");
    write_checkpoint(&cp, &c).unwrap();
    let c = read_checkpoint(&cp).unwrap();
    // Records appended after the checkpoint are fine.
    log_with(&db, 2, 100);
    assert!(verify_checkpoint(&db, &c, Some(&public)).unwrap().ok);

    // Cut the tail to record 3 and make the head agree: the chain alone says "intact".
    let t = tamper_conn(&db);
    t.execute("DELETE FROM audit_log WHERE seq > 3", [])
        .unwrap();
    t.execute(
        "UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3)",
        [],
    )
    .unwrap();
    drop(t);
    assert!(verify(&db).unwrap().ok, "the chain alone cannot see this");
    let r = verify_checkpoint(&db, &c, Some(&public)).unwrap();
    assert!(!r.ok);
    assert!(r.problem.unwrap().contains("record 5 is missing"));

    // Emptied.
    let t = tamper_conn(&db);
    t.execute_batch("DELETE FROM audit_log; DELETE FROM audit_head;")
        .unwrap();
    drop(t);
    assert!(verify(&db).unwrap().ok);
    assert!(!verify_checkpoint(&db, &c, None).unwrap().ok);
}

#[test]
fn a_rewritten_history_is_detected() {
    let (dir, db) = temp_db();
    log_with(&db, 4, 0);
    let key_path = dir.path().join("k");
    generate_key(&key_path).unwrap();
    let c = checkpoint(&db, &load_key(&key_path).unwrap())
        .unwrap()
        .unwrap();
    // Replace the whole database with another, consistent chain of the same length.
    std::fs::remove_file(&db).unwrap();
    for ext in ["db-wal", "db-shm"] {
        let _ = std::fs::remove_file(db.with_extension(ext));
    }
    log_with(&db, 4, 50);
    assert!(verify(&db).unwrap().ok);
    let r = verify_checkpoint(&db, &c, None).unwrap();
    assert!(!r.ok);
    assert!(r.problem.unwrap().contains("history rewritten"));
}

#[test]
fn an_altered_or_foreign_checkpoint_is_refused() {
    let (dir, db) = temp_db();
    log_with(&db, 3, 0);
    let k1 = dir.path().join("k1");
    let k2 = dir.path().join("k2");
    generate_key(&k1).unwrap();
    let other = generate_key(&k2).unwrap();
    let mut c = checkpoint(&db, &load_key(&k1).unwrap()).unwrap().unwrap();
    assert!(verify_checkpoint(&db, &c, Some(&other)).is_err());
    c.seq = 2;
    assert!(verify_checkpoint(&db, &c, None).is_err());
}

#[cfg(unix)]
#[test]
fn the_database_and_the_key_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = temp_db();
    log_with(&db, 1, 0);
    let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    let wal = db.with_extension("db-wal");
    if wal.exists() {
        assert_eq!(
            std::fs::metadata(&wal).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let k = dir.path().join("k");
    generate_key(&k).unwrap();
    assert_eq!(
        std::fs::metadata(&k).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

/// Records are stored compactly (packed), yet read, verified and exported exactly as
/// written; a version 1 database (text columns) is upgraded in place and still verifies.
#[test]
fn packed_records_round_trip_and_version_1_databases_upgrade() {
    let (_d, db) = temp_db();
    log_with(&db, 3, 0);
    let log = AuditLog::open(&db).unwrap();
    let r2 = log.get(2).unwrap().unwrap();
    assert!(r2.response.contains("3A090.a"), "{}", r2.response);
    drop(log);
    let stored: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT length(request) + length(response) FROM audit_log WHERE seq = 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        stored, 0,
        "the text columns are empty: the record is packed"
    );
    // Turn the database back into a version 1 one: texts in place, no packed column (and none
    // of version 3's additions).
    let t = tamper_conn(&db);
    let log = AuditLog::open(&db).unwrap();
    for seq in 1..=3 {
        let r = log.get(seq).unwrap().unwrap();
        t.execute(
            "UPDATE audit_log SET request = ?1, response = ?2, packed = NULL WHERE seq = ?3",
            rusqlite::params![r.request, r.response, seq],
        )
        .unwrap();
    }
    drop(log);
    t.execute_batch(
        "DROP TABLE audit_dict; ALTER TABLE audit_log DROP COLUMN packed; \
         DROP TABLE idempotency; DROP INDEX audit_log_client_ref; \
         ALTER TABLE audit_log DROP COLUMN client_ref; \
         ALTER TABLE api_keys DROP COLUMN scopes; \
         ALTER TABLE api_keys DROP COLUMN rate_per_minute; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(t);
    assert!(
        verify(&db).unwrap().ok,
        "upgraded on open, old records verify"
    );
    log_with(&db, 2, 10);
    let rep = verify(&db).unwrap();
    assert!(rep.ok && rep.records == 5, "{rep:?}");
    let log = AuditLog::open(&db).unwrap();
    assert_eq!(log.get(2).unwrap().unwrap().response, r2.response);
}
