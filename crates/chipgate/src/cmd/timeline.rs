//! `chipgate timeline`: the decision over time, with the rule event that changed it.

use crate::args::{ItemArgs, PartyArgs};
use crate::question::{date_or_today, parse_date, parse_view, prepare, resolve_item};
use crate::{data, render};
use anyhow::Result;
use std::path::{Path, PathBuf};

#[expect(
    clippy::too_many_arguments,
    reason = "each argument is one independent input of the step"
)]
pub fn run(
    data_dir: Option<&Path>,
    chip: Option<&str>,
    item: &ItemArgs,
    to: &str,
    from: Option<&str>,
    to_date: Option<&str>,
    parties: &PartyArgs,
    view: &str,
    scenarios: &[PathBuf],
    json: bool,
) -> Result<()> {
    let engine = data::engine(data_dir, scenarios)?;
    let spec = resolve_item(&engine, chip, item)?;
    let from = match from {
        Some(f) => parse_date("from", f)?,
        None => parse_date("from", "2022-01-01")?,
    };
    let until = date_or_today("to-date", to_date)?;
    let view = parse_view(view)?;
    let cx = crate::screening::PartyContext::build(
        None,
        parties.parties.as_deref(),
        !parties.no_screen && parties.buyer.is_some(),
    )?;
    let prepared = prepare(&engine, &cx, spec, to, parties, until)?;
    let segments = engine.timeline(&prepared.question, from, until, view)?;
    if json {
        super::print_json(&serde_json::json!({
            "chip": prepared.question.spec.display_name(),
            "destination": prepared.question.destination.as_ref().map(|d| d.code.clone()),
            "buyer_hq": prepared.question.buyer_hq,
            "view": view,
            "scenarios": engine.scenarios,
            "from": from,
            "to": until,
            "segments": segments,
        }))
    } else {
        let q = &prepared.question;
        let mut subject = format!(
            "{} to {}",
            q.spec.display_name(),
            engine.countries.name(
                q.destination
                    .as_ref()
                    .map(|d| d.code.as_str())
                    .unwrap_or("")
            )
        );
        if let Some(h) = &q.buyer_hq {
            subject.push_str(&format!(
                " for a buyer headquartered in {}",
                engine.countries.name(h)
            ));
        }
        subject.push_str(&format!(" (view: {})", view.describe()));
        print!(
            "{}",
            render::with_scenarios(render::timeline(&segments, &subject), &engine.scenarios)
        );
        Ok(())
    }
}
