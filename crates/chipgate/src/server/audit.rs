//! Audit-then-answer: a decision is appended to the hash-chained log and only once the writer
//! acknowledges it as durable is the response sent (with its `x-audit-seq`/`x-audit-hash`
//! receipt). If the log cannot take it, the client gets 503 and no decision.
//!
//! Two things ride along with every audited answer. The caller's references (`order_id`,
//! `client_ref` in the request) are echoed at the front of the answer and stored in the
//! record's `client_ref` column. An `Idempotency-Key` header makes the append conditional:
//! the first request with a key is recorded with its exact answer bytes; a retry (on any
//! replica sharing the database) gets those bytes and the first receipt back, marked
//! `idempotent-replayed: true`, and appends nothing; the key sent with a different request is
//! refused with 422.

use super::decide::Decided;
use super::error::ApiError;
use super::state::{AppState, Caller};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chipgate_audit::{Appended, AuditError, NewRecord, Receipt};
use serde_json::Value;

/// The request fields that carry the caller's own references, in the order echoed.
const REFERENCES: [&str; 2] = ["order_id", "client_ref"];

/// The caller's references given in `request` (string values only).
pub fn references(request: &Value) -> Vec<(&'static str, String)> {
    REFERENCES
        .iter()
        .filter_map(|f| Some((*f, request.get(*f)?.as_str()?.to_string())))
        .collect()
}

/// Adds the references to an answer object (the JSON the audit record stores).
pub fn echo(response: &mut Value, refs: &[(&'static str, String)]) {
    if let Value::Object(m) = response {
        for (k, v) in refs {
            m.insert((*k).to_string(), Value::from(v.as_str()));
        }
    }
}

/// Adds the references at the front of a serialised answer object, leaving the rest of its
/// bytes (and field order) as they are.
fn echo_bytes(body: Vec<u8>, refs: &[(&'static str, String)]) -> Vec<u8> {
    let rest = match body.strip_prefix(b"{") {
        Some(rest) if !refs.is_empty() => rest,
        _ => return body,
    };
    let mut out = Vec::with_capacity(body.len() + 64);
    out.push(b'{');
    for (i, (k, v)) in refs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let pair = serde_json::json!({ *k: v }).to_string();
        out.extend_from_slice(
            pair.trim_start_matches('{')
                .trim_end_matches('}')
                .as_bytes(),
        );
    }
    if rest.first() != Some(&b'}') {
        out.push(b',');
    }
    out.extend_from_slice(rest);
    out
}

/// A record with the caller's reference in its `client_ref` column (`client_ref` when given,
/// else `order_id`).
pub fn with_reference(rec: NewRecord, refs: &[(&'static str, String)]) -> NewRecord {
    let pick = |f: &str| refs.iter().find(|(k, _)| *k == f).map(|(_, v)| v.clone());
    match pick("client_ref").or_else(|| pick("order_id")) {
        Some(r) => rec.with_client_ref(r),
        None => rec,
    }
}

/// Appends the record (taking the decision's JSON, no copy) and waits until it is durable.
pub async fn record(
    st: &AppState,
    caller: &Caller,
    kind: &str,
    request: Value,
    d: Decided,
) -> Result<Receipt, ApiError> {
    Ok(record_once(st, caller, kind, request, d, None)
        .await?
        .receipt)
}

/// Appends the record, once per idempotency key when `answer` (the bytes to send) is given
/// and the caller sent a key.
async fn record_once(
    st: &AppState,
    caller: &Caller,
    kind: &str,
    request: Value,
    mut d: Decided,
    answer: Option<Vec<u8>>,
) -> Result<Appended, ApiError> {
    let refs = references(&request);
    echo(&mut d.response, &refs);
    let mut rec = NewRecord::new(
        kind,
        request,
        d.response,
        d.rulebook_fingerprint,
        d.lists_fingerprint,
    )
    .with_key_id(caller.key_id.clone());
    rec = with_reference(rec, &refs);
    if let (Some(key), Some(answer)) = (&caller.idempotency_key, answer) {
        rec = rec.with_idempotency(key.clone(), answer);
    }
    let start = std::time::Instant::now();
    let appended = st.writer.append_once(rec).await.map_err(|e| match e {
        AuditError::IdempotencyConflict(_) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this `Idempotency-Key` was already used for a different request",
        )
        .with_hint("use a new key for each distinct request"),
        e => {
            tracing::error!(error = %e, kind, "audit append failed; decision withheld");
            ApiError::audit_unavailable(e)
        }
    })?;
    super::metrics::audit_wait(start.elapsed().as_secs_f64());
    Ok(appended)
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
    let body = echo_bytes(std::mem::take(&mut d.body), &references(&request));
    let keep = caller.idempotency_key.is_some().then(|| body.clone());
    let appended = record_once(st, caller, kind, request, d, keep).await?;
    let replayed = appended.replayed.is_some();
    let mut resp = respond_bytes(appended.replayed.unwrap_or(body), Some(&appended.receipt));
    if replayed {
        resp.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_go_first_and_keep_the_answer_bytes() {
        let refs = references(&serde_json::json!({"order_id": "PO \"7\"", "to": "CN"}));
        assert_eq!(
            echo_bytes(br#"{"a":1}"#.to_vec(), &refs),
            br#"{"order_id":"PO \"7\"","a":1}"#.to_vec()
        );
        assert_eq!(
            echo_bytes(b"{}".to_vec(), &refs),
            br#"{"order_id":"PO \"7\""}"#.to_vec()
        );
        assert_eq!(echo_bytes(b"{}".to_vec(), &[]), b"{}".to_vec());
    }
}
