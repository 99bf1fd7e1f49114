//! `chipgate lists import|update|diff|show`: keep the screening lists current.

use crate::args::ListsCommand;
use crate::screening::default_store;
use anyhow::{anyhow, Result};
use chipgate_screen::store::date_in_name;
use chipgate_screen::{diff, load_file, ListStore};
use std::path::{Path, PathBuf};

fn store(given: Option<&Path>) -> Result<ListStore> {
    let dir: PathBuf = given
        .map(Path::to_path_buf)
        .or_else(default_store)
        .ok_or_else(|| anyhow!("no store directory: give --store DIR or set CHIPGATE_HOME"))?;
    std::fs::create_dir_all(&dir).map_err(|e| anyhow!("creating {}: {e}", dir.display()))?;
    ListStore::open(&dir).map_err(|e| anyhow!("{e}"))
}

pub fn run(c: &ListsCommand) -> Result<()> {
    match c {
        ListsCommand::Import { files, store: dir } => {
            if files.is_empty() {
                return Err(chipgate_core::InputError::new(
                    "files",
                    "name at least one list file to import",
                )
                .into());
            }
            let st = store(dir.as_deref())?;
            for f in files {
                let date = date_in_name(&f.to_string_lossy());
                let s = st.import(f, date).map_err(|e| anyhow!("{e}"))?;
                println!(
                    "imported {} as `{}` ({:?}, {} entries, snapshot {}){}",
                    f.display(),
                    s.name,
                    s.format,
                    s.entries,
                    s.snapshot_date
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "unknown".into()),
                    if s.errors > 0 {
                        format!(" — {} malformed records reported", s.errors)
                    } else {
                        String::new()
                    }
                );
                if s.errors > 0 {
                    if let Ok(l) = load_file(f, date) {
                        for e in l.errors.iter().take(20) {
                            eprintln!("  {e}");
                        }
                    }
                }
            }
            Ok(())
        }
        ListsCommand::Update { url, store: dir } => {
            let st = store(dir.as_deref())?;
            let today = chrono::Utc::now().date_naive();
            let s = chipgate_screen::update::update(&st, url, today)
                .map_err(|e| anyhow!("updating from {url}: {e}"))?;
            println!(
                "fetched `{}`: {} entries (snapshot {today}){}",
                s.name,
                s.entries,
                if s.errors > 0 {
                    format!(", {} malformed records", s.errors)
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        ListsCommand::Diff { old, new, json } => {
            let a =
                load_file(old, date_in_name(&old.to_string_lossy())).map_err(|e| anyhow!("{e}"))?;
            let b =
                load_file(new, date_in_name(&new.to_string_lossy())).map_err(|e| anyhow!("{e}"))?;
            let d = diff(&a, &b);
            if *json {
                return super::print_json(&d);
            }
            println!(
                "{} → {}: {} added, {} removed, {} changed",
                old.display(),
                new.display(),
                d.added.len(),
                d.removed.len(),
                d.changed.len()
            );
            for (label, items) in [
                ("added", &d.added),
                ("removed", &d.removed),
                ("changed", &d.changed),
            ] {
                for i in items.iter().take(15) {
                    println!("  {label:<8} {} {} — {}", i.list, i.id, i.name);
                }
                if items.len() > 15 {
                    println!("  … and {} more {label}", items.len() - 15);
                }
            }
            Ok(())
        }
        ListsCommand::Show { store: dir, json } => {
            let set = match given_or_default(dir.as_deref()) {
                Some(d) if d.join("store.json").is_file() => {
                    let mut set = chipgate_screen_prebuilt::lists().map_err(|e| anyhow!("{e}"))?;
                    set.lists.extend(
                        ListStore::open(&d)
                            .and_then(|s| s.load())
                            .map_err(|e| anyhow!("{e}"))?
                            .lists,
                    );
                    set
                }
                _ => chipgate_screen_prebuilt::lists().map_err(|e| anyhow!("{e}"))?,
            };
            let today = chrono::Utc::now().date_naive();
            #[derive(serde::Serialize)]
            struct Shown {
                #[serde(flatten)]
                info: chipgate_screen::ListInfo,
                entries: usize,
                /// Older than today: parties listed since the snapshot are not known.
                stale: bool,
            }
            let shown: Vec<Shown> = set
                .lists
                .iter()
                .map(|l| Shown {
                    info: l.info(),
                    entries: l.entries.len(),
                    stale: l.snapshot_date.is_none_or(|d| d < today),
                })
                .collect();
            if *json {
                return super::print_json(&shown);
            }
            for s in &shown {
                println!(
                    "{} (snapshot {}, {} entries){}",
                    s.info.name,
                    s.info
                        .snapshot_date
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "unknown".into()),
                    s.entries,
                    if s.stale { " — STALE" } else { "" }
                );
            }
            println!("{} entries", set.entry_count());
            if shown.iter().any(|s| s.stale) {
                println!(
                    "stale lists miss parties listed since their snapshot: run `chipgate lists update` \
                     (or `chipgate lists import` of a downloaded CSL); a clear on them is not a clearance"
                );
            }
            Ok(())
        }
    }
}

fn given_or_default(dir: Option<&Path>) -> Option<PathBuf> {
    dir.map(Path::to_path_buf).or_else(default_store)
}
