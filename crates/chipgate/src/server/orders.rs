//! `POST /v1/orders`: an order book (CSV with a header row, or JSON Lines) answered row by row
//! as a JSON Lines stream. The `crate::orders` engine is not in the tree yet, so each row goes
//! through exactly the `/v1/check` path (same request fields, same `CheckOutput`), and each
//! row's line is written only after that row's audit record is durable. Rows are decided in
//! chunks on the blocking pool; the batch size is capped (`--max-batch`), the body size by the
//! global body limit.

use super::body;
use super::decide::{self, Decided};
use super::error::ApiError;
use super::state::{Caller, Shared, Snapshot};
use crate::request::CheckRequest;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chipgate_audit::NewRecord;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Rows decided per trip to the blocking pool.
const CHUNK: usize = 256;

/// One parsed input row.
pub(super) struct Row {
    n: usize,
    raw: Value,
    req: Result<CheckRequest, ApiError>,
}

pub(super) fn is_csv(headers: &HeaderMap, bytes: &[u8]) -> bool {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ct.contains("csv") {
        return true;
    }
    if ct.contains("json") {
        return false;
    }
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b != b'{')
}

/// A CSV cell as the JSON value its field expects.
fn cell(field: &str, text: &str) -> Value {
    match field {
        "count" => text
            .parse::<u64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::from(text)),
        "quantity" => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::from(text)),
        "approved_designer" | "no_screen" => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "y" => Value::Bool(true),
            "false" | "no" | "0" | "n" => Value::Bool(false),
            _ => Value::from(text),
        },
        _ => Value::from(text),
    }
}

pub(super) fn parse_csv(bytes: &[u8], max: usize) -> Result<Vec<Row>, ApiError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| {
            ApiError::bad_request("malformed_csv", format!("reading the CSV header: {e}"))
        })?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase().replace('-', "_"))
        .collect();
    // Unknown columns are refused up front, naming the column.
    let probe: Map<String, Value> = headers
        .iter()
        .filter(|h| h.as_str() != "to")
        .map(|h| (h.clone(), Value::Null))
        .chain([("to".to_string(), Value::from("US"))])
        .collect();
    body::from_value::<CheckRequest>(&Value::Object(probe))?;
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        if rows.len() >= max {
            return Err(too_many(max));
        }
        let n = i + 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                rows.push(Row {
                    n,
                    raw: Value::Null,
                    req: Err(ApiError::bad_request("malformed_csv", e.to_string())),
                });
                continue;
            }
        };
        let obj: Map<String, Value> = headers
            .iter()
            .zip(rec.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| (h.clone(), cell(h, v)))
            .collect();
        let raw = Value::Object(obj);
        let req = body::from_value::<CheckRequest>(&raw);
        rows.push(Row { n, raw, req });
    }
    Ok(rows)
}

pub(super) fn parse_jsonl(bytes: &[u8], max: usize) -> Result<Vec<Row>, ApiError> {
    let mut rows = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if rows.len() >= max {
            return Err(too_many(max));
        }
        let n = i + 1;
        let (raw, req) = match serde_json::from_slice::<Value>(line) {
            Ok(v) if v.is_object() => {
                let r = body::from_value::<CheckRequest>(&v);
                (v, r)
            }
            Ok(_) => (
                Value::Null,
                Err(ApiError::bad_request(
                    "malformed_json",
                    "each line must be a JSON object",
                )),
            ),
            Err(e) => (
                Value::Null,
                Err(ApiError::bad_request(
                    "malformed_json",
                    format!("not valid JSON: {e}"),
                )),
            ),
        };
        rows.push(Row { n, raw, req });
    }
    Ok(rows)
}

fn too_many(max: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "batch_too_large",
        format!("the order book has more than {max} rows"),
    )
    .with_hint("split it into smaller batches")
}

fn line(v: &Value) -> Bytes {
    let mut b = serde_json::to_vec(v).unwrap_or_default();
    b.push(b'\n');
    Bytes::from(b)
}

pub async fn orders(
    State(st): State<Shared>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let bytes = body::bytes(b)?;
    let max = st.limits.max_batch;
    let rows = if is_csv(&headers, &bytes) {
        parse_csv(&bytes, max)?
    } else {
        parse_jsonl(&bytes, max)?
    };
    if rows.is_empty() {
        return Err(ApiError::bad_request(
            "empty_batch",
            "the order book has no rows",
        ));
    }
    let snap = st.current.load_full();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Bytes>(64);
    tokio::spawn(stream_rows(st, caller, snap, rows, tx));
    let stream = futures_util::stream::poll_fn(move |cx| {
        rx.poll_recv(cx)
            .map(|o| o.map(Ok::<Bytes, std::convert::Infallible>))
    });
    let mut resp = Body::from_stream(stream).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    Ok(resp)
}

type Outcome = (usize, Value, Result<Decided, ApiError>);

pub(super) async fn stream_rows(
    st: Shared,
    caller: Caller,
    snap: Arc<Snapshot>,
    rows: Vec<Row>,
    tx: tokio::sync::mpsc::Sender<Bytes>,
) {
    let (mut decided, mut errors) = (0usize, 0usize);
    let total = rows.len();
    let mut rows = rows.into_iter();
    loop {
        let chunk: Vec<Row> = rows.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let s = snap.clone();
        let outcomes: Vec<Outcome> = match tokio::task::spawn_blocking(move || {
            chunk
                .into_iter()
                .map(|r| (r.n, r.raw, r.req.and_then(|q| decide::check(&s, &q))))
                .collect()
        })
        .await
        {
            Ok(o) => o,
            Err(e) => {
                let _ = tx.send(line(&json!({"error": ApiError::internal(format!("decision worker failed: {e}")).body().error}))).await;
                return;
            }
        };
        // Queue every record of the chunk at once (one group commit), then answer in order.
        let mut pending = Vec::with_capacity(outcomes.len());
        for (n, raw, r) in outcomes {
            match r {
                Ok(d) => {
                    // The row's order id / reference: echoed and stored like /v1/check's.
                    let refs = super::audit::references(&raw);
                    let mut response = d.response;
                    super::audit::echo(&mut response, &refs);
                    let rec = NewRecord::new(
                        "order",
                        raw,
                        response.clone(),
                        d.rulebook_fingerprint,
                        d.lists_fingerprint,
                    )
                    .with_key_id(caller.key_id.clone());
                    let rec = super::audit::with_reference(rec, &refs);
                    pending.push((n, Ok((st.writer.append(rec), response))));
                }
                Err(e) => pending.push((n, Err(e))),
            }
        }
        for (n, p) in pending {
            let out = match p {
                Ok((ack, response)) => match ack.await {
                    Ok(receipt) => {
                        decided += 1;
                        json!({"row": n, "audit_seq": receipt.seq, "result": response})
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "audit append failed during an order batch; stopping it");
                        let _ = tx.send(line(&json!({"row": n, "error": ApiError::audit_unavailable(e).body().error}))).await;
                        return;
                    }
                },
                Err(e) => {
                    errors += 1;
                    json!({"row": n, "error": e.body().error})
                }
            };
            if tx.send(line(&out)).await.is_err() {
                tracing::info!("order batch client went away; stopping");
                return;
            }
        }
    }
    let _ = tx
        .send(line(
            &json!({"summary": {"rows": total, "decided": decided, "errors": errors}}),
        ))
        .await;
}
