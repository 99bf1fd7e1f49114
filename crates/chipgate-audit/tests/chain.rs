//! Chain integrity: concurrent appends verify; tampering, deletion and
//! truncation are detected at the right seq; append-only triggers hold.
#![expect(clippy::unwrap_used, reason = "tests fail by unwrapping")]

mod common;

use std::collections::HashSet;

use chipgate_audit::{verify, AuditError, AuditLog, AuditWriter, ProblemKind, GENESIS_HASH};
use common::{sample, tamper_conn, temp_db};

#[test]
fn many_threads_many_appends_verify() {
    let (_d, path) = temp_db();
    let w = AuditWriter::spawn(&path).unwrap();
    let threads = 16;
    let per = 250;
    let receipts: Vec<_> = (0..threads)
        .map(|t| {
            let w = w.clone();
            std::thread::spawn(move || {
                (0..per)
                    .map(|i| {
                        let mut r = sample(t * 1000 + i);
                        if t % 2 == 0 {
                            r = r.with_key_id(format!("key{t}"));
                        }
                        w.append_blocking(r).unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    w.shutdown().unwrap();
    let total = (threads * per) as usize;
    let seqs: HashSet<i64> = receipts.iter().map(|r| r.seq).collect();
    assert_eq!(seqs.len(), total, "every receipt has a distinct seq");
    assert_eq!(seqs.iter().copied().max(), Some(total as i64));
    let rep = verify(&path).unwrap();
    assert!(rep.ok, "{rep:?}");
    assert_eq!(rep.records, total as u64);
    assert_eq!(rep.head.as_ref().unwrap().seq, total as i64);
    // receipts match what is stored
    let log = AuditLog::open(&path).unwrap();
    for r in receipts.iter().step_by(97) {
        assert_eq!(log.get(r.seq).unwrap().unwrap().hash, r.hash);
    }
    let first = log.get(1).unwrap().unwrap();
    assert_eq!(first.prev_hash, GENESIS_HASH);
    assert!(
        first.time.ends_with('Z') && first.time.len() == 27,
        "{}",
        first.time
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_appends_and_shutdown_flushes() {
    let (_d, path) = temp_db();
    let w = AuditWriter::spawn(&path).unwrap();
    // Queue 500 records without awaiting, then shut down: all must be written.
    let futs: Vec<_> = (0..500).map(|i| w.append(sample(i))).collect();
    let w2 = w.clone();
    tokio::task::spawn_blocking(move || w2.shutdown())
        .await
        .unwrap()
        .unwrap();
    let mut seqs = Vec::new();
    for f in futs {
        seqs.push(f.await.unwrap().seq);
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=500).collect::<Vec<_>>());
    assert!(!w.is_alive());
    assert!(matches!(
        w.append(sample(1)).await,
        Err(AuditError::WriterClosed)
    ));
    assert!(matches!(
        w.append_blocking(sample(1)),
        Err(AuditError::WriterClosed)
    ));
    w.shutdown().unwrap(); // idempotent
    assert!(verify(&path).unwrap().ok);
}

#[test]
fn chain_continues_across_reopen_and_sync_append() {
    let (_d, path) = temp_db();
    {
        let mut log = AuditLog::open(&path).unwrap();
        assert!(log.is_empty().unwrap());
        assert_eq!(log.append(sample(1)).unwrap().seq, 1);
        assert_eq!(log.append(sample(2).with_key_id("k")).unwrap().seq, 2);
    }
    let w = AuditWriter::spawn(&path).unwrap();
    assert_eq!(w.append_blocking(sample(3)).unwrap().seq, 3);
    // A CLI process appending while the server's writer is running still chains.
    let mut cli = AuditLog::open(&path).unwrap();
    assert_eq!(cli.append(sample(4)).unwrap().seq, 4);
    assert_eq!(w.append_blocking(sample(5)).unwrap().seq, 5);
    w.shutdown().unwrap();
    let rep = cli.verify().unwrap();
    assert!(rep.ok, "{rep:?}");
    assert_eq!(rep.records, 5);
    assert_eq!(cli.head().unwrap().unwrap().seq, 5);
}

#[test]
fn triggers_forbid_update_and_delete() {
    let (_d, path) = temp_db();
    let mut log = AuditLog::open(&path).unwrap();
    log.append(sample(1)).unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    let e = c
        .execute("UPDATE audit_log SET kind = 'x' WHERE seq = 1", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = c
        .execute("DELETE FROM audit_log WHERE seq = 1", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(log.verify().unwrap().ok);
}

fn log_of(n: u64) -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, path) = temp_db();
    let mut log = AuditLog::open(&path).unwrap();
    for i in 1..=n {
        let mut r = sample(i);
        if i % 3 == 0 {
            r = r.with_key_id(format!("k{i}"));
        }
        log.append(r).unwrap();
    }
    (d, path)
}

#[test]
fn tampering_any_column_is_detected_at_that_seq() {
    let cases: &[(&str, ProblemKind)] = &[
        ("time = '2020-01-01T00:00:00.000000Z'", ProblemKind::Altered),
        ("key_id = 'intruder'", ProblemKind::Altered),
        ("key_id = NULL", ProblemKind::Altered),
        ("kind = 'screen'", ProblemKind::Altered),
        ("request = '{\"chip\":\"other\"}'", ProblemKind::Altered),
        // Request and response are stored packed (schema 2): text beside them, a damaged
        // or a removed packed value are all alterations.
        ("response = '{}'", ProblemKind::Altered),
        (
            "packed = substr(packed, 1, length(packed) - 1)",
            ProblemKind::Altered,
        ),
        ("packed = NULL", ProblemKind::Altered),
        (
            "rulebook_fingerprint = 'rulebook-sha256:forged'",
            ProblemKind::Altered,
        ),
        ("lists_fingerprint = 'x'", ProblemKind::Altered),
        (
            "hash = '0000000000000000000000000000000000000000000000000000000000000001'",
            ProblemKind::Altered,
        ),
        (
            "prev_hash = '0000000000000000000000000000000000000000000000000000000000000001'",
            ProblemKind::BrokenLink,
        ),
        ("seq = 1000", ProblemKind::Missing),
    ];
    for &(set, kind) in cases {
        for target in [6_i64, 7] {
            // 6 has key_id, 7 has NULL key_id
            let (_d, path) = log_of(10);
            let c = tamper_conn(&path);
            let n = c
                .execute(
                    &format!("UPDATE audit_log SET {set} WHERE seq = {target}"),
                    [],
                )
                .unwrap();
            assert_eq!(n, 1);
            let rep = verify(&path).unwrap();
            if set == "key_id = NULL" && target == 7 {
                assert!(rep.ok, "no-op update must still verify");
                continue;
            }
            assert!(!rep.ok, "{set}: not detected");
            let p = rep.first_problem.unwrap();
            assert_eq!((p.seq, p.kind), (target, kind), "{set}: {}", p.reason);
            assert_eq!(rep.records, 10);
        }
    }
}

#[test]
fn swapping_two_records_is_detected() {
    let (_d, path) = log_of(10);
    let c = tamper_conn(&path);
    c.execute_batch(
        "UPDATE audit_log SET seq = -4 WHERE seq = 4;
         UPDATE audit_log SET seq = 4 WHERE seq = 5;
         UPDATE audit_log SET seq = 5 WHERE seq = -4;",
    )
    .unwrap();
    let rep = verify(&path).unwrap();
    assert_eq!(rep.records, 10);
    let p = rep.first_problem.unwrap();
    assert_eq!(
        (p.seq, p.kind),
        (4, ProblemKind::BrokenLink),
        "{}",
        p.reason
    );
}

#[test]
fn deleting_a_middle_record_is_detected() {
    let (_d, path) = log_of(10);
    tamper_conn(&path)
        .execute("DELETE FROM audit_log WHERE seq = 5", [])
        .unwrap();
    let rep = verify(&path).unwrap();
    assert!(!rep.ok);
    assert_eq!(rep.records, 9);
    let p = rep.first_problem.unwrap();
    assert_eq!((p.seq, p.kind), (5, ProblemKind::Missing), "{}", p.reason);
}

#[test]
fn deleting_the_first_record_is_detected() {
    let (_d, path) = log_of(5);
    tamper_conn(&path)
        .execute("DELETE FROM audit_log WHERE seq = 1", [])
        .unwrap();
    let p = verify(&path).unwrap().first_problem.unwrap();
    assert_eq!((p.seq, p.kind), (1, ProblemKind::Missing));
}

#[test]
fn truncating_the_tail_is_detected_by_the_head_row() {
    let (_d, path) = log_of(10);
    tamper_conn(&path)
        .execute("DELETE FROM audit_log WHERE seq >= 8", [])
        .unwrap();
    let rep = verify(&path).unwrap();
    let p = rep.first_problem.unwrap();
    assert_eq!((p.seq, p.kind), (8, ProblemKind::Missing), "{}", p.reason);
}

#[test]
fn strict_table_rejects_wrong_types() {
    let (_d, path) = log_of(4);
    let c = tamper_conn(&path);
    // STRICT forbids a blob in a TEXT column; recreate without STRICT to simulate a forged file.
    let e = c.execute("UPDATE audit_log SET kind = x'00ff' WHERE seq = 2", []);
    assert!(e.is_err(), "strict table rejects wrong types");
}

#[test]
fn verify_missing_file_is_an_error() {
    let (_d, path) = temp_db();
    assert!(verify(path.with_file_name("nope.db")).is_err());
}

#[test]
fn empty_log_verifies() {
    let (_d, path) = temp_db();
    AuditLog::open(&path).unwrap();
    let rep = verify(&path).unwrap();
    assert!(rep.ok);
    assert_eq!(rep.records, 0);
    assert_eq!(rep.head, None);
}

#[test]
fn failed_batch_is_never_acknowledged() {
    let (_d, path) = temp_db();
    let w = AuditWriter::spawn(&path).unwrap();
    w.append_blocking(sample(1)).unwrap();
    // Sabotage the table under the writer: the next batch must fail, not ack.
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch("DROP TABLE audit_log").unwrap();
    let e = w.append_blocking(sample(2)).unwrap_err();
    assert!(matches!(e, AuditError::BatchFailed(_)), "{e}");
    assert!(e.to_string().starts_with("audit batch write failed"), "{e}");
    w.shutdown().unwrap();
}
