//! What is loaded once per process and shared by every call: the rulebook (built-in data, or a
//! `data_dir`) with scenarios overlaid, the screening lists with a party file, and the
//! screener `chipgate screen` uses (with the store's allow-list). Each is keyed by what it was
//! loaded from (files also by their modification time, so an edited file is read again) and
//! kept behind an `Arc`, so a notebook cell or a Dask task asks without reloading anything.

use crate::errors::Failure;
use chipgate_cli::screening::PartyContext;
use chipgate_core::rules::{RuleSource, Scenario};
use chipgate_core::Engine;
use chipgate_screen::Screener;
use std::collections::HashMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

/// A file named by a caller, with the modification time it had when loaded.
type FileKey = Option<(PathBuf, Option<SystemTime>)>;

fn file_key(p: Option<&Path>) -> FileKey {
    p.map(|p| {
        let mtime = std::fs::metadata(p).and_then(|m| m.modified()).ok();
        (p.to_path_buf(), mtime)
    })
}

/// A process-wide map from a key to what was loaded for it.
struct Memo<K, V>(OnceLock<Mutex<HashMap<K, Arc<V>>>>);

impl<K: Hash + Eq + Clone, V> Memo<K, V> {
    const fn new() -> Self {
        Memo(OnceLock::new())
    }

    /// The value for `key`, loading it with `load` the first time. Loading happens outside
    /// the lock (two threads may both load; the first stored wins), so a slow load never
    /// blocks answers that need something else.
    fn get(&self, key: K, load: impl FnOnce() -> Result<V, Failure>) -> Result<Arc<V>, Failure> {
        let map = self.0.get_or_init(|| Mutex::new(HashMap::new()));
        if let Some(v) = map.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(v);
        }
        let v = Arc::new(load()?);
        match map.lock() {
            Ok(mut m) => Ok(m.entry(key).or_insert(v).clone()),
            Err(_) => Ok(v),
        }
    }
}

/// One scenario as given by a caller: a file path, a shipped scenario's name or TOML text.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ScenarioKey {
    given: String,
    file: FileKey,
}

fn scenario_key(given: &str) -> ScenarioKey {
    let p = Path::new(given);
    let file = (!given.contains('\n') && p.is_file()).then_some(p);
    ScenarioKey {
        given: given.to_string(),
        file: file_key(file),
    }
}

/// Reads a scenario: a file when one exists at that path (as `--scenario FILE`), otherwise a
/// shipped scenario's name or the scenario's TOML text (as the HTTP API's `scenario`).
fn parse_scenario(k: &ScenarioKey) -> Result<Scenario, Failure> {
    match &k.file {
        Some((path, _)) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::input(
                    "scenario",
                    format!("reading scenario {}: {e}", path.display()),
                )
            })?;
            Scenario::parse(RuleSource {
                name: path.display().to_string(),
                text,
            })
            .map_err(|e| {
                let mut f = Failure::input("scenario", format!("invalid scenario: {e}"));
                f.code = "invalid_scenario".into();
                f
            })
        }
        None => Ok(chipgate_cli::server::scenarios::parse(&k.given)?),
    }
}

type EngineKey = (FileKey, Vec<ScenarioKey>);

static ENGINES: Memo<EngineKey, Engine> = Memo::new();
static ENGINE_SETS: Memo<EngineKey, EngineSet> = Memo::new();

fn data_key(data: Option<&Path>) -> FileKey {
    // A directory's own mtime changes only when entries are added or removed; good enough
    // to notice a different data folder, not an edited file inside it.
    file_key(data)
}

fn load_base(data: Option<&Path>) -> Result<Engine, Failure> {
    chipgate_cli::data::engine(data, &[]).map_err(|e| {
        let mut f = Failure::input("data_dir", format!("{e:#}"));
        f.code = "invalid_data".into();
        f
    })
}

/// The engine with `scenarios` overlaid in order (as `check --scenario A --scenario B`).
pub fn engine(data: Option<&Path>, scenarios: &[String]) -> Result<Arc<Engine>, Failure> {
    let keys: Vec<ScenarioKey> = scenarios.iter().map(|s| scenario_key(s)).collect();
    ENGINES.get((data_key(data), keys.clone()), || {
        let mut e = (*ENGINES.get((data_key(data), Vec::new()), || load_base(data))?).clone();
        for k in &keys {
            let sc = parse_scenario(k)?;
            e = e.with_scenario(&sc).map_err(|err| {
                let mut f = Failure::input("scenario", format!("invalid scenario: {err}"));
                f.code = "invalid_scenario".into();
                f
            })?;
        }
        Ok(e)
    })
}

/// Engines of an order book: the baseline, then one per scenario, with the scenarios' titles.
pub struct EngineSet {
    pub engines: Vec<Engine>,
    pub titles: Vec<String>,
}

/// The baseline engine and one engine per scenario (as `orders --scenario A --scenario B`).
pub fn engine_set(data: Option<&Path>, scenarios: &[String]) -> Result<Arc<EngineSet>, Failure> {
    let keys: Vec<ScenarioKey> = scenarios.iter().map(|s| scenario_key(s)).collect();
    ENGINE_SETS.get((data_key(data), keys.clone()), || {
        let mut engines = vec![(*engine(data, &[])?).clone()];
        let mut titles = Vec::new();
        for (s, k) in scenarios.iter().zip(&keys) {
            titles.push(parse_scenario(k)?.title);
            engines.push((*engine(data, std::slice::from_ref(s))?).clone());
        }
        Ok(EngineSet { engines, titles })
    })
}

static PARTIES: Memo<(FileKey, FileKey, bool), PartyContext> = Memo::new();

/// The screening lists (from the list store, as the CLI) and a party file, for checks.
pub fn parties(
    store: Option<&Path>,
    parties: Option<&Path>,
    screen: bool,
) -> Result<Arc<PartyContext>, Failure> {
    PARTIES.get((file_key(store), file_key(parties), screen), || {
        Ok(PartyContext::build(store, parties, screen)?)
    })
}

static SCREENERS: Memo<FileKey, Screener> = Memo::new();

/// The screener of `chipgate screen` (built-in lists, the store's lists and allow-list).
pub fn screener(store: Option<&Path>) -> Result<Arc<Screener>, Failure> {
    SCREENERS.get(file_key(store), || {
        Ok(chipgate_cli::cmd::screen::screener(store)?)
    })
}
