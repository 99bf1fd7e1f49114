//! Where the data comes from: the files embedded in the binary at build time (so `chipgate`
//! works from any directory), or a directory given with `--data DIR` that overrides them.

use anyhow::{anyhow, Context, Result};
use chipgate_core::rules::{RuleSource, Scenario};
use chipgate_core::{DataFiles, Engine};
use include_dir::{include_dir, Dir};
use std::path::Path;

static DATA: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../data");

fn embedded(path: &str) -> Result<RuleSource> {
    let f = DATA
        .get_file(path)
        .ok_or_else(|| anyhow!("built-in data file `{path}` is missing"))?;
    Ok(RuleSource {
        name: format!("data/{path}"),
        text: f
            .contents_utf8()
            .ok_or_else(|| anyhow!("built-in data file `{path}` is not UTF-8"))?
            .to_string(),
    })
}

fn embedded_dir(dir: &str) -> Result<Vec<RuleSource>> {
    let d = DATA
        .get_dir(dir)
        .ok_or_else(|| anyhow!("built-in data folder `{dir}` is missing"))?;
    let mut out = Vec::new();
    for f in d.files() {
        let p = f.path().to_string_lossy().to_string();
        if p.ends_with(".toml") {
            out.push(embedded(&p)?);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn read(dir: &Path, rel: &str) -> Result<RuleSource> {
    let p = dir.join(rel);
    let text = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
    Ok(RuleSource {
        name: p.display().to_string(),
        text,
    })
}

fn read_dir(dir: &Path, rel: &str) -> Result<Vec<RuleSource>> {
    let mut out = Vec::new();
    let p = dir.join(rel);
    for entry in std::fs::read_dir(&p).with_context(|| format!("reading {}", p.display()))? {
        let path = entry?.path();
        if path.extension().map(|e| e == "toml").unwrap_or(false) {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            out.push(RuleSource {
                name: path.display().to_string(),
                text,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The data files: embedded, or from `dir`.
pub fn files(dir: Option<&Path>) -> Result<DataFiles> {
    Ok(match dir {
        None => DataFiles {
            countries: embedded("countries.toml")?,
            country_groups: embedded("country_groups.toml")?,
            sets: embedded("sets.toml")?,
            end_uses: embedded("end_uses.toml")?,
            rules: embedded_dir("rules")?,
            chips: embedded_dir("chips")?,
        },
        Some(d) => DataFiles {
            countries: read(d, "countries.toml")?,
            country_groups: read(d, "country_groups.toml")?,
            sets: read(d, "sets.toml")?,
            end_uses: read(d, "end_uses.toml")?,
            rules: read_dir(d, "rules")?,
            chips: read_dir(d, "chips")?,
        },
    })
}

/// Loads and validates the engine, with scenarios applied in order.
pub fn engine(dir: Option<&Path>, scenarios: &[std::path::PathBuf]) -> Result<Engine> {
    let files = files(dir)?;
    let mut engine = Engine::load(&files).map_err(|e| anyhow!("invalid data:\n{e}"))?;
    for s in scenarios {
        let sc = load_scenario(s)?;
        engine = engine
            .with_scenario(&sc)
            .map_err(|e| anyhow!("invalid scenario:\n{e}"))?;
    }
    Ok(engine)
}

/// Reads a scenario file.
pub fn load_scenario(path: &Path) -> Result<Scenario> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading scenario {}", path.display()))?;
    Scenario::parse(RuleSource {
        name: path.display().to_string(),
        text,
    })
    .map_err(|e| anyhow!("invalid scenario:\n{e}"))
}
