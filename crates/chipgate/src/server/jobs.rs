//! Asynchronous order books: `POST /v1/jobs/orders` takes a book too large to answer within one
//! request (CSV or JSON Lines, up to [`MAX_JOB_BODY`] bytes, more rows than `/v1/orders`
//! allows), answers `202` with a job id at once, and decides the rows in the background through
//! exactly the `/v1/orders` path — each row audited before its result line is kept.
//! `GET /v1/jobs/{id}` gives the progress, `GET /v1/jobs/{id}/results` the JSON Lines so far
//! (complete once the status says `done`).
//!
//! Jobs live in the memory of the replica that took them (results in a temporary file), so
//! behind a load balancer the status and results calls must reach the same replica (sticky
//! routing by job id); the per-row audit records are in the shared audit log either way, and a
//! replica restart loses the job's results file but never an acknowledged row's record. Only
//! the key that created a job can read it.

use super::error::ApiError;
use super::orders::{is_csv, parse_csv, parse_jsonl, stream_rows};
use super::state::{Caller, Shared};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Largest order book a job takes, in bytes.
pub const MAX_JOB_BODY: usize = 512 << 20;

/// Most rows one job decides.
pub const MAX_JOB_ROWS: usize = 5_000_000;

/// A job's progress, as `GET /v1/jobs/{id}` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct JobStatus {
    pub id: String,
    /// `running`, `done` or `failed`.
    pub status: &'static str,
    pub rows: usize,
    /// Result lines written so far (decided rows and rows with an error).
    pub answered: usize,
    pub decided: usize,
    pub errors: usize,
    pub created: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

struct Job {
    key_id: String,
    status: JobStatus,
    results: tempfile::NamedTempFile,
}

type Jobs = Mutex<HashMap<String, Arc<Mutex<Job>>>>;

fn jobs() -> &'static Jobs {
    static J: OnceLock<Jobs> = OnceLock::new();
    J.get_or_init(Jobs::default)
}

fn new_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    let a = h.finish();
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(a);
    format!("job-{a:016x}{:016x}", h.finish())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn find(id: &str, caller: &Caller) -> Result<Arc<Mutex<Job>>, ApiError> {
    let job = lock(jobs()).get(id).cloned();
    match job {
        Some(j) if lock(&j).key_id == caller.key_id => Ok(j),
        _ => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_job",
            format!("no job `{id}` for this key on this server"),
        )
        .with_hint("jobs are kept by the replica that took them: route by job id")),
    }
}

/// `POST /v1/jobs/orders`.
pub async fn create(
    State(st): State<Shared>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = super::body::bytes(b)?;
    let rows = if is_csv(&headers, &bytes) {
        parse_csv(&bytes, MAX_JOB_ROWS)?
    } else {
        parse_jsonl(&bytes, MAX_JOB_ROWS)?
    };
    drop(bytes);
    if rows.is_empty() {
        return Err(ApiError::bad_request(
            "empty_batch",
            "the order book has no rows",
        ));
    }
    let results = tempfile::NamedTempFile::new()
        .map_err(|e| ApiError::internal(format!("creating the job's results file: {e}")))?;
    let id = new_id();
    let status = JobStatus {
        id: id.clone(),
        status: "running",
        rows: rows.len(),
        answered: 0,
        decided: 0,
        errors: 0,
        created: chrono::Utc::now().to_rfc3339(),
        finished: None,
        failure: None,
    };
    let job = Arc::new(Mutex::new(Job {
        key_id: caller.key_id.clone(),
        status: status.clone(),
        results,
    }));
    lock(jobs()).insert(id.clone(), job.clone());
    let snap = st.current.load_full();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Bytes>(256);
    tokio::spawn(stream_rows(st, caller, snap, rows, tx));
    tokio::spawn(async move {
        while let Some(line) = rx.recv().await {
            let mut j = lock(&job);
            let parsed: serde_json::Value = serde_json::from_slice(&line).unwrap_or_default();
            if let Some(s) = parsed.get("summary") {
                j.status.status = "done";
                j.status.finished = Some(chrono::Utc::now().to_rfc3339());
                tracing::info!(job = %j.status.id, summary = %s, "order job finished");
            } else {
                j.status.answered += 1;
                if parsed.get("result").is_some() {
                    j.status.decided += 1;
                } else {
                    j.status.errors += 1;
                }
            }
            if let Err(e) = j.results.as_file_mut().write_all(&line) {
                j.status.status = "failed";
                j.status.failure = Some(format!("writing the results: {e}"));
                return;
            }
        }
        let mut j = lock(&job);
        if j.status.status == "running" {
            // The row stream ended without its summary: the audit log refused a record.
            j.status.status = "failed";
            j.status.failure =
                Some("stopped early: an audit record could not be made durable".into());
        }
    });
    let mut resp = (StatusCode::ACCEPTED, axum::Json(status)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/v1/jobs/{id}")) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

/// `GET /v1/jobs/{id}`.
pub async fn status(
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let job = find(&id, &caller)?;
    let status = lock(&job).status.clone();
    Ok(axum::Json(status).into_response())
}

/// `GET /v1/jobs/{id}/results`: the JSON Lines written so far.
pub async fn results(
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let job = find(&id, &caller)?;
    let path = lock(&job).results.path().to_path_buf();
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
        .map_err(|e| ApiError::internal(format!("reading the job's results: {e}")))?;
    let mut resp = (StatusCode::OK, bytes).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    Ok(resp)
}
