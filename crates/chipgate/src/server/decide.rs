//! The decisions themselves, as plain blocking functions from a typed request and a
//! [`Snapshot`] to the JSON the CLI prints with `--json` (check: `CheckOutput`, classify: the
//! core `Classification`, screen: `ScreenResult`, timeline: the CLI's timeline object). They go
//! through the same `question::prepare` and engine calls as the CLI, so the answers agree.

use super::error::ApiError;
use super::requests::{CheckRequest, ClassifyRequest, ScreenRequest, TimelineQuery};
use super::scenarios::engine_for;
use super::state::Snapshot;
use crate::args::PartyArgs;
use crate::cmd::check::CheckOutput;
use crate::question::{date_or_today, parse_date, parse_view, prepare};
use crate::screening::PartyContext;
use chipgate_core::spec::ChipSpec;
use chipgate_core::{Engine, InputError};
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

/// A catalog chip or an inline spec object, with the IC count applied.
pub fn resolve_item(
    engine: &Engine,
    chip: Option<&str>,
    spec: Option<&Value>,
    count: Option<u32>,
) -> Result<ChipSpec, ApiError> {
    let mut spec = match (chip, spec) {
        (Some(_), Some(_)) => {
            return Err(InputError::new("spec", "give `chip` or `spec`, not both").into())
        }
        (Some(name), None) => engine.catalog.find(name)?.clone(),
        (None, Some(v)) if v.is_object() => ChipSpec::from_json(&v.to_string())?,
        (None, Some(_)) => {
            return Err(InputError::new("spec", "must be a chip spec JSON object").into())
        }
        (None, None) => {
            return Err(InputError::new(
                "chip",
                "name a catalog chip (`chip`) or give a spec object (`spec`)",
            )
            .into())
        }
    };
    if let Some(c) = count {
        spec.count = Some(c);
    }
    spec.validate()?;
    Ok(spec)
}

/// `POST /v1/classify`.
pub fn classify(snap: &Snapshot, req: &ClassifyRequest) -> Result<Decided, ApiError> {
    let engine = engine_for(&snap.engine, req.scenario.as_deref())?;
    let spec = resolve_item(&engine, req.chip.as_deref(), req.spec.as_ref(), req.count)?;
    let date = date_or_today("date", req.date.as_deref())?;
    let view = parse_view(req.view.as_deref().unwrap_or("enforced"))?;
    let c = engine.classify_as(&spec, date, view, req.exporter_role.as_deref())?;
    let (response, body) = answer(&c)?;
    Ok(Decided {
        response,
        body,
        rulebook_fingerprint: engine.book.fingerprint.clone(),
        lists_fingerprint: String::new(),
    })
}

fn party_args(req: &CheckRequest) -> PartyArgs {
    PartyArgs {
        buyer: req.buyer.clone(),
        buyer_hq: req.buyer_hq.clone(),
        end_user: req.end_user.clone(),
        end_user_hq: req.end_user_hq.clone(),
        end_use: req.end_use.clone(),
        exporter: req.exporter.clone(),
        exporter_role: req.exporter_role.clone(),
        approved_designer: req.approved_designer.unwrap_or(false),
        ship_from: req.ship_from.clone(),
        quantity: req.quantity,
        parties: None,
        no_screen: req.no_screen.unwrap_or(false),
    }
}

/// `POST /v1/check` (and each row of `POST /v1/orders`).
pub fn check(snap: &Snapshot, req: &CheckRequest) -> Result<Decided, ApiError> {
    let engine = engine_for(&snap.engine, req.scenario.as_deref())?;
    let spec = resolve_item(&engine, req.chip.as_deref(), req.spec.as_ref(), req.count)?;
    let date = date_or_today("date", req.date.as_deref())?;
    let view = parse_view(req.view.as_deref().unwrap_or("enforced"))?;
    let p = party_args(req);
    let unscreened = PartyContext::default();
    let cx = if p.no_screen {
        &unscreened
    } else {
        &snap.parties
    };
    let prepared = prepare(&engine, cx, spec, &req.to, &p, date)?;
    let mut det = engine.check(&prepared.question, date, view)?;
    det.warnings.extend(prepared.warnings.iter().cloned());
    let out = CheckOutput::new(&engine, &prepared, &det);
    let (response, body) = answer(&out)?;
    Ok(Decided {
        response,
        body,
        rulebook_fingerprint: engine.book.fingerprint.clone(),
        lists_fingerprint: cx.fingerprint.clone(),
    })
}

/// `POST /v1/screen`.
pub fn screen(snap: &Snapshot, req: &ScreenRequest) -> Result<Decided, ApiError> {
    let Some(screener) = &snap.parties.screener else {
        return Err(ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "lists_unavailable",
            "no screening lists are loaded",
        ));
    };
    if req.name.trim().is_empty() {
        return Err(InputError::new("name", "must not be empty").into());
    }
    crate::screening::check_name("name", &req.name)?;
    let country = match &req.country {
        Some(c) => Some(snap.engine.countries.destination("country", c)?.given),
        None => None,
    };
    if let Some(t) = req.threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(InputError::new("threshold", "must be between 0 and 1").into());
        }
    }
    let date = match req.date.as_deref() {
        Some(d) => Some(parse_date("date", d)?),
        None => None,
    };
    let q = chipgate_screen::Query {
        name: req.name.clone(),
        country,
        date,
        threshold: req.threshold,
        lists: req.lists.clone(),
    };
    let r = screener
        .screen(&q)
        .map_err(|e| InputError::new(e.field(), e.to_string()))?;
    let (response, body) = answer(&r)?;
    Ok(Decided {
        response,
        body,
        rulebook_fingerprint: snap.engine.book.fingerprint.clone(),
        lists_fingerprint: snap.parties.fingerprint.clone(),
    })
}

/// `GET /v1/timeline`: the CLI's `timeline --json` object.
pub fn timeline(snap: &Snapshot, req: &TimelineQuery) -> Result<Decided, ApiError> {
    let engine = engine_for(&snap.engine, req.scenario.as_deref())?;
    let spec = resolve_item(&engine, Some(&req.chip), None, None)?;
    let from = parse_date("from", req.from.as_deref().unwrap_or("2022-01-01"))?;
    let until = date_or_today("to_date", req.to_date.as_deref())?;
    let view = parse_view(req.view.as_deref().unwrap_or("enforced"))?;
    let p = PartyArgs {
        buyer_hq: req.buyer_hq.clone(),
        end_user_hq: req.end_user_hq.clone(),
        end_use: req.end_use.clone(),
        exporter: req.exporter.clone(),
        exporter_role: req.exporter_role.clone(),
        ..Default::default()
    };
    let prepared = prepare(&engine, &PartyContext::default(), spec, &req.to, &p, until)?;
    let segments = engine.timeline(&prepared.question, from, until, view)?;
    let response = serde_json::json!({
        "chip": prepared.question.spec.display_name(),
        "destination": prepared.question.destination.as_ref().map(|d| d.code.clone()),
        "buyer_hq": prepared.question.buyer_hq,
        "view": view,
        "from": from,
        "to": until,
        "segments": segments,
    });
    let (response, body) = answer(&response)?;
    Ok(Decided {
        response,
        body,
        rulebook_fingerprint: engine.book.fingerprint.clone(),
        lists_fingerprint: String::new(),
    })
}
