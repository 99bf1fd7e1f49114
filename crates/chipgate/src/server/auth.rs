//! Bearer-key authentication for every `/v1` route: the key is checked against the key store
//! (in-memory hashes, constant-time comparison, revocations picked up within a second) and the
//! caller's key id is attached to the request so the audit record can name it. Each key may
//! have at most `--max-per-key` requests in flight, and an authenticated request's body must
//! arrive within `--body-timeout`.
//!
//! Keys are stored as unsalted SHA-256 hashes: a key is 256 random bits, so there is nothing
//! for a salt or a slow hash to protect against (no dictionary, no brute force). A revoked
//! key stops working within the key store's refresh interval (at most about one second) in a
//! running server; revocations made through the same process apply at once.

use super::error::ApiError;
use super::state::{Caller, Shared};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Middleware: 401 with a JSON error unless `Authorization: Bearer <active key>`.
/// The scope an endpoint needs.
pub fn scope_for(path: &str) -> &'static str {
    if path.starts_with("/v1/admin/") || path.starts_with("/v1/audit/") {
        "admin"
    } else if path == "/v1/screen" || path.starts_with("/match/") {
        "screen"
    } else if path.starts_with("/v1/orders") || path.starts_with("/v1/jobs") {
        "orders"
    } else {
        "check"
    }
}

pub async fn require_key(State(st): State<Shared>, mut req: Request, next: Next) -> Response {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing_key",
            "this endpoint needs `Authorization: Bearer <key>`",
        )
        .with_hint("create a key with `chipgate keys create --name NAME`")
        .into_response();
    };
    let token = value.to_str().unwrap_or_default();
    let scheme_ok = token
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("bearer "));
    let info = if scheme_ok {
        st.keys.authenticate(token)
    } else {
        None
    };
    match info {
        Some(k) => {
            tracing::debug!(key_id = %k.id, "authenticated");
            let scope = scope_for(req.uri().path());
            if !k.allows(scope) {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden_scope",
                    format!(
                        "this key may not call {} (needs scope `{scope}`; it has {})",
                        req.uri().path(),
                        k.scopes.join(", ")
                    ),
                )
                .with_hint(format!(
                    "create a key with `chipgate keys create --name NAME --scopes {scope}`"
                ))
                .into_response();
            }
            if let Some(rate) = k.rate_per_minute {
                if let Err(wait) = super::ratelimit::take(&k.id, rate) {
                    let mut resp = ApiError::new(
                        StatusCode::TOO_MANY_REQUESTS,
                        "rate_limited",
                        format!("this key may make {rate} requests a minute"),
                    )
                    .with_hint(format!("retry in {wait} s"))
                    .into_response();
                    if let Ok(v) = axum::http::HeaderValue::from_str(&wait.to_string()) {
                        resp.headers_mut().insert(header::RETRY_AFTER, v);
                    }
                    return resp;
                }
            }
            // Per-key cap: one key cannot hold every in-flight slot.
            let Some(_permit) = st.per_key.try_acquire(&k.id, st.limits.max_per_key) else {
                return ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    format!(
                        "this key already has {} requests in flight",
                        st.limits.max_per_key
                    ),
                )
                .with_hint("wait for an answer before sending more, or use /v1/orders for batches")
                .into_response();
            };
            let idempotency_key = match idempotency_key(req.headers()) {
                Ok(k) => k,
                Err(e) => return e.into_response(),
            };
            req.extensions_mut().insert(Caller {
                key_id: k.id,
                key_name: k.name,
                deadline: std::time::Instant::now() + st.limits.timeout,
                idempotency_key,
            });
            // The body is read here, under its own (shorter) time limit, so a client that
            // trickles its body is cut off quickly instead of holding a slot.
            let (parts, body) = req.into_parts();
            // An asynchronous order job may carry a book far larger than a request answered
            // at once, and is given the time to upload it.
            let (max_body, body_timeout) = if parts.uri.path() == "/v1/jobs/orders" {
                (
                    super::jobs::MAX_JOB_BODY.max(st.limits.max_body),
                    st.limits.body_timeout * 20,
                )
            } else {
                (st.limits.max_body, st.limits.body_timeout)
            };
            let bytes = match tokio::time::timeout(
                body_timeout,
                axum::body::to_bytes(body, max_body),
            )
            .await
            {
                Ok(Ok(b)) => b,
                Ok(Err(_)) => {
                    return ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE).into_response()
                }
                Err(_) => {
                    return ApiError::new(
                        StatusCode::REQUEST_TIMEOUT,
                        "body_timeout",
                        format!(
                            "the request body did not arrive within {} s",
                            body_timeout.as_secs()
                        ),
                    )
                    .into_response()
                }
            };
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_key",
            "the API key is unknown, malformed or revoked",
        )
        .into_response(),
    }
}

/// The `Idempotency-Key` header: 1 to 255 visible ASCII characters.
fn idempotency_key(h: &axum::http::HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = h.get("idempotency-key") else {
        return Ok(None);
    };
    match v.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(k.to_string()))
        }
        _ => Err(ApiError::bad_request(
            "invalid_idempotency_key",
            "`Idempotency-Key` must be 1 to 255 visible ASCII characters",
        )),
    }
}
