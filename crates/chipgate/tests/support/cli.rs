//! Helpers the end-to-end tests share: run the `chipgate` binary with a home that holds no
//! list store, create a key, export the audit log, start `chipgate serve` on a free loopback
//! port. Each test file includes this with `#[path = "support/cli.rs"] mod cli;`.

#![allow(dead_code, reason = "each test file uses a different subset")]
#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use serde_json::Value;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The binary under test: `CHIPGATE_TEST_BIN` points a measurement at another build (a
/// release binary); otherwise the one cargo built for these tests.
pub fn bin() -> String {
    std::env::var("CHIPGATE_TEST_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_chipgate").into())
}

/// `chipgate` with a home that holds no list store (answers do not depend on the machine).
pub fn chipgate() -> Command {
    let mut c = Command::new(bin());
    c.env(
        "CHIPGATE_HOME",
        std::env::temp_dir().join("chipgate-test-home-nonexistent"),
    );
    c
}

/// Creates a key in `db` (a file or a `postgres://` URL) with extra `keys create` options
/// (scopes, rate) and returns it.
pub fn create_key(db: impl AsRef<OsStr>, name: &str, extra: &[&str]) -> String {
    let out = chipgate()
        .args(["keys", "create", "--name", name, "--db"])
        .arg(db)
        .args(extra)
        .output()
        .expect("run chipgate keys create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Every record of the audit log, as `chipgate audit export` writes them.
pub fn audit_export(db: impl AsRef<OsStr>) -> Vec<Value> {
    let out = chipgate()
        .args(["audit", "export", "--db"])
        .arg(db)
        .output()
        .expect("run chipgate audit export");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("an export line is JSON"))
        .collect()
}

/// Starts `chipgate serve --addr 127.0.0.1:0 --db DB EXTRA…` and returns the process and the
/// address it printed. `quiet` sends its log to nowhere (else to the test's stderr).
pub fn spawn_serve(
    cmd: Command,
    db: impl AsRef<OsStr>,
    extra: &[&str],
    quiet: bool,
) -> (Child, String) {
    let mut cmd = cmd;
    let mut child = cmd
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(if quiet {
            Stdio::null()
        } else {
            Stdio::inherit()
        })
        .spawn()
        .expect("start chipgate serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the address line");
    let addr = line
        .trim()
        .strip_prefix("chipgate listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    (child, addr)
}
