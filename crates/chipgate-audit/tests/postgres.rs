//! The PostgreSQL backend against a real server started for the test (see
//! `support/pgtmp.rs`): the same chain, verify, export, keys and idempotency as SQLite;
//! append-only enforced by the database; several writers (as several server replicas would)
//! building one gap-free chain; a key reused for another request refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "support/pgtmp.rs"]
mod pgtmp;

use std::collections::BTreeSet;

use chipgate_audit::{verify, AuditError, AuditLog, AuditWriter, KeyStore};

#[test]
fn postgres_backend() {
    let Some(pg) = pgtmp::TempPg::start("postgres_backend") else {
        return;
    };
    one_log(&pg.database("one"));
    replicas(&pg.database("replicas"));
}

fn one_log(url: &str) {
    let mut log = AuditLog::open(url).unwrap();
    assert!(log.is_empty().unwrap());
    let r1 = log.append(common::sample(1)).unwrap();
    let r2 = log
        .append(common::sample(2).with_client_ref("PO-2"))
        .unwrap();
    assert_eq!((r1.seq, r2.seq), (1, 2));
    let got = log.get(2).unwrap().unwrap();
    assert_eq!(got.client_ref.as_deref(), Some("PO-2"));
    assert_eq!(got.hash, r2.hash);
    let rep = verify(url).unwrap();
    assert!(rep.ok && rep.records == 2, "{rep:?}");
    assert_eq!(rep.head.unwrap().seq, 2);

    // Idempotency: the second use replays, another request under the key is refused.
    let a = log
        .append_once(common::sample(3).with_idempotency("k1", b"answer-3".to_vec()))
        .unwrap();
    assert!(a.replayed.is_none());
    let b = log
        .append_once(common::sample(3).with_idempotency("k1", b"other".to_vec()))
        .unwrap();
    assert_eq!(b.receipt, a.receipt);
    assert_eq!(b.replayed.as_deref(), Some(&b"answer-3"[..]));
    let c = log.append_once(common::sample(4).with_idempotency("k1", vec![]));
    assert!(
        matches!(c, Err(AuditError::IdempotencyConflict(_))),
        "{c:?}"
    );
    assert_eq!(log.len().unwrap(), 3);

    // Export: one line per record, the client reference only where there is one.
    let mut out = Vec::new();
    assert_eq!(
        chipgate_audit::export(url, None, None, &mut out).unwrap(),
        3
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[1]["client_ref"], "PO-2");
    assert!(lines[0].get("client_ref").is_none());

    // Append-only in the database itself.
    let mut raw = postgres::Client::connect(url, postgres::NoTls).unwrap();
    for sql in [
        "UPDATE audit_log SET kind = 'x' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 3",
        "TRUNCATE audit_log CASCADE",
    ] {
        let e = raw.batch_execute(sql).unwrap_err();
        let msg = e.as_db_error().unwrap().message().to_string();
        assert!(
            msg.contains("append-only") || msg.contains("permission"),
            "{sql}: {msg}"
        );
    }
    // A rewrite with the trigger disabled is caught by verify.
    raw.batch_execute(
        "GRANT UPDATE ON audit_log TO CURRENT_USER; \
         ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; \
         UPDATE audit_log SET client_ref = 'PO-X' WHERE seq = 2; \
         ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;",
    )
    .unwrap();
    let rep = verify(url).unwrap();
    assert_eq!(rep.first_problem.unwrap().seq, 2);

    // Keys live in the same database.
    let keys = KeyStore::open(url).unwrap();
    let (info, key) = keys.create("erp").unwrap();
    assert!(matches!(
        keys.create("erp"),
        Err(AuditError::KeyNameTaken(_))
    ));
    assert_eq!(keys.authenticate(&key).unwrap().id, info.id);
    let other = KeyStore::open(url).unwrap();
    assert_eq!(other.list().unwrap().len(), 1);
    other.revoke("erp").unwrap();
    keys.reload().unwrap();
    assert!(keys.authenticate(&key).is_none());
}

/// Two writers on their own connections (two server replicas), eight threads each, some
/// records sharing idempotency keys across the writers.
fn replicas(url: &str) {
    let writers = [
        AuditWriter::spawn(url).unwrap(),
        AuditWriter::spawn(url).unwrap(),
    ];
    let mut threads = Vec::new();
    for (w_i, w) in writers.iter().enumerate() {
        for t in 0..8u64 {
            let w = w.clone();
            threads.push(std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .unwrap();
                let mut out = Vec::new();
                for i in 0..150u64 {
                    let mut rec = common::sample(t * 1000 + i).with_key_id("k");
                    // Every 10th request uses a key both writers send.
                    let shared = i.is_multiple_of(10);
                    if shared {
                        rec = rec.with_idempotency(format!("t{t}-i{i}"), vec![w_i as u8]);
                        rec.request = serde_json::json!({"shared": [t, i]});
                    }
                    let a = rt.block_on(w.append_once(rec)).unwrap();
                    out.push((shared, a));
                }
                out
            }));
        }
    }
    let mut seqs = Vec::new();
    let mut replayed = 0;
    for t in threads {
        for (shared, a) in t.join().unwrap() {
            if a.replayed.is_some() {
                assert!(shared);
                replayed += 1;
            } else {
                seqs.push(a.receipt.seq);
            }
        }
    }
    for w in &writers {
        w.shutdown().unwrap();
    }
    // 2 x 8 x 150 requests; each shared key (8 x 15) appended once and replayed once.
    assert_eq!(replayed, 8 * 15);
    let unique: BTreeSet<i64> = seqs.iter().copied().collect();
    assert_eq!(unique.len(), seqs.len(), "a seq acknowledged twice");
    let expected: BTreeSet<i64> = (1..=(2 * 8 * 150 - 8 * 15)).collect();
    assert_eq!(unique, expected, "acknowledged seqs are 1..n without gaps");
    let rep = verify(url).unwrap();
    assert!(rep.ok, "{rep:?}");
    assert_eq!(rep.records as usize, seqs.len());
}
