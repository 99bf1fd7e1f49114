//! The one error shape of the HTTP API, `{"error": {"code", "message", "hint", "field"}}`,
//! with the HTTP status that goes with it. Every failure path (bad JSON, unknown field, bad
//! input, missing key, audit outage, body too large, timeout) ends up here so that clients can
//! branch on a stable snake_case `code` instead of parsing prose.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chipgate_core::InputError;
use schemars::JsonSchema;
use serde::Serialize;

/// The body of every error response.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`, `field`) and for people (`message`, `hint`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code, e.g. `unknown_field`, `invalid_input`, `unauthorized`.
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    /// The request field at fault (request-body names, `_` for `-`).
    pub field: Option<String>,
}

/// An error with its HTTP status.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: ErrorDetail,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            detail: ErrorDetail {
                code: code.to_string(),
                message: message.into(),
                hint: None,
                field: None,
            },
        }
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> ApiError {
        self.detail.hint = Some(hint.into());
        self
    }

    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.detail.field = Some(field.into());
        self
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The audit record could not be made durable: no decision is returned.
    pub fn audit_unavailable(why: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "audit_unavailable",
            format!(
                "the decision could not be recorded in the audit log, so it is not returned: {why}"
            ),
        )
        .with_hint("retry later; the operator should check the audit database")
    }

    /// The error an unspecific status gets when a layer (limit, timeout, router) produced it.
    pub fn from_status(status: StatusCode) -> ApiError {
        let (code, message) = match status {
            StatusCode::NOT_FOUND => ("not_found", "no such endpoint (see GET /openapi.json)"),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method_not_allowed",
                "this endpoint does not take that method",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                "body_too_large",
                "the request body is larger than the server accepts",
            ),
            StatusCode::REQUEST_TIMEOUT => (
                "timeout",
                "the request took longer than the server's time limit",
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ("unsupported_media_type", "unsupported content type")
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                ("unavailable", "the server is busy or shutting down")
            }
            s if s.is_client_error() => ("bad_request", "the request was refused"),
            _ => ("internal", "internal server error"),
        };
        ApiError::new(status, code, message)
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.detail.clone(),
        }
    }
}

/// Request-body field name for a CLI-style field name (`buyer-hq` → `buyer_hq`).
pub fn field_name(cli: &str) -> String {
    cli.replace('-', "_")
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> ApiError {
        let mut out =
            ApiError::bad_request("invalid_input", e.message).with_field(field_name(&e.field));
        out.detail.hint = e.hint;
        out
    }
}

impl From<crate::answer::AnswerError> for ApiError {
    fn from(e: crate::answer::AnswerError) -> ApiError {
        use crate::answer::AnswerError;
        match e {
            AnswerError::Input(ie) => ie.into(),
            AnswerError::Unavailable(m) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "lists_unavailable", m)
            }
            AnswerError::Internal(m) => ApiError::internal(m),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        match e.downcast::<InputError>() {
            Ok(ie) => ie.into(),
            Err(e) => ApiError::internal(format!("{e:#}")),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_else(|_| {
            br#"{"error":{"code":"internal","message":"error","hint":null,"field":null}}"#.to_vec()
        });
        let mut resp = (self.status, body).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}
