//! `chipgate orders`: evaluate an order book against the baseline and scenarios, write the
//! per-order results and the report, print the summary.

use crate::args::OrdersArgs;
use crate::orders::{self, report, Config, Pictures};
use crate::question::{parse_date, parse_view};
use anyhow::Result;
use std::io::Write;
use std::path::Path;

pub fn run(data: Option<&Path>, a: &OrdersArgs) -> Result<()> {
    if let Some(n) = a.generate {
        // Hidden: write a synthetic order book (benchmarks).
        let f = std::fs::File::create(&a.file)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        orders::generate::write_orders(&mut w, n, a.seed)?;
        w.flush()?;
        return Ok(());
    }
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
        report::write(p, &rep, &Pictures::default())?;
    }
    if a.json {
        super::print_json(&rep)
    } else {
        print!("{}", report::summary_table(&rep));
        Ok(())
    }
}
