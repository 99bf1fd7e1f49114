//! `chipgate plot map|timeline`: pictures a policy analyst would put in a report.

use crate::answer;
use crate::args::PlotCommand;
use crate::data;
use crate::pictures::{map_input, timeline_input};
use crate::question::{date_or_today, parse_date, parse_view};
use crate::request::{CheckRequest, TimelineRequest};
use crate::screening::PartyContext;
use anyhow::{anyhow, Context, Result};
use chipgate_core::spec::ChipSpec;
use chipgate_plot::{render_map, render_timeline, Format};
use std::path::Path;
use std::sync::Arc;

fn format_of(out: &Path) -> Result<Format> {
    Format::from_path(&out.to_string_lossy()).ok_or_else(|| {
        chipgate_core::InputError::new(
            "out",
            format!("`{}` must end in .svg or .png", out.display()),
        )
        .into()
    })
}

/// Reads chip specs from a JSON array or JSON Lines file.
fn read_specs(path: &Path) -> Result<Vec<ChipSpec>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    if text.trim_start().starts_with('[') {
        let v: Vec<serde_json::Value> =
            serde_json::from_str(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
        v.into_iter()
            .enumerate()
            .map(|(i, x)| {
                ChipSpec::from_json(&x.to_string())
                    .map_err(|e| anyhow!("{}: item {}: {e}", path.display(), i + 1))
            })
            .collect()
    } else {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                ChipSpec::from_json(l).map_err(|e| anyhow!("{}:{}: {e}", path.display(), i + 1))
            })
            .collect()
    }
}

pub fn run(data_dir: Option<&Path>, c: &PlotCommand) -> Result<()> {
    match c {
        PlotCommand::Map {
            date,
            to,
            view,
            scenarios,
            chips,
            out,
        } => {
            let format = format_of(out)?;
            let engine = Arc::new(data::engine(data_dir, scenarios)?);
            let date = date_or_today("date", date.as_deref())?;
            engine.check_date(date)?;
            let view = parse_view(view)?;
            if let Some(cc) = to {
                engine.countries.destination("to", cc)?;
            }
            let specs = match chips {
                Some(p) => read_specs(p)?,
                None => Vec::new(),
            };
            let to_code = to
                .as_ref()
                .and_then(|cc| engine.countries.destination("to", cc).ok())
                .map(|d| d.code);
            let input = map_input(Arc::clone(&engine), &specs, date, view, to_code.as_deref());
            let bytes =
                render_map(&input, format).map_err(|e| anyhow!("rendering the map: {e}"))?;
            crate::outfile::write(out, &bytes)?;
            println!("wrote {}", out.display());
            Ok(())
        }
        PlotCommand::Timeline {
            chip,
            item,
            to,
            buyer_hq,
            from,
            view,
            scenarios,
            out,
        } => {
            let format = format_of(out)?;
            let engine = data::engine(data_dir, scenarios)?;
            let spec = crate::request::read_spec(item)?;
            let start = parse_date("from", from.as_deref().unwrap_or("2022-06-01"))?;
            let end = chrono::Utc::now().date_naive();
            let mut lanes = Vec::new();
            let hqs: Vec<Option<String>> = match buyer_hq {
                Some(h) => vec![Some(h.clone())],
                None => vec![Some(to.clone())],
            };
            let mut chip_name = String::new();
            let mut view_text = String::new();
            for hq in hqs {
                let req = TimelineRequest {
                    check: CheckRequest {
                        chip: chip.clone(),
                        spec: spec.clone(),
                        count: item.count,
                        to: to.clone(),
                        buyer_hq: hq.clone(),
                        no_screen: Some(true),
                        view: Some(view.clone()),
                        ..CheckRequest::default()
                    },
                    from: Some(start.to_string()),
                    to_date: Some(end.to_string()),
                };
                let t = answer::timeline(&engine, &PartyContext::default(), &req)?;
                let label = format!(
                    "to {}{}",
                    to.to_uppercase(),
                    hq.map(|h| format!(", buyer HQ {}", h.to_uppercase()))
                        .unwrap_or_default()
                );
                chip_name = t.chip;
                view_text = t.view.describe().to_string();
                lanes.push((label, t.segments));
            }
            let title = format!(
                "{} to {} — licence decision over time ({})",
                chip_name,
                engine
                    .countries
                    .name(&engine.countries.destination("to", to)?.code),
                view_text
            );
            let input = timeline_input(title, lanes, start, end);
            let bytes = render_timeline(&input, format)
                .map_err(|e| anyhow!("rendering the timeline: {e}"))?;
            crate::outfile::write(out, &bytes)?;
            println!("wrote {}", out.display());
            Ok(())
        }
    }
}
