//! `chipgate rules list|show|diff|catalog`: the rulebook as data, inspectable.

use crate::args::RulesCommand;
use crate::data;
use crate::question::{date_or_today, parse_date, parse_view};
use anyhow::Result;
use chipgate_core::rules::{catalog_markdown, Standing};
use chipgate_core::Engine;
use serde_json::json;
use std::path::Path;

pub fn run(data_dir: Option<&Path>, cmd: &RulesCommand) -> Result<()> {
    match cmd {
        RulesCommand::List {
            date,
            view,
            scenarios,
            json,
        } => {
            let engine = data::engine(data_dir, scenarios)?;
            let date = date_or_today("date", date.as_deref())?;
            let view = parse_view(view)?;
            let standings = engine.book.standings(date, view);
            if *json {
                let rows: Vec<_> = standings
                    .iter()
                    .map(|(p, s)| json!({"id": p.id, "event": p.event, "type": p.kind.type_name(), "citation": p.citation, "effective": p.effective, "until": p.end, "status": p.status.name(), "standing": s, "in_force": *s == Standing::Active}))
                    .collect();
                return super::print_json(&json!({"date": date, "view": view, "provisions": rows}));
            }
            println!("provisions as of {date} (view: {})", view.describe());
            for (p, s) in standings {
                let mark = if s == Standing::Active { "●" } else { "○" };
                println!(
                    "{mark} {:<38} {:<9} {:<26} {}",
                    p.id,
                    p.kind.type_name(),
                    s.describe(),
                    p.citation
                );
            }
            Ok(())
        }
        RulesCommand::Show { id, json } => {
            let engine = data::engine(data_dir, &[])?;
            show(&engine, id, *json)
        }
        RulesCommand::Diff {
            from,
            to,
            view,
            json,
        } => {
            let engine = data::engine(data_dir, &[])?;
            let d1 = parse_date("from", from)?;
            let d2 = parse_date("to", to)?;
            let view = parse_view(view)?;
            diff(&engine, d1, d2, view, *json)
        }
        RulesCommand::Catalog { out } => {
            let engine = data::engine(data_dir, &[])?;
            let md = catalog_markdown(&engine.book);
            match out {
                Some(p) => crate::outfile::write(p, md.as_bytes()),
                None => {
                    print!("{md}");
                    Ok(())
                }
            }
        }
    }
}

fn show(engine: &Engine, id: &str, json: bool) -> Result<()> {
    let versions: Vec<_> = engine
        .book
        .provisions
        .iter()
        .filter(|p| p.id == id || p.event == id)
        .collect();
    let event = engine.book.event(id);
    if versions.is_empty() && event.is_none() {
        let close: Vec<&str> = engine
            .book
            .provisions
            .iter()
            .map(|p| p.id.as_str())
            .filter(|p| p.contains(id) || id.contains(p))
            .take(8)
            .collect();
        return Err(
            chipgate_core::InputError::new("id", format!("no event or provision `{id}`"))
                .with_hint(if close.is_empty() {
                    "see `chipgate rules list`".to_string()
                } else {
                    format!("did you mean: {}", close.join(", "))
                })
                .into(),
        );
    }
    if json {
        let rows: Vec<_> = versions
            .iter()
            .map(|p| json!({"id": p.id, "event": p.event, "type": p.kind.type_name(), "summary": p.summary, "citation": p.citation, "effective": p.effective, "until": p.end, "compliance": p.compliance, "status": p.status.name(), "when": p.when_text, "replaces": p.replaces, "notes": p.notes, "file": p.file, "line": p.line}))
            .collect();
        let ev = event.map(|e| json!({"id": e.id, "title": e.title, "kind": e.kind.name(), "announced": e.announced, "effective": e.effective, "citation": e.citation, "sources": e.sources, "notes": e.notes}));
        return super::print_json(&json!({"event": ev, "provisions": rows}));
    }
    if let Some(e) = event {
        println!("{} — {} ({})", e.id, e.title, e.kind.name());
        println!("  citation: {}", e.citation);
        if let Some(a) = e.announced {
            println!("  announced: {a}");
        }
        if let Some(d) = e.effective {
            println!("  effective: {d}");
        }
        if !e.notes.is_empty() {
            println!("  notes: {}", e.notes.replace('\n', " "));
        }
        for s in &e.sources {
            println!("  source: {s}");
        }
    }
    for p in versions {
        println!("\n{} ({}; {}:{})", p.id, p.kind.type_name(), p.file, p.line);
        println!("  {}", p.summary);
        println!(
            "  window: [{}, {}){}",
            p.effective,
            p.end.map(|d| d.to_string()).unwrap_or_else(|| "…".into()),
            p.compliance
                .map(|c| format!(", compliance {c}"))
                .unwrap_or_default()
        );
        println!("  status: {}", p.status.name());
        println!("  citation: {}", p.citation);
        println!(
            "  when: {}",
            p.when_text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        if !p.replaces.is_empty() {
            println!("  replaces: {}", p.replaces.join(", "));
        }
        if !p.notes.is_empty() {
            println!("  notes: {}", p.notes);
        }
    }
    Ok(())
}

fn diff(
    engine: &Engine,
    d1: chrono::NaiveDate,
    d2: chrono::NaiveDate,
    view: chipgate_core::rules::View,
    json: bool,
) -> Result<()> {
    let a = engine.book.standings(d1, view);
    let b = engine.book.standings(d2, view);
    let mut changed = Vec::new();
    for ((p, s1), (_, s2)) in a.iter().zip(b.iter()) {
        let on1 = *s1 == Standing::Active;
        let on2 = *s2 == Standing::Active;
        if on1 != on2 {
            changed.push(json!({"id": p.id, "event": p.event, "type": p.kind.type_name(), "from": s1.describe(), "to": s2.describe(), "citation": p.citation}));
        }
    }
    let mut chips = Vec::new();
    for spec in &engine.catalog.chips {
        let c1 = engine.classify(spec, d1, view)?;
        let c2 = engine.classify(spec, d2, view)?;
        if c1.eccn != c2.eccn {
            chips.push(json!({"chip": spec.display_name(), "from": c1.eccn, "to": c2.eccn, "rules": c2.reasons.iter().map(|r| r.rule.clone()).collect::<Vec<_>>()}));
        }
    }
    if json {
        return super::print_json(
            &json!({"from": d1, "to": d2, "view": view, "provisions": changed, "chips": chips}),
        );
    }
    println!(
        "rules and classifications from {d1} to {d2} (view: {})",
        view.describe()
    );
    println!("\nprovisions whose standing changed ({}):", changed.len());
    for c in &changed {
        println!(
            "  {:<38} {:<9} {} → {}",
            c["id"].as_str().unwrap_or_default(),
            c["type"].as_str().unwrap_or_default(),
            c["from"].as_str().unwrap_or_default(),
            c["to"].as_str().unwrap_or_default()
        );
    }
    println!(
        "\ncatalog chips whose classification changed ({}):",
        chips.len()
    );
    for c in &chips {
        println!(
            "  {:<48} {} → {}",
            c["chip"].as_str().unwrap_or_default(),
            c["from"].as_str().unwrap_or_default(),
            c["to"].as_str().unwrap_or_default()
        );
    }
    Ok(())
}
