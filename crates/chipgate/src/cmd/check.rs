//! `chipgate check`: can this order ship, to whom, when — and why.

use crate::answer::FailOn;
use crate::args::{Common, ItemArgs, PartyArgs};
use crate::request::CheckRequest;
use crate::{answer, data, render};
use anyhow::Result;
use chipgate_core::license::Determination;
use std::path::Path;

pub fn subject(
    d: &Determination,
    chip: &str,
    countries: &chipgate_core::countries::Countries,
    buyer: Option<&str>,
    buyer_hq: Option<&str>,
) -> String {
    let mut s = format!("{} to {}", chip, countries.name(&d.destination));
    if let Some(b) = buyer {
        s.push_str(&format!(" for {b}"));
    }
    if let Some(h) = buyer_hq {
        s.push_str(&format!(" (headquartered in {})", countries.name(h)));
    }
    s
}

/// Runs `chipgate check`; `Ok(false)` when the answer trips a `--fail-on` gate.
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per CLI option group"
)]
pub fn run(
    data_dir: Option<&Path>,
    chip: Option<&str>,
    item: &ItemArgs,
    to: &str,
    parties: &PartyArgs,
    common: &Common,
    audit: Option<&Path>,
    fail_on: &[FailOn],
) -> Result<bool> {
    let engine = data::engine(data_dir, &common.scenarios)?;
    let req = CheckRequest::from_cli(chip, item, to, parties, common)?;
    let cx = crate::screening::PartyContext::build(
        None,
        parties.parties.as_deref(),
        // Lists are loaded only when there is a party to screen.
        req.screens() && (req.buyer.is_some() || req.end_user.is_some()),
    )?;
    let out = answer::check(&engine, &cx, &req)?;
    if let Some(db) = audit {
        // The request as `POST /v1/check` takes it (plus the CLI's party file and scenario
        // files); the decision is printed only once its record is durable.
        let mut request = serde_json::to_value(&req)?;
        if let Some(m) = request.as_object_mut() {
            m.insert("date".into(), serde_json::json!(out.determination.date));
            m.insert("parties".into(), serde_json::json!(parties.parties));
            m.insert("scenario".into(), serde_json::json!(common.scenarios));
            m.retain(|_, v| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)));
        }
        super::audit::append_decision(
            db,
            "check",
            request,
            serde_json::to_value(&out)?,
            &engine.book.fingerprint,
            &cx.fingerprint,
        )?;
    }
    if common.json {
        super::print_json(&out)?;
    } else {
        let det = &out.determination;
        let subj = subject(
            det,
            &out.chip,
            &engine.countries,
            out.buyer.as_deref(),
            out.buyer_hq.as_deref(),
        );
        print!(
            "{}",
            render::with_scenarios(render::determination(det, &subj), &engine.scenarios)
        );
        for s in &out.screening {
            print!("{}", render::screening(s));
        }
    }
    Ok(!fail_on.iter().any(|f| f.trips_check(&out)))
}
