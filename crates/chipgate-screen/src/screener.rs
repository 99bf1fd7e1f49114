//! The screening API: a [`Screener`] is built once from a [`ListSet`] (immutable, `Send + Sync`)
//! and answers [`Query`]s with a [`ScreenResult`]: status, explained hits with what each list
//! means for an export, the lists used with their snapshot dates, and warnings.

use crate::allowlist::{AllowList, AllowRecord};
use crate::fxhash::FxHashMap;
use crate::index::{unique_evidence, CTok, Index, F_ABJAD};
use crate::kind::{ExportEffect, ListKind};
use crate::model::{Entry, ListInfo, ListSet, Provenance};
use crate::normalize::{normalize, NormalizedName, Token};
use crate::readings::{joined_forms, Lattice};
use crate::score::{
    score_pair, tok_sim, token_sim, Explanation, Method, STok, Scored, SideKind, TokenMatch,
    WholeName, GENERIC_CAP, JOINED_SCORE,
};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Default score from which a hit is reported as a potential match. Chosen on the eval data
/// (`scripts/screen-bench.sh`) and not refitted since; what it gives today is printed by that
/// script (on the nomenklatura pairs precision 0.91 / recall 0.77, F1 0.83, the best threshold
/// of either half giving the other half within 0.02 of that; on 20,000 GLEIF names against
/// all built-in lists, with their countries, 0.10 % alerts).
pub const DEFAULT_POTENTIAL: f64 = 0.80;
/// Default score from which a hit is a match: name equality after normalisation (legal forms
/// set aside, scripts folded) scores ≥ 0.97; single-typo variants of long names ≥ 0.92.
pub const DEFAULT_MATCH: f64 = 0.92;
/// At most this many hits are returned per query.
pub const MAX_HITS: usize = 20;
/// Factor on a hit whose entry lists countries none of which is the party's (when the query
/// gives one): a different country is evidence of a different party, as in OpenSanctions'
/// matchers; an identical name still alerts (1.00 → 0.90, a potential match).
pub const COUNTRY_MISMATCH_FACTOR: f32 = 0.9;

/// Factor on such a hit when the names share only common words (`Scored::common_words_only`:
/// `GLOBAL ENERGY`, `HOTEL PLAZA`) and the entry is not a person: many companies in many
/// countries bear such a name, so the same name in another country is another company. It
/// takes an identical name below the potential-match threshold (1.00 → 0.75).
pub const COMMON_NAME_COUNTRY_FACTOR: f32 = 0.75;

/// [`COUNTRY_MISMATCH_FACTOR`] (or [`COMMON_NAME_COUNTRY_FACTOR`] for a listed organisation's
/// name of common words, `common_words_only`) when the query's country is known and not among
/// the entry's (both read as ISO codes: `crate::country::differs`); 1 otherwise.
fn country_factor(country: Option<&str>, e: &Entry, common_words_only: bool) -> f32 {
    match country {
        Some(c) if crate::country::differs(c, &e.countries) == Some(true) => {
            if common_words_only && !e.is_individual() {
                COMMON_NAME_COUNTRY_FACTOR
            } else {
                COUNTRY_MISMATCH_FACTOR
            }
        }
        _ => 1.0,
    }
}

/// Longest name screened, in characters: legal names stay far below it, and it bounds the
/// work one query can cost.
pub const MAX_NAME_CHARS: usize = 500;

/// Why a query cannot be screened: a clear error, never a silent `clear`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum QueryError {
    /// The name has no letter or digit (empty, blank, punctuation only, invisible characters).
    EmptyName { name: String },
    /// The name is only a legal form or company word (`Ltd`, `Co., Ltd.`): it names nobody.
    OnlyLegalForm { name: String },
    /// The name is longer than [`MAX_NAME_CHARS`].
    NameTooLong { chars: usize, max: usize },
    /// A list filter names no loaded list, source list or list kind.
    UnknownList { given: String, valid: Vec<String> },
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::EmptyName { name } => {
                write!(f, "name `{name}` has no letters or digits to screen")
            }
            QueryError::OnlyLegalForm { name } => write!(
                f,
                "name `{name}` is only a legal form or company word; give the party's name"
            ),
            QueryError::NameTooLong { chars, max } => {
                write!(
                    f,
                    "name is {chars} characters long; at most {max} are screened"
                )
            }
            QueryError::UnknownList { given, valid } => write!(
                f,
                "unknown list `{given}`; valid names: {}",
                valid.join(", ")
            ),
        }
    }
}

impl std::error::Error for QueryError {}

impl QueryError {
    /// The request field the error is about (`name` or `lists`).
    pub fn field(&self) -> &'static str {
        match self {
            QueryError::UnknownList { .. } => "lists",
            _ => "name",
        }
    }
}

/// One screening question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub name: String,
    /// Country of the party: reported against the entry's countries, and a hit on an entry
    /// that lists other countries only scores [`COUNTRY_MISMATCH_FACTOR`] of its name score.
    pub country: Option<String>,
    /// As-of date (default: today). Entries count only from their start date.
    pub date: Option<NaiveDate>,
    /// Potential-match threshold override (0–1).
    pub threshold: Option<f64>,
    /// Restrict to lists: a source list name, a loaded list name or a kind (`entity_list`, ...).
    pub lists: Option<Vec<String>>,
}

impl Query {
    /// A query for a name with defaults for everything else.
    pub fn name(name: impl Into<String>) -> Query {
        Query {
            name: name.into(),
            ..Query::default()
        }
    }
}

/// Overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Clear,
    PotentialMatch,
    Match,
}

/// One listed party the query may be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The list's own identifier.
    pub entry_id: String,
    /// Source list name as the file gives it.
    pub list: String,
    /// The entry's primary name.
    pub name: String,
    /// The name or alias that matched.
    pub matched_name: String,
    pub score: f64,
    pub explanation: Explanation,
    pub kind: ListKind,
    pub effect: ExportEffect,
    pub effect_text: String,
    pub citation: String,
    pub start_date: Option<NaiveDate>,
    /// The entry's countries, `; `-joined.
    pub country: Option<String>,
    /// Whether the query's country is among the entry's (None when either is unknown).
    pub country_match: Option<bool>,
    pub programs: Vec<String>,
    pub federal_register: Option<String>,
    /// The reviewed-false-positive record that suppresses this hit, if any.
    pub suppressed: Option<AllowRecord>,
    /// The day the listing stopped counting (removal), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<NaiveDate>,
    /// Where a dated listing comes from: Federal Register document, citation, dates,
    /// confidence, footnote (Entity List events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// What the listing adds or says (licence requirement, review policy, what footnote 4
    /// adds, revisions), for entries with provenance; for others, how their listing window was
    /// read from the snapshots (`model::window_notes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenResult {
    pub query: Query,
    pub status: Status,
    pub hits: Vec<Hit>,
    pub lists: Vec<ListInfo>,
    /// The as-of date is after the snapshot date of at least one list: parties listed since
    /// then are not known to this answer.
    pub lists_stale: bool,
    pub warnings: Vec<String>,
}

/// Score thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub potential: f64,
    pub matched: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            potential: DEFAULT_POTENTIAL,
            matched: DEFAULT_MATCH,
        }
    }
}

/// A comparison of two free names (used by the evaluation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub score: f64,
    pub explanation: Explanation,
}

/// The screening engine.
pub struct Screener {
    lists: ListSet,
    index: Index,
    allow: AllowList,
    thresholds: Thresholds,
    include_vessels: bool,
}

impl Screener {
    /// Build the index over `lists`.
    pub fn new(lists: ListSet) -> Screener {
        let index = Index::build(&lists);
        Screener::with_index(lists, index)
    }

    /// A screener over lists whose index is already built over them (a loaded snapshot).
    pub(crate) fn with_index(lists: ListSet, index: Index) -> Screener {
        Screener {
            lists,
            index,
            allow: AllowList::default(),
            thresholds: Thresholds::default(),
            include_vessels: false,
        }
    }

    /// Attach reviewed false positives.
    pub fn with_allowlist(mut self, allow: AllowList) -> Screener {
        self.allow = allow;
        self
    }

    /// Change the default thresholds.
    pub fn with_thresholds(mut self, t: Thresholds) -> Screener {
        self.thresholds = t;
        self
    }

    pub fn lists(&self) -> &ListSet {
        &self.lists
    }

    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// Number of indexed names (primary names and aliases).
    pub fn name_count(&self) -> usize {
        self.index.name_count()
    }

    /// Find an entry by source list name (or loaded list name) and id.
    pub fn entry(&self, list: &str, id: &str) -> Option<&Entry> {
        self.lists
            .lists
            .iter()
            .flat_map(|l| l.entries.iter().map(move |e| (l, e)))
            .find(|(l, e)| e.id == id && (l.name == list || e.list == list))
            .map(|(_, e)| e)
    }

    /// Screen many queries in parallel (rayon).
    pub fn screen_many(&self, queries: &[Query]) -> Vec<Result<ScreenResult, QueryError>> {
        queries.par_iter().map(|q| self.screen(q)).collect()
    }

    /// The names a list filter may use: loaded list names, source list names and list kinds.
    pub fn list_names(&self) -> Vec<String> {
        let mut v: Vec<String> = ListKind::ALL
            .iter()
            .map(|k| k.as_str().to_string())
            .collect();
        for l in &self.lists.lists {
            v.push(l.name.clone());
        }
        let mut sources: Vec<&str> = self
            .lists
            .lists
            .iter()
            .flat_map(|l| l.entries.iter().map(|e| e.list.as_str()))
            .collect();
        sources.sort_unstable();
        sources.dedup();
        v.extend(sources.into_iter().map(str::to_string));
        v
    }

    /// Check that every list filter names a loaded list, a source list or a list kind.
    pub fn check_lists(&self, filter: &[String]) -> Result<(), QueryError> {
        let valid = self.list_names();
        match filter
            .iter()
            .find(|f| !valid.iter().any(|v| v.eq_ignore_ascii_case(f)))
        {
            None => Ok(()),
            Some(f) => Err(QueryError::UnknownList {
                given: f.clone(),
                valid: self
                    .lists
                    .lists
                    .iter()
                    .map(|l| l.name.clone())
                    .chain(ListKind::ALL.iter().map(|k| k.as_str().to_string()))
                    .collect(),
            }),
        }
    }

    /// Check a query before screening it: a name that can identify a party, lists that exist.
    pub fn validate(&self, q: &Query) -> Result<NormalizedName, QueryError> {
        let chars = q.name.chars().count();
        if chars > MAX_NAME_CHARS {
            return Err(QueryError::NameTooLong {
                chars,
                max: MAX_NAME_CHARS,
            });
        }
        if let Some(filter) = &q.lists {
            self.check_lists(filter)?;
        }
        let norm = normalize(&q.name);
        if norm.only_legal_forms {
            return Err(QueryError::OnlyLegalForm {
                name: q.name.clone(),
            });
        }
        if norm.evidence().next().is_none() {
            return Err(QueryError::EmptyName {
                name: q.name.clone(),
            });
        }
        Ok(norm)
    }

    /// Whether a date is after the snapshot date of any list (answers on it are stale).
    pub fn stale_on(&self, date: NaiveDate) -> bool {
        self.lists
            .lists
            .iter()
            .any(|l| l.snapshot_date.is_some_and(|s| date > s))
    }

    /// Screen one query; a query that cannot identify a party, or names an unknown list, is
    /// an error.
    pub fn screen(&self, q: &Query) -> Result<ScreenResult, QueryError> {
        let norm = self.segment(&self.validate(q)?);
        let date = q.date.unwrap_or_else(|| chrono::Utc::now().date_naive());
        let mut warnings = Vec::new();
        for l in &self.lists.lists {
            if let Some(s) = l.snapshot_date {
                if date > s {
                    warnings.push(format!(
                        "as-of date {date} is after the snapshot date {s} of list {}: parties listed since then are not known",
                        l.name
                    ));
                }
            }
        }
        let potential = q
            .threshold
            .filter(|t| t.is_finite())
            .map_or(self.thresholds.potential, |t| t.clamp(0.0, 1.0));
        let matched = self.thresholds.matched.max(potential);
        let mut hits = self.find(
            &norm,
            potential as f32,
            date,
            q.lists.as_deref(),
            q.country.as_deref(),
            None,
        );
        // The name read otherwise (spaced otherwise, `Abu Bakar` / `Abubakar`; initials one by
        // one, `J.R.` / `J R`): each entry keeps its best score.
        for r in self.other_readings(&norm) {
            let found = self.find(
                &r.name,
                potential as f32 / r.factor,
                date,
                q.lists.as_deref(),
                q.country.as_deref(),
                Some(&r),
            );
            for (nid, score, mut expl) in found {
                let score = score * r.factor;
                expl.score = score;
                reading_explanation(&mut expl, &r);
                let entry = |n: u32| self.index.names.get(n as usize).map(|x| (x.list, x.entry));
                match hits.iter_mut().find(|h| entry(h.0) == entry(nid)) {
                    Some(h) if h.1 >= score => {}
                    Some(h) => *h = (nid, score, expl),
                    None => hits.push((nid, score, expl)),
                }
            }
        }
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.truncate(MAX_HITS);
        let mut out_hits = Vec::with_capacity(hits.len());
        for (nid, score, expl) in hits {
            let Some(rec) = self.index.names.get(nid as usize) else {
                continue;
            };
            let Some(list) = self.lists.lists.get(rec.list as usize) else {
                continue;
            };
            let Some(e) = list.entries.get(rec.entry as usize) else {
                continue;
            };
            let matched_name = e
                .match_names()
                .nth(rec.alias as usize)
                .map_or_else(|| e.name.clone(), |n| n.into_owned());
            let country = if e.countries.is_empty() {
                None
            } else {
                Some(e.countries.join("; "))
            };
            let country_match = q
                .country
                .as_deref()
                .and_then(|c| crate::country::differs(c, &e.countries))
                .map(|differs| !differs);
            let suppressed = self.allow.find(&q.name, &e.id, date).cloned();
            out_hits.push(Hit {
                entry_id: e.id.clone(),
                list: e.list.clone(),
                name: e.name.clone(),
                matched_name,
                score: (f64::from(score) * 10000.0).round() / 10000.0,
                explanation: expl,
                kind: e.kind,
                effect: e.kind.effect(),
                effect_text: e.kind.effect().describe().to_string(),
                citation: e.kind.citation().to_string(),
                start_date: e.start_date,
                country,
                country_match,
                programs: e.programs.clone(),
                federal_register: e.federal_register.clone(),
                suppressed,
                end_date: e.end_date,
                provenance: e.provenance.clone(),
                notes: if e.provenance.is_some() {
                    e.footnotes.clone()
                } else {
                    crate::model::window_notes(e)
                },
            });
        }
        let best = out_hits
            .iter()
            .filter(|h| h.suppressed.is_none())
            .map(|h| h.score)
            .fold(0.0f64, f64::max);
        let status = if out_hits.iter().all(|h| h.suppressed.is_some()) {
            Status::Clear
        } else if best >= matched {
            Status::Match
        } else {
            Status::PotentialMatch
        };
        Ok(ScreenResult {
            query: q.clone(),
            status,
            hits: out_hits,
            lists: self.lists.infos(),
            lists_stale: self.stale_on(date),
            warnings,
        })
    }

    /// Whether indexed name `nid` can be a hit of a query on `date` restricted by `filter`:
    /// its entry is listed then, on a list the query asks for, and not a vessel or aircraft.
    fn may_hit(&self, nid: u32, date: NaiveDate, filter: Option<&[String]>) -> bool {
        let Some(rec) = self.index.names.get(nid as usize) else {
            return false;
        };
        self.entry_at(rec.list, rec.entry).is_some_and(|e| {
            e.listed_on(date) && self.list_allowed(rec.list, e, filter) && !self.is_craft(e)
        })
    }

    /// Whether some indexed name that can be a hit ([`Screener::may_hit`]) holds the comparison
    /// form `text`.
    fn held_by_possible_hit(
        &self,
        text: Option<u32>,
        date: NaiveDate,
        filter: Option<&[String]>,
    ) -> bool {
        text.is_some_and(|id| {
            self.index
                .postings
                .get(id as usize)
                .is_some_and(|p| p.iter().any(|&n| self.may_hit(n, date, filter)))
        })
    }

    fn list_allowed(&self, rec_list: u32, e: &Entry, filter: Option<&[String]>) -> bool {
        let Some(f) = filter else { return true };
        let lname = self
            .lists
            .lists
            .get(rec_list as usize)
            .map(|l| l.name.as_str())
            .unwrap_or("");
        f.iter().any(|x| {
            x.eq_ignore_ascii_case(&e.list) || x.eq_ignore_ascii_case(lname) || x == e.kind.as_str()
        })
    }

    /// Candidate generation + scoring; returns (name id, score, explanation), best first, one
    /// per entry. Retrieval proposes names; [`score_pair`] decides, as for [`Screener::compare_as`].
    fn find(
        &self,
        norm: &NormalizedName,
        thr: f32,
        date: NaiveDate,
        filter: Option<&[String]>,
        country: Option<&str>,
        reading: Option<&crate::respace::Reading>,
    ) -> Vec<(u32, f32, Explanation)> {
        // Another reading of the query (`norm` is its name) counts only where the words it
        // made pair written alike, and may be scored against people's names only.
        let must_pair: &[String] = reading.map_or(&[], |r| &r.words);
        let only_people = reading.is_some_and(|r| r.only_people);
        let ix = &self.index;
        let q = Prepared::new(ix, norm);
        // A word of a query asking for some lists that only other lists have is looked up as a
        // word the lists do not have (two typos in long words: `MEENPHARMA` on one list,
        // `MAINPHARMA` on the one asked for).
        let unlisted = |t: &crate::normalize::Token, text: Option<u32>| {
            filter.is_some()
                && !t.han
                && ix.lits.contains_key(t.literal.as_str())
                && !self.held_by_possible_hit(text, date, filter)
        };
        // Which candidate tokens can be similar to each query token (a superset of the pairs
        // with a positive similarity; see `Index::similar_literals`).
        let gates: Vec<Gate> =
            q.ev.iter()
                .zip(&q.similar)
                .map(|(t, lits)| {
                    let text = ix.vocab.get(t.text.as_str()).copied();
                    Gate {
                        text,
                        lits: if unlisted(t, text) {
                            ix.similar_literals_unlisted(t)
                        } else {
                            lits.clone()
                        },
                        initial: t.literal.len() == 1 && !t.han,
                        initial_lit: ix.initial_of(t),
                    }
                })
                .collect();
        // Another spacing counts only against names holding the words it made (`pairs_alike`):
        // the postings of those words are its candidates.
        let (mut cands, reading_ids) = match respaced_candidates(ix, must_pair) {
            Some(c) => (c, Vec::new()),
            None => self.candidates(&q, norm, &gates, thr, date, filter),
        };
        cands.sort_unstable();
        cands.dedup();
        // (name id, score, country factor), later one per entry
        let mut best: Vec<(u32, f32, f32)> = Vec::new();
        // A run of initials pairs above its similarities between people's names
        // (`score::corroborate_initials`): the bounds below count it so.
        let initial_run = crate::score::has_initial_run(&q.toks);
        let mut memo = SimMemo::new(&gates);
        let mut cv: Vec<STok> = Vec::new();
        let mut sims = Vec::new();
        for &nid in &cands {
            let Some(rec) = ix.names.get(nid as usize) else {
                continue;
            };
            // A reading that can gain only against people's names is not scored against others.
            if only_people && !rec.person {
                continue;
            }
            sims.clear();
            for (j, c) in rec.toks.iter().enumerate() {
                let row = memo.row(ix, &gates, &q.toks, c);
                sims.extend(
                    row.iter()
                        .enumerate()
                        .filter(|p| *p.1 > 0.0)
                        .map(|(i, &s)| (i, j, s)),
                );
            }
            let reads = reading_ids.binary_search(&nid).is_ok();
            let ck = SideKind {
                person: rec.person,
                group: rec.group,
                org: rec.org,
                company: rec.org,
            };
            // An upper bound of what `score_pair` can give, to skip hopeless candidates
            // without scoring them: every factor it applies is at most 1. Between people's
            // names, first with every word pairing loosely at best (`LOOSE_MAX`), then with the
            // loose pairs themselves.
            let prune = !reads && rec.whole != q.whole && !may_join(&q, &rec.toks);
            let people = crate::score::person_pair(q.kind, ck);
            let coverage = rec.person || rec.group;
            let floor = if people { crate::score::LOOSE_MAX } else { 0.0 };
            if !people {
                let bound = score_bound(
                    &q.toks,
                    &rec.toks,
                    |c| c.weight,
                    |_| true,
                    &sims,
                    coverage,
                    false,
                    0.0,
                );
                if prune && bound < thr - BOUND_SLACK {
                    continue;
                }
            }
            cv.clear();
            cv.extend(rec.toks.iter().map(|&c| ix.cview(c)));
            if people {
                if initial_run {
                    crate::score::corroborate_initials(&q.toks, &cv, &mut sims);
                }
                let bound = |sims: &[(usize, usize, f32)], floor: f32| {
                    score_bound(
                        &q.toks,
                        &cv,
                        |c| c.weight,
                        |k| crate::score::optional_name_part(&cv, k).is_none(),
                        sims,
                        coverage,
                        true,
                        floor,
                    )
                };
                if prune && bound(&sims, floor) < thr - BOUND_SLACK {
                    continue;
                }
                crate::score::add_loose_pairs(&q.toks, &cv, &mut sims);
                if prune && bound(&sims, 0.0) < thr - BOUND_SLACK {
                    continue;
                }
            }
            let Some(e) = self.entry_at(rec.list, rec.entry) else {
                continue;
            };
            let whole = whole_name(&q, &cv, rec.whole, rec.person, reads);
            let scored = score_pair(&q.toks, &cv, q.kind, ck, std::mem::take(&mut sims), whole);
            if !pairs_alike(&q.toks, &scored.pairs, must_pair) {
                continue;
            }
            // A factor is at most 1: only a name score over the threshold needs it.
            if scored.score < thr {
                continue;
            }
            let factor = country_factor(country, e, scored.common_words_only);
            let score = scored.score * factor;
            if score >= thr {
                best.push((nid, score, factor));
            }
        }
        // Keep the best name per entry, filtered by date and list.
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut seen: Vec<(u32, u32)> = Vec::new();
        let mut out = Vec::new();
        for (nid, score, factor) in best {
            let Some(rec) = ix.names.get(nid as usize) else {
                continue;
            };
            if seen.contains(&(rec.list, rec.entry)) {
                continue;
            }
            let Some(e) = self.entry_at(rec.list, rec.entry) else {
                continue;
            };
            if !e.listed_on(date) || !self.list_allowed(rec.list, e, filter) || self.is_craft(e) {
                continue;
            }
            seen.push((rec.list, rec.entry));
            let name = e
                .match_names()
                .nth(rec.alias as usize)
                .unwrap_or(std::borrow::Cow::Borrowed(&e.name));
            let kind = SideKind {
                person: e.is_individual(),
                group: e.group,
                org: rec.org,
                company: rec.org,
            };
            let cmp = self.compare_segmented(norm, &normalize(&name), kind, must_pair);
            let mut expl = cmp.explanation;
            expl.score = score;
            if factor < 1.0 {
                expl.summary.push_str(&format!(
                    "; country {} is not among the entry's ({}){}: ×{factor:.2}",
                    country.unwrap_or(""),
                    e.countries.join(", "),
                    if factor < COUNTRY_MISMATCH_FACTOR {
                        ", and the names share only common words"
                    } else {
                        ""
                    }
                ));
            }
            out.push((nid, score, expl));
            if out.len() >= MAX_HITS {
                break;
            }
        }
        out
    }

    /// The names worth scoring for a query (name ids, unsorted, with repeats) and, for a Han or
    /// Hangul query, the names some reading of it spells (sorted).
    fn candidates(
        &self,
        q: &Prepared,
        norm: &NormalizedName,
        gates: &[Gate],
        thr: f32,
        date: NaiveDate,
        filter: Option<&[String]>,
    ) -> (Vec<u32>, Vec<u32>) {
        let ix = &self.index;
        // A word some name that can be a hit holds (on a list the query asks for, listed on its
        // date) is found as itself; a word only other names hold may be a hit's word written
        // another way (`ICHTIJAR` on one list, `IKHTIYAR` on the one asked for).
        let found_as_itself = |g: &Gate| self.held_by_possible_hit(g.text, date, filter);
        // Prefix filter: the rarest tokens, until a name that shares none of them cannot reach
        // `thr`: its weighted Dice is at most 2R / (W + R), R the weight of the tokens left
        // (its matched words weighing what the query's do) and W the query's weight less the
        // words in the prefix that may drop out of the score when unmatched: words of Chinese
        // phrases (`score::align_phrases`), and a person's particles and patronymics
        // (`score::optional_name_part`), unless the name is a company's. Individuals' names
        // are scored with coverage too (below).
        let total: f32 = q.toks.iter().map(|t| t.weight).sum();
        let droppable = |i: usize| {
            q.toks.get(i).is_some_and(|t| t.phrase != 0)
                || (!q.kind.company && crate::score::optional_name_part(&q.toks, i).is_some())
        };
        // A name with no table word and no legal form at all, written as a person's (two to
        // four words, particles aside: `KALALAH, Husam-al-Din Walid`): its words may pair
        // loosely with listed people's (`score::person_pair`). (Other names that may be a
        // person's are scored so too, but found through the Dice bound alone: widening the
        // search for them cost about a tenth of the throughput.)
        let personal = !q.kind.org && q.set_aside.is_empty() && {
            let words = (0..q.toks.len())
                .filter(|&k| {
                    crate::score::optional_name_part(&q.toks, k)
                        != Some(crate::score::NamePart::Particle)
                })
                .count();
            (2..=4).contains(&words)
        };
        // Any name of two words or more with no table word and no legal form may be a
        // person's, written with more names than the list gives.
        let person_like = !q.kind.org && q.set_aside.is_empty() && q.toks.len() >= 2;
        let mut acc_dropped = 0.0f32;
        // Initials last: an initial pairs with any word of its letter (`score::INITIAL_SIM`),
        // which its postings do not hold, so it never narrows the search; once every other
        // word is visited, the search stops.
        let is_initial = |i: usize| gates.get(i).is_some_and(|g| g.initial);
        let mut order: Vec<usize> = (0..q.toks.len()).collect();
        order.sort_by(|&a, &b| {
            is_initial(a)
                .cmp(&is_initial(b))
                .then(q.toks[b].weight.total_cmp(&q.toks[a].weight))
        });
        let mut cands: Vec<u32> = Vec::new();
        let mut acc = 0.0f32;
        let dice_max = |acc: f32, acc_dropped: f32| {
            let r = (total - acc).max(0.0);
            let w = total - acc_dropped;
            if w + r > 0.0 {
                2.0 * r / (w + r)
            } else {
                0.0
            }
        };
        let mut texts: Vec<u32> = Vec::new();
        // Past the bound for every name, a name that may be a person's still looks for listed
        // people, whose score blends the Dice with the better one-sided coverage
        // (`score::PERSON_COVERAGE_BLEND`): a listed name whose words are all among those left
        // (`BAYALTUN, Ismail` for `BAYALTUN, Ismail Halil`) is covered whole. And in a name
        // written as a person's (two to four words), a word already visited that the lists do
        // not have may pair loosely (`score::loose_sim`) with a listed person's word its
        // postings do not hold, so R keeps `LOOSE_MAX` of it.
        let person_max = |dice: f32| {
            (1.0 - crate::score::PERSON_COVERAGE_BLEND) * dice + crate::score::PERSON_COVERAGE_BLEND
        };
        let mut acc_loose = 0.0f32;
        let mut people_only = false;
        for &i in &order {
            let Some(g) = gates.get(i) else { continue };
            if g.initial {
                break;
            }
            texts.clear();
            texts.extend(g.text);
            texts.extend(ix.texts_of(&g.lits));
            // A word the lists have nothing like may be two of their words written together
            // (`ZhukovskiyCentral`): the names holding both are found too, and the whole-name
            // comparison (`whole_name`) scores them.
            if g.text.is_none() && g.lits.is_empty() {
                if let Some(t) = q.toks.get(i) {
                    let parts = ix.known_halves(t.literal);
                    texts.extend(ix.texts_of(&parts));
                }
            }
            texts.sort_unstable();
            texts.dedup();
            for id in &texts {
                if let Some(p) = ix.postings.get(*id as usize) {
                    if people_only {
                        cands.extend(
                            p.iter()
                                .filter(|&&n| ix.names.get(n as usize).is_some_and(|r| r.person)),
                        );
                    } else {
                        cands.extend_from_slice(p);
                    }
                }
            }
            if let Some(t) = q.toks.get(i) {
                acc += t.weight;
                // Only a word no possible hit has is taken for a misspelling of theirs (asked
                // only where loose pairs widen the search).
                acc_loose += if personal && !found_as_itself(g) {
                    t.weight * (1.0 - crate::score::LOOSE_MAX)
                } else {
                    t.weight
                };
                if droppable(i) {
                    acc_dropped += t.weight;
                }
            }
            if dice_max(acc, acc_dropped) < thr - BOUND_SLACK {
                let loose =
                    personal && person_max(dice_max(acc_loose, acc_dropped)) >= thr - BOUND_SLACK;
                let covered =
                    person_like && person_max(dice_max(acc, acc_dropped)) >= thr - BOUND_SLACK;
                if !(loose || covered) {
                    break;
                }
                people_only = true;
            }
        }
        // The joined form as a whole-name alternative (query `li ming` vs list `liming`).
        if q.toks.len() >= 2 && q.joined.len() <= MAX_JOINED_PROBE {
            let probe = Token {
                text: q.joined.clone(),
                literal: q.joined.clone(),
                role: crate::normalize::TokenRole::Word,
                source: String::new(),
                // Joined consonant skeletons count for abjad queries (see `whole_name`).
                abjad: q.any_abjad,
                han: q.any_han,
                translated: false,
                phrase: 0,
                joined: false,
            };
            // One typo in a joined form, at most (see `whole_name`).
            let lits = ix.similar_literals_upto(&probe, 1);
            let texts: Vec<u32> = ix
                .vocab
                .get(q.joined.as_str())
                .copied()
                .into_iter()
                .chain(ix.texts_of(&lits))
                .collect();
            for id in texts {
                if let Some(p) = ix.postings.get(id as usize) {
                    cands.extend(
                        p.iter().filter(|&&n| {
                            ix.names.get(n as usize).is_some_and(|r| r.toks.len() == 1)
                        }),
                    );
                }
            }
        }
        if let Some(p) = ix.joined.get(q.joined.as_str()) {
            cands.extend_from_slice(p);
        }
        // Names written exactly alike, legal forms included (`SiemensAG` / `Siemens AG`).
        cands.extend(ix.wholes.lookup(q.whole));
        if q.any_abjad {
            cands.extend(ix.joined_skeleton_names(&q.joined));
        }
        // Multi-token names one typo away from the query once spaces are removed (the
        // whole-name comparison, `whole_name`), wherever the typo is.
        if !q.any_han {
            ix.joined_typo_names(&q.joined_lit, &mut cands);
        }
        // Han / Hangul queries: list names some reading of the query spells exactly.
        let reading_ids = Lattice::of(norm)
            .map(|l| l.search(&ix.sorted_joined))
            .unwrap_or_default();
        cands.extend_from_slice(&reading_ids);
        (cands, reading_ids)
    }

    fn entry_at(&self, list: u32, entry: u32) -> Option<&Entry> {
        self.lists
            .lists
            .get(list as usize)
            .and_then(|l| l.entries.get(entry as usize))
    }

    fn is_craft(&self, e: &Entry) -> bool {
        !self.include_vessels
            && e.entity_type.as_deref().is_some_and(|t| {
                t.eq_ignore_ascii_case("vessel") || t.eq_ignore_ascii_case("aircraft")
            })
    }

    /// Also report hits on vessels and aircraft (off by default: they are not parties to an export).
    pub fn with_vessels(mut self, include: bool) -> Screener {
        self.include_vessels = include;
        self
    }

    /// Compare two names with the screener's token weights (the one scorer screening uses),
    /// the second name scored as an organisation.
    pub fn compare(&self, a: &str, b: &str) -> Comparison {
        self.compare_as(a, b, false)
    }

    /// Compare two names; `person` = the second name is an individual's (as a list entry's type says).
    pub fn compare_as(&self, a: &str, b: &str, person: bool) -> Comparison {
        let nb = normalize(b);
        let kind = SideKind {
            person,
            group: false,
            org: crate::index::is_org(&nb),
            company: crate::index::is_company(&nb),
        };
        self.compare_kinds(&normalize(a), &nb, kind)
    }

    /// Compare a queried name with one of a list entry's names: the score screening gives
    /// that entry for that name, with its explanation.
    pub fn compare_entry(&self, query: &str, name: &str, entry: &Entry) -> Comparison {
        let nb = normalize(name);
        let kind = SideKind {
            person: entry.is_individual(),
            group: entry.group,
            org: crate::index::is_org(&nb),
            company: crate::index::is_company(&nb),
        };
        self.compare_kinds(&normalize(query), &nb, kind)
    }

    /// A queried name as screened: Han words split into the words the lists know, and the
    /// words of a broken-up legal form set aside.
    fn segment(&self, n: &NormalizedName) -> NormalizedName {
        let known = |w: &str| self.index.vocab.contains_key(w);
        let n = crate::normalize::set_aside_legal_words(
            &crate::normalize::segment_han(n, known),
            known,
        );
        crate::normalize::with_palladius_readings(n)
    }

    /// Compare a queried name (as written, then read otherwise: [`Screener::other_readings`])
    /// with a listed name: the better score, as screening keeps it.
    fn compare_kinds(&self, na: &NormalizedName, nb: &NormalizedName, ck: SideKind) -> Comparison {
        let na = self.segment(na);
        let mut best = self.compare_segmented(&na, nb, ck, &[]);
        for r in self.other_readings(&na) {
            // As in screening, which scores such a reading against people's names only.
            if r.only_people && !ck.person {
                continue;
            }
            let mut c = self.compare_segmented(&r.name, nb, ck, &r.words);
            c.score *= f64::from(r.factor);
            c.explanation.score *= r.factor;
            if c.score > best.score {
                reading_explanation(&mut c.explanation, &r);
                best = c;
            }
        }
        best
    }

    /// Other readings of a segmented query, each scored as well: other spacings whose changed
    /// words the lists have ([`crate::respace`]), and a person's initials written together read
    /// one by one ([`crate::initials`]).
    fn other_readings(&self, n: &NormalizedName) -> Vec<crate::respace::Reading> {
        let ix = &self.index;
        let mut out = crate::respace::respacings(
            n,
            |w| ix.lits.contains_key(w) || ix.vocab.contains_key(w),
            |w| ix.vocab.contains_key(w),
        );
        out.extend(crate::initials::spread_initials(n));
        out.extend(crate::compounds::compound_readings(n));
        out
    }

    /// Compare a segmented queried name with a listed name, as written.
    fn compare_segmented(
        &self,
        na: &NormalizedName,
        nb: &NormalizedName,
        ck: SideKind,
        must_pair: &[String],
    ) -> Comparison {
        let ix = &self.index;
        let q = Prepared::new(ix, na);
        let nb = &crate::normalize::listed_form(nb);
        let mut c = Prepared::new(ix, nb);
        // As in screening, where indexed names carry no phrase numbers or hyphen joins.
        for t in &mut c.toks {
            t.phrase = 0;
            t.joined = false;
        }
        let mut sims = Vec::new();
        for (i, x) in q.toks.iter().enumerate() {
            for (j, y) in c.toks.iter().enumerate() {
                let s = tok_sim(x, y);
                if s > 0.0 {
                    sims.push((i, j, s));
                }
            }
        }
        let latin_b = nb.evidence().all(|t| !t.han);
        let reads = latin_b
            && Lattice::of(na).is_some_and(|l| joined_forms(nb).iter().any(|j| l.matches(j)));
        if crate::score::person_pair(q.kind, ck) {
            crate::score::add_loose_pairs(&q.toks, &c.toks, &mut sims);
        }
        let whole = whole_name(&q, &c.toks, c.whole, ck.person, reads);
        let mut scored = score_pair(&q.toks, &c.toks, q.kind, ck, sims, whole);
        if !pairs_alike(&q.toks, &scored.pairs, must_pair) {
            scored.score = 0.0;
        }
        let explanation = explain(&q, &c, &scored, ck);
        Comparison {
            score: f64::from(scored.score),
            explanation,
        }
    }
}

/// The names holding every word of `words` (the words another spacing made), from the postings
/// of the rarest; None when there are no such words (the query as written).
fn respaced_candidates(ix: &Index, words: &[String]) -> Option<Vec<u32>> {
    let postings: Vec<&[u32]> = words
        .iter()
        .map(|w| {
            ix.vocab
                .get(w.as_str())
                .and_then(|&id| ix.postings.get(id as usize))
                .map_or(&[][..], |p| &p[..])
        })
        .collect();
    let rarest = postings.iter().min_by_key(|p| p.len())?;
    Some(
        rarest
            .iter()
            .copied()
            .filter(|n| postings.iter().all(|p| p.contains(n)))
            .collect(),
    )
}

/// Whether every word of `words` (comparison forms of a queried name's respaced words,
/// [`crate::respace`]) pairs with a listed word written alike: another spacing counts only
/// where the words it makes are the list's own (`Abd al` read as `abdal` is no `ABD`).
fn pairs_alike(q: &[STok], pairs: &[(usize, usize, f32)], words: &[String]) -> bool {
    words.iter().all(|w| {
        q.iter()
            .enumerate()
            .any(|(i, t)| t.text == w.as_str() && pairs.iter().any(|p| p.0 == i && p.2 >= 1.0))
    })
}

/// Notes in an explanation that the queried name was read otherwise, and at what cost.
fn reading_explanation(e: &mut Explanation, r: &crate::respace::Reading) {
    let (change, f, cost) = (&r.change, r.factor, r.cost);
    if f >= 1.0 {
        e.summary.push_str(&format!("; {change}"));
    } else {
        e.summary.push_str(&format!("; {change}: ×{f:.2} {cost}"));
    }
}

/// A name ready for scoring: its compared tokens with weights, joined form and kind.
struct Prepared<'a> {
    ev: Vec<&'a Token>,
    /// Each token's similar literals in the index (`Index::similar_literals`).
    similar: Vec<Vec<u32>>,
    toks: Vec<STok<'a>>,
    /// Comparison forms joined without spaces (index key for names written as one word).
    joined: String,
    /// Literals joined without spaces (what the whole-name comparison reads).
    joined_lit: String,
    any_han: bool,
    any_abjad: bool,
    kind: SideKind,
    set_aside: Vec<String>,
    /// `index::whole_key` of the name.
    whole: u64,
}

impl<'a> Prepared<'a> {
    fn new(ix: &Index, n: &'a NormalizedName) -> Prepared<'a> {
        let ev = unique_evidence(n);
        let similar: Vec<Vec<u32>> = ev.iter().map(|t| ix.similar_literals(t)).collect();
        // A word is joined to the word it follows in the comparison only if that word was
        // written right before it (not left out as a legal form or a repeat).
        let position = |t: &Token| n.tokens.iter().position(|x| std::ptr::eq(x, t));
        let toks: Vec<STok<'a>> = ev
            .iter()
            .zip(&similar)
            .enumerate()
            .map(|(k, (t, sim))| STok {
                repeated: crate::index::is_repeated(n, t),
                joined: t.joined
                    && k.checked_sub(1).and_then(|p| ev.get(p)).is_some_and(|p| {
                        position(p)
                            .zip(position(t))
                            .is_some_and(|(a, b)| a + 1 == b)
                    }),
                ..ix.view(t, sim)
            })
            .collect();
        Prepared {
            similar,
            joined: ev.iter().map(|t| t.text.as_str()).collect(),
            joined_lit: ev.iter().map(|t| t.literal.as_str()).collect(),
            any_han: ev.iter().any(|t| t.han),
            any_abjad: ev.iter().any(|t| t.abjad),
            kind: SideKind {
                person: false,
                group: false,
                org: crate::index::is_org(n),
                company: crate::index::is_company(n),
            },
            set_aside: n.set_aside().map(|t| t.source.clone()).collect(),
            whole: crate::index::whole_key(n),
            ev,
            toks,
        }
    }
}

/// Which candidate tokens a query token is compared with during screening.
struct Gate {
    text: Option<u32>,
    lits: Vec<u32>,
    /// The query token is an initial: compared with every candidate word.
    initial: bool,
    /// The literal id of the query word's initial: a candidate's initial is compared with it.
    initial_lit: Option<u32>,
}

/// Whole-name facts of a query against a candidate's tokens (`person`: a listed individual's).
/// The joined forms are the literals without spaces; a typo is allowed in them only for long
/// names (one edit, not in the first letter, in words long enough: [`typo_in_words`]).
fn whole_name(q: &Prepared, c: &[STok], c_whole: u64, person: bool, reads: bool) -> WholeName {
    let han = q.any_han || c.iter().any(|t| t.han);
    let abjad = q.any_abjad || c.iter().any(|t| t.abjad);
    let clen: usize = c.iter().map(|t| t.literal.len()).sum();
    let qlen = q.joined_lit.len();
    let close = qlen == clen || (!han && qlen.abs_diff(clen) <= 1);
    let mut joined_sim = 0.0;
    let mut skeleton_eq = false;
    if close || abjad {
        let cj: String = c.iter().map(|t| t.literal).collect();
        if close {
            joined_sim = if q.joined_lit == cj {
                1.0
            } else if han
                || digit_count(&q.joined_lit) != digit_count(&cj)
                || qlen.min(clen) < JOINED_TYPO_LEN
                || q.joined_lit.as_bytes().first() != cj.as_bytes().first()
            {
                0.0
            } else if crate::score::osa(q.joined_lit.as_bytes(), cj.as_bytes(), 1) <= 1
                && typo_in_words(
                    &q.joined_lit,
                    &cj,
                    if person {
                        JOINED_TYPO_SYLLABLE
                    } else {
                        JOINED_TYPO_WORD
                    },
                    q.ev.iter().map(|t| t.literal.len()),
                    c.iter().map(|t| t.literal.len()),
                )
            {
                token_sim(&q.joined_lit, &cj, false)
            } else {
                0.0
            };
        }
        if abjad {
            let s = crate::normalize::skeleton(&q.joined_lit);
            skeleton_eq = s.len() >= 3 && s == crate::normalize::skeleton(&cj);
        }
    }
    WholeName {
        identical: q.whole == c_whole,
        joined_sim,
        skeleton: skeleton_eq,
        reads,
    }
}

/// Words of an organisation's name shorter than this do not take a typo in a joined form, as
/// they take none compared word by word ([`crate::score::max_edits`]): a changed letter in an
/// initial, an acronym or a short word makes another name (`S P Industry` / `S D Industry`,
/// `SAVE-TECH` / `SafeTech`, `Wink Trade` / `Wintrade`, `ALPHA JET` / `ALPHABET`).
const JOINED_TYPO_WORD: usize = 5;
/// The same for a person's name, whose two-letter words are syllables (`Kim Jong Un`).
const JOINED_TYPO_SYLLABLE: usize = 2;

/// Whether the letters where two joined forms (within one edit) differ lie in words of at
/// least `min` letters on both sides (`a_lens`, `b_lens`: the lengths of the words joined, in
/// order).
fn typo_in_words(
    a: &str,
    b: &str,
    min: usize,
    a_lens: impl Iterator<Item = usize>,
    b_lens: impl Iterator<Item = usize>,
) -> bool {
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let word_at = |lens: &mut dyn Iterator<Item = usize>| {
        let mut end = 0;
        let mut last = 0;
        for l in lens {
            end += l;
            last = l;
            if at < end {
                return l;
            }
        }
        last
    };
    let (mut a_lens, mut b_lens) = (a_lens, b_lens);
    word_at(&mut a_lens) >= min && word_at(&mut b_lens) >= min
}

/// Whether the whole-name comparison could apply (`whole_name` / `score_pair`): the word counts
/// differ or the candidate may be a person, and the joined literals are within one letter.
fn may_join(q: &Prepared, c: &[CTok]) -> bool {
    let clen: usize = c.iter().map(|t| usize::from(t.lit_len)).sum();
    q.toks.len() + c.len() >= 3
        && (q.joined_lit.len().abs_diff(clen) <= 1
            || q.any_abjad
            || c.iter().any(|t| t.flags & F_ABJAD != 0))
}

/// Comparison tolerance of the upper bounds that prune candidates (`score_bound`, the prefix
/// filter): they add in another order than `score_pair`, so a bound may round just below a
/// score that reaches the threshold.
const BOUND_SLACK: f32 = 1e-4;

/// Upper bound of the token score of a candidate: each word paired with its best match on the
/// other side; the weighted Dice, and one-sided coverage too when the candidate is a person's
/// or a group's name (scored by coverage).
/// Every word is taken to pair at `floor` at least (loose pairs not yet computed). Between
/// people's names (`people`), particles and patronymics may drop out of the score when
/// unpaired (`score::optional_name_part`): only the other words' weights are sure to count.
/// `c` is the candidate's words (indexed or viewed), `weight` reads a word's weight and
/// `sure_c` tells whether candidate word `k` surely counts.
#[allow(clippy::too_many_arguments)]
fn score_bound<C>(
    q: &[STok],
    c: &[C],
    weight: impl Fn(&C) -> f32,
    sure_c: impl Fn(usize) -> bool,
    sims: &[(usize, usize, f32)],
    coverage: bool,
    people: bool,
    floor: f32,
) -> f32 {
    let mut bq = [floor; 64];
    let mut bc = [floor; 64];
    for &(i, j, s) in sims {
        if let Some(x) = bq.get_mut(i) {
            *x = x.max(s);
        }
        if let Some(x) = bc.get_mut(j) {
            *x = x.max(s);
        }
    }
    // A word read from a Chinese phrase may drop out of the score when left unmatched
    // (`score::align_phrases`): only the other words' weights are sure to count.
    let sure_q = |k: usize| !people || crate::score::optional_name_part(q, k).is_none();
    let wq: f32 = (0..q.len())
        .filter(|&k| q[k].phrase == 0 && sure_q(k))
        .map(|k| q[k].weight)
        .sum();
    let wc: f32 = (0..c.len())
        .filter(|&k| sure_c(k))
        .map(|k| weight(&c[k]))
        .sum();
    let mq: f32 = q.iter().zip(bq.iter()).map(|(t, b)| t.weight * b).sum();
    let mc: f32 = c.iter().zip(bc.iter()).map(|(t, b)| weight(t) * b).sum();
    let dice = if wq + wc > 0.0 {
        ((mq + mc) / (wq + wc)).min(1.0)
    } else {
        0.0
    };
    if !coverage {
        return dice;
    }
    let cov_q = if wq > 0.0 {
        (mq / wq).min(1.0)
    } else if mq > 0.0 {
        1.0
    } else {
        0.0
    };
    let cov = cov_q.max(if wc > 0.0 { (mc / wc).min(1.0) } else { 0.0 });
    dice.max(cov)
}

/// The similarities of indexed tokens to the query's tokens ([`tok_sim`] where the query token's
/// [`Gate`] lets the pair through, else 0), computed once per distinct indexed token and query:
/// candidates share most of their words.
struct SimMemo {
    /// Query tokens.
    nq: usize,
    /// Comparison forms and literals some gate names, sorted: an indexed token with neither
    /// is similar to no query token (unless the query has an initial).
    texts: Vec<u32>,
    lits: Vec<u32>,
    any_initial: bool,
    /// (text, literal, flags) → row in `rows` (`nq` similarities each).
    keys: FxHashMap<(u32, u32, u8), u32>,
    rows: Vec<f32>,
    zeros: Vec<f32>,
}

impl SimMemo {
    fn new(gates: &[Gate]) -> SimMemo {
        let mut texts: Vec<u32> = gates.iter().filter_map(|g| g.text).collect();
        texts.sort_unstable();
        texts.dedup();
        let mut lits: Vec<u32> = gates
            .iter()
            .flat_map(|g| g.lits.iter().copied().chain(g.initial_lit))
            .collect();
        lits.sort_unstable();
        lits.dedup();
        SimMemo {
            nq: gates.len(),
            texts,
            lits,
            any_initial: gates.iter().any(|g| g.initial),
            keys: FxHashMap::default(),
            rows: Vec::new(),
            zeros: vec![0.0; gates.len()],
        }
    }

    /// The similarities of indexed token `c` to every query token.
    fn row(&mut self, ix: &Index, gates: &[Gate], q: &[STok], c: &CTok) -> &[f32] {
        if !self.any_initial
            && self.texts.binary_search(&c.text).is_err()
            && self.lits.binary_search(&c.lit).is_err()
        {
            return &self.zeros;
        }
        let nq = self.nq;
        let next = (self.rows.len() / nq.max(1)) as u32;
        let k = *self.keys.entry((c.text, c.lit, c.flags)).or_insert(next);
        if k == next {
            let cs = ix.cview(*c);
            for (g, qs) in gates.iter().zip(q) {
                let gated = g.text == Some(c.text)
                    || g.initial
                    || g.initial_lit == Some(c.lit)
                    || g.lits.binary_search(&c.lit).is_ok();
                self.rows.push(if gated { tok_sim(qs, &cs) } else { 0.0 });
            }
        }
        let at = k as usize * nq;
        self.rows.get(at..at + nq).unwrap_or(&self.zeros)
    }
}

/// Longest joined query form looked up for one-word list names written apart (`hua wei` /
/// `Huawei`): longer joined forms are names of many words, which no one-word name spells.
const MAX_JOINED_PROBE: usize = 24;

/// Joined forms at least this long may differ by one typo.
const JOINED_TYPO_LEN: usize = 8;

/// The explanation of a scored comparison, from the alignment the score was computed on.
fn explain(q: &Prepared, c: &Prepared, sc: &Scored, ck: SideKind) -> Explanation {
    let mut e = Explanation {
        score: sc.score,
        method: sc.method.as_str().into(),
        ..Explanation::default()
    };
    if sc.method == Method::Joined {
        e.matched.push(TokenMatch {
            query: q.joined_lit.clone(),
            candidate: c.joined_lit.clone(),
            similarity: (sc.score / JOINED_SCORE).min(1.0),
        });
    } else if sc.method == Method::Identical {
        e.matched.push(TokenMatch {
            query: q.joined_lit.clone(),
            candidate: c.joined_lit.clone(),
            similarity: 1.0,
        });
    } else {
        for &(i, j, s) in &sc.pairs {
            let (Some(x), Some(y)) = (q.ev.get(i), c.ev.get(j)) else {
                continue;
            };
            e.matched.push(TokenMatch {
                query: x.source.clone(),
                candidate: y.source.clone(),
                similarity: s,
            });
        }
        e.query_only =
            q.ev.iter()
                .enumerate()
                .filter(|(i, _)| !sc.pairs.iter().any(|p| p.0 == *i) && !sc.left_out.contains(i))
                .map(|(_, t)| t.source.clone())
                .collect();
        e.candidate_only =
            c.ev.iter()
                .enumerate()
                .filter(|(j, _)| !sc.pairs.iter().any(|p| p.1 == *j))
                .map(|(_, t)| t.source.clone())
                .collect();
    }
    e.set_aside = q.set_aside.iter().chain(&c.set_aside).cloned().collect();
    let m: Vec<String> = e
        .matched
        .iter()
        .map(|m| {
            if m.similarity >= 1.0 {
                m.query.clone()
            } else {
                format!("{}~{} ({:.2})", m.query, m.candidate, m.similarity)
            }
        })
        .collect();
    let mut notes = Vec::new();
    if sc.method == Method::Group {
        notes.push(
            "group name: the rule lists the group's subsidiaries, whose names contain it"
                .to_string(),
        );
    }
    if sc.method == Method::Reading {
        notes.push("a reading of the Han / Hangul characters spells the listed name".to_string());
    }
    if sc.method == Method::Identical {
        notes.push("the names are written alike, legal forms included".to_string());
    }
    if sc.generic_only {
        notes.push(format!(
            "only generic business words matched: capped at {GENERIC_CAP:.2}"
        ));
    }
    match sc.capped {
        Some(crate::score::Cap::NearSpelling) => notes.push(
            "every identifying word matched only as a near spelling: at most their similarity"
                .to_string(),
        ),
        Some(crate::score::Cap::LoneAcronym) => notes.push(format!(
            "the listed name is a short acronym alone, and the queried name has more words: capped at {GENERIC_CAP:.2}"
        )),
        None => {}
    }
    if sc.org_vs_person && ck.person {
        notes.push("a company name against a listed individual".to_string());
    }
    e.summary = format!(
        "score {:.2} by {}: matched [{}]; differed [{}]; set aside [{}]{}",
        sc.score,
        e.method,
        m.join(", "),
        e.query_only
            .iter()
            .chain(e.candidate_only.iter())
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        e.set_aside.join(", "),
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        }
    );
    e
}

fn digit_count(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}
