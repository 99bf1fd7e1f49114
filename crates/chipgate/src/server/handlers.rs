//! The axum handlers: parse the request strictly, take the current snapshot once (so a
//! concurrent reload cannot mix old rules with new lists), decide on the blocking pool, audit,
//! answer. Reference-data handlers answer directly.

use super::audit::{decided, respond};
use super::body;
use super::decide;
use super::error::ApiError;
use super::reference;
use super::state::{Caller, Shared};
use crate::request::{CheckRequest, ClassifyRequest, RulesQuery, ScreenRequest, TimelineQuery};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde_json::json;

/// Runs a decision: inline when it is cheap (a check or screening takes tens of microseconds,
/// less than a hop to the blocking pool and back), on the blocking pool when it is not (a
/// scenario copies and re-resolves the rulebook).
pub async fn decide_with<T: Send + 'static>(
    cheap: bool,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    if cheap {
        f()
    } else {
        blocking(f).await
    }
}

/// Runs CPU-bound work on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("decision worker failed: {e}")))?
}

pub async fn healthz(State(st): State<Shared>) -> Response {
    let snap = st.current.load();
    let alive = st.writer.is_alive();
    let v = json!({
        "status": if alive { "ok" } else { "degraded" },
        "audit_writer": alive,
        "rulebook_fingerprint": snap.engine.book.fingerprint,
        "lists_fingerprint": snap.parties.fingerprint,
        "loaded_at": snap.loaded_at,
    });
    let mut resp = respond(&v, None);
    if !alive {
        *resp.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    }
    resp
}

pub async fn classify(
    State(st): State<Shared>,
    Extension(caller): Extension<Caller>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (req, raw) = body::json::<ClassifyRequest>(b)?;
    let snap = st.current.load_full();
    let d = decide_with(req.scenario.is_none(), move || {
        decide::classify(&snap, &req)
    })
    .await?;
    decided(&st, &caller, "classify", raw, d).await
}

pub async fn check(
    State(st): State<Shared>,
    Extension(caller): Extension<Caller>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (req, raw) = body::json::<CheckRequest>(b)?;
    let snap = st.current.load_full();
    let d = decide_with(req.scenario.is_none(), move || decide::check(&snap, &req)).await?;
    decided(&st, &caller, "check", raw, d).await
}

pub async fn screen(
    State(st): State<Shared>,
    Extension(caller): Extension<Caller>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let (req, raw) = body::json::<ScreenRequest>(b)?;
    let snap = st.current.load_full();
    // Screening cost grows with the name: long names go to the blocking pool, so they never
    // hold up the request loop (and the request time limit can answer for them).
    let cheap = req.name.len() <= 64;
    let d = decide_with(cheap, move || decide::screen(&snap, &req)).await?;
    decided(&st, &caller, "screen", raw, d).await
}

pub async fn timeline(
    State(st): State<Shared>,
    Extension(caller): Extension<Caller>,
    q: Result<Query<TimelineQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(body::query_error)?;
    let raw = serde_json::to_value(&q).map_err(|e| ApiError::internal(e.to_string()))?;
    let snap = st.current.load_full();
    let d = blocking(move || decide::timeline(&snap, &q)).await?;
    decided(&st, &caller, "timeline", raw, d).await
}

pub async fn chips(State(st): State<Shared>) -> Response {
    respond(&reference::chips(&st.current.load().engine), None)
}

pub async fn chip(
    State(st): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let v = reference::chip(&st.current.load().engine, &name).map_err(|mut e| {
        e.status = StatusCode::NOT_FOUND;
        e.detail.code = "unknown_chip".into();
        e
    })?;
    Ok(respond(&v, None))
}

pub async fn rules(
    State(st): State<Shared>,
    q: Result<Query<RulesQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(body::query_error)?;
    let snap = st.current.load_full();
    let v = blocking(move || reference::rules(&snap.engine, &q)).await?;
    Ok(respond(&v, None))
}

pub async fn admin_reload(
    State(st): State<Shared>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, ApiError> {
    tracing::info!(key_id = %caller.key_id, key_name = %caller.key_name, "reload requested over the API");
    let v = super::reload::reload(&st).await?;
    Ok(respond(&v, None))
}

pub async fn openapi() -> Response {
    respond(&super::openapi::document(), None)
}

pub async fn not_found() -> ApiError {
    ApiError::from_status(StatusCode::NOT_FOUND)
}
