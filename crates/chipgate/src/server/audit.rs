//! Audit-then-answer: a decision is appended to the hash-chained log and only once the writer
//! acknowledges it as durable is the response sent (with its `x-audit-seq`/`x-audit-hash`
//! receipt). If the log cannot take it, the client gets 503 and no decision.

use super::decide::Decided;
use super::error::ApiError;
use super::state::{AppState, Caller};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chipgate_audit::{NewRecord, Receipt};
use serde_json::Value;

/// Appends the record (taking the decision's JSON, no copy) and waits until it is durable.
pub async fn record(
    st: &AppState,
    caller: &Caller,
    kind: &str,
    request: Value,
    d: Decided,
) -> Result<Receipt, ApiError> {
    let rec = NewRecord::new(
        kind,
        request,
        d.response,
        d.rulebook_fingerprint,
        d.lists_fingerprint,
    )
    .with_key_id(caller.key_id.clone());
    let start = std::time::Instant::now();
    let receipt = st.writer.append(rec).await.map_err(|e| {
        tracing::error!(error = %e, kind, "audit append failed; decision withheld");
        ApiError::audit_unavailable(e)
    })?;
    super::metrics::audit_wait(start.elapsed().as_secs_f64());
    Ok(receipt)
}

/// A JSON response with the audit receipt in headers.
pub fn respond(value: &Value, receipt: Option<&Receipt>) -> Response {
    match serde_json::to_vec(value) {
        Ok(b) => respond_bytes(b, receipt),
        Err(e) => ApiError::internal(format!("serialising the answer: {e}")).into_response(),
    }
}

/// A response from already serialised JSON.
pub fn respond_bytes(body: Vec<u8>, receipt: Option<&Receipt>) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(r) = receipt {
        if let Ok(v) = HeaderValue::from_str(&r.seq.to_string()) {
            h.insert("x-audit-seq", v);
        }
        if let Ok(v) = HeaderValue::from_str(&r.hash) {
            h.insert("x-audit-hash", v);
        }
    }
    resp
}

/// Audits a decision and builds its response.
pub async fn decided(
    st: &AppState,
    caller: &Caller,
    kind: &str,
    request: Value,
    mut d: Decided,
) -> Result<Response, ApiError> {
    if std::time::Instant::now() > caller.deadline {
        // Too late: the client gets 408, so nothing is recorded as answered.
        return Err(ApiError::from_status(
            axum::http::StatusCode::REQUEST_TIMEOUT,
        ));
    }
    let body = std::mem::take(&mut d.body);
    let receipt = record(st, caller, kind, request, d).await?;
    Ok(respond_bytes(body, Some(&receipt)))
}
