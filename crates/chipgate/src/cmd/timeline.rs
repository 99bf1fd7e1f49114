//! `chipgate timeline`: the decision over time, with the rule event that changed it.

use crate::args::{ItemArgs, PartyArgs};
use crate::request::TimelineRequest;
use crate::{answer, data, render};
use anyhow::Result;
use std::path::{Path, PathBuf};

#[expect(
    clippy::too_many_arguments,
    reason = "one argument per CLI option group"
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
    let req = TimelineRequest::from_cli(chip, item, to, from, to_date, parties, view)?;
    let cx = crate::screening::PartyContext::build(
        None,
        parties.parties.as_deref(),
        req.check.screens() && req.check.buyer.is_some(),
    )?;
    let out = answer::timeline(&engine, &cx, &req)?;
    if json {
        super::print_json(&out)
    } else {
        let mut subject = format!(
            "{} to {}",
            out.chip,
            engine
                .countries
                .name(out.destination.as_deref().unwrap_or(""))
        );
        if let Some(h) = &out.buyer_hq {
            subject.push_str(&format!(
                " for a buyer headquartered in {}",
                engine.countries.name(h)
            ));
        }
        subject.push_str(&format!(" (view: {})", out.view.describe()));
        print!(
            "{}",
            render::with_scenarios(
                render::timeline(&out.segments, &subject, out.to),
                &engine.scenarios
            )
        );
        Ok(())
    }
}
