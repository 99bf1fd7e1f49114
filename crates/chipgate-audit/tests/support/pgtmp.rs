//! A throwaway PostgreSQL server for tests, on loopback only: `initdb` into a temporary
//! directory, `postgres` on a free 127.0.0.1 port, stopped and deleted on drop. Shared by
//! the audit crate's tests and the server's replica test (`#[path]`-included there).
//!
//! Binaries: `$CHIPGATE_PG_BIN`, else the newest `/usr/lib/postgresql/*/bin`, else `PATH`.
//! PostgreSQL refuses to run as root: as root, the data directory is given to the
//! `postgres` system user and `initdb`/`postgres` run under that user's uid and gid.
//! Without binaries the tests are skipped with a message, unless `CHIPGATE_PG_TESTS` is
//! set (CI), where a missing PostgreSQL is a failure.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running temporary server.
pub struct TempPg {
    /// `postgres://chipgate@127.0.0.1:PORT/postgres`
    pub url: String,
    pub port: u16,
    child: Child,
    bin: PathBuf,
    dir: tempfile::TempDir,
}

fn bin_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("CHIPGATE_PG_BIN") {
        return Some(PathBuf::from(d));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").exists().then_some((v, bin))
        })
        .collect();
    found.sort();
    if let Some((_, b)) = found.pop() {
        return Some(b);
    }
    let on_path = Command::new("initdb").arg("--version").output().is_ok();
    on_path.then(PathBuf::new)
}

/// `(uid, gid)` of the `postgres` user when running as root.
fn run_as() -> Option<(u32, u32)> {
    let me = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&me.stdout).trim() != "0" {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let line = passwd.lines().find(|l| l.starts_with("postgres:"));
    let line = line.expect("running as root and no `postgres` user to run PostgreSQL as");
    let f: Vec<&str> = line.split(':').collect();
    Some((f[2].parse().ok()?, f[3].parse().ok()?))
}

fn command(bin: &Path, name: &str, user: Option<(u32, u32)>) -> Command {
    let mut c = Command::new(bin.join(name));
    if let Some((uid, gid)) = user {
        c.uid(uid).gid(gid);
    }
    c
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl TempPg {
    /// Starts a server, or `None` (after printing why) when PostgreSQL is not installed and
    /// `CHIPGATE_PG_TESTS` is unset.
    pub fn start(test: &str) -> Option<TempPg> {
        let required = std::env::var_os("CHIPGATE_PG_TESTS").is_some();
        let Some(bin) = bin_dir() else {
            assert!(
                !required,
                "CHIPGATE_PG_TESTS is set but no PostgreSQL binaries were found \
                 (install the distribution's postgresql package or set CHIPGATE_PG_BIN)"
            );
            eprintln!(
                "SKIPPED {test}: PostgreSQL binaries not found (install postgresql, or set \
                 CHIPGATE_PG_TESTS=1 to make this a failure)"
            );
            return None;
        };
        let user = run_as();
        let mut dir = tempfile::Builder::new()
            .prefix("chipgate-pg-")
            .tempdir()
            .unwrap();
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).unwrap();
        }
        let data = dir.path().join("data");
        let out = command(&bin, "initdb", user)
            .arg("-D")
            .arg(&data)
            .args(["-U", "chipgate", "-A", "trust", "-E", "UTF8", "--no-sync"])
            .output()
            .expect("running initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for _attempt in 0..5 {
            let port = free_port();
            let child = command(&bin, "postgres", user)
                .arg("-D")
                .arg(&data)
                .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
                .arg("-c")
                .arg(format!("unix_socket_directories={}", dir.path().display()))
                .args(["-c", "max_connections=60", "-c", "shared_buffers=32MB"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("starting postgres");
            let mut pg = TempPg {
                url: format!("postgres://chipgate@127.0.0.1:{port}/postgres"),
                port,
                child,
                bin: bin.clone(),
                dir,
            };
            if pg.wait_ready(Duration::from_secs(30)) {
                return Some(pg);
            }
            // Port taken in between, most likely: stop and retry on another.
            pg.stop();
            dir = std::mem::replace(&mut pg.dir, tempfile::tempdir().unwrap());
        }
        panic!("postgres did not start");
    }

    fn wait_ready(&mut self, limit: Duration) -> bool {
        let t = Instant::now();
        while t.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            let ok = Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    /// A fresh, empty database on this server; its URL.
    pub fn database(&self, name: &str) -> String {
        let out = Command::new(self.bin.join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "chipgate",
                name,
            ])
            .output()
            .expect("running createdb");
        assert!(
            out.status.success(),
            "createdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        format!("postgres://chipgate@127.0.0.1:{}/{name}", self.port)
    }

    fn stop(&mut self) {
        // SIGINT: fast shutdown (the postmaster stops its backends, then exits).
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for TempPg {
    fn drop(&mut self) {
        self.stop();
    }
}
