//! Loads the repository's data folder for tests (the core does no I/O itself; tests do).

#![expect(clippy::panic, reason = "tests fail by panicking")]
#![allow(dead_code)]

use chipgate_core::rules::RuleSource;
use chipgate_core::{DataFiles, Engine};
use std::path::{Path, PathBuf};

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

fn read(p: &Path) -> RuleSource {
    RuleSource {
        name: p.display().to_string(),
        text: std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    }
}

fn read_dir(p: &Path) -> Vec<RuleSource> {
    let mut v: Vec<RuleSource> = std::fs::read_dir(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().map(|x| x == "toml").unwrap_or(false))
        .map(|p| read(&p))
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

pub fn files() -> DataFiles {
    let d = data_dir();
    DataFiles {
        countries: read(&d.join("countries.toml")),
        country_groups: read(&d.join("country_groups.toml")),
        sets: read(&d.join("sets.toml")),
        end_uses: read(&d.join("end_uses.toml")),
        rules: read_dir(&d.join("rules")),
        chips: read_dir(&d.join("chips")),
    }
}

pub fn engine() -> Engine {
    Engine::load(&files()).unwrap_or_else(|e| panic!("built-in data invalid:\n{e}"))
}
