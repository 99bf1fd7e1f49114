//! Crash test: a child process (this test binary re-executed with an env var)
//! appends from several threads through the group-commit writer and prints
//! every acknowledged seq; it is killed with SIGKILL mid-write. The chain
//! must then verify and every acknowledged seq must be present. Repeated
//! several times on the same database, appending after each recovery.
#![expect(clippy::unwrap_used, reason = "tests fail by unwrapping")]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chipgate_audit::{verify, AuditLog, AuditWriter};

const CHILD_ENV: &str = "CHIPGATE_AUDIT_CRASH_CHILD_DB";

/// Child body: does nothing unless re-executed by the parent test.
#[test]
fn crash_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let w = AuditWriter::spawn(&path).unwrap();
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let w = w.clone();
            std::thread::spawn(move || {
                for i in 0.. {
                    let r = w
                        .append_blocking(common::sample(t * 1_000_000 + i))
                        .unwrap();
                    // Printed only after the record is acknowledged (durable).
                    println!("ACK {}", r.seq);
                }
            })
        })
        .collect();
    for h in handles {
        let _ = h.join();
    }
}

fn run_and_kill(path: &std::path::Path, min_acks: usize, extra: Duration) -> Vec<i64> {
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "crash_child_writer",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<i64>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(seq) = line.strip_prefix("ACK ") {
                if let Ok(seq) = seq.trim().parse::<i64>() {
                    if tx.send(seq).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut acks = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acks.len() < min_acks && Instant::now() < deadline {
        if let Ok(s) = rx.recv_timeout(Duration::from_millis(100)) {
            acks.push(s);
        }
    }
    std::thread::sleep(extra);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    reader.join().unwrap();
    acks.extend(rx.try_iter());
    assert!(
        acks.len() >= min_acks,
        "child acknowledged only {} records",
        acks.len()
    );
    acks
}

#[test]
fn kill_minus_9_mid_write_keeps_every_acknowledged_record() {
    let (_d, path) = common::temp_db();
    AuditLog::open(&path).unwrap();
    let mut all_acks = Vec::new();
    for (round, extra_ms) in [(0, 0_u64), (1, 37), (2, 113)] {
        let acks = run_and_kill(&path, 1500, Duration::from_millis(extra_ms));
        let rep = verify(&path).unwrap();
        assert!(rep.ok, "round {round}: {rep:?}");
        let max_ack = acks.iter().copied().max().unwrap();
        assert!(
            rep.records >= max_ack as u64,
            "round {round}: acknowledged seq {max_ack} but only {} records survive",
            rep.records
        );
        let log = AuditLog::open(&path).unwrap();
        for &s in acks.iter().step_by(50).chain(std::iter::once(&max_ack)) {
            assert!(log.get(s).unwrap().is_some(), "acknowledged seq {s} lost");
        }
        eprintln!(
            "crash round {round}: {} acks (max {max_ack}), {} records after kill -9, chain ok",
            acks.len(),
            rep.records
        );
        all_acks.extend(acks);
        // The log keeps working after recovery.
        let mut log = log;
        let r = log.append(common::sample(9)).unwrap();
        assert_eq!(r.seq as u64, rep.records + 1);
    }
    let mut uniq = all_acks.clone();
    uniq.sort_unstable();
    uniq.dedup();
    assert_eq!(uniq.len(), all_acks.len(), "no seq acknowledged twice");
    assert!(verify(&path).unwrap().ok);
}
