//! The web page in a real browser: the built binary serves on 127.0.0.1, headless Chromium is
//! driven through chromedriver (the W3C WebDriver protocol, spoken with a minimal HTTP client
//! here), and the page is used as a person would: sign in with a key, check H20 → China on
//! 2025-04-20, screen a listed name, upload the example order book, explore the rules, and
//! give it bad input (unknown chip, bad date, broken CSV) to see the message next to the field.
//! Screenshots of each page go to `$CHIPGATE_SCREENSHOTS` (a temporary directory otherwise).
//!
//! Skipped, with a message, only when no browser is found and `CHIPGATE_BROWSER_TESTS` is
//! unset; CI sets it (and installs `chromium` and `chromium-driver`), so there it must run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/cli.rs"]
mod cli;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An executable named by `var`, or the first of `names` found on the PATH.
fn find_exe(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// A child process killed when dropped.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `chipgate serve` on a fresh database with one key; returns (process, address, key).
fn start_server(dir: &Path) -> (Proc, String, String) {
    let db = dir.join("chipgate.db");
    let key = cli::create_key(&db, "browser", &[]);
    // Debug builds on a busy machine draw the pictures slowly.
    let (child, addr) = cli::spawn_serve(cli::chipgate(), &db, &["--timeout", "300"], false);
    (Proc(child), addr, key)
}

/// One HTTP/1.1 request (`Connection: close`); returns the status and the body.
fn http(addr: &str, method: &str, path: &str, body: Option<&Value>) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        payload.len()
    );
    if body.is_some() {
        req.push_str("Content-Type: application/json; charset=utf-8\r\n");
    }
    req.push_str("\r\n");
    req.push_str(&payload);
    s.write_all(req.as_bytes()).unwrap();
    // Read the head, then exactly the body (a peer may keep the connection open).
    let mut r = BufReader::new(s);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line.to_ascii_lowercase());
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let mut body = Vec::new();
    if let Some(n) = length {
        body.resize(n, 0);
        r.read_exact(&mut body).unwrap();
    } else if head.contains("transfer-encoding: chunked") {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).unwrap();
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).unwrap();
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else {
        let _ = r.read_to_end(&mut body);
    }
    (status, body)
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for v in s.bytes().filter_map(val) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// A WebDriver session.
struct Browser {
    driver: String,
    session: String,
    shots: PathBuf,
    _proc: Proc,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    fn start(driver_exe: &Path, chrome: &Path, shots: PathBuf, profile: &Path) -> Browser {
        let port = free_port();
        let proc = Proc(
            Command::new(driver_exe)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let driver = format!("127.0.0.1:{port}");
        let t = Instant::now();
        loop {
            if TcpStream::connect(&driver).is_ok() {
                let (st, body) = http(&driver, "GET", "/status", None);
                let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                if st == 200 && v["value"]["ready"] == true {
                    break;
                }
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut opts = json!({"args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1200,900",
            format!("--user-data-dir={}", profile.display()),
        ]});
        opts["binary"] = json!(chrome.to_string_lossy());
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": opts}}});
        let (st, body) = http(&driver, "POST", "/session", Some(&caps));
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(st, 200, "new session: {v}");
        let session = v["value"]["sessionId"].as_str().unwrap().to_string();
        Browser {
            driver,
            session,
            shots,
            _proc: proc,
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let p = format!("/session/{}{}", self.session, path);
        let (st, raw) = http(&self.driver, method, &p, body.as_ref());
        let v: Value = serde_json::from_slice(&raw)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&raw)));
        assert_eq!(st, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }

    fn js(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element for `{css}`: {v}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let el = self.find(css);
        self.cmd("POST", &format!("/element/{el}/click"), Some(json!({})));
    }

    /// Replaces the text of an input.
    fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css);
        self.cmd("POST", &format!("/element/{el}/clear"), Some(json!({})));
        if !text.is_empty() {
            self.cmd(
                "POST",
                &format!("/element/{el}/value"),
                Some(json!({"text": text})),
            );
        }
    }

    fn text(&self, css: &str) -> String {
        self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
            json!([css]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    }

    /// Waits until `cond` (a JavaScript expression) is true; on timeout, saves a screenshot
    /// and fails with the page's text.
    fn wait(&self, what: &str, cond: &str) {
        let t = Instant::now();
        let script = format!("return !!({cond});");
        while t.elapsed() < Duration::from_secs(60) {
            if self.js(&script, json!([])) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.screenshot("failure");
        let body = self.text("body");
        panic!("timed out waiting for {what} ({cond}); the page says:\n{body}");
    }

    fn visible_error(&self, id: &str) -> String {
        self.wait(
            &format!("the message in #{id}"),
            &format!("document.getElementById('{id}') && !document.getElementById('{id}').hidden && document.getElementById('{id}').innerText.length > 0"),
        );
        self.text(&format!("#{id}"))
    }

    fn window(&self, w: u32, h: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": w, "height": h})),
        );
    }

    fn screenshot(&self, name: &str) -> PathBuf {
        // Let layout and fonts settle, and leave the focus ring off the picture.
        self.js(
            "if (document.activeElement) document.activeElement.blur();",
            json!([]),
        );
        std::thread::sleep(Duration::from_millis(200));
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = base64_decode(b64.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::create_dir_all(&self.shots).unwrap();
        let p = self.shots.join(format!("{name}.png"));
        std::fs::write(&p, png).unwrap();
        p
    }

    fn scroll_to(&self, css: &str) {
        self.js(
            "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({block: 'start'});",
            json!([css]),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let p = format!("/session/{}", self.session);
        let _ = std::panic::catch_unwind(|| http(&self.driver, "DELETE", &p, None));
    }
}

#[test]
fn web_page_answers_in_a_real_browser() {
    let required = std::env::var_os("CHIPGATE_BROWSER_TESTS").is_some();
    let driver = find_exe("CHROMEDRIVER", &["chromedriver", "chromium-driver"]);
    let chrome = find_exe(
        "CHROME_BIN",
        &["chromium", "chromium-browser", "google-chrome", "chrome"],
    );
    let (Some(driver), Some(chrome)) = (driver, chrome) else {
        assert!(
            !required,
            "CHIPGATE_BROWSER_TESTS is set but chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        println!("skipping the browser test: no chromium and chromedriver found (set CHIPGATE_BROWSER_TESTS to require them)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shots = std::env::var_os("CHIPGATE_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("screenshots"));
    let (_server, addr, key) = start_server(dir.path());
    let b = Browser::start(&driver, &chrome, shots, &dir.path().join("profile"));
    let root = format!("http://{addr}/");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");

    // The page loads from the binary, with no key, and nothing from elsewhere.
    b.goto(&root);
    b.wait(
        "the page to start",
        "document.body.dataset.ready === 'true'",
    );
    let external = b.js(
        "return [...document.querySelectorAll('script[src],link[href],img[src]')].map(e => e.src || e.href).filter(u => !u.startsWith(location.origin));",
        json!([]),
    );
    assert_eq!(external, json!([]), "the page loads nothing from elsewhere");

    // Asking before signing in says so, next to the form.
    b.type_into("#check-chip", "H20");
    b.type_into("#check-to", "CN");
    b.click("#check-form button[type=submit]");
    let msg = b.visible_error("err-check-_form");
    assert!(msg.contains("sign in"), "{msg}");

    // A wrong key is refused next to the key field.
    b.type_into("#api-key", "cg_not_a_real_key");
    b.click("#signin button[type=submit]");
    let msg = b.visible_error("err-signin-key");
    assert!(msg.to_lowercase().contains("key"), "{msg}");

    // Sign in.
    b.type_into("#api-key", &key);
    b.click("#signin button[type=submit]");
    b.wait(
        "signed in",
        "!document.querySelector('.signed-in').hidden && document.querySelectorAll('#chip-list option').length > 5",
    );
    assert_eq!(
        b.js(
            "return getComputedStyle(document.querySelector('.signed-out')).display",
            json!([])
        ),
        json!("none"),
        "the key field is gone once signed in"
    );
    assert_eq!(
        b.js(
            "return sessionStorage.getItem('chipgate.api-key')",
            json!([])
        ),
        json!(key),
        "the key is kept in the session"
    );

    // Check: H20 to China on 2025-04-20 needs a licence, because of the April 2025 letter.
    b.type_into("#check-chip", "H20");
    b.type_into("#check-to", "CN");
    b.type_into("#check-date", "2025-04-20");
    b.click("#check-form button[type=submit]");
    b.wait("the decision", "document.getElementById('decision-text')");
    assert_eq!(b.text("#decision-text"), "LICENSE REQUIRED");
    let answer = b.text("#check-result");
    assert!(
        answer.contains("April 2025") || answer.contains("2025-04"),
        "the April 2025 letter is cited:\n{answer}"
    );
    assert!(answer.contains("audit log"), "{answer}");
    let url = b.js("return location.hash", json!([]));
    assert_eq!(url, json!("#check?chip=H20&to=CN&date=2025-04-20"));
    b.js(
        "document.querySelector('.equivalents').open = true",
        json!([]),
    );
    let equiv = b.text(".equivalents");
    assert!(
        equiv.contains("/v1/check")
            && equiv.contains("chipgate check --chip H20 --to CN --date 2025-04-20"),
        "{equiv}"
    );
    assert!(
        !equiv.contains(&key),
        "the key is not shown in the copied commands"
    );
    b.js(
        "document.querySelector('.equivalents').open = false",
        json!([]),
    );
    b.scroll_to("#check-result");
    b.screenshot("check");

    // Bad input: an unknown chip, then a bad date, each next to its field.
    b.type_into("#check-chip", "NoSuchChip9000");
    b.click("#check-form button[type=submit]");
    let msg = b.visible_error("err-check-chip");
    assert!(msg.contains("NoSuchChip9000"), "{msg}");
    assert_eq!(
        b.js(
            "return document.getElementById('check-chip').getAttribute('aria-invalid')",
            json!([])
        ),
        json!("true")
    );
    b.type_into("#check-chip", "H20");
    b.type_into("#check-date", "2025-13-45");
    b.click("#check-form button[type=submit]");
    let msg = b.visible_error("err-check-date");
    assert!(msg.contains("2025-13-45"), "{msg}");
    b.scroll_to("#check-form");
    b.screenshot("check-bad-date");

    // The permalink asks the question again when opened (in a fresh page load: the key
    // stays in the tab's session).
    b.goto("about:blank");
    b.goto(&format!("{root}#check?chip=H20&to=CN&date=2025-04-20"));
    b.wait(
        "the permalink's answer",
        "document.getElementById('decision-text')",
    );
    assert_eq!(b.text("#decision-text"), "LICENSE REQUIRED");
    // …and reads on a phone.
    b.window(400, 860);
    b.scroll_to("#check-answer");
    b.screenshot("check-phone");
    b.window(1200, 900);

    // Screen a listed name.
    b.click("a[data-tab=screen]");
    b.wait(
        "the screening tab",
        "!document.getElementById('tab-screen').hidden",
    );
    b.type_into("#screen-name", "Huawei Technologies Co., Ltd.");
    b.click("#screen-form button[type=submit]");
    b.wait("a screening answer", "document.querySelector('.screened')");
    let screened = b.text(".screened");
    assert!(screened.contains("match"), "{screened}");
    assert!(screened.contains("Huawei"), "{screened}");
    assert!(screened.contains("Entity List"), "{screened}");
    b.scroll_to("#screen-result");
    b.screenshot("screen");

    // Upload the example order book and see the report's totals.
    b.click("a[data-tab=orders]");
    b.wait(
        "the order-book tab",
        "!document.getElementById('tab-orders').hidden",
    );
    let book = examples.join("orders-2025.csv").canonicalize().unwrap();
    let file = b.find("#orders-file");
    b.cmd(
        "POST",
        &format!("/element/{file}/value"),
        Some(json!({"text": book.to_string_lossy()})),
    );
    b.click("#orders-form button[type=submit]");
    b.wait("the report", "document.getElementById('orders-totals')");
    let totals = b.text("#orders-totals");
    assert!(totals.contains("LICENSE REQUIRED"), "{totals}");
    assert!(totals.contains("orders ($"), "{totals}");
    let summary = b.text("#orders-summary");
    assert!(summary.contains("orders evaluated"), "{summary}");
    assert_eq!(
        b.js(
            "return document.querySelector('iframe.report').srcdoc.includes('<h1')",
            json!([])
        ),
        json!(true),
        "the HTML report is shown"
    );
    b.scroll_to("#orders-result");
    b.screenshot("orders");

    // A broken CSV is refused next to the file field.
    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, "this,is,not\nan,order,book\n").unwrap();
    let file = b.find("#orders-file");
    b.cmd(
        "POST",
        &format!("/element/{file}/value"),
        Some(json!({"text": broken.to_string_lossy()})),
    );
    b.click("#orders-form button[type=submit]");
    let msg = b.visible_error("err-orders-order_book");
    assert!(msg.contains("column"), "{msg}");
    assert_eq!(
        b.js(
            "return getComputedStyle(document.getElementById('orders-progress')).display",
            json!([])
        ),
        json!("none"),
        "no progress bar once answered"
    );
    b.scroll_to("#orders-form");
    b.screenshot("orders-broken-csv");

    // Explore the rules: a timeline, the threshold map, the rules in force and a diff.
    b.click("a[data-tab=rules]");
    b.wait(
        "the rules tab",
        "!document.getElementById('tab-rules').hidden",
    );
    b.type_into("#timeline-chip", "H20");
    b.type_into("#timeline-to", "CN");
    b.type_into("#timeline-to_date", "2025-12-31");
    b.click("#timeline-form button[type=submit]");
    b.wait(
        "the timeline",
        "document.querySelector('#timeline-result table')",
    );
    let tl = b.text("#timeline-result");
    assert!(
        tl.contains("LICENSE REQUIRED") && tl.contains("NLR"),
        "{tl}"
    );
    b.scroll_to("#h-timeline");
    b.screenshot("rules-timeline");
    b.type_into("#map-date", "2025-04-20");
    b.type_into("#map-to", "CN");
    b.click("#map-form button[type=submit]");
    b.wait(
        "the map",
        "document.querySelector('#map-result img') && document.querySelector('#map-result img').complete && document.querySelector('#map-result img').naturalWidth > 0",
    );
    b.scroll_to("#h-map");
    b.screenshot("rules-map");
    b.type_into("#rules-date", "2025-04-20");
    b.type_into("#rules-since", "2024-12-01");
    b.click("#rules-form button[type=submit]");
    b.wait("the diff", "document.getElementById('rules-diff')");
    let diff = b.text("#rules-diff");
    assert!(diff.contains("What changed"), "{diff}");
    assert!(!diff.contains("[object"), "{diff}");
    let listed = b.text("#rules-result");
    assert!(listed.contains("letter.2025-04.nvidia"), "{listed}");
    b.type_into("#rules-since", "yesterday");
    b.click("#rules-form button[type=submit]");
    let msg = b.visible_error("err-rules-since");
    assert!(msg.contains("yesterday"), "{msg}");
    b.type_into("#rules-since", "2024-12-01");
    b.click("#rules-form button[type=submit]");
    b.wait("the diff again", "document.getElementById('rules-diff') && document.getElementById('err-rules-since').hidden");
    b.scroll_to("#h-inforce");
    b.screenshot("rules-in-force");
}
