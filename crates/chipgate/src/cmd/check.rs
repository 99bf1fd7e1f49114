//! `chipgate check`: can this order ship, to whom, when — and why.

use crate::args::{Common, ItemArgs, PartyArgs};
use crate::question::{date_or_today, parse_view, prepare, resolve_item, PartyScreening};
use crate::{data, render};
use anyhow::Result;
use chipgate_core::license::Determination;
use serde::Serialize;
use std::path::Path;

/// The JSON answer of `check` (and `POST /v1/check`): the determination plus what was asked.
#[derive(Serialize)]
pub struct CheckOutput<'a> {
    pub chip: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_hq: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exporter: Option<String>,
    pub scenarios: Vec<String>,
    #[serde(flatten)]
    pub determination: &'a Determination,
    pub screening: Vec<PartyScreening>,
    /// The screening lists used, with their snapshot dates (when a party was screened).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<chipgate_screen::ListInfo>,
    /// The as-of date is after the snapshot date of a list used: parties listed since then
    /// are not known to this answer (present when a party was screened).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lists_stale: Option<bool>,
}

impl<'a> CheckOutput<'a> {
    /// The answer object for a prepared question and its determination.
    pub fn new(
        engine: &chipgate_core::Engine,
        prepared: &crate::question::Prepared,
        det: &'a Determination,
    ) -> CheckOutput<'a> {
        let q = &prepared.question;
        CheckOutput {
            chip: q.spec.display_name(),
            buyer: q.buyer.clone(),
            buyer_hq: q.buyer_hq.clone(),
            exporter: q.exporter.clone().or_else(|| Some(q.spec.vendor.clone())),
            scenarios: engine.scenarios.clone(),
            determination: det,
            screening: prepared.screening.clone(),
            lists: prepared.lists.clone(),
            lists_stale: (!prepared.lists.is_empty()).then(|| {
                prepared
                    .lists
                    .iter()
                    .any(|l| l.snapshot_date.is_some_and(|s| s < det.date))
            }),
        }
    }
}

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

#[allow(clippy::too_many_arguments)]
pub fn run(
    data_dir: Option<&Path>,
    chip: Option<&str>,
    item: &ItemArgs,
    to: &str,
    parties: &PartyArgs,
    common: &Common,
    audit: Option<&Path>,
) -> Result<()> {
    let engine = data::engine(data_dir, &common.scenarios)?;
    let spec = resolve_item(&engine, chip, item)?;
    let date = date_or_today("date", common.date.as_deref())?;
    let view = parse_view(&common.view)?;
    let cx = crate::screening::PartyContext::build(
        None,
        parties.parties.as_deref(),
        // Lists are loaded only when there is a party to screen.
        !parties.no_screen && (parties.buyer.is_some() || parties.end_user.is_some()),
    )?;
    let prepared = prepare(&engine, &cx, spec, to, parties, date)?;
    let mut det = engine.check(&prepared.question, date, view)?;
    det.warnings.extend(prepared.warnings.iter().cloned());
    let q = &prepared.question;
    let out = CheckOutput::new(&engine, &prepared, &det);
    if let Some(db) = audit {
        // Same request shape as `POST /v1/check` (CLI flag names, `_` for `-`); the decision is
        // printed only once its record is durable.
        let mut request = serde_json::json!({
            "chip": chip, "spec": item.spec, "count": item.count, "to": to,
            "buyer": parties.buyer, "buyer_hq": parties.buyer_hq, "end_user": parties.end_user, "end_user_hq": parties.end_user_hq,
            "end_use": parties.end_use, "exporter": parties.exporter, "exporter_role": parties.exporter_role,
            "approved_designer": parties.approved_designer.then_some(true), "ship_from": parties.ship_from, "quantity": parties.quantity,
            "parties": parties.parties, "no_screen": parties.no_screen.then_some(true),
            "date": date, "view": common.view, "scenario": common.scenarios,
        });
        if let Some(m) = request.as_object_mut() {
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
        super::print_json(&out)
    } else {
        let subj = subject(
            &det,
            &q.spec.display_name(),
            &engine.countries,
            q.buyer.as_deref(),
            q.buyer_hq.as_deref(),
        );
        print!(
            "{}",
            render::with_scenarios(render::determination(&det, &subj), &engine.scenarios)
        );
        for s in &prepared.screening {
            print!("{}", render::screening(s));
        }
        Ok(())
    }
}
