//! `chipgate serve`: the HTTP API (axum on tokio). The same questions as the CLI, with the same
//! request fields and `--json` answers, behind API keys, with every decision appended to the
//! tamper-evident audit log before it is returned. Layout, one job per module:
//!
//! * [`requests`] typed request bodies; [`body`] strict parsing; [`error`] the JSON error shape;
//! * [`decide`] the decisions (blocking, shared with the CLI's `question::prepare`);
//! * [`audit`] audit-then-answer; [`auth`] bearer keys; [`router`] routes and limits;
//! * [`handlers`], [`orders`], [`book`], [`map`], [`reference`] the endpoints; [`openapi`] the
//!   document; [`web`] the web page;
//! * [`state`] the swappable snapshot; [`reload`] SIGHUP/admin reload; [`shutdown`] signals;
//! * [`listen`] the accept loop (header-read timeout, graceful drain).

pub mod audit;
pub mod audit_read;
pub mod auth;
pub mod body;
pub mod book;
pub mod decide;
pub mod error;
pub mod handlers;
pub mod jobs;
pub mod listen;
pub mod map;
pub mod metrics;
pub mod openapi;
pub mod orders;
pub mod ratelimit;
pub mod reference;
pub mod reload;
pub mod router;
pub mod scenarios;
pub mod shutdown;
pub mod state;
pub mod web;
pub mod yente;

use anyhow::{Context, Result};
use arc_swap::ArcSwap;
use chipgate_audit::{AuditWriter, KeyStore};
use state::{AppState, Limits, Snapshot};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Server configuration (from `chipgate serve` flags).
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: String,
    pub db: PathBuf,
    pub data_dir: Option<PathBuf>,
    pub limits: Limits,
    /// Periodic signed checkpoints of the audit log.
    pub checkpoints: Option<Checkpoints>,
    /// Log lines as JSON objects instead of text.
    pub json_logs: bool,
}

/// Where and how often the server anchors the audit log's head.
#[derive(Debug, Clone)]
pub struct Checkpoints {
    pub key: PathBuf,
    pub dir: PathBuf,
    pub every: std::time::Duration,
}

/// Writes a checkpoint of the log's head into `dir` (`checkpoint-SEQ.json` and
/// `latest.json`) unless the head is `last`; returns the head's seq.
fn write_checkpoint(
    db: &std::path::Path,
    key: &chipgate_audit::anchor::SigningKey,
    dir: &std::path::Path,
    last: i64,
) -> Result<i64> {
    use chipgate_audit::anchor;
    let Some(c) = anchor::checkpoint_head(db, key)? else {
        return Ok(last);
    };
    if c.seq == last {
        return Ok(last);
    }
    anchor::write_checkpoint(&dir.join(format!("checkpoint-{:012}.json", c.seq)), &c)?;
    anchor::write_checkpoint(&dir.join("latest.json"), &c)?;
    tracing::info!(seq = c.seq, hash = %c.hash, "audit checkpoint written");
    Ok(c.seq)
}

/// Checkpoints every `every` until the server stops, then once more.
async fn checkpoint_loop(
    db: PathBuf,
    cp: Checkpoints,
    key: chipgate_audit::anchor::SigningKey,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let key = Arc::new(key);
    let mut last = 0i64;
    let mut tick = tokio::time::interval(cp.every);
    loop {
        let stopping = tokio::select! {
            _ = tick.tick() => false,
            _ = stop.changed() => true,
        };
        let (db2, dir, k) = (db.clone(), cp.dir.clone(), key.clone());
        match tokio::task::spawn_blocking(move || write_checkpoint(&db2, &k, &dir, last)).await {
            Ok(Ok(seq)) => last = seq,
            Ok(Err(e)) => tracing::error!(error = %format!("{e:#}"), "audit checkpoint failed"),
            Err(e) => tracing::error!(error = %e, "audit checkpoint task failed"),
        }
        if stopping {
            return;
        }
    }
}

/// Logs to standard error; `RUST_LOG` overrides the default `info`. Colour codes only when
/// standard error is a terminal; `json` writes one JSON object per line.
pub fn init_tracing(json: bool) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let b = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = if json {
        b.json().with_ansi(false).try_init()
    } else {
        b.with_ansi(std::io::stderr().is_terminal()).try_init()
    };
}

/// Runs the server until SIGINT/SIGTERM, then drains requests and flushes the audit log.
pub async fn serve(cfg: Config) -> Result<()> {
    let dir = cfg.data_dir.clone();
    let snap = tokio::task::spawn_blocking(move || Snapshot::load(dir.as_deref()))
        .await
        .context("loading rules and lists")??;
    // A file, or a `postgres://` URL shared with other replicas. Opened on the blocking pool:
    // the PostgreSQL client must not run inside an async worker.
    let db = cfg.db.clone();
    let (keys, writer) = tokio::task::spawn_blocking(move || -> Result<_> {
        let shown = chipgate_audit::display_db(&db);
        let keys = KeyStore::open(&db).with_context(|| format!("opening the key store {shown}"))?;
        let writer =
            AuditWriter::spawn(&db).with_context(|| format!("opening the audit log {shown}"))?;
        Ok((keys, writer))
    })
    .await
    .context("opening the audit database")??;
    let state = Arc::new(AppState {
        current: ArcSwap::from_pointee(snap),
        writer,
        keys,
        limits: cfg.limits,
        data_dir: cfg.data_dir.clone(),
        db: cfg.db.clone(),
        reload_lock: tokio::sync::Mutex::new(()),
        per_key: Default::default(),
    });
    let listener = tokio::net::TcpListener::bind(&cfg.addr)
        .await
        .with_context(|| format!("binding {}", cfg.addr))?;
    let addr = listener.local_addr()?;
    // One line on stdout that scripts and tests read to learn the port (with --addr …:0).
    println!("chipgate listening on http://{addr}");
    std::io::stdout().flush()?;
    {
        let snap = state.current.load();
        tracing::info!(%addr, db = %chipgate_audit::display_db(&cfg.db), rulebook = %snap.engine.book.fingerprint, lists = %snap.parties.fingerprint, "serving");
    }
    let hup = tokio::spawn(reload::on_sighup(state.clone()));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let checkpoints = match &cfg.checkpoints {
        Some(cp) => {
            let key = chipgate_audit::anchor::load_key(&cp.key)?;
            std::fs::create_dir_all(&cp.dir)
                .with_context(|| format!("creating {}", cp.dir.display()))?;
            Some(tokio::spawn(checkpoint_loop(
                cfg.db.clone(),
                cp.clone(),
                key,
                stop_rx,
            )))
        }
        None => None,
    };
    listen::serve(
        listener,
        router::router(state.clone()),
        cfg.limits.header_timeout,
        shutdown::signal(),
    )
    .await;
    hup.abort();
    tracing::info!("requests drained; flushing the audit log");
    let w = state.writer.clone();
    let flushed = tokio::task::spawn_blocking(move || w.shutdown())
        .await
        .context("audit writer shutdown")?;
    flushed.context("flushing the audit log")?;
    if let Some(t) = checkpoints {
        let _ = stop_tx.send(true);
        let _ = t.await;
    }
    tracing::info!("audit log flushed; stopped");
    Ok(())
}

/// Builds the runtime and serves (the `chipgate serve` entry point).
pub fn run(cfg: Config) -> Result<()> {
    init_tracing(cfg.json_logs);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("chipgate-http")
        .build()?;
    rt.block_on(serve(cfg))
}
