//! `GET /v1/audit/records`: the audit log over the API, for the people who answer to an
//! auditor — records by sequence range, UTC date range or client reference (`order_id` /
//! `client_ref`), in sequence order, a page at a time (`limit`, then `after` = the previous
//! page's `next_after`). Each record is the line `chipgate audit export` writes, with the chain
//! fields to re-verify it. Needs the `admin` scope. Reading is not itself audited.

use super::body;
use super::error::ApiError;
use super::handlers::blocking;
use super::state::Shared;
use crate::question::parse_date;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `GET /v1/audit/records` query parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Records after this sequence number (for paging: the previous page's `next_after`).
    pub after: Option<i64>,
    /// First sequence number (inclusive).
    pub from_seq: Option<i64>,
    /// Last sequence number (inclusive).
    pub to_seq: Option<i64>,
    /// First UTC date, YYYY-MM-DD (inclusive).
    pub from: Option<String>,
    /// Last UTC date, YYYY-MM-DD (inclusive).
    pub to: Option<String>,
    /// Only records with this client reference (`client_ref`, else `order_id`).
    pub client_ref: Option<String>,
    /// Records per page (default 100, at most 1,000).
    pub limit: Option<usize>,
}

/// One page.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AuditPage {
    pub records: Vec<serde_json::Value>,
    /// Pass as `after` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_after: Option<i64>,
}

pub async fn records(
    State(st): State<Shared>,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(body::query_error)?;
    let from_date = q
        .from
        .as_deref()
        .map(|d| parse_date("from", d))
        .transpose()?;
    let to_date = q.to.as_deref().map(|d| parse_date("to", d)).transpose()?;
    let after = match (q.after, q.from_seq) {
        (Some(a), Some(f)) => Some(a.max(f - 1)),
        (a, f) => a.or(f.map(|f| f - 1)),
    };
    let query = chipgate_audit::RecordQuery {
        after_seq: after,
        to_seq: q.to_seq,
        from_date,
        to_date,
        client_ref: q.client_ref.clone(),
        limit: q.limit.unwrap_or(100),
    };
    let db = st.db.clone();
    let page = blocking(move || {
        chipgate_audit::query(&db, &query)
            .map_err(|e| ApiError::internal(format!("reading the audit log: {e}")))
    })
    .await?;
    Ok(axum::Json(AuditPage {
        records: page.lines,
        next_after: page.next_after,
    })
    .into_response())
}
