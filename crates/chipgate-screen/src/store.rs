//! A local list store: import list files (copied, format detected, validated), remember their
//! snapshot dates in `store.json`, and load builtin + imported lists together. Also loads a
//! single list file from anywhere ([`load_file`]).

use crate::error::ScreenError;
use crate::model::{List, ListSet, Parsed};
use crate::parse::{self, csl, csl_json, dpl, el_events, flat_csl, ofac, Format};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One imported list in the store manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredList {
    /// List name (file stem), used in answers.
    pub name: String,
    /// Primary file, relative to the store directory.
    pub file: String,
    pub format: Format,
    pub snapshot_date: Option<NaiveDate>,
    pub entries: usize,
    pub errors: usize,
}

/// A directory of imported lists.
#[derive(Debug, Clone)]
pub struct ListStore {
    dir: PathBuf,
}

const MANIFEST: &str = "store.json";

/// First `YYYY-MM-DD` in a string.
pub fn date_in_name(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        s.get(i..i + 10)
            .and_then(|x| NaiveDate::parse_from_str(x, "%Y-%m-%d").ok())
    })
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| p.display().to_string())
}

fn read(p: &Path) -> Result<Vec<u8>, ScreenError> {
    std::fs::read(p).map_err(|e| ScreenError::io(p, e))
}

/// OFAC alias/address files beside a primary file (`sdn.csv` → `alt.csv`, `add.csv`; `cons_prim.csv` → `cons_alt.csv`, ...).
fn ofac_siblings(prim: &Path) -> (Option<PathBuf>, Option<PathBuf>) {
    let dir = prim.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = file_name(prim).to_lowercase();
    let (alt, add) = if name.starts_with("cons_") {
        ("cons_alt.csv", "cons_add.csv")
    } else {
        ("alt.csv", "add.csv")
    };
    let a = dir.join(alt);
    let d = dir.join(add);
    (a.is_file().then_some(a), d.is_file().then_some(d))
}

/// Parse bytes of a detected format. OFAC alias/address files alone are rejected.
fn parse_bytes(
    file: &str,
    bytes: &[u8],
    format: Format,
    alt: Option<(&str, &[u8])>,
    add: Option<(&str, &[u8])>,
) -> Result<Parsed, ScreenError> {
    match format {
        Format::CslCsv | Format::CslCsv2019 => csl::parse(file, bytes),
        Format::CslJson => csl_json::parse(file, bytes),
        Format::FlatCsl => flat_csl::parse(file, bytes),
        Format::Dpl => dpl::parse(file, bytes),
        Format::ElEvents => el_events::parse(file, bytes),
        Format::OfacPrim => {
            let list = if file.to_lowercase().contains("cons") { ofac::NON_SDN_LIST } else { ofac::SDN_LIST };
            ofac::parse_set(list, (file, bytes), alt, add)
        }
        Format::OfacAlt | Format::OfacAdd => Err(ScreenError::Invalid(format!(
            "{file}: an OFAC alias/address file; load the primary file (sdn.csv / cons_prim.csv) beside it"
        ))),
    }
}

/// Load one list file (format detected; OFAC alias/address files beside it are joined).
pub fn load_file(path: &Path, snapshot_date: Option<NaiveDate>) -> Result<List, ScreenError> {
    let bytes = read(path)?;
    let file = file_name(path);
    let format = parse::detect(&file, &bytes)?;
    let (alt_p, add_p) = if format == Format::OfacPrim {
        ofac_siblings(path)
    } else {
        (None, None)
    };
    let alt = alt_p.as_deref().map(read).transpose()?;
    let add = add_p.as_deref().map(read).transpose()?;
    let alt_name = alt_p.as_deref().map(file_name).unwrap_or_default();
    let add_name = add_p.as_deref().map(file_name).unwrap_or_default();
    let parsed = parse_bytes(
        &path.display().to_string(),
        &bytes,
        format,
        alt.as_deref().map(|b| (alt_name.as_str(), b)),
        add.as_deref().map(|b| (add_name.as_str(), b)),
    )?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or(file.clone());
    let snap = snapshot_date.or_else(|| date_in_name(&path.display().to_string()));
    Ok(List::new(stem, snap, parsed))
}

impl ListStore {
    /// Open (creating if needed) a store directory.
    pub fn open(dir: impl Into<PathBuf>) -> Result<ListStore, ScreenError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|e| ScreenError::io(&dir, e))?;
        Ok(ListStore { dir })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The imported lists.
    pub fn manifest(&self) -> Result<Vec<StoredList>, ScreenError> {
        let p = self.dir.join(MANIFEST);
        if !p.exists() {
            return Ok(Vec::new());
        }
        let b = read(&p)?;
        serde_json::from_slice(&b).map_err(|e| ScreenError::Malformed {
            file: p.display().to_string(),
            line: e.line() as u64,
            message: e.to_string(),
        })
    }

    fn save_manifest(&self, m: &[StoredList]) -> Result<(), ScreenError> {
        let p = self.dir.join(MANIFEST);
        let s = serde_json::to_vec_pretty(m).map_err(|e| ScreenError::Invalid(e.to_string()))?;
        std::fs::write(&p, s).map_err(|e| ScreenError::io(&p, e))
    }

    /// Import a list file (and, for an OFAC primary file, its alias/address files). The file is
    /// parsed first: an empty or unrecognised file is an error and nothing is stored.
    /// The snapshot date defaults to a date in the file name, else today.
    pub fn import(
        &self,
        path: &Path,
        snapshot_date: Option<NaiveDate>,
    ) -> Result<StoredList, ScreenError> {
        let list = load_file(path, snapshot_date)?;
        let bytes = read(path)?;
        let format = parse::detect(&file_name(path), &bytes)?;
        let sub = self.dir.join(&list.name);
        std::fs::create_dir_all(&sub).map_err(|e| ScreenError::io(&sub, e))?;
        let dest = sub.join(file_name(path));
        std::fs::copy(path, &dest).map_err(|e| ScreenError::io(&dest, e))?;
        if format == Format::OfacPrim {
            let (a, d) = ofac_siblings(path);
            for s in [a, d].into_iter().flatten() {
                let to = sub.join(file_name(&s));
                std::fs::copy(&s, &to).map_err(|e| ScreenError::io(&to, e))?;
            }
        }
        let snap = list
            .snapshot_date
            .or_else(|| Some(chrono::Utc::now().date_naive()));
        self.record(StoredList {
            name: list.name.clone(),
            file: format!("{}/{}", list.name, file_name(path)),
            format,
            snapshot_date: snap,
            entries: list.entries.len(),
            errors: list.errors.len(),
        })
    }

    /// Import in-memory bytes under `name` (used by `lists update`).
    pub fn import_bytes(
        &self,
        name: &str,
        bytes: &[u8],
        snapshot_date: Option<NaiveDate>,
    ) -> Result<StoredList, ScreenError> {
        let format = parse::detect(name, bytes)?;
        let parsed = parse_bytes(name, bytes, format, None, None)?;
        let stem = Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or(name.to_string());
        let sub = self.dir.join(&stem);
        std::fs::create_dir_all(&sub).map_err(|e| ScreenError::io(&sub, e))?;
        let dest = sub.join(name);
        std::fs::write(&dest, bytes).map_err(|e| ScreenError::io(&dest, e))?;
        self.record(StoredList {
            name: stem.clone(),
            file: format!("{stem}/{name}"),
            format,
            snapshot_date: snapshot_date.or_else(|| date_in_name(name)),
            entries: parsed.entries.len(),
            errors: parsed.errors.len(),
        })
    }

    fn record(&self, s: StoredList) -> Result<StoredList, ScreenError> {
        let mut m = self.manifest()?;
        m.retain(|x| x.name != s.name);
        m.push(s.clone());
        self.save_manifest(&m)?;
        Ok(s)
    }

    /// Load the imported lists.
    pub fn load(&self) -> Result<ListSet, ScreenError> {
        let mut set = ListSet::default();
        for s in self.manifest()? {
            let mut l = load_file(&self.dir.join(&s.file), s.snapshot_date)?;
            l.name = s.name.clone();
            l.snapshot_date = s.snapshot_date;
            set.push(l);
        }
        Ok(set)
    }

    /// Built-in lists plus the imported ones.
    pub fn load_with_builtin(&self) -> Result<ListSet, ScreenError> {
        let mut set = ListSet::builtin()?;
        set.lists.extend(self.load()?.lists);
        Ok(set)
    }
}
