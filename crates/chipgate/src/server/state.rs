//! What the server shares between requests: the current rules-and-lists [`Snapshot`] behind an
//! atomically swapped `Arc` (so a reload never exposes a half-loaded state and a request keeps
//! the snapshot it started with), the audit writer, the key store and the limits.

use crate::screening::PartyContext;
use anyhow::Result;
use arc_swap::ArcSwap;
use chipgate_audit::{AuditWriter, KeyStore};
use chipgate_core::Engine;
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rules, catalog, countries and screening lists, loaded together and never mutated.
pub struct Snapshot {
    pub engine: Engine,
    pub parties: PartyContext,
    pub loaded_at: DateTime<Utc>,
}

impl Snapshot {
    /// Loads everything from scratch (blocking; takes a moment: run it off the async workers).
    pub fn load(data_dir: Option<&Path>) -> Result<Snapshot> {
        let engine = crate::data::engine(data_dir, &[])?;
        let parties = PartyContext::build(None, None, true)?;
        Ok(Snapshot {
            engine,
            parties,
            loaded_at: Utc::now(),
        })
    }
}

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_body: usize,
    pub max_batch: usize,
    pub timeout: std::time::Duration,
    pub max_inflight: usize,
    /// Time allowed for a request's headers to arrive.
    pub header_timeout: std::time::Duration,
    /// Time allowed for an authenticated request's body to arrive (a client trickling its
    /// body holds a slot only this long).
    pub body_timeout: std::time::Duration,
    /// Most requests one API key may have in flight (others get 429 at once).
    pub max_per_key: usize,
}

/// Requests in flight per API key.
#[derive(Default)]
pub struct PerKey(std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Semaphore>>>);

impl PerKey {
    /// A slot for `key_id`, or `None` when it already has `max` requests in flight.
    pub fn try_acquire(
        &self,
        key_id: &str,
        max: usize,
    ) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let sem = {
            let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
            m.entry(key_id.to_string())
                .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(max.max(1))))
                .clone()
        };
        sem.try_acquire_owned().ok()
    }
}

/// Shared server state.
pub struct AppState {
    pub current: ArcSwap<Snapshot>,
    pub writer: AuditWriter,
    pub keys: KeyStore,
    pub limits: Limits,
    pub data_dir: Option<PathBuf>,
    /// The audit database (file or `postgres://` URL), for the audit read API.
    pub db: PathBuf,
    /// Serialises reloads (a second reload waits for the first instead of racing it).
    pub reload_lock: tokio::sync::Mutex<()>,
    /// Requests in flight per key (bounded by `limits.max_per_key`).
    pub per_key: PerKey,
}

pub type Shared = Arc<AppState>;

/// The key that made a request (set by the auth middleware).
#[derive(Debug, Clone)]
pub struct Caller {
    pub key_id: String,
    pub key_name: String,
    /// When the request's time limit runs out: a decision finished after it is neither
    /// audited nor returned (the client has been told 408 or is about to be).
    pub deadline: std::time::Instant,
    /// The request's `Idempotency-Key` header: a retry with the same key gets the first
    /// answer and audit receipt, and no second record.
    pub idempotency_key: Option<String>,
}
