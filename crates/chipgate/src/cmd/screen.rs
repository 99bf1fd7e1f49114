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
            out.push_str(&format!("        removed from {end}\n"));
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

/// Screens a CSV of names (`id,name[,country,date]`), streaming in chunks over all cores.
fn screen_file(s: &Screener, a: &ScreenArgs, file: &Path) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(file)
        .with_context(|| format!("reading {}", file.display()))?;
    let headers: Vec<String> = rdr
        .headers()
        .with_context(|| format!("{}:1: reading the header", file.display()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
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
    let out: Box<dyn Write> = match &a.out {
        Some(p) => {
            Box::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?)
        }
        None => Box::new(std::io::stdout()),
    };
    let mut out = BufWriter::new(out);
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
    let mut records = rdr.records().enumerate();
    loop {
        let mut chunk: Vec<Row> = Vec::with_capacity(16_384);
        for (i, rec) in records.by_ref() {
            let line = i + 2;
            total += 1;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    rejected += 1;
                    eprintln!("{}:{line}: skipped: {e}", file.display());
                    continue;
                }
            };
            let get = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let (Some(id), Some(name)) = (get(Some(ci)), get(Some(cn))) else {
                rejected += 1;
                eprintln!("{}:{line}: skipped: missing id or name", file.display());
                continue;
            };
            let date = match get(cd) {
                Some(d) => match parse_date("date", &d) {
                    Ok(d) => d,
                    Err(e) => {
                        rejected += 1;
                        eprintln!("{}:{line}: skipped: {e}", file.display());
                        continue;
                    }
                },
                None => default_date,
            };
            chunk.push(Row {
                line,
                id,
                query: Query {
                    name,
                    country: get(cc),
                    date: Some(date),
                    threshold: a.threshold,
                    lists: (!a.lists.is_empty()).then(|| a.lists.clone()),
                },
            });
            if chunk.len() == chunk.capacity() {
                break;
            }
        }
        if chunk.is_empty() {
            break;
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
            serde_json::to_writer(
                &mut out,
                &Line {
                    id: &row.id,
                    result: r,
                },
            )
            .with_context(|| format!("writing the result of line {}", row.line))?;
            out.write_all(b"\n")?;
        }
        bar.inc(chunk.len() as u64);
    }
    out.flush()?;
    bar.finish_and_clear();
    eprintln!(
        "screened {} rows: {} alerts, {} rejected",
        total - rejected,
        alerts,
        rejected
    );
    Ok(())
}

pub fn run(_data: Option<&Path>, a: &ScreenArgs) -> Result<()> {
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
        return Ok(());
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
        return screen_file(&s, a, file);
    }
    let Some(name) = &a.name else {
        return Err(chipgate_core::InputError::new(
            "name",
            "give a NAME to screen or --file names.csv",
        )
        .into());
    };
    let date = date_or_today("date", a.date.as_deref())?;
    let q = Query {
        name: name.clone(),
        country: a.country.clone(),
        date: Some(date),
        threshold: a.threshold,
        lists: (!a.lists.is_empty()).then(|| a.lists.clone()),
    };
    let r = s
        .screen(&q)
        .map_err(|e| chipgate_core::InputError::new(e.field(), e.to_string()))?;
    if a.json {
        super::print_json(&r)
    } else {
        print!("{}", render(&r));
        Ok(())
    }
}
