//! `chipgate plot map|timeline`: pictures a policy analyst would put in a report.

use crate::args::{ItemArgs, PartyArgs, PlotCommand};
use crate::data;
use crate::pictures::{map_input, timeline_input};
use crate::question::{date_or_today, parse_date, parse_view, prepare, resolve_item};
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
            let spec = resolve_item(&engine, chip.as_deref(), item)?;
            let view = parse_view(view)?;
            let start = parse_date("from", from.as_deref().unwrap_or("2022-06-01"))?;
            let end = chrono::Utc::now().date_naive();
            let mut lanes = Vec::new();
            let hqs: Vec<Option<String>> = match buyer_hq {
                Some(h) => vec![Some(h.clone())],
                None => vec![Some(to.clone())],
            };
            for hq in hqs {
                let args = PartyArgs {
                    buyer_hq: hq.clone(),
                    no_screen: true,
                    ..Default::default()
                };
                let prepared = prepare(
                    &engine,
                    &PartyContext::default(),
                    spec.clone(),
                    to,
                    &args,
                    end,
                )?;
                let segs = engine.timeline(&prepared.question, start, end, view)?;
                let label = format!(
                    "to {}{}",
                    to.to_uppercase(),
                    hq.map(|h| format!(", buyer HQ {}", h.to_uppercase()))
                        .unwrap_or_default()
                );
                lanes.push((label, segs));
            }
            let title = format!(
                "{} to {} — licence decision over time ({})",
                spec.display_name(),
                engine
                    .countries
                    .name(&engine.countries.destination("to", to)?.code),
                view.describe()
            );
            let input = timeline_input(title, lanes, start, end);
            let bytes = render_timeline(&input, format)
                .map_err(|e| anyhow!("rendering the timeline: {e}"))?;
            crate::outfile::write(out, &bytes)?;
            println!("wrote {}", out.display());
            let _ = ItemArgs::default();
            Ok(())
        }
    }
}
