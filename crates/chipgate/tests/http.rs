//! End-to-end tests of `chipgate serve` on loopback: the built binary is started on
//! 127.0.0.1:0 (it prints the bound address), spoken to with a minimal HTTP/1.1 client, and
//! stopped with SIGTERM (graceful) or SIGKILL (crash). Covers the endpoints' contracts, auth,
//! limits, strict parsing, the OpenAPI document, reload, and that every acknowledged decision
//! survives a crash in a verifiable audit log.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "tests fail by unwrapping and panicking"
)]

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "support/cli.rs"]
mod cli;
use cli::{audit_export, chipgate, spawn_serve};

/// Creates a key with every scope in `db` and returns it.
fn create_key(db: &Path, name: &str) -> String {
    cli::create_key(db, name, &["--scopes", "check,screen,orders,admin"])
}

/// Creates a key with extra `keys create` options (scopes, rate) and returns it.
fn create_key_with(db: &Path, name: &str, extra: &[&str]) -> String {
    cli::create_key(db, name, extra)
}

struct Server {
    child: Child,
    addr: String,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(extra: &[&str]) -> (Server, String) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("chipgate.db");
        let key = create_key(&db, "test");
        let (child, addr) = spawn_serve(chipgate(), &db, extra, true);
        (
            Server {
                child,
                addr,
                db,
                _dir: dir,
            },
            key,
        )
    }

    fn signal(&self, sig: &str) {
        let st = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// SIGTERM and wait; returns whether it exited successfully within `limit`.
    fn stop(&mut self, limit: Duration) -> bool {
        self.signal("-TERM");
        let t = Instant::now();
        while t.elapsed() < limit {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
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
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
    fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// One request on a fresh connection (`Connection: close`).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    key: Option<&str>,
    ctype: &str,
    body: &[u8],
) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !ctype.is_empty() {
        head.push_str(&format!("Content-Type: {ctype}\r\n"));
    }
    if let Some(k) = key {
        head.push_str(&format!("Authorization: Bearer {k}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) before reading an oversized body; ignore a reset here.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(nl) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..nl]).trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + size]);
        b = &b[nl + 2 + size + 2..];
    }
    out
}

fn post(addr: &str, path: &str, key: &str, body: &Value) -> Resp {
    request(
        addr,
        "POST",
        path,
        Some(key),
        "application/json",
        body.to_string().as_bytes(),
    )
}

fn get(addr: &str, path: &str, key: Option<&str>) -> Resp {
    request(addr, "GET", path, key, "", b"")
}

fn h20_check() -> Value {
    json!({"chip": "H20", "to": "MY", "buyer": "ByteDance Pte. Ltd.", "buyer_hq": "CN", "date": "2025-04-20"})
}

fn audit_verify(db: &Path) -> (bool, String) {
    let out = chipgate()
        .args(["audit", "verify", "--db"])
        .arg(db)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[test]
fn check_over_http_equals_cli_json_and_is_audited() {
    let (srv, key) = Server::start(&[]);
    let r = post(&srv.addr, "/v1/check", &key, &h20_check());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.headers["content-type"], "application/json");
    let seq: i64 = r.headers["x-audit-seq"].parse().unwrap();
    assert_eq!(seq, 1);
    let http = r.json();
    assert_eq!(http["decision"], "LICENSE_REQUIRED");

    let out = chipgate()
        .args([
            "check",
            "--chip",
            "H20",
            "--to",
            "MY",
            "--buyer",
            "ByteDance Pte. Ltd.",
        ])
        .args(["--buyer-hq", "CN", "--date", "2025-04-20", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(http, cli, "HTTP and CLI answers differ");

    let records = audit_export(&srv.db);
    assert_eq!(records.len(), 1);
    let rec = &records[0];
    assert_eq!(rec["kind"], "check");
    assert_eq!(rec["request"], h20_check());
    assert_eq!(rec["response"], http);
    assert_eq!(rec["hash"], r.headers["x-audit-hash"].as_str());
    assert!(rec["key_id"].as_str().is_some_and(|k| key.contains(k)));
    let health = get(&srv.addr, "/healthz", None).json();
    assert_eq!(rec["rulebook_fingerprint"], health["rulebook_fingerprint"]);
    assert_eq!(rec["lists_fingerprint"], health["lists_fingerprint"]);
    assert!(!health["lists_fingerprint"].as_str().unwrap().is_empty());
}

#[test]
fn every_endpoint_answers() {
    let (srv, key) = Server::start(&[]);
    let a = &srv.addr;
    let k = key.as_str();
    let health = get(a, "/healthz", None);
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");

    let c = post(
        a,
        "/v1/classify",
        k,
        &json!({"chip": "H100", "date": "2024-01-01"}),
    );
    assert_eq!(c.status, 200, "{}", String::from_utf8_lossy(&c.body));
    assert_eq!(c.json()["eccn"], "3A090.a");

    let spec = json!({"name": "Test", "vendor": "Acme", "datacenter": true, "throughput": [{"bits": 8, "tops": 2000.0}], "die_area_mm2": 800.0});
    let c = post(
        a,
        "/v1/classify",
        k,
        &json!({"spec": spec, "date": "2024-01-01"}),
    );
    assert_eq!(c.status, 200, "{}", String::from_utf8_lossy(&c.body));

    let s = post(
        a,
        "/v1/screen",
        k,
        &json!({"name": "Huawei Technologies Co., Ltd.", "date": "2025-01-01"}),
    );
    assert_eq!(s.status, 200, "{}", String::from_utf8_lossy(&s.body));
    assert!(s.json()["status"].is_string());

    let chips = get(a, "/v1/chips", Some(k));
    assert_eq!(chips.status, 200);
    assert!(chips.json().as_array().unwrap().len() > 5);
    let h20 = get(a, "/v1/chips/H20", Some(k));
    assert_eq!(h20.status, 200);
    assert!(h20.json()["metrics"].is_object());
    let none = get(a, "/v1/chips/NoSuchChip9000", Some(k));
    assert_eq!(none.status, 404);
    assert_eq!(none.code(), "unknown_chip");

    let rules = get(a, "/v1/rules?date=2024-01-01", Some(k));
    assert_eq!(rules.status, 200);
    assert!(!rules.json()["provisions"].as_array().unwrap().is_empty());

    let t = get(a, "/v1/timeline?chip=H20&to=CN&to_date=2025-12-31", Some(k));
    assert_eq!(t.status, 200, "{}", String::from_utf8_lossy(&t.body));
    assert!(t.json()["segments"].as_array().unwrap().len() >= 2);

    let sc = post(
        a,
        "/v1/check",
        k,
        &json!({"chip": "H20", "to": "CN", "date": "2025-06-01", "scenario": "no-april-letter"}),
    );
    assert_eq!(sc.status, 200, "{}", String::from_utf8_lossy(&sc.body));
    assert_eq!(sc.json()["scenarios"].as_array().unwrap().len(), 1);
    let bad = post(
        a,
        "/v1/check",
        k,
        &json!({"chip": "H20", "to": "CN", "scenario": "no-such-scenario"}),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.code(), "unknown_scenario");

    let reload = request(a, "POST", "/v1/admin/reload", Some(k), "", b"");
    assert_eq!(
        reload.status,
        200,
        "{}",
        String::from_utf8_lossy(&reload.body)
    );
    assert_eq!(reload.json()["reloaded"], true);
    srv.signal("-HUP");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(post(a, "/v1/check", k, &h20_check()).status, 200);

    let nf = get(a, "/v2/nothing", Some(k));
    assert_eq!(nf.status, 404);
    assert_eq!(nf.code(), "not_found");

    let (ok, text) = audit_verify(&srv.db);
    assert!(ok, "{text}");
}

#[test]
fn auth_missing_wrong_and_revoked_keys_are_refused() {
    let (srv, key) = Server::start(&[]);
    let a = &srv.addr;
    let none = request(
        a,
        "POST",
        "/v1/check",
        None,
        "application/json",
        h20_check().to_string().as_bytes(),
    );
    assert_eq!(none.status, 401);
    assert_eq!(none.code(), "missing_key");
    assert_eq!(none.headers["www-authenticate"], "Bearer");

    let wrong = format!("{}0", &key[..key.len() - 1]);
    let wrong = if wrong == key {
        format!("{}1", &key[..key.len() - 1])
    } else {
        wrong
    };
    let r = post(a, "/v1/check", &wrong, &h20_check());
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "invalid_key");
    assert_eq!(post(a, "/v1/check", "garbage", &h20_check()).status, 401);
    assert_eq!(get(a, "/v1/chips", Some("cg_nope")).status, 401);
    let basic = request(a, "GET", "/v1/chips", None, "", b"");
    assert_eq!(basic.status, 401);

    assert_eq!(post(a, "/v1/check", &key, &h20_check()).status, 200);
    let out = chipgate()
        .args(["keys", "revoke", "test", "--db"])
        .arg(&srv.db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The server re-reads the key table at most once a second.
    std::thread::sleep(Duration::from_millis(1300));
    let r = post(a, "/v1/check", &key, &h20_check());
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "invalid_key");
    // Refused requests leave no decision in the log.
    assert_eq!(audit_export(&srv.db).len(), 1);
    // /healthz needs no key.
    assert_eq!(get(a, "/healthz", None).status, 200);
}

#[test]
fn malformed_unknown_and_oversized_bodies_are_refused() {
    let (srv, key) = Server::start(&[
        "--max-body",
        "4096",
        "--max-batch",
        "3",
        "--timeout",
        "2",
        "--header-timeout",
        "2",
    ]);
    let a = &srv.addr;
    let k = Some(key.as_str());
    let r = request(
        a,
        "POST",
        "/v1/check",
        k,
        "application/json",
        b"{\"chip\": \"H20\", ",
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "malformed_json");
    let r = request(a, "POST", "/v1/check", k, "application/json", b"");
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "malformed_json");
    let r = request(a, "POST", "/v1/check", k, "application/json", b"[1,2]");
    assert_eq!(r.status, 400);

    let r = post(
        a,
        "/v1/check",
        &key,
        &json!({"chip": "H20", "to": "MY", "buyer-hq": "CN"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "unknown_field");
    assert_eq!(r.json()["error"]["field"], "buyer-hq");
    let r = post(
        a,
        "/v1/classify",
        &key,
        &json!({"chip": "H20", "colour": "green"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["field"], "colour");
    let r = get(a, "/v1/timeline?chip=H20&to=CN&colour=green", k);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["field"], "colour");
    let r = post(
        a,
        "/v1/check",
        &key,
        &json!({"chip": "H20", "to": "MY", "quantity": "many"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "invalid_field");
    assert_eq!(r.json()["error"]["field"], "quantity");
    let r = post(a, "/v1/check", &key, &json!({"chip": "H20"}));
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "missing_field");
    assert_eq!(r.json()["error"]["field"], "to");
    let r = post(a, "/v1/check", &key, &json!({"chip": "H20", "to": "ZZ"}));
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "invalid_input");
    assert_eq!(r.json()["error"]["field"], "to");
    let r = post(
        a,
        "/v1/check",
        &key,
        &json!({"chip": "H20", "to": "MY", "buyer_hq": "QQ"}),
    );
    assert_eq!(r.json()["error"]["field"], "buyer_hq");

    // Oversized: declared length over the limit, and a chunked body that grows past it.
    let big = vec![b' '; 10_000];
    let r = request(a, "POST", "/v1/check", k, "application/json", &big);
    assert_eq!(r.status, 413);
    assert_eq!(r.code(), "body_too_large");
    let mut s = TcpStream::connect(a).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!("POST /v1/check HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {key}\r\nTransfer-Encoding: chunked\r\n\r\n");
    s.write_all(head.as_bytes()).unwrap();
    for _ in 0..10 {
        let _ = s.write_all(b"400\r\n");
        let _ = s.write_all(&[b' '; 0x400]);
        let _ = s.write_all(b"\r\n");
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let r = parse_response(&raw);
    assert_eq!(r.status, 413);
    assert_eq!(r.code(), "body_too_large");

    // A client that promises a body and stalls is cut off by the time limit.
    let mut s = TcpStream::connect(a).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!("POST /v1/check HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {key}\r\nContent-Length: 100\r\n\r\n{{");
    s.write_all(head.as_bytes()).unwrap();
    let t = Instant::now();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    assert!(t.elapsed() < Duration::from_secs(8));
    let r = parse_response(&raw);
    assert_eq!(r.status, 408);
    assert_eq!(r.code(), "timeout");

    // A client that trickles its headers is disconnected by the header-read timeout.
    let mut s = TcpStream::connect(a).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let t = Instant::now();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    assert!(
        t.elapsed() < Duration::from_secs(8),
        "slow headers were not cut off"
    );

    // Batch limit.
    let rows: String = (0..4)
        .map(|_| json!({"chip": "H20", "to": "MY"}).to_string() + "\n")
        .collect();
    let r = request(
        a,
        "POST",
        "/v1/orders",
        k,
        "application/x-ndjson",
        rows.as_bytes(),
    );
    assert_eq!(r.status, 413);
    assert_eq!(r.code(), "batch_too_large");

    // Nothing above was a decision.
    assert_eq!(audit_export(&srv.db).len(), 0);
}

#[test]
fn orders_stream_one_audited_line_per_row() {
    let (srv, key) = Server::start(&[]);
    let a = &srv.addr;
    let k = Some(key.as_str());
    let rows = [
        h20_check(),
        json!({"chip": "H100", "to": "CN", "date": "2024-01-01"}),
        json!({"chip": "NoSuchChip9000", "to": "CN"}),
        json!({"chip": "H20", "to": "MY", "typo": 1}),
    ];
    let body: String = rows.iter().map(|r| r.to_string() + "\n").collect();
    let r = request(
        a,
        "POST",
        "/v1/orders",
        k,
        "application/x-ndjson",
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.headers["content-type"], "application/x-ndjson");
    let lines: Vec<Value> = String::from_utf8(r.body.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(lines[0]["row"], 1);
    assert_eq!(lines[0]["result"]["decision"], "LICENSE_REQUIRED");
    assert_eq!(lines[1]["result"]["decision"], "LICENSE_REQUIRED");
    assert_eq!(lines[2]["error"]["code"], "invalid_input");
    assert_eq!(lines[3]["error"]["code"], "unknown_field");
    assert_eq!(
        lines[4]["summary"],
        json!({"rows": 4, "decided": 2, "errors": 2})
    );
    // The streamed answer for a row equals /v1/check's answer.
    let single = post(a, "/v1/check", &key, &h20_check()).json();
    assert_eq!(lines[0]["result"], single);

    let csv = "chip,to,buyer,buyer-hq,date,quantity\nH20,MY,ByteDance Pte. Ltd.,CN,2025-04-20,10\nA100,DE,,,2024-01-01,\n";
    let r = request(a, "POST", "/v1/orders", k, "text/csv", csv.as_bytes());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let lines: Vec<Value> = String::from_utf8(r.body)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["result"]["decision"], "LICENSE_REQUIRED");
    assert!(lines[1]["result"]["decision"].is_string());
    let r = request(
        a,
        "POST",
        "/v1/orders",
        k,
        "text/csv",
        b"chip,to,colour\nH20,MY,red\n",
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["field"], "colour");

    let records = audit_export(&srv.db);
    // 2 + 1 (single check) + 2 decisions.
    assert_eq!(records.len(), 5);
    assert_eq!(records.iter().filter(|r| r["kind"] == "order").count(), 4);
    let (ok, text) = audit_verify(&srv.db);
    assert!(ok, "{text}");
}

#[test]
fn openapi_document_is_complete_and_strict() {
    let (srv, _key) = Server::start(&[]);
    let r = get(&srv.addr, "/openapi.json", None);
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["info"]["title"].is_string());
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in [
        ("get", "/healthz"),
        ("get", "/openapi.json"),
        ("post", "/v1/classify"),
        ("post", "/v1/check"),
        ("post", "/v1/screen"),
        ("post", "/v1/orders"),
        ("post", "/v1/orders/report"),
        ("get", "/v1/map"),
        ("get", "/v1/chips"),
        ("get", "/v1/chips/{name}"),
        ("get", "/v1/rules"),
        ("get", "/v1/timeline"),
        ("post", "/v1/admin/reload"),
        ("get", "/metrics"),
        ("post", "/match/{dataset}"),
    ] {
        let op = &paths.get(path).unwrap_or_else(|| panic!("{path} missing"))[method];
        assert!(op.is_object(), "{method} {path} missing");
        assert!(op["responses"].is_object(), "{method} {path}: no responses");
        assert!(
            op["operationId"].is_string(),
            "{method} {path}: no operationId"
        );
        let secured = path.starts_with("/v1") || path.starts_with("/match");
        assert_eq!(
            !op["security"].as_array().unwrap().is_empty(),
            secured,
            "{path}"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in ["CheckRequest", "ClassifyRequest", "ScreenRequest"] {
        let s = &schemas[name];
        assert_eq!(
            s["additionalProperties"], false,
            "{name} must deny unknown fields"
        );
        assert!(s["properties"].is_object());
    }
    assert_eq!(schemas["CheckRequest"]["required"], json!(["to"]));
    for field in [
        "chip",
        "spec",
        "to",
        "buyer",
        "buyer_hq",
        "end_user",
        "end_user_hq",
        "end_use",
        "exporter",
        "exporter_role",
        "ship_from",
        "quantity",
        "count",
        "date",
        "view",
        "scenario",
    ] {
        assert!(
            schemas["CheckRequest"]["properties"].get(field).is_some(),
            "CheckRequest.{field}"
        );
    }
    // Every $ref resolves.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let ptr = r.strip_prefix('#').unwrap();
        assert!(doc.pointer(ptr).is_some(), "dangling $ref {r}");
    }
    let timeline_params: Vec<&str> = paths["/v1/timeline"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(timeline_params.contains(&"chip") && timeline_params.contains(&"to"));
    assert!(
        paths["/v1/check"]["post"]["requestBody"]["content"]["application/json"]["example"]
            .is_object(),
        "request examples"
    );
    validate_with_openapi_validator(&r.body);
}

/// Runs an OpenAPI validator (`openapi-spec-validator`, from the Python package index) on the
/// document: mandatory when `CHIPGATE_OPENAPI_VALIDATOR` names it (CI installs it and sets it),
/// else used when found on PATH, else skipped with a message.
fn validate_with_openapi_validator(doc: &[u8]) {
    let tool = std::env::var("CHIPGATE_OPENAPI_VALIDATOR").ok();
    let required = tool.is_some();
    let tool = tool.unwrap_or_else(|| "openapi-spec-validator".to_string());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, doc).unwrap();
    match Command::new(&tool).arg(&file).output() {
        Ok(out) => assert!(
            out.status.success(),
            "{tool} rejects the document: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) if !required => {
            eprintln!(
                "skipped: no OpenAPI validator ({tool}: {e}); CI sets CHIPGATE_OPENAPI_VALIDATOR"
            );
        }
        Err(e) => panic!("CHIPGATE_OPENAPI_VALIDATOR={tool}: {e}"),
    }
}

#[test]
fn cli_check_with_audit_appends_a_verifiable_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    for _ in 0..2 {
        let out = chipgate()
            .args([
                "check",
                "--chip",
                "H20",
                "--to",
                "MY",
                "--buyer-hq",
                "CN",
                "--date",
                "2025-04-20",
                "--json",
                "--audit",
            ])
            .arg(&db)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (ok, text) = audit_verify(&db);
    assert!(ok, "{text}");
    let recs = audit_export(&db);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["kind"], "check");
    assert!(recs[0]["key_id"].is_null());
    assert_eq!(recs[0]["request"]["buyer_hq"], "CN");
    assert_eq!(recs[0]["response"]["decision"], "LICENSE_REQUIRED");
    // Export by date range: nothing before the epoch of this test run.
    let out = chipgate()
        .args(["audit", "export", "--to", "2000-01-01", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
}

#[test]
fn graceful_shutdown_flushes_and_exits_zero() {
    let (mut srv, key) = Server::start(&[]);
    for _ in 0..5 {
        assert_eq!(post(&srv.addr, "/v1/check", &key, &h20_check()).status, 200);
    }
    assert!(
        srv.stop(Duration::from_secs(10)),
        "server did not exit cleanly on SIGTERM"
    );
    let (ok, text) = audit_verify(&srv.db);
    assert!(ok, "{text}");
    assert_eq!(audit_export(&srv.db).len(), 5);
}

#[test]
fn audit_verify_reports_tampering() {
    let (mut srv, key) = Server::start(&[]);
    for _ in 0..3 {
        assert_eq!(post(&srv.addr, "/v1/check", &key, &h20_check()).status, 200);
    }
    assert!(srv.stop(Duration::from_secs(10)));
    // Drop the delete trigger and remove a record behind the log's back.
    let conn = rusqlite::Connection::open(&srv.db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_no_delete; DELETE FROM audit_log WHERE seq = 2;",
    )
    .unwrap();
    drop(conn);
    let out = chipgate()
        .args(["audit", "verify", "--db"])
        .arg(&srv.db)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAILED: record 2"), "{text}");
}

#[test]
fn sigkill_during_write_load_loses_no_acknowledged_decision() {
    let (mut srv, key) = Server::start(&[]);
    let acked: Arc<Mutex<Vec<(i64, String)>>> = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for _ in 0..8 {
        let (addr, key, acked, stop) = (srv.addr.clone(), key.clone(), acked.clone(), stop.clone());
        clients.push(std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(20);
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                let Ok(mut s) = TcpStream::connect(&addr) else { break };
                let body = h20_check().to_string();
                let req = format!("POST /v1/check HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                if s.write_all(req.as_bytes()).is_err() {
                    break;
                }
                let mut raw = Vec::new();
                if s.read_to_end(&mut raw).is_err() || raw.is_empty() {
                    break;
                }
                let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else { break };
                let r = parse_response(&raw[..split + 4]);
                if r.status == 200 {
                    if let (Some(seq), Some(hash)) = (r.headers.get("x-audit-seq"), r.headers.get("x-audit-hash")) {
                        acked.lock().unwrap().push((seq.parse().unwrap(), hash.clone()));
                    }
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_millis(1500));
    srv.signal("-KILL");
    let _ = srv.child.wait();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 10,
        "too few decisions before the kill: {}",
        acked.len()
    );
    let (ok, text) = audit_verify(&srv.db);
    assert!(ok, "log broken after SIGKILL: {text}");
    let stored: HashMap<i64, String> = audit_export(&srv.db)
        .into_iter()
        .map(|r| {
            (
                r["seq"].as_i64().unwrap(),
                r["hash"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (seq, hash) in &acked {
        assert_eq!(
            stored.get(seq),
            Some(hash),
            "acknowledged decision {seq} missing or different after the crash"
        );
    }
    eprintln!(
        "crash test: {} acknowledged, {} stored",
        acked.len(),
        stored.len()
    );
}

/// In-process: with the audit writer gone, a decision is refused with 503 and never returned.
#[test]
fn audit_failure_means_503_and_no_decision() {
    use axum::body::Body;
    use axum::http::Request;
    use chipgate_cli::server::state::{AppState, Limits, Snapshot};
    use tower::ServiceExt;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dead.db");
    let keys = chipgate_audit::KeyStore::open(&db).unwrap();
    let (_, key) = keys.create("t").unwrap();
    let writer = chipgate_audit::AuditWriter::spawn(&db).unwrap();
    writer.shutdown().unwrap();
    let state = Arc::new(AppState {
        current: arc_swap::ArcSwap::from_pointee(Snapshot::load(None).unwrap()),
        writer,
        keys,
        limits: Limits {
            max_body: 1 << 20,
            max_batch: 10,
            timeout: Duration::from_secs(10),
            max_inflight: 8,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_per_key: 8,
        },
        data_dir: None,
        db: db.clone(),
        reload_lock: tokio::sync::Mutex::new(()),
        per_key: Default::default(),
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let app = chipgate_cli::server::router::router(state);
        let req = Request::post("/v1/check")
            .header("authorization", format!("Bearer {key}"))
            .header("content-type", "application/json")
            .body(Body::from(h20_check().to_string()))
            .unwrap();
        let resp = app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), 503);
        assert!(resp.headers().get("x-audit-seq").is_none());
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["error"]["code"], "audit_unavailable");
        assert!(v.get("decision").is_none());
        let health = app
            .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(health.status(), 503);
    });
}

/// Issue 17: the database is private, long names and trickled bodies are cut off, one key
/// cannot take every slot, query strings stay out of the log (and colour codes too when it
/// is not a terminal), and the server writes signed checkpoints that `audit verify` checks.
#[test]
fn server_hardening() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("chipgate.db");
    let key = create_key(&db, "test");
    assert_eq!(
        std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let keydir = tempfile::tempdir().unwrap();
    let signing = keydir.path().join("audit.key");
    let out = chipgate()
        .args(["audit", "keygen", "--key"])
        .arg(&signing)
        .output()
        .unwrap();
    assert!(out.status.success());
    let public = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("public key: ").map(str::to_string))
        .unwrap();
    let cpdir = keydir.path().join("checkpoints");
    let log = keydir.path().join("server.log");
    let mut child = chipgate()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .args([
            "--max-per-key",
            "1",
            "--body-timeout",
            "1",
            "--checkpoint-every",
            "1",
        ])
        .arg("--checkpoint-key")
        .arg(&signing)
        .arg("--checkpoint-dir")
        .arg(&cpdir)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("chipgate listening on http://")
        .unwrap()
        .to_string();
    let server = Server {
        child,
        addr: addr.clone(),
        db: db.clone(),
        _dir: dir,
    };

    // A name longer than the cap is refused before any screening.
    let r = post(&addr, "/v1/screen", &key, &json!({"name": "x".repeat(600)}));
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["error"]["field"], "name");

    // The query string (here: a key pasted into the URL) is never logged.
    let r = get(
        &addr,
        "/v1/rules?date=2025-01-01&api_key=SECRET-IN-URL",
        Some(&key),
    );
    assert_eq!(r.status, 400);

    // A trickled body holds the key's only slot for at most --body-timeout.
    let mut slow = TcpStream::connect(&addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        slow,
        "POST /v1/check HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nAuthorization: Bearer {key}\r\nContent-Length: 100\r\n\r\n{{\"chip\""
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let busy = post(&addr, "/v1/check", &key, &h20_check());
    assert_eq!(busy.status, 429, "{}", String::from_utf8_lossy(&busy.body));
    let t = Instant::now();
    let mut raw = Vec::new();
    let _ = slow.read_to_end(&mut raw);
    let r = parse_response(&raw);
    assert_eq!(r.status, 408);
    assert_eq!(r.code(), "body_timeout");
    assert!(t.elapsed() < Duration::from_secs(5));
    let ok = post(&addr, "/v1/check", &key, &h20_check());
    assert_eq!(ok.status, 200);

    // A checkpoint of the head appears, and verifies against the trusted key.
    let latest = cpdir.join("latest.json");
    let t = Instant::now();
    while !latest.exists() && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = chipgate()
        .args(["audit", "verify", "--db"])
        .arg(&server.db)
        .arg("--checkpoint")
        .arg(&latest)
        .args(["--public-key", &public])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok: checkpoint"));
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("/v1/rules"), "{text}");
    assert!(!text.contains("SECRET-IN-URL"), "{text}");
    assert!(!text.contains('\u{1b}'), "colour codes in a log file");
}

/// In-process: a decision that finishes after the request's time limit is neither returned
/// nor audited (the client is told 408; the log never holds an answer nobody got).
#[test]
fn a_decision_past_the_time_limit_is_not_audited() {
    use axum::body::Body;
    use axum::http::Request;
    use chipgate_cli::server::state::{AppState, Limits, Snapshot};
    use tower::ServiceExt;

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("late.db");
    let keys = chipgate_audit::KeyStore::open(&db).unwrap();
    let (_, key) = keys.create("t").unwrap();
    let writer = chipgate_audit::AuditWriter::spawn(&db).unwrap();
    let state = Arc::new(AppState {
        current: arc_swap::ArcSwap::from_pointee(Snapshot::load(None).unwrap()),
        writer: writer.clone(),
        keys,
        limits: Limits {
            max_body: 1 << 20,
            max_batch: 10,
            timeout: Duration::ZERO,
            max_inflight: 8,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_per_key: 8,
        },
        data_dir: None,
        db: db.clone(),
        reload_lock: tokio::sync::Mutex::new(()),
        per_key: Default::default(),
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let app = chipgate_cli::server::router::router(state);
        let req = Request::post("/v1/screen")
            .header("authorization", format!("Bearer {key}"))
            .header("content-type", "application/json")
            .body(Body::from(
                json!({"name": "Huawei Technologies"}).to_string(),
            ))
            .unwrap();
        let resp = app.oneshot(req).await.unwrap();
        assert_eq!(resp.status(), 408);
    });
    writer.shutdown().unwrap();
    let log = chipgate_audit::AuditLog::open(&db).unwrap();
    assert_eq!(log.len().unwrap(), 0, "a late answer was audited");
}

#[test]
fn yente_shaped_match_screens_many_queries_and_is_audited() {
    let (srv, key) = Server::start(&[]);
    let body = json!({
        "queries": {
            "listed": {"schema": "Company", "properties": {"name": ["Huawei Technologies Co., Ltd."], "country": ["cn"]}},
            "clean": {"schema": "Company", "properties": {"name": "Acme Widgets Incorporated"}}
        }
    });
    let r = post(
        &srv.addr,
        "/match/default?limit=3&algorithm=best",
        &key,
        &body,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.headers.contains_key("x-audit-seq"), "audited");
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["limit"], 3);
    let listed = &v["responses"]["listed"];
    assert_eq!(listed["status"], 200);
    assert_eq!(listed["query"]["schema"], "Company");
    let first = &listed["results"][0];
    assert_eq!(first["match"], true, "{listed}");
    assert!(first["score"].as_f64().unwrap() >= 0.7);
    assert!(first["datasets"][0].is_string());
    assert!(first["explanations"]["chipgate"]["explanation"].is_string());
    assert!(listed["results"].as_array().unwrap().len() <= 3);
    let clean = &v["responses"]["clean"]["results"];
    assert!(
        clean
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["match"] == false),
        "{clean}"
    );
    // A list chipgate does not have is an error naming the valid ones, never an empty answer.
    let r = post(&srv.addr, "/match/csl", &key, &body);
    assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(&r.body));
    let r = post(&srv.addr, "/match/default", &key, &json!({"queries": {}}));
    assert_eq!(r.status, 400);
    let records = audit_export(&srv.db);
    assert!(
        records.iter().any(|r| r["kind"] == "match"),
        "match audited"
    );
}

#[test]
fn metrics_count_requests_decisions_and_audit_wait() {
    let (srv, key) = Server::start(&[]);
    let r = post(&srv.addr, "/v1/check", &key, &h20_check());
    assert_eq!(r.status, 200);
    let r = get(&srv.addr, "/v1/chips/H20", Some(&key));
    assert_eq!(r.status, 200);
    let r = get(&srv.addr, "/metrics", None);
    assert_eq!(r.status, 200, "served without a key");
    let text = String::from_utf8_lossy(&r.body).to_string();
    assert!(
        text.contains(r#"chipgate_requests_total{method="POST",route="/v1/check",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/v1/chips/{name}""#),
        "route templates, not paths: {text}"
    );
    assert!(
        text.contains(r#"chipgate_decisions_total{kind="check",outcome="LICENSE_REQUIRED"} 1"#),
        "{text}"
    );
    assert!(
        text.contains("chipgate_audit_wait_seconds_count 1"),
        "{text}"
    );
    assert!(
        text.contains("chipgate_request_duration_seconds_bucket"),
        "{text}"
    );
}

#[test]
fn an_order_job_runs_in_the_background_and_audits_every_row() {
    let (srv, key) = Server::start(&["--max-batch", "10"]);
    // 1,200 rows over 4 chips, 3 destinations and a year of dates, and one bad row.
    let mut book = String::new();
    for i in 0..1200 {
        let chip = ["H20", "H100", "A100", "MI300X"][i % 4];
        let to = ["CN", "MY", "DE"][i % 3];
        let day = 1 + i % 28;
        book.push_str(&format!(
            "{{\"chip\": \"{chip}\", \"to\": \"{to}\", \"buyer_hq\": \"{to}\", \"date\": \"2025-{:02}-{day:02}\"}}\n",
            1 + i % 12
        ));
    }
    book.push_str("{\"chip\": \"no such chip\", \"to\": \"CN\"}\n");
    let book = book.into_bytes();
    // More rows than /v1/orders takes with --max-batch 10.
    let r = request(
        &srv.addr,
        "POST",
        "/v1/orders",
        Some(&key),
        "application/x-ndjson",
        &book,
    );
    assert_eq!(r.status, 413, "{}", String::from_utf8_lossy(&r.body));
    let r = request(
        &srv.addr,
        "POST",
        "/v1/jobs/orders",
        Some(&key),
        "application/x-ndjson",
        &book,
    );
    assert_eq!(r.status, 202, "{}", String::from_utf8_lossy(&r.body));
    let job = r.json();
    let id = job["id"].as_str().unwrap().to_string();
    let rows = job["rows"].as_u64().unwrap();
    assert_eq!(rows, 1201, "{job}");
    assert_eq!(
        r.headers.get("location").map(String::as_str),
        Some(format!("/v1/jobs/{id}").as_str())
    );
    let deadline = Instant::now() + Duration::from_secs(240);
    let status = loop {
        let s = get(&srv.addr, &format!("/v1/jobs/{id}"), Some(&key)).json();
        if s["status"] != "running" || Instant::now() > deadline {
            break s;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(status["status"], "done", "{status}");
    assert_eq!(status["answered"].as_u64().unwrap(), rows, "{status}");
    let r = get(&srv.addr, &format!("/v1/jobs/{id}/results"), Some(&key));
    assert_eq!(r.status, 200);
    let lines: Vec<Value> = String::from_utf8_lossy(&r.body)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len() as u64,
        rows + 1,
        "one line per row and a summary"
    );
    assert!(lines.last().unwrap()["summary"].is_object());
    let decided = lines.iter().filter(|l| l["audit_seq"].is_u64()).count() as u64;
    assert_eq!(decided, status["decided"].as_u64().unwrap());
    assert_eq!(decided, 1200);
    assert_eq!(
        status["errors"], 1,
        "the bad row is answered with its error"
    );
    let records = audit_export(&srv.db);
    assert_eq!(
        records.iter().filter(|r| r["kind"] == "order").count() as u64,
        decided,
        "every decided row is audited"
    );
    // Another key cannot read the job.
    let other = create_key(&srv.db, "other");
    let deadline = Instant::now() + Duration::from_secs(5);
    let r = loop {
        // A new key is seen by the server within its key-refresh interval.
        let r = get(&srv.addr, &format!("/v1/jobs/{id}"), Some(&other));
        if r.status != 401 || Instant::now() > deadline {
            break r;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(r.status, 404, "{}", String::from_utf8_lossy(&r.body));
}

#[test]
fn key_scopes_and_rate_limits() {
    let (srv, _admin) = Server::start(&[]);
    let default = create_key_with(&srv.db, "erp", &[]);
    let screen_only = create_key_with(&srv.db, "kyc", &["--scopes", "screen"]);
    let slow = create_key_with(&srv.db, "slow", &["--rate-per-minute", "6"]);
    // New keys are seen by the server within its key-refresh interval.
    let deadline = Instant::now() + Duration::from_secs(5);
    while post(&srv.addr, "/v1/check", &default, &h20_check()).status == 401
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(200));
    }
    // The default scopes: everything but admin.
    assert_eq!(
        post(&srv.addr, "/v1/check", &default, &h20_check()).status,
        200
    );
    let r = request(
        &srv.addr,
        "POST",
        "/v1/admin/reload",
        Some(&default),
        "",
        b"",
    );
    assert_eq!(r.status, 403, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.code(), "forbidden_scope");
    // A screening-only key screens and nothing else.
    let name = json!({"name": "Huawei Technologies Co., Ltd."});
    assert_eq!(
        post(&srv.addr, "/v1/screen", &screen_only, &name).status,
        200
    );
    assert_eq!(
        post(&srv.addr, "/v1/check", &screen_only, &h20_check()).status,
        403
    );
    // 6 a minute: one request, then 429 with Retry-After.
    assert_eq!(
        post(&srv.addr, "/v1/check", &slow, &h20_check()).status,
        200
    );
    let r = post(&srv.addr, "/v1/check", &slow, &h20_check());
    assert_eq!(r.status, 429, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.code(), "rate_limited");
    let wait: u64 = r.headers["retry-after"].parse().unwrap();
    assert!((1..=10).contains(&wait), "{wait}");
    // Listing shows the grants.
    let out = chipgate()
        .args(["keys", "list", "--json", "--db"])
        .arg(&srv.db)
        .output()
        .unwrap();
    let keys: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kyc = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "kyc")
        .unwrap();
    assert_eq!(kyc["scopes"], json!(["screen"]));
    // An unknown scope is refused at creation.
    let out = chipgate()
        .args([
            "keys",
            "create",
            "--name",
            "x",
            "--scopes",
            "everything",
            "--db",
        ])
        .arg(&srv.db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown scope"));
}

#[test]
fn audit_records_are_read_by_range_and_client_ref_in_pages() {
    let (srv, admin) = Server::start(&[]);
    for i in 0..5 {
        let mut body = h20_check();
        body["order_id"] = json!(format!("PO-{i}"));
        assert_eq!(post(&srv.addr, "/v1/check", &admin, &body).status, 200);
    }
    let page = get(&srv.addr, "/v1/audit/records?limit=2", Some(&admin)).json();
    assert_eq!(page["records"].as_array().unwrap().len(), 2, "{page}");
    assert_eq!(page["records"][0]["seq"], 1);
    let next = page["next_after"].as_i64().unwrap();
    let page2 = get(
        &srv.addr,
        &format!("/v1/audit/records?limit=2&after={next}"),
        Some(&admin),
    )
    .json();
    assert_eq!(page2["records"][0]["seq"], next + 1);
    let one = get(&srv.addr, "/v1/audit/records?client_ref=PO-3", Some(&admin)).json();
    let recs = one["records"].as_array().unwrap();
    assert_eq!(recs.len(), 1, "{one}");
    assert_eq!(recs[0]["client_ref"], "PO-3");
    assert!(one.get("next_after").is_none());
    let range = get(
        &srv.addr,
        "/v1/audit/records?from_seq=2&to_seq=3",
        Some(&admin),
    )
    .json();
    let seqs: Vec<i64> = range["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(seqs, [2, 3]);
    let r = get(&srv.addr, "/v1/audit/records?from=2025-13-01", Some(&admin));
    assert_eq!(r.status, 400);
    // Reading the log needs the admin scope.
    let user = create_key_with(&srv.db, "user", &[]);
    let deadline = Instant::now() + Duration::from_secs(5);
    let r = loop {
        let r = get(&srv.addr, "/v1/audit/records", Some(&user));
        if r.status != 401 || Instant::now() > deadline {
            break r;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(r.status, 403);
}

#[test]
fn web_page_is_public_and_its_order_book_reports_are_audited() {
    let (srv, key) = Server::start(&["--timeout", "300"]);
    let a = &srv.addr;
    // The page and its assets need no key and load nothing from elsewhere.
    let page = get(a, "/", None);
    assert_eq!(page.status, 200);
    assert!(page.headers["content-type"].starts_with("text/html"));
    let csp = &page.headers["content-security-policy"];
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = String::from_utf8_lossy(&page.body);
    assert!(html.contains("/ui/app.js") && !html.contains("http://") && !html.contains("https://"));
    for (path, ctype) in [
        ("/ui/app.js", "text/javascript"),
        ("/ui/app.css", "text/css"),
        ("/ui/config.json", "application/json"),
    ] {
        let r = get(a, path, None);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.headers["content-type"].starts_with(ctype), "{path}");
    }
    let cfg = get(a, "/ui/config.json", None).json();
    assert!(cfg["scenarios"]
        .as_array()
        .unwrap()
        .contains(&json!("no-april-letter")));
    // The API behind it still needs one.
    let book = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/orders-small.csv"),
    )
    .unwrap();
    let r = request(a, "POST", "/v1/orders/report", None, "text/csv", &book);
    assert_eq!(r.status, 401);
    let r = request(
        a,
        "POST",
        "/v1/orders/report?name=small.csv&scenario=no-april-letter",
        Some(&key),
        "text/csv",
        &book,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let seq: i64 = r.headers["x-audit-seq"].parse().unwrap();
    let v = r.json();
    assert_eq!(v["report"]["input"], "small.csv");
    assert_eq!(v["report"]["stats"]["rows_read"], 5);
    assert_eq!(v["report"]["scenarios"].as_array().unwrap().len(), 2);
    assert!(v["html"].as_str().unwrap().contains("<h1"));
    assert!(v["csv"]
        .as_str()
        .unwrap()
        .starts_with("order_id,line,date,decision"));
    // A broken book, a bad date: the field at fault is named.
    let r = request(
        a,
        "POST",
        "/v1/orders/report",
        Some(&key),
        "text/csv",
        b"a,b\n1,2\n",
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["field"], "order_book");
    let r = request(
        a,
        "POST",
        "/v1/orders/report?as_of=2025-02-30",
        Some(&key),
        "text/csv",
        &book,
    );
    assert_eq!(r.json()["error"]["field"], "as_of");
    let r = get(a, "/v1/map?date=yesterday", Some(&key));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["field"], "date");
    let records = audit_export(&srv.db);
    let rec = records.iter().find(|r| r["seq"] == seq).unwrap();
    assert_eq!(rec["kind"], "orders_report");
    assert!(rec["request"]["order_book"]
        .as_str()
        .unwrap()
        .contains("ByteDance"));
    assert_eq!(records.len(), 1, "refused requests are not decisions");
    let (ok, text) = audit_verify(&srv.db);
    assert!(ok, "{text}");
}
