//! `chipgate chips list|show`: the catalog with computed metrics and sources.

use crate::args::ChipsCommand;
use crate::data;
use anyhow::Result;
use chipgate_core::metrics::compute;
use chipgate_core::numfmt::fmt_num;
use serde_json::json;
use std::path::Path;

fn opt(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_else(|| "—".into())
}

pub fn run(data_dir: Option<&Path>, cmd: &ChipsCommand) -> Result<()> {
    let engine = data::engine(data_dir, &[])?;
    match cmd {
        ChipsCommand::List { json } => {
            if *json {
                let rows: Vec<_> = engine.catalog.chips.iter().map(|c| json!({"name": c.name, "vendor": c.vendor, "aliases": c.aliases, "datacenter": c.datacenter, "metrics": compute(c)})).collect();
                return super::print_json(&rows);
            }
            println!(
                "{:<50} {:>8} {:>7} {:>9} {:>8}  dc",
                "chip", "TPP", "PD", "mem GB/s", "I/O GB/s"
            );
            for c in &engine.catalog.chips {
                let m = compute(c);
                let dc = match c.datacenter {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "?",
                };
                println!(
                    "{:<50} {:>8} {:>7} {:>9} {:>8}  {}",
                    c.display_name(),
                    opt(m.tpp),
                    opt(m.pd),
                    opt(m.memory_bw_gbs),
                    opt(m.interconnect_bw_gbs),
                    dc
                );
            }
            Ok(())
        }
        ChipsCommand::Show { name, json } => {
            let c = engine.catalog.find(name)?;
            let m = compute(c);
            if *json {
                return super::print_json(&json!({"spec": c, "metrics": m}));
            }
            println!("{} ({})", c.display_name(), c.vendor);
            if !c.aliases.is_empty() {
                println!("  also: {}", c.aliases.join(", "));
            }
            println!(
                "  datacenter: {}",
                c.datacenter
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| "unknown".into())
            );
            for t in &c.throughput {
                println!(
                    "  {:<5} {:>8} TOPS × {:>2} bit = {:>8}",
                    t.format.clone().unwrap_or_default(),
                    fmt_num(t.tops),
                    t.bits,
                    fmt_num(t.tops * f64::from(t.bits))
                );
            }
            println!(
                "  TPP {}  PD {}  die {} mm²  memory {} GB ({} GB/s)  I/O {} GB/s",
                opt(m.tpp),
                opt(m.pd),
                opt(m.die_area_mm2),
                opt(m.memory_gb),
                opt(m.memory_bw_gbs),
                opt(m.interconnect_bw_gbs)
            );
            if let Some(b) = &m.tpp_basis {
                println!("  TPP from: {}", b.describe());
            }
            if !c.notes.is_empty() {
                println!("  notes: {}", c.notes);
            }
            for (k, v) in &c.value_sources {
                println!("  source of {k}: {v}");
            }
            for (k, v) in &c.unknown_reasons {
                println!("  unknown {k}: {v}");
            }
            for s in &c.sources {
                println!("  source: {s}");
            }
            Ok(())
        }
    }
}
