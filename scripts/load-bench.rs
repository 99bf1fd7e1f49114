//! Load generator for `scripts/load-bench.sh`: N keep-alive HTTP/1.1 connections on loopback,
//! each sending `POST /v1/check` back to back for a fixed time, then throughput and latency
//! percentiles. Standard library only (compiled with plain `rustc -O`), so the benchmark needs
//! nothing beyond the toolchain. Only loopback addresses are accepted, and every run is
//! bounded in time and request count.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Opts {
    addr: String,
    key: String,
    connections: usize,
    duration: Duration,
    warmup: Duration,
    max_requests: u64,
    /// Total requests per second (open loop, paced per connection); 0 = as fast as possible.
    rate: u64,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        addr: String::new(),
        key: String::new(),
        connections: 64,
        duration: Duration::from_secs(10),
        warmup: Duration::from_secs(2),
        max_requests: 5_000_000,
        rate: 0,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().ok_or_else(|| format!("{} needs a value", args[i]))?;
        let num = |s: &str| s.parse::<u64>().map_err(|e| format!("{s}: {e}"));
        match args[i].as_str() {
            "--addr" => o.addr = v,
            "--key" => o.key = v,
            "--connections" => o.connections = num(&v)? as usize,
            "--duration" => o.duration = Duration::from_secs(num(&v)?),
            "--warmup" => o.warmup = Duration::from_secs(num(&v)?),
            "--max-requests" => o.max_requests = num(&v)?,
            "--rate" => o.rate = num(&v)?,
            other => return Err(format!("unknown option {other}")),
        }
        i += 2;
    }
    let host = o.addr.rsplit_once(':').map(|(h, _)| h).unwrap_or("");
    if !(host.starts_with("127.") || host == "localhost" || host == "[::1]") {
        return Err(format!("refusing non-loopback address {:?}", o.addr));
    }
    if o.key.is_empty() {
        return Err("--key is required".into());
    }
    Ok(o)
}

/// A mix of realistic checks: screened buyers, several chips and destinations.
const BODIES: &[&str] = &[
    r#"{"chip":"H20","to":"MY","buyer":"ByteDance Pte. Ltd.","buyer_hq":"CN","date":"2025-04-20"}"#,
    r#"{"chip":"H100","to":"DE","buyer":"Siemens AG","buyer_hq":"DE","date":"2025-02-01"}"#,
    r#"{"chip":"A100","to":"CN","buyer":"Tencent Holdings","buyer_hq":"CN","date":"2024-06-01"}"#,
    r#"{"chip":"H20","to":"SG","buyer":"Acme Cloud Pte. Ltd.","buyer_hq":"SG","date":"2025-05-01","end_use":"cloud inference"}"#,
];

struct Sample {
    at: Instant,
    micros: u32,
    ok: bool,
}

fn read_response(r: &mut BufReader<TcpStream>) -> std::io::Result<u16> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed"));
    }
    let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut len = 0usize;
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    Ok(status)
}

fn worker(id: usize, o: Arc<Opts>, stop: Arc<AtomicBool>, budget: u64) -> Vec<Sample> {
    let mut out = Vec::with_capacity(100_000);
    let mut n = 0u64;
    // Paced mode: connection `id` sends at t0 + k·interval; latency counts from the scheduled
    // time, so a stalled server is not hidden by the client waiting (no coordinated omission).
    let interval = (o.rate > 0).then(|| Duration::from_secs_f64(o.connections as f64 / o.rate as f64));
    let t0 = Instant::now() + interval.map(|i| i.mul_f64(id as f64 / o.connections as f64)).unwrap_or_default();
    'conn: while !stop.load(Ordering::Relaxed) && n < budget {
        let Ok(s) = TcpStream::connect(&o.addr) else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let _ = s.set_nodelay(true);
        let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
        let Ok(mut w) = s.try_clone() else { continue };
        let mut r = BufReader::new(s);
        while !stop.load(Ordering::Relaxed) && n < budget {
            let body = BODIES[(id + n as usize) % BODIES.len()];
            let req = format!(
                "POST /v1/check HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
                o.addr,
                o.key,
                body.len(),
                body
            );
            let t = match interval {
                Some(i) => {
                    let due = t0 + i.mul_f64(n as f64);
                    let now = Instant::now();
                    if due > now {
                        std::thread::sleep(due - now);
                    }
                    due
                }
                None => Instant::now(),
            };
            if w.write_all(req.as_bytes()).is_err() {
                continue 'conn;
            }
            let status = match read_response(&mut r) {
                Ok(s) => s,
                Err(_) => continue 'conn,
            };
            out.push(Sample { at: t, micros: t.elapsed().as_micros().min(u32::MAX as u128) as u32, ok: status == 200 });
            n += 1;
        }
    }
    out
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i.min(sorted.len() - 1)]) / 1000.0
}

fn main() {
    let o = match opts() {
        Ok(o) => Arc::new(o),
        Err(e) => {
            eprintln!("load-bench: {e}");
            std::process::exit(2);
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let budget = o.max_requests / o.connections.max(1) as u64;
    let handles: Vec<_> = (0..o.connections)
        .map(|i| {
            let (o, stop) = (o.clone(), stop.clone());
            std::thread::spawn(move || worker(i, o, stop, budget))
        })
        .collect();
    std::thread::sleep(o.warmup + o.duration);
    stop.store(true, Ordering::Relaxed);
    let measure_from = start + o.warmup;
    let measure_to = measure_from + o.duration;
    let mut lat = Vec::new();
    let mut errors = 0u64;
    for h in handles {
        for s in h.join().unwrap_or_default() {
            if s.at >= measure_from && s.at < measure_to {
                if s.ok {
                    lat.push(s.micros);
                } else {
                    errors += 1;
                }
            }
        }
    }
    lat.sort_unstable();
    let secs = o.duration.as_secs_f64();
    println!(
        "connections={} rate={} duration={}s ok={} errors={} throughput={:.0} decisions/s p50={:.2}ms p90={:.2}ms p99={:.2}ms max={:.2}ms",
        o.connections,
        if o.rate > 0 { o.rate.to_string() } else { "max".into() },
        o.duration.as_secs(),
        lat.len(),
        errors,
        lat.len() as f64 / secs,
        pct(&lat, 0.50),
        pct(&lat, 0.90),
        pct(&lat, 0.99),
        pct(&lat, 1.0)
    );
}
