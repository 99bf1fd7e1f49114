//! `chipgate headroom`: how far a chip sits from every threshold the rules in force compare
//! it against, and the largest throughput its die could have and stay uncontrolled. The
//! thresholds come from the rule data, so a scenario's thresholds are measured the same way.

use crate::args::{Common, ItemArgs};
use crate::data;
use crate::question::{date_or_today, parse_view, resolve_item};
use anyhow::Result;
use chipgate_core::expr::thresholds_for;
use chipgate_core::facts::{FactId, Facts};
use chipgate_core::license::{facts_of, Question};
use chipgate_core::numfmt::{fmt_num, fmt_with_unit};
use chipgate_core::rules::{eccn_rank, ProvisionKind, View};
use chipgate_core::spec::ChipSpec;
use chipgate_core::Engine;
use chrono::NaiveDate;
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Distance {
    fact: String,
    value: f64,
    threshold: f64,
    rule: String,
    /// value − threshold (negative = below).
    margin: f64,
    text: String,
}

#[derive(Serialize)]
struct Headroom {
    chip: String,
    date: NaiveDate,
    view: View,
    eccn: String,
    distances: Vec<Distance>,
    /// Largest TPP the same die could have and stay outside 3A090 (None when it is already controlled or the die area is unknown).
    max_uncontrolled_tpp: Option<f64>,
    max_uncontrolled_text: String,
}

fn scaled(spec: &ChipSpec, k: f64) -> ChipSpec {
    let mut s = spec.clone();
    for t in &mut s.throughput {
        t.tops *= k;
    }
    if s.throughput.is_empty() {
        s.stated_tpp = s.stated_tpp.map(|v| v * k);
    }
    s
}

/// Largest scale factor of the throughput with ECCN `none` (bisection; classification is monotone in throughput).
fn max_uncontrolled(engine: &Engine, spec: &ChipSpec, date: NaiveDate, view: View) -> Option<f64> {
    let eccn = |k: f64| {
        engine
            .classify(&scaled(spec, k), date, view)
            .map(|c| c.eccn)
            .unwrap_or_else(|_| "3A090.a".into())
    };
    if eccn(1.0) != "none" {
        return None;
    }
    let (mut lo, mut hi) = (1.0f64, 2.0f64);
    while eccn(hi) == "none" {
        lo = hi;
        hi *= 2.0;
        if hi > 1e6 {
            return None;
        }
    }
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if eccn_rank(&eccn(mid)) == 0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

pub fn run(
    data_dir: Option<&Path>,
    chip: Option<&str>,
    item: &ItemArgs,
    to: Option<&str>,
    common: &Common,
) -> Result<()> {
    let engine = data::engine(data_dir, &common.scenarios)?;
    let spec = resolve_item(
        &engine,
        chip,
        crate::request::read_spec(item)?.as_ref(),
        item.count,
    )?;
    let date = date_or_today("date", common.date.as_deref())?;
    let view = parse_view(&common.view)?;
    let c = engine.classify(&spec, date, view)?;
    let q = Question {
        spec: spec.clone(),
        destination: match to {
            Some(cc) => Some(engine.countries.destination("to", cc)?),
            None => None,
        },
        ..Default::default()
    };
    let facts: Facts = facts_of(&q, date);
    let mut distances = Vec::new();
    for p in engine.book.active(date, view) {
        let relevant = match &p.kind {
            ProvisionKind::Classify { .. } | ProvisionKind::Exclude { .. } => true,
            ProvisionKind::Require { .. } => to.is_some(),
            _ => false,
        };
        if !relevant {
            continue;
        }
        for fact in [
            FactId::Tpp,
            FactId::Pd,
            FactId::MemoryBw,
            FactId::InterconnectBw,
            FactId::HbmBwDensity,
        ] {
            let Some(value) = facts.num(fact) else {
                continue;
            };
            for t in thresholds_for(&p.when, fact) {
                let margin = value - t;
                let meta = fact.meta();
                let side = if margin < 0.0 {
                    "below"
                } else if margin > 0.0 {
                    "above"
                } else {
                    "exactly at"
                };
                let text = format!(
                    "{} {}: {} {side} {}'s {}",
                    meta.label,
                    fmt_with_unit(value, meta.unit),
                    fmt_num(margin.abs()),
                    p.id,
                    fmt_num(t)
                );
                distances.push(Distance {
                    fact: meta.name.into(),
                    value,
                    threshold: t,
                    rule: p.id.clone(),
                    margin,
                    text,
                });
            }
        }
    }
    distances.sort_by(|a, b| {
        a.fact
            .cmp(&b.fact)
            .then(a.margin.abs().total_cmp(&b.margin.abs()))
    });
    let k = max_uncontrolled(&engine, &spec, date, view);
    let tpp = c.metrics.tpp;
    let (max_tpp, text) = match (k, tpp) {
        (Some(k), Some(t)) => {
            let best = spec.throughput.iter().max_by(|a, b| {
                (a.tops * f64::from(a.bits)).total_cmp(&(b.tops * f64::from(b.bits)))
            });
            let example = best
                .map(|b| format!(" ({} TOPS at {} bit)", fmt_num(b.tops * k), b.bits))
                .unwrap_or_default();
            (
                Some(t * k),
                format!(
                    "this die stays outside 3A090 below TPP {}{}: {:.1} % headroom over today's {}",
                    fmt_num(t * k),
                    example,
                    (k - 1.0) * 100.0,
                    fmt_num(t)
                ),
            )
        }
        (None, Some(_)) if c.eccn != "none" => (
            None,
            format!(
                "already {}: no uncontrolled throughput at this die area",
                c.eccn
            ),
        ),
        _ => (None, "TPP unknown: headroom cannot be computed".to_string()),
    };
    let out = Headroom {
        chip: spec.display_name(),
        date,
        view,
        eccn: c.eccn.clone(),
        distances,
        max_uncontrolled_tpp: max_tpp,
        max_uncontrolled_text: text,
    };
    if common.json {
        return super::print_json(&out);
    }
    println!(
        "{} — {} as of {} (view: {})",
        out.chip,
        if out.eccn == "none" {
            "not in 3A090".to_string()
        } else {
            out.eccn.clone()
        },
        date,
        view.describe()
    );
    // One line per (fact, threshold), naming every provision that uses it.
    let mut groups: Vec<(&Distance, Vec<&str>)> = Vec::new();
    for d in &out.distances {
        match groups
            .iter_mut()
            .find(|(g, _)| g.fact == d.fact && g.threshold == d.threshold)
        {
            Some((_, rules)) => {
                if !rules.contains(&d.rule.as_str()) {
                    rules.push(&d.rule)
                }
            }
            None => groups.push((d, vec![&d.rule])),
        }
    }
    for (d, rules) in groups {
        let meta = FactId::by_name(&d.fact).map(|f| f.meta());
        let (label, unit) = meta.map(|m| (m.label, m.unit)).unwrap_or(("?", ""));
        let side = if d.margin < 0.0 {
            "below"
        } else if d.margin > 0.0 {
            "above"
        } else {
            "exactly at"
        };
        println!(
            "  {} {}: {} {side} {} ({})",
            label,
            fmt_with_unit(d.value, unit),
            fmt_num(d.margin.abs()),
            fmt_num(d.threshold),
            rules.join(", ")
        );
    }
    println!("  {}", out.max_uncontrolled_text);
    Ok(())
}
