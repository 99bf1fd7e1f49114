//! Strict request parsing: JSON bodies and query strings into the typed requests of
//! [`super::requests`], with the errors clients need (malformed JSON → `malformed_json`,
//! unknown field → `unknown_field` naming it, wrong type → `invalid_field`, too large → 413).
//! The raw JSON is kept too: it is what the audit log records as the request.

use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The first backtick-quoted word of a serde message (`unknown field `foo`, expected …`).
fn quoted(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let len = msg.get(start..)?.find('`')?;
    msg.get(start..start + len).map(str::to_string)
}

/// Maps a serde error message (and its path, when known) to an API error.
pub fn serde_error(msg: &str, path: Option<String>) -> ApiError {
    // Query-string errors come as `name: unknown field …`; keep the serde part.
    let msg = ["unknown field", "missing field"]
        .iter()
        .find_map(|k| msg.find(k))
        .and_then(|i| msg.get(i..))
        .unwrap_or(msg);
    if msg.starts_with("unknown field") {
        let field = quoted(msg).or(path).unwrap_or_default();
        return ApiError::bad_request("unknown_field", msg.to_string())
            .with_field(field)
            .with_hint("see GET /openapi.json for the accepted fields");
    }
    if msg.starts_with("missing field") {
        let field = quoted(msg).unwrap_or_default();
        return ApiError::bad_request("missing_field", msg.to_string()).with_field(field);
    }
    let e = ApiError::bad_request("invalid_field", msg.to_string());
    match path {
        Some(p) if !p.is_empty() && p != "." => e.with_field(p),
        _ => e,
    }
}

/// The buffered body, or the error for a body that was too large or broke off.
pub fn bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE)
        } else {
            ApiError::bad_request("unreadable_body", r.body_text())
        }
    })
}

/// Parses one JSON value into `T` (unknown fields rejected by `T`).
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        serde_error(&e.inner().to_string(), Some(path))
    })
}

/// Parses a JSON request body into `T`, returning the raw JSON as well.
pub fn json<T: DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<(T, Value), ApiError> {
    let bytes = bytes(body)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "malformed_json",
            "the request body is empty; send a JSON object",
        ));
    }
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad_request(
            "malformed_json",
            format!("the request body is not valid JSON: {e}"),
        )
    })?;
    if !value.is_object() {
        return Err(ApiError::bad_request(
            "malformed_json",
            "the request body must be a JSON object",
        ));
    }
    let typed = from_value(&value)?;
    Ok((typed, value))
}

/// Maps a query-string rejection (unknown parameter, bad value) to an API error.
pub fn query_error(r: QueryRejection) -> ApiError {
    let text = r.body_text();
    let msg = text
        .strip_prefix("Failed to deserialize query string: ")
        .unwrap_or(&text);
    serde_error(msg, None)
}
