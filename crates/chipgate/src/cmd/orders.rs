//! `chipgate orders`: evaluate an order book against the baseline and scenarios, write the
//! per-order results and the report, print the summary.

use crate::args::OrdersArgs;
use crate::orders::{self, report, Config, Pictures};
use crate::question::{parse_date, parse_view};
use anyhow::Result;
use std::io::Write;
use std::path::Path;

/// Runs `chipgate orders`; `Ok(false)` when the book trips a `--fail-on` gate.
pub fn run(data: Option<&Path>, a: &OrdersArgs) -> Result<bool> {
    if let Some(n) = a.generate {
        // Hidden: write a synthetic order book (benchmarks).
        let f = std::fs::File::create(&a.file)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        orders::generate::write_orders(&mut w, n, a.seed)?;
        w.flush()?;
        return Ok(true);
    }
    check_paths(a)?;
    let mut cfg = Config::new(&a.file);
    cfg.data = data.map(Path::to_path_buf);
    cfg.scenarios = a.scenarios.clone();
    cfg.as_of = a
        .as_of
        .as_deref()
        .map(|d| parse_date("as-of", d))
        .transpose()?;
    cfg.view = parse_view(&a.view)?;
    cfg.map = a.map.clone();
    cfg.parties = a.parties.clone();
    cfg.screen = !a.no_screen;
    cfg.out = a.out.clone();
    cfg.progress = !a.quiet;
    if let Some(n) = a.chunk_rows {
        cfg.chunk_rows = n.max(1);
    }
    let threads = a.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let rep = pool.install(|| orders::evaluate(&cfg))?;
    if let Some(p) = &a.report {
        let is_html = p
            .extension()
            .map(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
            .unwrap_or(false);
        let pictures = if is_html {
            pictures(data, a, &rep, cfg.as_of).unwrap_or_else(|e| {
                eprintln!("warning: pictures left out of the report: {e:#}");
                Pictures::default()
            })
        } else {
            Pictures::default()
        };
        report::write(p, &rep, &pictures)?;
    }
    let mut wrote = Vec::new();
    if let Some(p) = a.out.as_ref().filter(|p| p.as_os_str() != "-") {
        wrote.push(format!(
            "wrote {} ({} rows: {} decisions, {} rejected)",
            p.display(),
            report::fmt::count(rep.stats.rows_read),
            report::fmt::count(rep.stats.orders_evaluated),
            report::fmt::count(rep.stats.rejected)
        ));
    }
    if let Some(p) = &a.report {
        wrote.push(format!(
            "wrote {} (report: totals of {} orders under {} rulebook{})",
            p.display(),
            report::fmt::count(rep.stats.orders_evaluated),
            rep.scenarios.len(),
            if rep.scenarios.len() == 1 { "" } else { "s" }
        ));
    }
    if a.json {
        for w in &wrote {
            eprintln!("{w}");
        }
        super::print_json(&rep)?;
    } else {
        print!("{}", report::summary_table(&rep));
        for w in &wrote {
            println!("{w}");
        }
    }
    let tripped: Vec<_> = a
        .fail_on
        .iter()
        .filter(|g| crate::answer::trips_book(**g, &rep))
        .collect();
    for g in &tripped {
        eprintln!(
            "--fail-on {}: tripped",
            serde_json::to_value(g)?.as_str().unwrap_or("?")
        );
    }
    Ok(tripped.is_empty())
}

/// Refuses, before anything is read, outputs with an unknown extension and outputs that name
/// an input (the order book, the party file, a scenario) or each other.
fn check_paths(a: &OrdersArgs) -> Result<()> {
    let mut inputs: Vec<(&str, &Path)> = vec![("order book", a.file.as_path())];
    if let Some(p) = &a.parties {
        inputs.push(("party file", p.as_path()));
    }
    for s in &a.scenarios {
        inputs.push(("scenario", s.as_path()));
    }
    if let Some(o) = &a.out {
        crate::outfile::require_extension("out", o, orders::output::OUT_EXTENSIONS)?;
        crate::outfile::refuse_clash("out", o, &inputs)?;
    }
    if let Some(r) = &a.report {
        crate::outfile::require_extension("report", r, report::REPORT_EXTENSIONS)?;
        crate::outfile::refuse_clash("report", r, &inputs)?;
        if let Some(o) = &a.out {
            crate::outfile::refuse_clash("report", r, &[("--out file", o.as_path())])?;
        }
    }
    Ok(())
}

/// The pictures the HTML report embeds (see [`crate::pictures::report_pictures`]), with the
/// baseline and each scenario loaded from the data directory.
fn pictures(
    data: Option<&Path>,
    a: &OrdersArgs,
    rep: &orders::Report,
    as_of: Option<chrono::NaiveDate>,
) -> Result<Pictures> {
    let view = parse_view(&a.view)?;
    let mut engines = vec![crate::data::engine(data, &[])?];
    for sc in &a.scenarios {
        engines.push(crate::data::engine(data, std::slice::from_ref(sc))?);
    }
    crate::pictures::report_pictures(&engines, rep, as_of, view)
}
