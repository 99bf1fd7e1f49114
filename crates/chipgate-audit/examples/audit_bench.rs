//! Throughput/latency benchmark of the group-commit writer, as the server
//! uses it: tokio tasks calling `AuditWriter::append(..).await`.
//!
//! Phase 1 (closed loop): N concurrent submitters append as fast as acks come
//! back -> maximum appends/s and ack latency at saturation.
//! Phase 2 (open loop): records are submitted at a fixed rate (default
//! 5000/s) regardless of acks; latency is measured from the scheduled send
//! time (no coordinated omission) -> p50/p99 at the target load.
//!
//! `cargo run --release -p chipgate-audit --example audit_bench -- \
//!     [--submitters 64] [--seconds 5] [--rate 5000] [--dir PATH]`
//! (`--submitters 0` or `--rate 0` skips that phase).
#![expect(clippy::unwrap_used, reason = "benchmark setup stops by unwrapping")]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chipgate_audit::{verify, AuditWriter, NewRecord};
use serde_json::json;

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn record(i: u64) -> NewRecord {
    NewRecord::new(
        "check",
        json!({"chip": {"name": "Accel X200", "tpp": 4800, "die_area_mm2": 814,
                        "memory_bandwidth_gbps": 3350, "interconnect_gbps": 900},
               "destination": "CN", "end_user": "Example Cloud Ltd", "request_no": i}),
        json!({"eccn": "3A090.a", "license_required": true, "license_exceptions": [],
               "reasons": ["tpp >= 4800", "destination in country group D:5"],
               "rules": [{"id": "744.23(a)(1)", "cite": "15 CFR 744.23"},
                         {"id": "742.6(a)(6)(iii)", "cite": "15 CFR 742.6"}],
               "screening": {"hits": [], "lists": ["entity", "unverified", "meu", "sdn"]},
               "explanation": "x".repeat(800)}),
        "rulebook-sha256:9f2c1e0b4a",
        "lists-sha256:77ab03de91",
    )
    .with_key_id("a1b2c3d4e5f6")
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx] as f64 / 1000.0
}

fn report(name: &str, mut lat_us: Vec<u64>, elapsed: Duration) {
    lat_us.sort_unstable();
    let n = lat_us.len();
    println!(
        "{name}: {n} appends in {:.2}s = {:.0} appends/s; ack latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        pct(&lat_us, 0.50),
        pct(&lat_us, 0.90),
        pct(&lat_us, 0.99),
        pct(&lat_us, 0.999),
        pct(&lat_us, 1.0),
    );
}

async fn closed_loop(w: &AuditWriter, submitters: u64, secs: u64) {
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..submitters)
        .map(|t| {
            let w = w.clone();
            tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut i = t * 10_000_000;
                while Instant::now() < deadline {
                    let t0 = Instant::now();
                    w.append(record(i)).await.unwrap();
                    lat.push(t0.elapsed().as_micros() as u64);
                    i += 1;
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    report(
        &format!("closed loop, {submitters} submitters"),
        all,
        start.elapsed(),
    );
}

async fn open_loop(w: &AuditWriter, rate: u64, secs: u64) {
    let lat = Arc::new(std::sync::Mutex::new(Vec::with_capacity(
        (rate * secs) as usize,
    )));
    let start = Instant::now();
    let total = rate * secs;
    let mut handles = Vec::with_capacity(total as usize);
    for i in 0..total {
        // Scheduled send time of request i.
        let due = start + Duration::from_nanos(i * 1_000_000_000 / rate);
        let now = Instant::now();
        if due > now {
            tokio::time::sleep(due - now).await;
        }
        let w = w.clone();
        let lat = lat.clone();
        handles.push(tokio::spawn(async move {
            w.append(record(i)).await.unwrap();
            let us = due.elapsed().as_micros() as u64;
            lat.lock().unwrap().push(us);
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let elapsed = start.elapsed();
    let v = std::mem::take(&mut *lat.lock().unwrap());
    report(&format!("open loop at {rate}/s"), v, elapsed);
}

fn main() {
    let submitters = arg("--submitters", 64);
    let secs = arg("--seconds", 5);
    let rate = arg("--rate", 5000);
    let dir = match std::env::args().skip_while(|a| a != "--dir").nth(1) {
        Some(d) => tempfile::tempdir_in(d).unwrap(),
        None => tempfile::tempdir().unwrap(),
    };
    let path = dir.path().join("bench.db");
    println!(
        "db: {} (cores: {:?})",
        path.display(),
        std::thread::available_parallelism().ok()
    );
    let w = AuditWriter::spawn(&path).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        if submitters > 0 {
            closed_loop(&w, submitters, secs).await;
        }
        if rate > 0 {
            open_loop(&w, rate, secs).await;
        }
    });
    w.shutdown().unwrap();
    let t = Instant::now();
    let rep = verify(&path).unwrap();
    println!(
        "verify: ok={} records={} in {:.2}s; db size {:.1} MiB",
        rep.ok,
        rep.records,
        t.elapsed().as_secs_f64(),
        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0
    );
}
