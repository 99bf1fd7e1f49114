//! The decisions as the server makes them: a typed request and a [`Snapshot`] go to the answer
//! layer ([`crate::answer`], the same functions the CLI calls, so the answers agree), and the
//! answer comes back serialised for the audit record and the response body.

use super::error::ApiError;
use super::scenarios::engine_for;
use super::state::Snapshot;
use crate::answer as answers;
use crate::request::{
    CheckRequest, ClassifyRequest, ScreenRequest, TimelineQuery, TimelineRequest,
};
use chipgate_core::Engine;
use serde_json::Value;

/// A decision ready to be audited and returned.
#[derive(Debug)]
pub struct Decided {
    /// The answer as JSON (what the audit record stores).
    pub response: Value,
    /// The answer serialised from the answer type itself, so the bytes sent are those the CLI
    /// prints with `--json` (same field order), minus the pretty-printing.
    pub body: Vec<u8>,
    pub rulebook_fingerprint: String,
    pub lists_fingerprint: String,
}

fn answer<T: serde::Serialize>(v: &T) -> Result<(Value, Vec<u8>), ApiError> {
    let err = |e: serde_json::Error| ApiError::internal(format!("serialising the answer: {e}"));
    Ok((
        serde_json::to_value(v).map_err(err)?,
        serde_json::to_vec(v).map_err(err)?,
    ))
}

/// The rulebook fingerprint and an answer, as a decision.
fn decided<T: serde::Serialize>(
    v: &T,
    engine: &Engine,
    lists_fingerprint: &str,
) -> Result<Decided, ApiError> {
    let (response, body) = answer(v)?;
    Ok(Decided {
        response,
        body,
        rulebook_fingerprint: engine.book.fingerprint.clone(),
        lists_fingerprint: lists_fingerprint.to_string(),
    })
}

/// `POST /v1/classify`.
pub fn classify(snap: &Snapshot, req: &ClassifyRequest) -> Result<Decided, ApiError> {
    let engine = engine_for(&snap.engine, req.scenario.as_deref())?;
    let out = answers::classify(&engine, req)?;
    super::metrics::decision("classify", &out.classification.eccn);
    decided(&out, &engine, "")
}

/// `POST /v1/check` (and each row of `POST /v1/orders`).
pub fn check(snap: &Snapshot, req: &CheckRequest) -> Result<Decided, ApiError> {
    let engine = engine_for(&snap.engine, req.scenario.as_deref())?;
    let out = answers::check(&engine, &snap.parties, req)?;
    super::metrics::decision("check", out.determination.decision.name());
    let lists = if req.screens() {
        snap.parties.fingerprint.as_str()
    } else {
        ""
    };
    decided(&out, &engine, lists)
}

/// `POST /v1/screen`.
pub fn screen(snap: &Snapshot, req: &ScreenRequest) -> Result<Decided, ApiError> {
    let out = answers::screen(&snap.engine.countries, snap.parties.screener.as_ref(), req)?;
    let status = match out.result.status {
        chipgate_screen::Status::Clear => "clear",
        chipgate_screen::Status::PotentialMatch => "potential_match",
        chipgate_screen::Status::Match => "match",
    };
    super::metrics::decision("screen", status);
    decided(&out, &snap.engine, &snap.parties.fingerprint)
}

/// `GET /v1/timeline`: the same object as `chipgate timeline --json`.
pub fn timeline(snap: &Snapshot, req: &TimelineQuery) -> Result<Decided, ApiError> {
    let engine = engine_for(&snap.engine, req.scenario.as_deref())?;
    let out = answers::timeline(&engine, &snap.parties, &TimelineRequest::from(req))?;
    decided(&out, &engine, "")
}
