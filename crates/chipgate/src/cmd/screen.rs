//! `chipgate screen`: screen one name, or a whole customer file, against the lists; and
//! `chipgate screen allow` to record a reviewed false positive (later answers show it).

use crate::args::{ScreenAction, ScreenArgs};
use crate::question::{date_or_today, parse_date};
use crate::screening::default_store;
use anyhow::{anyhow, bail, Context, Result};
use chipgate_screen::{
    AllowList, AllowRecord, ListStore, Query, QueryError, ScreenResult, Screener, Status,
};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

fn store_dir(given: Option<&Path>) -> Option<PathBuf> {
    given.map(Path::to_path_buf).or_else(default_store)
}

fn allow_path(store: Option<&Path>) -> Option<PathBuf> {
    store_dir(store).map(|d| d.join("allow.json"))
}

/// Builds the screener from the built-in lists (prebuilt index), the local store and the
/// allow-list.
pub fn screener(store: Option<&Path>) -> Result<Screener> {
    let imported = match store_dir(store) {
        Some(dir) if dir.join("store.json").is_file() => {
            ListStore::open(&dir)
                .and_then(|s| s.load())
                .map_err(|e| anyhow!("{e}"))?
                .lists
        }
        _ => Vec::new(),
    };
    let mut s = chipgate_screen_prebuilt::screener(imported).map_err(|e| anyhow!("{e}"))?;
    if let Some(p) = allow_path(store).filter(|p| p.is_file()) {
        s = s.with_allowlist(AllowList::load(&p).map_err(|e| anyhow!("{e}"))?);
    }
    Ok(s)
}

fn severity(k: chipgate_screen::ListKind) -> u8 {
    use chipgate_screen::ListKind::*;
    match k {
        Sdn | Dpl => 0,
        EntityList => 1,
        Meu => 2,
        Unverified => 3,
        Cmic | NonSdn | Other => 4,
    }
}

fn render(r: &ScreenResult) -> String {
    let mut out = format!(
        "{} — {}\n",
        r.query.name,
        match r.status {
            Status::Clear => "clear",
            Status::PotentialMatch => "POTENTIAL MATCH",
            Status::Match => "MATCH",
        }
    );
    // Most consequential lists first, then by score.
    let mut hits: Vec<&chipgate_screen::Hit> = r.hits.iter().collect();
    hits.sort_by_key(|h| {
        (
            severity(h.kind),
            std::cmp::Reverse((h.score * 1000.0) as i64),
        )
    });
    for h in hits.into_iter().take(10) {
        let sup = h
            .suppressed
            .as_ref()
            .map(|s| format!(" [suppressed: reviewed by {} — {}]", s.reviewer, s.reason))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {:.2}  {} — `{}` ({} entry {}){}\n        {} [{}]\n        {}\n",
            h.score,
            h.list,
            h.matched_name,
            h.kind.as_str(),
            h.entry_id,
            sup,
            h.effect_text,
            h.citation,
            h.explanation.summary
        ));
        if let Some(p) = &h.provenance {
            out.push_str(&format!("        listed by {}\n", p.describe()));
        }
        if let Some(end) = h.end_date {
            out.push_str(&format!("        not listed from {end}\n"));
        }
        if h.provenance.is_none() {
            // How the listing window was read (a later snapshot that no longer holds the
            // entry); entries with provenance show theirs above.
            for n in &h.notes {
                out.push_str(&format!("        {n}\n"));
            }
        }
    }
    if r.hits.len() > 10 {
        out.push_str(&format!(
            "  … {} more hits (see --json)\n",
            r.hits.len() - 10
        ));
    }
    for l in &r.lists {
        out.push_str(&format!(
            "  list: {} (snapshot {})\n",
            l.name,
            l.snapshot_date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "unknown".into())
        ));
    }
    for w in &r.warnings {
        out.push_str(&format!("  ! {w}\n"));
    }
    if r.lists_stale {
        out.push_str("  ! lists are older than the as-of date: run `chipgate lists update` (or `lists import` of a downloaded CSL); a clear on stale lists is not a clearance\n");
    }
    out
}

#[derive(Serialize)]
struct Line<'a> {
    id: &'a str,
    #[serde(flatten)]
    result: &'a ScreenResult,
}

struct Row {
    line: usize,
    id: String,
    query: Query,
}

/// The screening output formats, by extension.
pub const OUT_EXTENSIONS: &[&str] = &["jsonl", "ndjson", "json", "csv", "xlsx"];

/// Where results go: JSON Lines (standard output or a file), CSV or a spreadsheet.
enum Sink {
    Jsonl(BufWriter<Box<dyn Write>>),
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Xlsx(Box<crate::xlsx::Sheet>),
}

/// The CSV / spreadsheet columns of a screening result (the best hit first).
pub const TABLE_COLUMNS: [&str; 13] = [
    "id",
    "line",
    "name",
    "country",
    "date",
    "status",
    "hits",
    "best_score",
    "best_list",
    "best_kind",
    "best_entry_id",
    "best_matched_name",
    "lists",
];

pub fn table_row(line: usize, id: &str, r: &ScreenResult) -> Vec<crate::xlsx::Cell> {
    use crate::xlsx::Cell;
    let best = r
        .hits
        .iter()
        .filter(|h| h.suppressed.is_none())
        .max_by(|a, b| a.score.total_cmp(&b.score));
    let text = |s: &str| Cell::Text(s.to_string());
    vec![
        text(id),
        Cell::Number(line as f64),
        text(&r.query.name),
        text(r.query.country.as_deref().unwrap_or_default()),
        text(&r.query.date.map(|d| d.to_string()).unwrap_or_default()),
        text(status_name(r.status)),
        Cell::Number(r.hits.len() as f64),
        best.map(|h| Cell::Number((h.score * 1000.0).round() / 1000.0))
            .unwrap_or(Cell::Text(String::new())),
        text(best.map(|h| h.list.as_str()).unwrap_or_default()),
        text(best.map(|h| h.kind.as_str()).unwrap_or_default()),
        text(best.map(|h| h.entry_id.as_str()).unwrap_or_default()),
        text(best.map(|h| h.matched_name.as_str()).unwrap_or_default()),
        text(
            &r.lists
                .iter()
                .map(|l| l.name.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ]
}

pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Clear => "clear",
        Status::PotentialMatch => "potential_match",
        Status::Match => "match",
    }
}

/// Screens a CSV of names (`id,name[,country,date]`), streaming in chunks over all cores.
/// One record per line; a bad line (quote left open, too long, bad date or country) is
/// reported with its line number and skipped, and the other lines are screened.
/// Screens a file of names; `Ok(false)` when a result trips a `--fail-on` gate.
fn screen_file(s: &Screener, a: &ScreenArgs, file: &Path, data: Option<&Path>) -> Result<bool> {
    use crate::lines::{csv_cells, Lines};
    let countries = crate::question::countries(data)?;
    let f = std::fs::File::open(file).with_context(|| format!("reading {}", file.display()))?;
    let mut lines = Lines::new(std::io::BufReader::with_capacity(1 << 16, f));
    let header_text = match lines.next_line()? {
        Some((_, Ok(t))) => t,
        Some((_, Err(e))) => bail!("{}:1: {e}", file.display()),
        None => bail!("{}: the file is empty", file.display()),
    };
    let headers: Vec<String> = csv_cells(&header_text)
        .map_err(|e| anyhow!("{}:1: {e}", file.display()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(ci), Some(cn)) = (col("id"), col("name")) else {
        bail!(
            "{}:1: the header must name columns `id` and `name` (found: {})",
            file.display(),
            headers.join(",")
        );
    };
    let (cc, cd) = (col("country"), col("date"));
    let default_date = date_or_today("date", a.date.as_deref())?;
    let mut tripped = false;
    let mut pending = None;
    let mut sink = match &a.out {
        Some(p) if p.as_os_str() != "-" => {
            let ext = crate::outfile::require_extension("out", p, OUT_EXTENSIONS)?;
            crate::outfile::refuse_clash("out", p, &[("names file", file)])?;
            if ext == "xlsx" {
                Sink::Xlsx(Box::new(crate::xlsx::Sheet::new(
                    "screening",
                    &TABLE_COLUMNS,
                )?))
            } else {
                let (f, pend) = crate::outfile::create(p)?;
                pending = Some(pend);
                let w: Box<dyn Write> = Box::new(f);
                if ext == "csv" {
                    let mut w = csv::Writer::from_writer(w);
                    w.write_record(TABLE_COLUMNS)?;
                    Sink::Csv(Box::new(w))
                } else {
                    Sink::Jsonl(BufWriter::new(w))
                }
            }
        }
        _ => Sink::Jsonl(BufWriter::new(Box::new(std::io::stdout()))),
    };
    let bar = if std::io::stderr().is_terminal() && a.out.is_some() {
        let b = ProgressBar::new_spinner();
        b.set_style(
            ProgressStyle::with_template("{spinner} screened {pos} names ({per_sec}) {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let (mut total, mut rejected, mut alerts) = (0usize, 0usize, 0usize);
    let skip = |line: u64, why: &dyn std::fmt::Display| {
        bar.suspend(|| eprintln!("{}:{line}: skipped: {why}", file.display()));
    };
    let mut done = false;
    while !done {
        let mut chunk: Vec<Row> = Vec::with_capacity(16_384);
        while chunk.len() < chunk.capacity() {
            let Some((line, text)) = lines.next_line()? else {
                done = true;
                break;
            };
            let text = match text {
                Ok(t) if t.trim().is_empty() => continue,
                Ok(t) => t,
                Err(e) => {
                    total += 1;
                    rejected += 1;
                    skip(line, &e);
                    continue;
                }
            };
            total += 1;
            let cells = match csv_cells(&text) {
                Ok(c) => c,
                Err(e) => {
                    rejected += 1;
                    skip(line, &e);
                    continue;
                }
            };
            let get = |c: Option<usize>| {
                c.and_then(|c| cells.get(c))
                    .filter(|s| !s.is_empty())
                    .cloned()
            };
            let (Some(id), Some(name)) = (get(Some(ci)), get(Some(cn))) else {
                rejected += 1;
                skip(line, &"missing id or name");
                continue;
            };
            if let Err(e) = crate::screening::check_name("name", &name) {
                rejected += 1;
                skip(line, &e);
                continue;
            }
            let date = match get(cd) {
                Some(d) => match parse_date("date", &d) {
                    Ok(d) => d,
                    Err(e) => {
                        rejected += 1;
                        skip(line, &e);
                        continue;
                    }
                },
                None => default_date,
            };
            let country = match get(cc) {
                Some(c) => match countries.destination("country", &c) {
                    Ok(d) => Some(d.given),
                    Err(e) => {
                        rejected += 1;
                        skip(line, &e);
                        continue;
                    }
                },
                None => None,
            };
            chunk.push(Row {
                line: line as usize,
                id,
                query: Query {
                    name,
                    country,
                    date: Some(date),
                    threshold: a.threshold,
                    lists: (!a.lists.is_empty()).then(|| a.lists.clone()),
                },
            });
        }
        if chunk.is_empty() {
            continue;
        }
        let results: Vec<Result<ScreenResult, QueryError>> =
            chunk.par_iter().map(|r| s.screen(&r.query)).collect();
        for (row, r) in chunk.iter().zip(results.iter()) {
            let r = match r {
                Ok(r) => r,
                Err(e) => {
                    rejected += 1;
                    eprintln!("{}:{}: skipped: {e}", file.display(), row.line);
                    continue;
                }
            };
            if r.status != Status::Clear {
                alerts += 1;
            }
            if a.fail_on.iter().any(|g| g.trips_screening(r.status)) {
                tripped = true;
            }
            let ctx = || format!("writing the result of line {}", row.line);
            match &mut sink {
                Sink::Jsonl(out) => {
                    serde_json::to_writer(
                        &mut *out,
                        &Line {
                            id: &row.id,
                            result: r,
                        },
                    )
                    .with_context(ctx)?;
                    out.write_all(b"\n").with_context(ctx)?;
                }
                Sink::Csv(w) => {
                    let cells: Vec<String> = table_row(row.line, &row.id, r)
                        .into_iter()
                        .map(|c| c.to_string())
                        .collect();
                    w.write_record(&cells).with_context(ctx)?;
                }
                Sink::Xlsx(sheet) => sheet.push(&table_row(row.line, &row.id, r))?,
            }
        }
        bar.inc(chunk.len() as u64);
    }
    match sink {
        Sink::Jsonl(mut out) => out.flush()?,
        Sink::Csv(mut w) => w.flush()?,
        Sink::Xlsx(sheet) => {
            if let Some(p) = &a.out {
                sheet.save(p)?;
            }
        }
    }
    if let Some(p) = pending {
        p.commit()?;
    }
    bar.finish_and_clear();
    let written = a
        .out
        .as_ref()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| format!("; results in {}", p.display()))
        .unwrap_or_default();
    eprintln!(
        "screened {} rows: {} alerts, {} rejected{written}",
        total - rejected,
        alerts,
        rejected
    );
    Ok(!tripped)
}

/// Runs `chipgate screen`; `Ok(false)` when a result trips a `--fail-on` gate.
pub fn run(data: Option<&Path>, a: &ScreenArgs) -> Result<bool> {
    if let Some(ScreenAction::Allow {
        name,
        entry,
        reviewer,
        reason,
        until,
        store,
    }) = &a.action
    {
        let path = allow_path(store.as_deref())
            .ok_or_else(|| anyhow!("no store directory: give --store DIR or set CHIPGATE_HOME"))?;
        let mut list = if path.is_file() {
            AllowList::load(&path).map_err(|e| anyhow!("{e}"))?
        } else {
            AllowList::default()
        };
        let until = parse_date("until", until)?;
        list.add(AllowRecord {
            reviewer: reviewer.clone(),
            query_name: name.clone(),
            entry_id: entry.clone(),
            reason: reason.clone(),
            until: Some(until),
        });
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        list.save(&path).map_err(|e| anyhow!("{e}"))?;
        println!(
            "recorded: `{name}` is not entry {entry} (reviewed by {reviewer}, until {until}) in {}",
            path.display()
        );
        return Ok(true);
    }
    if let Some(t) = a.threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(
                chipgate_core::InputError::new("threshold", "must be between 0 and 1").into(),
            );
        }
    }
    // Never dropped: freeing the lists and index costs more than the answer; the process ends.
    let s = std::mem::ManuallyDrop::new(screener(a.store.as_deref())?);
    s.check_lists(&a.lists)
        .map_err(|e| chipgate_core::InputError::new(e.field(), e.to_string()))?;
    if let Some(file) = &a.file {
        return screen_file(&s, a, file, data);
    }
    let Some(name) = &a.name else {
        return Err(chipgate_core::InputError::new(
            "name",
            "give a NAME to screen or --file names.csv",
        )
        .into());
    };
    let req = crate::request::ScreenRequest {
        name: name.clone(),
        country: a.country.clone(),
        date: Some(date_or_today("date", a.date.as_deref())?.to_string()),
        threshold: a.threshold,
        lists: Some(a.lists.clone()),
    };
    let countries = crate::question::countries(data)?;
    let r = crate::answer::screen(&countries, Some(&*s), &req)?.result;
    if a.json {
        super::print_json(&r)?;
    } else {
        print!("{}", render(&r));
    }
    Ok(!a.fail_on.iter().any(|g| g.trips_screening(r.status)))
}
