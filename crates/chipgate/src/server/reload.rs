//! Reloading rules and lists without a restart (SIGHUP or `POST /v1/admin/reload`): the new
//! engine and screening context are built completely on the blocking pool, and only a fully
//! loaded snapshot is swapped in; a failed load leaves the old one serving. Requests in flight
//! keep the snapshot they started with.

use super::error::ApiError;
use super::state::{AppState, Shared, Snapshot};
use serde_json::{json, Value};
use std::sync::Arc;

/// Builds a new snapshot and swaps it in; returns the fingerprints now served.
pub async fn reload(st: &AppState) -> Result<Value, ApiError> {
    let _one_at_a_time = st.reload_lock.lock().await;
    let dir = st.data_dir.clone();
    let started = std::time::Instant::now();
    let snap = tokio::task::spawn_blocking(move || Snapshot::load(dir.as_deref()))
        .await
        .map_err(|e| ApiError::internal(format!("reload worker failed: {e}")))?
        .map_err(|e| {
            tracing::error!(error = %format!("{e:#}"), "reload failed; still serving the previous rules and lists");
            ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "reload_failed", format!("{e:#}")).with_hint("the previous rules and lists are still being served")
        })?;
    let v = json!({
        "reloaded": true,
        "rulebook_fingerprint": snap.engine.book.fingerprint,
        "lists_fingerprint": snap.parties.fingerprint,
        "loaded_at": snap.loaded_at,
        "took_ms": started.elapsed().as_millis() as u64,
    });
    st.current.store(Arc::new(snap));
    tracing::info!(rulebook = %v["rulebook_fingerprint"], lists = %v["lists_fingerprint"], "rules and lists reloaded");
    Ok(v)
}

/// Reloads on every SIGHUP until the process ends.
#[cfg(unix)]
pub async fn on_sighup(st: Shared) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = match signal(SignalKind::hangup()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGHUP; reload only via POST /v1/admin/reload");
            return;
        }
    };
    while hup.recv().await.is_some() {
        tracing::info!("SIGHUP: reloading rules and lists");
        let _ = reload(&st).await;
    }
}

#[cfg(not(unix))]
pub async fn on_sighup(_st: Shared) {}
