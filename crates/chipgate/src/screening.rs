//! Party screening for licence questions: screens the buyer and end user against the built-in
//! and imported lists (chipgate-screen) and a local party file, follows ownership to the ultimate
//! parent (headquarters rule) and to ≥ 50 % owners (Affiliates rule), and turns hits into the
//! list-kind facts the rules read (`party_lists`, `owner_lists`).

use crate::question::{list_kind, PartyHit, PartyScreening, PartyStatus};
use anyhow::{anyhow, Context, Result};
use chipgate_core::catalog::normalise;
use chipgate_core::facts::SetFact;
use chipgate_screen::{
    ListInfo, ListStore, ListedParty, Ownership, PartyFile, Query, QueryError, Screener, Status,
};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The longest party name screened, in characters (the screening library's own limit):
/// screening cost grows with the name, and no listed name comes near this; a longer one is
/// refused at the request layer (CLI and server) with an error naming the field.
pub use chipgate_screen::MAX_NAME_CHARS;

/// Refuses a name longer than [`MAX_NAME_CHARS`] (`field` is the option or column named in
/// the error).
pub fn check_name(field: &str, name: &str) -> Result<(), chipgate_core::InputError> {
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(chipgate_core::InputError::new(
            field,
            format!("the name is {n} characters long; at most {MAX_NAME_CHARS} are screened"),
        ));
    }
    Ok(())
}

/// Everything needed to screen parties, built once per run.
#[derive(Default)]
pub struct PartyContext {
    pub screener: Option<Screener>,
    pub listed: Vec<ListedParty>,
    pub ownership: Option<Ownership>,
    pub lists: Vec<ListInfo>,
    /// Identifies the list snapshots used (for audit records).
    pub fingerprint: String,
}

/// What screening learnt about one party.
#[derive(Debug, Clone, Default)]
pub struct PartyOutcome {
    pub screening: PartyScreening,
    pub lists: SetFact,
    pub owner_lists: SetFact,
    /// The party's own headquarters, from the ownership file.
    pub hq: Option<String>,
    /// Its ultimate parent's headquarters, when the file gives it.
    pub parent_hq: Option<String>,
}

/// Default list store: `$CHIPGATE_HOME/lists`, else `~/.chipgate/lists`.
pub fn default_store() -> Option<PathBuf> {
    if let Ok(h) = std::env::var("CHIPGATE_HOME") {
        return Some(PathBuf::from(h).join("lists"));
    }
    std::env::var("HOME")
        .ok()
        .map(|h| PathBuf::from(h).join(".chipgate").join("lists"))
}

fn add(set: &mut SetFact, kind: &str, certain: bool) {
    let v = if certain {
        &mut set.definite
    } else {
        &mut set.possible
    };
    if !v.iter().any(|k| k == kind) {
        v.push(kind.to_string());
    }
}

impl PartyContext {
    /// Builds the context: lists (unless `screen` is false), a party file (listed parties
    /// and/or ownership rows).
    pub fn build(
        store: Option<&Path>,
        parties: Option<&Path>,
        screen: bool,
    ) -> Result<PartyContext> {
        let mut cx = PartyContext::default();
        if screen {
            let imported = match store.map(Path::to_path_buf).or_else(default_store) {
                Some(dir) if dir.join("store.json").is_file() => {
                    ListStore::open(&dir)
                        .and_then(|s| s.load())
                        .map_err(|e| anyhow!("loading the list store {}: {e}", dir.display()))?
                        .lists
                }
                _ => Vec::new(),
            };
            let screener = chipgate_screen_prebuilt::screener(imported)
                .map_err(|e| anyhow!("loading the built-in lists: {e}"))?;
            cx.lists = screener.lists().infos();
            cx.fingerprint = cx
                .lists
                .iter()
                .map(|l| {
                    format!(
                        "{}@{}",
                        l.name,
                        l.snapshot_date
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "?".into())
                    )
                })
                .collect::<Vec<_>>()
                .join(",");
            cx.screener = Some(screener);
        }
        if let Some(p) = parties {
            cx.read_party_file(p)?;
        }
        Ok(cx)
    }

    /// A context on the built-in lists only (never the user's list store), for golden cases
    /// that must not depend on the machine they run on.
    pub fn build_builtin(parties: Option<&Path>, screen: bool) -> Result<PartyContext> {
        let mut cx = PartyContext::default();
        if screen {
            let screener = chipgate_screen_prebuilt::screener(Vec::new())
                .map_err(|e| anyhow!("loading the built-in lists: {e}"))?;
            cx.lists = screener.lists().infos();
            cx.screener = Some(screener);
        }
        if let Some(p) = parties {
            cx.read_party_file(p)?;
        }
        Ok(cx)
    }

    fn read_party_file(&mut self, path: &Path) -> Result<()> {
        // Read line by line with a cap on the line length (the I/O edge), then parsed by the
        // screening crate's party-file parser.
        let f = std::fs::File::open(path)
            .with_context(|| format!("reading party file {}", path.display()))?;
        let mut lines = crate::lines::Lines::new(std::io::BufReader::new(f));
        let mut bytes = Vec::new();
        while let Some((n, text)) = lines
            .next_line()
            .with_context(|| format!("reading party file {}", path.display()))?
        {
            match text {
                Ok(t) => {
                    bytes.extend_from_slice(t.as_bytes());
                    bytes.push(b'\n');
                }
                Err(e) => return Err(anyhow!("{}:{n}: {e}", path.display())),
            }
        }
        let file =
            PartyFile::parse(&path.display().to_string(), &bytes).map_err(|e| anyhow!("{e}"))?;
        self.listed = file.listed;
        self.ownership = file.ownership;
        Ok(())
    }

    /// The list kinds a name is on (definite and pending review), with the hits.
    fn kinds_of(
        &self,
        name: &str,
        country: Option<&str>,
        date: NaiveDate,
    ) -> Result<(SetFact, Vec<PartyHit>, PartyStatus), QueryError> {
        let mut set = SetFact::default();
        let mut hits = Vec::new();
        // Without the lists, "clear" would claim a screening that did not happen.
        let mut status = if self.screener.is_some() {
            PartyStatus::Clear
        } else {
            PartyStatus::NotScreened
        };
        let n = normalise(name);
        for r in self.listed.iter().filter(|r| normalise(&r.name) == n) {
            if r.date_added.map(|d| d > date).unwrap_or(false) {
                continue;
            }
            let kind = list_kind(&r.list);
            add(&mut set, &kind, true);
            status = PartyStatus::Match;
            hits.push(PartyHit {
                list: r.list.clone(),
                kind,
                entry_id: r.name.clone(),
                name: r.name.clone(),
                score: 1.0,
                certain: true,
                source: "party file".into(),
                provenance: None,
                explanation: None,
            });
        }
        if let Some(s) = &self.screener {
            let q = Query {
                name: name.to_string(),
                country: country.map(str::to_string),
                date: Some(date),
                threshold: None,
                lists: None,
            };
            let r = s.screen(&q)?;
            for h in r.hits.iter().filter(|h| h.suppressed.is_none()) {
                let certain = r.status == Status::Match && h.score >= s.thresholds().matched;
                let kind = h.kind.as_str().to_string();
                add(&mut set, &kind, certain);
                hits.push(PartyHit {
                    list: h.list.clone(),
                    kind,
                    entry_id: h.entry_id.clone(),
                    name: h.matched_name.clone(),
                    score: h.score,
                    certain,
                    source: "lists".into(),
                    provenance: h.provenance.clone(),
                    explanation: Some(h.explanation.summary.clone()),
                });
            }
            status = match (status, r.status) {
                (PartyStatus::Match, _) | (_, Status::Match) => PartyStatus::Match,
                (_, Status::PotentialMatch) => PartyStatus::PotentialMatch,
                _ => status,
            };
        }
        Ok((set, hits, status))
    }

    /// Screens one party as of `date`.
    pub fn screen(
        &self,
        role: &str,
        name: &str,
        country: Option<&str>,
        date: NaiveDate,
    ) -> Result<PartyOutcome, QueryError> {
        let (lists, hits, status) = self.kinds_of(name, country, date)?;
        let mut out = PartyOutcome {
            screening: PartyScreening {
                role: role.to_string(),
                name: name.to_string(),
                status,
                hits,
                ownership: None,
            },
            lists,
            ..Default::default()
        };
        if let Some(own) = &self.ownership {
            if let Some(info) = own.resolve(name) {
                out.hq = info.hq_country.clone();
                if info.ultimate_parent != info.entity {
                    out.parent_hq = own
                        .resolve(&info.ultimate_parent)
                        .and_then(|p| p.hq_country);
                }
                let chain: Vec<String> = std::iter::once(info.entity.clone())
                    .chain(
                        info.path
                            .iter()
                            .map(|(p, s)| format!("{p} ({:.0} %)", s * 100.0)),
                    )
                    .collect();
                let mut text = format!("ownership: {}", chain.join(" → "));
                if let Some(hq) = &info.hq_country {
                    text.push_str(&format!("; headquarters {hq}"));
                }
                if let Some(phq) = &out.parent_hq {
                    text.push_str(&format!(
                        "; ultimate parent {} headquartered in {phq}",
                        info.ultimate_parent
                    ));
                }
                for (owner, share, path) in &info.owners_50 {
                    // An owner named only by a legal form identifies nobody to screen.
                    let Ok((kinds, _, _)) = self.kinds_of(owner, None, date) else {
                        continue;
                    };
                    for k in &kinds.definite {
                        add(&mut out.owner_lists, k, true);
                    }
                    for k in &kinds.possible {
                        add(&mut out.owner_lists, k, false);
                    }
                    if !kinds.definite.is_empty() || !kinds.possible.is_empty() {
                        text.push_str(&format!(
                            "; {:.0} % owned by {owner} ({}) via {}",
                            share * 100.0,
                            kinds
                                .definite
                                .iter()
                                .chain(kinds.possible.iter())
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", "),
                            path.join(" → ")
                        ));
                    }
                }
                out.screening.ownership = Some(text);
            }
        }
        Ok(out)
    }
}
