//! Background WAL checkpointer for the group-commit writer.
//!
//! With SQLite's default auto-checkpoint, the committing connection copies
//! the WAL back into the database (and fsyncs it) inside a commit, stalling
//! every submitter of the next batch for milliseconds. This thread runs
//! `PRAGMA wal_checkpoint(PASSIVE)` on its own connection every
//! `INTERVAL`, concurrently with the writer (checkpoints do not take the
//! write lock), so the writer's own (raised) auto-checkpoint threshold is
//! normally never reached and batch latency stays flat.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::error::Result;

const INTERVAL: Duration = Duration::from_millis(20);

/// Pages of WAL after which the writer checkpoints by itself (safety net if
/// this thread falls behind): 4096 pages x 4 KiB = 16 MiB.
pub(crate) const WRITER_AUTOCHECKPOINT_PAGES: u32 = 4096;

/// Running checkpointer; dropping `stop` (or calling [`Checkpointer::stop`]) ends it.
pub(crate) struct Checkpointer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(crate) fn start(path: &Path) -> Result<Checkpointer> {
        let conn = crate::schema::open_existing(path)?;
        let (stop, rx) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("chipgate-audit-checkpoint".into())
            .spawn(move || loop {
                match rx.recv_timeout(INTERVAL) {
                    Err(RecvTimeoutError::Timeout) => {
                        // Errors (e.g. SQLITE_BUSY) are harmless: the next
                        // round, or the writer's own auto-checkpoint, catches up.
                        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    }
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
            })?;
        Ok(Checkpointer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// A checkpointer that runs nothing (PostgreSQL, and unit tests of the writer).
    pub(crate) fn inert() -> Checkpointer {
        Checkpointer {
            stop: None,
            thread: None,
        }
    }

    pub(crate) fn stop(&mut self) {
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.take();
    }
}
