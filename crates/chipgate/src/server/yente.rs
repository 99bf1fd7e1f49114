//! `POST /match/{dataset}`: yente-shaped screening (see [`crate::yente`]), audited like every
//! other answer (one record per call, holding every query and every result).

use super::audit::decided;
use super::body;
use super::decide::Decided;
use super::error::ApiError;
use super::handlers::decide_with;
use super::state::{Caller, Shared};
use crate::yente::{match_entities, MatchParams, MatchRequest};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Extension;

pub async fn match_dataset(
    State(st): State<Shared>,
    Extension(caller): Extension<Caller>,
    Path(dataset): Path<String>,
    params: Result<Query<MatchParams>, QueryRejection>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(body::query_error)?;
    let (req, mut raw) = body::json::<MatchRequest>(b)?;
    if let Some(m) = raw.as_object_mut() {
        m.insert("dataset".into(), serde_json::json!(dataset));
        m.insert(
            "params".into(),
            serde_json::to_value(&params).map_err(|e| ApiError::internal(e.to_string()))?,
        );
    }
    let snap = st.current.load_full();
    let cheap = req.queries.len() <= 1;
    let d = decide_with(cheap, move || {
        let out = match_entities(
            &snap.engine.countries,
            snap.parties.screener.as_ref(),
            &dataset,
            &params,
            &req,
        )?;
        let response = serde_json::to_value(&out).map_err(|e| ApiError::internal(e.to_string()))?;
        let body = serde_json::to_vec(&out).map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(Decided {
            response,
            body,
            rulebook_fingerprint: snap.engine.book.fingerprint.clone(),
            lists_fingerprint: snap.parties.fingerprint.clone(),
        })
    })
    .await?;
    decided(&st, &caller, "match", raw, d).await
}
