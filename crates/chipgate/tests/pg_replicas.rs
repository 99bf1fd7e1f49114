//! Several `chipgate serve` replicas on one PostgreSQL audit chain, end to end on loopback:
//! a PostgreSQL started for the test (`chipgate-audit/tests/support/pgtmp.rs`), two servers
//! on the same database, a bounded concurrent load at both, one replica killed with SIGKILL
//! mid-run and restarted. Then every acknowledged audit sequence must be stored exactly once,
//! the chain must have no gap and verify, and a retried `Idempotency-Key` must get its
//! original answer and sequence from either replica. Also measures requests per second of
//! one replica, two replicas and (for reference) one server on SQLite, and prints them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../chipgate-audit/tests/support/pgtmp.rs"]
mod pgtmp;

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "support/cli.rs"]
mod cli;
use cli::chipgate;

fn create_key(db: &str, name: &str) -> String {
    cli::create_key(db, name, &[])
}

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(db: &str) -> Server {
        let (child, addr) = cli::spawn_serve(
            chipgate(),
            db,
            &["--max-per-key", "256", "--max-inflight", "1024"],
            true,
        );
        Server { child, addr }
    }

    fn kill9(&mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }

    fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(s)) = self.child.try_wait() {
                assert!(s.success(), "replica exited with {s}");
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("replica did not stop");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Resp {
    status: u16,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Resp {
    fn seq(&self) -> Option<i64> {
        self.headers.get("x-audit-seq")?.parse().ok()
    }
}

/// A keep-alive HTTP/1.1 connection (answers here always carry a Content-Length).
struct Conn {
    addr: String,
    stream: BufReader<TcpStream>,
}

impl Conn {
    fn open(addr: &str) -> std::io::Result<Conn> {
        let s = TcpStream::connect(addr)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        s.set_nodelay(true)?;
        Ok(Conn {
            addr: addr.to_string(),
            stream: BufReader::new(s),
        })
    }

    fn post(&mut self, key: &str, idem: Option<&str>, body: &Value) -> std::io::Result<Resp> {
        let body = body.to_string();
        let mut head = format!(
            "POST /v1/check HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Authorization: Bearer {key}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        if let Some(k) = idem {
            head.push_str(&format!("Idempotency-Key: {k}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(&body);
        self.stream.get_mut().write_all(head.as_bytes())?;
        let mut status_line = String::new();
        if self.stream.read_line(&mut status_line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let mut headers = HashMap::new();
        loop {
            let mut l = String::new();
            self.stream.read_line(&mut l)?;
            let l = l.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let mut body = vec![0; len];
        self.stream.read_exact(&mut body)?;
        Ok(Resp {
            status,
            headers,
            body,
        })
    }
}

fn check_body(order: &str) -> Value {
    json!({"chip": "H20", "to": "MY", "buyer_hq": "CN", "date": "2025-04-20", "order_id": order})
}

/// An acknowledged request: who sent it and what it got.
#[derive(Clone)]
struct Ack {
    order: String,
    idem: Option<String>,
    seq: i64,
    body: Vec<u8>,
}

/// Runs `clients` threads against `addrs` (client i uses `addrs[i % len]`, re-read before
/// every request so a restarted replica's new address is picked up) until `stop`.
fn load(
    key: &str,
    addrs: &Arc<Mutex<Vec<String>>>,
    clients: usize,
    tag: &str,
    stop: &Arc<AtomicBool>,
) -> Vec<std::thread::JoinHandle<(Vec<Ack>, [usize; 2])>> {
    (0..clients)
        .map(|c| {
            let (key, addrs, stop, tag) = (
                key.to_string(),
                addrs.clone(),
                stop.clone(),
                tag.to_string(),
            );
            std::thread::spawn(move || {
                let mut acks = Vec::new();
                // [connection errors, refused (503/429)]
                let mut failures = [0usize; 2];
                let mut conn: Option<Conn> = None;
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let addr = {
                        let a = addrs.lock().unwrap();
                        a[c % a.len()].clone()
                    };
                    if conn.as_ref().is_none_or(|k| k.addr != addr) {
                        conn = Conn::open(&addr).ok();
                        if conn.is_none() {
                            failures[0] += 1;
                            std::thread::sleep(Duration::from_millis(20));
                            continue;
                        }
                    }
                    i += 1;
                    let order = format!("{tag}-c{c}-{i}");
                    // Every third request carries an idempotency key.
                    let idem = i.is_multiple_of(3).then(|| format!("idem-{order}"));
                    let Some(k) = conn.as_mut() else { continue };
                    match k.post(&key, idem.as_deref(), &check_body(&order)) {
                        Ok(r) if r.status == 200 => acks.push(Ack {
                            seq: r.seq().expect("an answer without its audit seq"),
                            order,
                            idem,
                            body: r.body,
                        }),
                        Ok(r) => {
                            assert!(
                                r.status == 503 || r.status == 429,
                                "status {}: {}",
                                r.status,
                                String::from_utf8_lossy(&r.body)
                            );
                            failures[1] += 1;
                        }
                        Err(_) => {
                            failures[0] += 1;
                            conn = None;
                        }
                    }
                }
                (acks, failures)
            })
        })
        .collect()
}

fn join(hs: Vec<std::thread::JoinHandle<(Vec<Ack>, [usize; 2])>>) -> (Vec<Ack>, [usize; 2]) {
    let mut all = Vec::new();
    let mut failures = [0; 2];
    for h in hs {
        let (a, f) = h.join().unwrap();
        all.extend(a);
        failures[0] += f[0];
        failures[1] += f[1];
    }
    (all, failures)
}

/// Requests per second of `clients` threads at `addrs` for `secs`.
fn throughput(key: &str, addrs: Vec<String>, clients: usize, secs: f64, tag: &str) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let addrs = Arc::new(Mutex::new(addrs));
    let t = Instant::now();
    let hs = load(key, &addrs, clients, tag, &stop);
    std::thread::sleep(Duration::from_secs_f64(secs));
    stop.store(true, Ordering::Relaxed);
    let (acks, _) = join(hs);
    acks.len() as f64 / t.elapsed().as_secs_f64()
}

fn export(db: &str) -> Vec<Value> {
    cli::audit_export(db)
}

#[test]
fn two_replicas_one_chain_survive_sigkill() {
    let Some(pg) = pgtmp::TempPg::start("two_replicas_one_chain_survive_sigkill") else {
        return;
    };
    let clients = 8;
    let secs = 3.0;

    // Throughput, same run: one replica, two replicas (own database each), SQLite reference.
    let bench = pg.database("bench");
    let bkey = create_key(&bench, "bench");
    let (mut b1, mut b2) = (Server::start(&bench), Server::start(&bench));
    let one = throughput(&bkey, vec![b1.addr.clone()], clients, secs, "one");
    let two = throughput(
        &bkey,
        vec![b1.addr.clone(), b2.addr.clone()],
        clients,
        secs,
        "two",
    );
    b1.stop();
    b2.stop();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("ref.db").to_string_lossy().to_string();
    let skey = create_key(&sqlite, "bench");
    let mut s1 = Server::start(&sqlite);
    let lite = throughput(&skey, vec![s1.addr.clone()], clients, secs, "lite");
    s1.stop();
    eprintln!(
        "THROUGHPUT ({clients} clients, {secs} s each, /v1/check): PostgreSQL 1 replica \
         {one:.0} req/s; 2 replicas {two:.0} req/s; SQLite 1 server {lite:.0} req/s"
    );
    assert!(one > 0.0 && two > 0.0 && lite > 0.0);

    // The crash run.
    let db = pg.database("chain");
    let key = create_key(&db, "erp");
    let a = Server::start(&db);
    let mut b = Server::start(&db);
    let addrs = Arc::new(Mutex::new(vec![a.addr.clone(), b.addr.clone()]));
    let stop = Arc::new(AtomicBool::new(false));
    let hs = load(&key, &addrs, clients, "run", &stop);
    std::thread::sleep(Duration::from_millis(1500));
    b.kill9();
    std::thread::sleep(Duration::from_millis(300));
    let b2 = Server::start(&db);
    addrs.lock().unwrap()[1] = b2.addr.clone();
    std::thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::Relaxed);
    let (acks, failures) = join(hs);
    eprintln!(
        "crash run: {} acknowledged, {} connection errors (the killed replica), {} refused",
        acks.len(),
        failures[0],
        failures[1]
    );
    assert!(
        acks.len() > 100,
        "too few acknowledged requests: {}",
        acks.len()
    );

    // No sequence acknowledged twice.
    let mut by_seq: BTreeMap<i64, &Ack> = BTreeMap::new();
    for ack in &acks {
        assert!(
            by_seq.insert(ack.seq, ack).is_none(),
            "seq {} acknowledged twice",
            ack.seq
        );
    }

    // Idempotency: retries (on either replica) get the original answer and seq; a key sent
    // to both replicas at once makes one record; the key with another request is refused.
    let retried: Vec<&Ack> = acks.iter().filter(|a| a.idem.is_some()).take(20).collect();
    assert!(!retried.is_empty());
    for (n, ack) in retried.iter().enumerate() {
        let addr = if n % 2 == 0 { &a.addr } else { &b2.addr };
        let r = Conn::open(addr)
            .unwrap()
            .post(&key, ack.idem.as_deref(), &check_body(&ack.order))
            .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.seq(), Some(ack.seq), "a retry got another seq");
        assert_eq!(
            r.headers.get("idempotent-replayed").map(String::as_str),
            Some("true")
        );
        assert_eq!(r.body, ack.body, "a retry got another answer");
    }
    let racers: Vec<_> = [a.addr.clone(), b2.addr.clone()]
        .into_iter()
        .map(|addr| {
            let key = key.clone();
            std::thread::spawn(move || {
                Conn::open(&addr)
                    .unwrap()
                    .post(&key, Some("race-1"), &check_body("race"))
                    .unwrap()
                    .seq()
                    .unwrap()
            })
        })
        .collect();
    let raced: BTreeSet<i64> = racers.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(
        raced.len(),
        1,
        "two records for one idempotency key: {raced:?}"
    );
    let reused = Conn::open(&a.addr)
        .unwrap()
        .post(&key, Some("race-1"), &check_body("another order"))
        .unwrap();
    assert_eq!(reused.status, 422);

    // The chain: verify intact, every record 1..=n once, every acknowledged seq present
    // with the order id it answered (stored in the record's client_ref column).
    let out = chipgate()
        .args(["audit", "verify", "--db", &db])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success() && text.starts_with("ok: "), "{text}");
    let records = export(&db);
    let seqs: Vec<i64> = records.iter().map(|r| r["seq"].as_i64().unwrap()).collect();
    let n = seqs.len() as i64;
    assert_eq!(
        seqs,
        (1..=n).collect::<Vec<_>>(),
        "gaps or duplicates in the chain"
    );
    let refs: HashMap<i64, &str> = records
        .iter()
        .map(|r| {
            (
                r["seq"].as_i64().unwrap(),
                r["client_ref"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for (seq, ack) in &by_seq {
        assert_eq!(
            refs.get(seq).copied(),
            Some(ack.order.as_str()),
            "seq {seq}"
        );
    }
    let raced_seq = *raced.iter().next().unwrap();
    assert_eq!(refs.get(&raced_seq).copied(), Some("race"));
    assert_eq!(
        records.iter().filter(|r| r["client_ref"] == "race").count(),
        1
    );
    // The answer echoes the order id.
    let first: Value = serde_json::from_slice(&acks[0].body).unwrap();
    assert_eq!(first["order_id"], acks[0].order.as_str());
    let (mut a, mut b2) = (a, b2);
    a.stop();
    b2.stop();
}
