//! Bearer-key authentication for every `/v1` route: the key is checked against the key store
//! (in-memory hashes, constant-time comparison, revocations picked up within a second) and the
//! caller's key id is attached to the request so the audit record can name it.

use super::error::ApiError;
use super::state::{Caller, Shared};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Middleware: 401 with a JSON error unless `Authorization: Bearer <active key>`.
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
            req.extensions_mut().insert(Caller {
                key_id: k.id,
                key_name: k.name,
            });
            next.run(req).await
        }
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_key",
            "the API key is unknown, malformed or revoked",
        )
        .into_response(),
    }
}
