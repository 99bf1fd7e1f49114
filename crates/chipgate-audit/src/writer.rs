//! Group-commit writer: one dedicated thread owns the write connection, drains
//! every pending record from a channel, writes them in ONE transaction (one
//! WAL fsync for the whole batch), and only then acknowledges each submitter.
//! This is what lets the server audit thousands of decisions per second while
//! acknowledging a decision only once its record is durable. The same thread
//! drives an SQLite file or a PostgreSQL connection (see `pg`); with PostgreSQL
//! several servers' writers take turns on the chain head, one batch at a time.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use std::path::Path;

use tokio::sync::oneshot;

use crate::checkpoint::{Checkpointer, WRITER_AUTOCHECKPOINT_PAGES};
use crate::db::Conn;
use crate::error::{AuditError, Result};
use crate::record::{Appended, NewRecord, Prepared, Receipt};

/// Upper bound on records per transaction (bounds memory and commit time).
const MAX_BATCH: usize = 2048;

enum Reply {
    Blocking(SyncSender<Result<Appended>>),
    Async(oneshot::Sender<Result<Appended>>),
}

impl Reply {
    fn send(self, r: Result<Appended>) {
        // A submitter that stopped waiting (dropped future) is not an error:
        // its record is durable all the same.
        match self {
            Reply::Blocking(tx) => {
                let _ = tx.send(r);
            }
            Reply::Async(tx) => {
                let _ = tx.send(r);
            }
        }
    }
}

struct Job {
    rec: Prepared,
    reply: Reply,
}

enum Msg {
    Append(Box<Job>),
    Shutdown(SyncSender<()>),
}

struct Shared {
    closed: AtomicBool,
    thread: Mutex<Option<JoinHandle<()>>>,
    checkpointer: Mutex<Checkpointer>,
}

/// Cloneable, `Send + Sync` handle to the group-commit writer thread.
///
/// Dropping every handle without [`AuditWriter::shutdown`] still lets the
/// thread write everything already submitted before it exits.
#[derive(Clone)]
pub struct AuditWriter {
    tx: Sender<Msg>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for AuditWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditWriter")
            .field("closed", &self.shared.closed.load(Ordering::Relaxed))
            .finish()
    }
}

impl AuditWriter {
    /// Open (creating if needed) the database at `path` and start the writer thread.
    pub fn spawn(path: impl AsRef<std::path::Path>) -> Result<AuditWriter> {
        crate::log::AuditLog::open(path)?.into_writer()
    }

    /// Start the writer thread on an already configured connection to the
    /// database at `path`, plus (for SQLite) the background checkpointer.
    pub(crate) fn start(conn: Conn, path: &Path) -> Result<AuditWriter> {
        let mut conn = conn;
        let checkpointer = match &mut conn {
            Conn::Sqlite(c) => {
                c.pragma_update(None, "wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES)?;
                Checkpointer::start(path)?
            }
            Conn::Pg(c) => {
                c.require_durable_commits()?;
                Checkpointer::inert()
            }
        };
        let (tx, rx) = mpsc::channel::<Msg>();
        let handle = std::thread::Builder::new()
            .name("chipgate-audit-writer".into())
            .spawn(move || run(conn, rx))?;
        Ok(AuditWriter {
            tx,
            shared: Arc::new(Shared {
                closed: AtomicBool::new(false),
                thread: Mutex::new(Some(handle)),
                checkpointer: Mutex::new(checkpointer),
            }),
        })
    }

    fn submit(&self, rec: NewRecord, reply: Reply) -> Result<()> {
        if self.shared.closed.load(Ordering::Acquire) {
            return Err(AuditError::WriterClosed);
        }
        let rec = rec.prepare()?;
        self.tx
            .send(Msg::Append(Box::new(Job { rec, reply })))
            .map_err(|_| AuditError::WriterGone)
    }

    /// Append `rec` and block the calling thread until it is durable.
    /// Do not call from an async task; use [`AuditWriter::append`] there.
    pub fn append_blocking(&self, rec: NewRecord) -> Result<Receipt> {
        let (tx, rx) = mpsc::sync_channel(1);
        self.submit(rec, Reply::Blocking(tx))?;
        Ok(rx.recv().map_err(|_| AuditError::WriterGone)??.receipt)
    }

    /// Append `rec`; the returned future resolves once it is durable. Never
    /// blocks a tokio worker: the record is queued immediately (before the
    /// first poll), and the future only awaits the writer's acknowledgement.
    /// Dropping the future does not cancel the write.
    pub fn append(&self, rec: NewRecord) -> impl Future<Output = Result<Receipt>> + Send + 'static {
        let appended = self.append_once(rec);
        async move { Ok(appended.await?.receipt) }
    }

    /// Like [`AuditWriter::append`], for a record that may carry an idempotency key: resolves
    /// to the new record's receipt, or (nothing appended) to the receipt and stored answer of
    /// the record the key's first use made, or to [`AuditError::IdempotencyConflict`] when
    /// the key was used for a different request.
    pub fn append_once(
        &self,
        rec: NewRecord,
    ) -> impl Future<Output = Result<Appended>> + Send + 'static {
        let (tx, rx) = oneshot::channel();
        let queued = self.submit(rec, Reply::Async(tx));
        async move {
            queued?;
            rx.await.map_err(|_| AuditError::WriterGone)?
        }
    }

    /// Stop accepting records, write every record already queued, and wait
    /// for the writer thread to exit. Idempotent; later appends fail with
    /// [`AuditError::WriterClosed`]. Blocking: from async code call it via
    /// `spawn_blocking`.
    pub fn shutdown(&self) -> Result<()> {
        self.shared.closed.store(true, Ordering::Release);
        // The guard is held until the thread has exited, so a concurrent
        // second `shutdown()` returns only after the flush is complete.
        let mut guard = match self.shared.thread.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let Some(handle) = guard.take() else {
            return Ok(());
        };
        let (ack_tx, ack_rx) = mpsc::sync_channel(1);
        if self.tx.send(Msg::Shutdown(ack_tx)).is_ok() {
            let _ = ack_rx.recv();
        }
        let joined = handle.join().map_err(|_| AuditError::WriterGone);
        match self.shared.checkpointer.lock() {
            Ok(mut c) => c.stop(),
            Err(poisoned) => poisoned.into_inner().stop(),
        }
        joined
    }

    /// Whether the writer thread is still running (false after shutdown or death).
    pub fn is_alive(&self) -> bool {
        match self.shared.thread.lock() {
            Ok(g) => g.as_ref().is_some_and(|h| !h.is_finished()),
            Err(_) => false,
        }
    }
}

/// Writer thread body: block for one message, drain whatever else is queued
/// (up to `MAX_BATCH`), write it as one transaction, acknowledge, repeat.
fn run(mut conn: Conn, rx: Receiver<Msg>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    let mut shutdown: Option<SyncSender<()>> = None;
    loop {
        match rx.recv() {
            Ok(Msg::Append(job)) => batch.push(*job),
            Ok(Msg::Shutdown(ack)) => shutdown = Some(ack),
            Err(_) => return, // every handle dropped and the queue is empty
        }
        fill(&rx, &mut batch, &mut shutdown);
        if !batch.is_empty() {
            write(&mut conn, &mut batch);
        }
        if let Some(ack) = shutdown.take() {
            // Flush everything that was queued before the channel went quiet.
            loop {
                fill(&rx, &mut batch, &mut shutdown);
                if batch.is_empty() {
                    break;
                }
                write(&mut conn, &mut batch);
            }
            let _ = ack.send(());
            return;
        }
    }
}

/// Move queued messages into `batch` without blocking, up to `MAX_BATCH`.
fn fill(rx: &Receiver<Msg>, batch: &mut Vec<Job>, shutdown: &mut Option<SyncSender<()>>) {
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(Msg::Append(job)) => batch.push(*job),
            Ok(Msg::Shutdown(ack)) => {
                if let Some(prev) = shutdown.replace(ack) {
                    let _ = prev.send(());
                }
            }
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
        }
    }
}

fn write(conn: &mut Conn, batch: &mut Vec<Job>) {
    let records: Vec<&Prepared> = batch.iter().map(|j| &j.rec).collect();
    let result = crate::store::append(conn, &records);
    drop(records);
    match result {
        Ok(results) => {
            for (job, r) in batch.drain(..).zip(results) {
                job.reply.send(r);
            }
        }
        Err(e) => {
            let msg = e.to_string();
            for job in batch.drain(..) {
                job.reply.send(Err(AuditError::BatchFailed(msg.clone())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::NewRecord;

    fn fake_writer<F>(body: F) -> AuditWriter
    where
        F: FnOnce(Receiver<Msg>) + Send + 'static,
    {
        let (tx, rx) = mpsc::channel::<Msg>();
        let handle = std::thread::spawn(move || body(rx));
        AuditWriter {
            tx,
            shared: Arc::new(Shared {
                closed: AtomicBool::new(false),
                thread: Mutex::new(Some(handle)),
                checkpointer: Mutex::new(Checkpointer::inert()),
            }),
        }
    }

    fn rec() -> NewRecord {
        NewRecord::new(
            "check",
            serde_json::json!({}),
            serde_json::json!({}),
            "r",
            "l",
        )
    }

    #[test]
    fn dead_writer_thread_means_errors_not_acks() {
        // Thread that is already gone.
        let w = fake_writer(drop);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(!w.is_alive());
        assert!(matches!(
            w.append_blocking(rec()),
            Err(AuditError::WriterGone)
        ));
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert!(matches!(
            rt.block_on(w.append(rec())),
            Err(AuditError::WriterGone)
        ));
    }

    #[test]
    fn writer_dying_mid_batch_means_errors_not_acks() {
        // Thread that takes jobs and then dies (panics) without replying.
        let w = fake_writer(|rx| {
            let _job = rx.recv();
            let _job2 = rx.recv();
            panic!("simulated writer crash");
        });
        let w2 = w.clone();
        let t = std::thread::spawn(move || w2.append_blocking(rec()));
        let r1 = w.append_blocking(rec());
        assert!(matches!(r1, Err(AuditError::WriterGone)), "{r1:?}");
        assert!(matches!(t.join().unwrap(), Err(AuditError::WriterGone)));
        assert!(
            w.shutdown().is_err(),
            "a panicked writer is reported by shutdown"
        );
    }
}
