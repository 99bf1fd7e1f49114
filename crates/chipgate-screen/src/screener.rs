//! The screening API: a [`Screener`] is built once from a [`ListSet`] (immutable, `Send + Sync`)
//! and answers [`Query`]s with a [`ScreenResult`]: status, explained hits with what each list
//! means for an export, the lists used with their snapshot dates, and warnings.

use crate::allowlist::{AllowList, AllowRecord};
use crate::index::Index;
use crate::kind::{ExportEffect, ListKind};
use crate::model::{Entry, ListInfo, ListSet};
use crate::normalize::{normalize, NormalizedName, Token};
use crate::readings::{joined_forms, Lattice, READING_SCORE};
use crate::score::{
    align, structure_factor, tok_sim, token_sim, Explanation, TokenMatch, GENERIC_ONLY_FACTOR,
    INITIAL_SIM, JOINED_SCORE, PERSON_COVERAGE_BLEND, SKELETON_SIM,
};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Default score from which a hit is reported as a potential match. Chosen on the eval data
/// (`scripts/screen-bench.sh`) before the reading / structure mechanisms and not refitted: on
/// the nomenklatura pairs 0.80 now gives precision 0.91 / recall 0.82 (F1 0.86; 0.86 / 0.87 on
/// the odd / even halves); on 20,000 GLEIF names against the 2022 CSL it alerts on 0.15 %.
pub const DEFAULT_POTENTIAL: f64 = 0.80;
/// Default score from which a hit is a match: name equality after normalisation (legal forms
/// set aside, scripts folded) scores ≥ 0.97; single-typo variants of long names ≥ 0.92.
pub const DEFAULT_MATCH: f64 = 0.92;
/// At most this many hits are returned per query.
pub const MAX_HITS: usize = 20;

/// One screening question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub name: String,
    /// Country of the party (reported against the entry's countries; does not change the status).
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
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenResult {
    pub query: Query,
    pub status: Status,
    pub hits: Vec<Hit>,
    pub lists: Vec<ListInfo>,
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
    person_blend: f32,
}

struct QTok<'a> {
    tok: &'a Token,
    weight: f32,
    exp: Vec<(u32, f32)>,
}

impl Screener {
    /// Build the index over `lists`.
    pub fn new(lists: ListSet) -> Screener {
        let index = Index::build(&lists);
        let person_blend = PERSON_COVERAGE_BLEND;
        Screener {
            lists,
            index,
            allow: AllowList::default(),
            thresholds: Thresholds::default(),
            include_vessels: false,
            person_blend,
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
    pub fn screen_many(&self, queries: &[Query]) -> Vec<ScreenResult> {
        queries.par_iter().map(|q| self.screen(q)).collect()
    }

    /// Screen one query.
    pub fn screen(&self, q: &Query) -> ScreenResult {
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
        let norm = normalize(&q.name);
        let mut hits = Vec::new();
        if norm.evidence().next().is_none() {
            warnings.push("query has no usable name tokens".into());
        } else {
            hits = self.find(&norm, potential as f32, date, q.lists.as_deref());
        }
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
                .all_names()
                .nth(rec.alias as usize)
                .unwrap_or(&e.name)
                .to_string();
            let country = if e.countries.is_empty() {
                None
            } else {
                Some(e.countries.join("; "))
            };
            let country_match = match (&q.country, e.countries.is_empty()) {
                (Some(c), false) => Some(
                    e.countries
                        .iter()
                        .any(|x| crate::country::same_country(x, c)),
                ),
                _ => None,
            };
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
        ScreenResult {
            query: q.clone(),
            status,
            hits: out_hits,
            lists: self.lists.infos(),
            warnings,
        }
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

    /// Candidate generation + scoring; returns (name id, score, explanation), best first, one per entry.
    fn find(
        &self,
        norm: &NormalizedName,
        thr: f32,
        date: NaiveDate,
        filter: Option<&[String]>,
    ) -> Vec<(u32, f32, Explanation)> {
        let ix = &self.index;
        let qtoks: Vec<QTok> = norm
            .evidence()
            .map(|t| {
                let exp = ix.expand(&t.text, t.abjad, t.han);
                let weight = exp
                    .first()
                    .and_then(|(id, _)| ix.idf.get(*id as usize).copied())
                    .unwrap_or(ix.idf_unknown);
                QTok {
                    tok: t,
                    weight,
                    exp,
                }
            })
            .take(60)
            .collect();
        let qjoined = norm.joined();
        let any_abjad = qtoks.iter().any(|q| q.tok.abjad);
        let any_han = qtoks.iter().any(|q| q.tok.han);
        // Joined form as a whole-name alternative (query `li ming` vs list `liming`).
        // A joined form may differ by typos, not by a whole number (`five logistics` is not
        // `logistic`): variants must have as many digits.
        let digits = digit_count(&qjoined);
        let jexp: Vec<(u32, f32)> = if qtoks.len() >= 2 {
            ix.expand(&qjoined, any_abjad, any_han)
                .into_iter()
                .filter(|(id, _)| {
                    ix.vocab_str
                        .get(*id as usize)
                        .is_some_and(|v| digit_count(v) == digits)
                })
                .collect()
        } else {
            Vec::new()
        };
        // Vowel-less scripts: whole-name consonant skeleton against multi-token names.
        let mut skel_names = if any_abjad {
            ix.joined_skeleton_names(&qjoined)
        } else {
            Vec::new()
        };
        skel_names.sort_unstable();
        // Prefix filter: rarest tokens whose weight exceeds (1 - thr) of the total.
        let total: f32 = qtoks.iter().map(|q| q.weight).sum();
        let mut order: Vec<usize> = (0..qtoks.len()).collect();
        order.sort_by(|&a, &b| qtoks[b].weight.total_cmp(&qtoks[a].weight));
        let mut cands: Vec<u32> = Vec::new();
        let mut acc = 0.0f32;
        let need = (1.0 - thr * 0.85) * total;
        for &i in &order {
            for (id, _) in &qtoks[i].exp {
                if let Some(p) = ix.postings.get(*id as usize) {
                    cands.extend_from_slice(p);
                }
            }
            acc += qtoks[i].weight;
            if acc > need {
                break;
            }
        }
        for (id, _) in &jexp {
            if let Some(p) = ix.postings.get(*id as usize) {
                cands.extend(
                    p.iter()
                        .filter(|&&n| ix.names.get(n as usize).is_some_and(|r| r.toks.len() == 1)),
                );
            }
        }
        if let Some(p) = ix.joined.get(qjoined.as_str()) {
            cands.extend_from_slice(p);
        }
        cands.extend_from_slice(&skel_names);
        // Han / Hangul queries: list names some reading of the query spells exactly.
        let reading_ids = Lattice::of(norm)
            .map(|l| l.search(&ix.sorted_joined))
            .unwrap_or_default();
        cands.extend_from_slice(&reading_ids);
        cands.sort_unstable();
        cands.dedup();
        let qw: Vec<f32> = qtoks.iter().map(|q| q.weight).collect();
        let mut best: Vec<(u32, f32)> = Vec::new(); // (name id, score), later one per entry
        let qtext: Vec<&str> = qtoks.iter().map(|q| q.tok.text.as_str()).collect();
        let mut ctext: Vec<&str> = Vec::new();
        let mut sims = Vec::new();
        let mut cw = Vec::new();
        for &nid in &cands {
            let Some(rec) = ix.names.get(nid as usize) else {
                continue;
            };
            sims.clear();
            cw.clear();
            for (j, &c) in rec.toks.iter().enumerate() {
                cw.push(ix.idf.get(c as usize).copied().unwrap_or(1.0));
                for (i, q) in qtoks.iter().enumerate() {
                    if let Some((_, s)) = q.exp.iter().find(|(id, _)| *id == c) {
                        sims.push((i, j, *s));
                    } else if q.tok.text.len() == 1 {
                        let v = ix
                            .vocab_str
                            .get(c as usize)
                            .map(|v| v.as_bytes())
                            .unwrap_or(b"");
                        if v.len() > 1 && v.first() == q.tok.text.as_bytes().first() {
                            sims.push((i, j, INITIAL_SIM));
                        }
                    }
                }
            }
            // Coverage counts for people's full names, not for one-word aliases (nicknames).
            let person = rec.toks.len() >= 2 && self.is_person(rec.list, rec.entry);
            let al = align(&qw, &cw, std::mem::take(&mut sims));
            let mut score = al.blended(if person { self.person_blend } else { 0.0 });
            let full = al.pairs.len() == qw.len()
                && al.pairs.len() == cw.len()
                && al.pairs.iter().all(|p| p.2 >= 1.0);
            if !full
                && !al.pairs.iter().any(|p| {
                    !ix.generic
                        .get(rec.toks[p.1] as usize)
                        .copied()
                        .unwrap_or(false)
                })
            {
                score *= GENERIC_ONLY_FACTOR;
            }
            if score < thr {
                if rec.toks.len() == 1 {
                    if let Some((_, s)) = jexp.iter().find(|(id, _)| *id == rec.toks[0]) {
                        score = score.max(JOINED_SCORE * s);
                    }
                } else if ix
                    .joined
                    .get(qjoined.as_str())
                    .is_some_and(|p| p.binary_search(&nid).is_ok())
                {
                    score = score.max(JOINED_SCORE);
                } else if skel_names.binary_search(&nid).is_ok() {
                    let cj: String = rec
                        .toks
                        .iter()
                        .filter_map(|&t| ix.vocab_str.get(t as usize))
                        .map(|s| s.as_ref())
                        .collect();
                    if crate::normalize::skeleton(&cj) == crate::normalize::skeleton(&qjoined) {
                        score = score.max(JOINED_SCORE * SKELETON_SIM);
                    }
                }
            }
            ctext.clear();
            ctext.extend(
                rec.toks
                    .iter()
                    .map(|&t| ix.vocab_str.get(t as usize).map_or("", |v| v.as_ref())),
            );
            score *= structure_factor(&qtext, &ctext, &al.pairs);
            if score < READING_SCORE && reading_ids.binary_search(&nid).is_ok() {
                score = READING_SCORE;
            }
            if score >= thr {
                best.push((nid, score));
            }
        }
        // Keep the best name per entry, filtered by date and list.
        best.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut seen: Vec<(u32, u32)> = Vec::new();
        let mut out = Vec::new();
        for (nid, score) in best {
            let Some(rec) = ix.names.get(nid as usize) else {
                continue;
            };
            if seen.contains(&(rec.list, rec.entry)) {
                continue;
            }
            let Some(e) = self
                .lists
                .lists
                .get(rec.list as usize)
                .and_then(|l| l.entries.get(rec.entry as usize))
            else {
                continue;
            };
            if !e.listed_on(date) || !self.list_allowed(rec.list, e, filter) || self.is_craft(e) {
                continue;
            }
            seen.push((rec.list, rec.entry));
            let name = e.all_names().nth(rec.alias as usize).unwrap_or(&e.name);
            let mut expl = explain(ix, norm, &normalize(name), score);
            expl.score = score;
            out.push((nid, score, expl));
            if out.len() >= MAX_HITS {
                break;
            }
        }
        out
    }

    fn is_person(&self, list: u32, entry: u32) -> bool {
        self.lists
            .lists
            .get(list as usize)
            .and_then(|l| l.entries.get(entry as usize))
            .is_some_and(Entry::is_individual)
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

    /// Compare two names with the screener's token weights (same scorer as screening), the
    /// second name scored as an organisation.
    pub fn compare(&self, a: &str, b: &str) -> Comparison {
        self.compare_as(a, b, false)
    }

    /// Compare two names; `person` = the second name is an individual's (as a list entry's type says).
    pub fn compare_as(&self, a: &str, b: &str, person: bool) -> Comparison {
        let (na, nb) = (normalize(a), normalize(b));
        let ta = unique_evidence(&na);
        let tb = unique_evidence(&nb);
        let qw: Vec<f32> = ta.iter().map(|t| self.index.idf_of(&t.text)).collect();
        let cw: Vec<f32> = tb.iter().map(|t| self.index.idf_of(&t.text)).collect();
        let mut sims = Vec::new();
        for (i, x) in ta.iter().enumerate() {
            for (j, y) in tb.iter().enumerate() {
                let s = tok_sim(x, y);
                if s > 0.0 {
                    sims.push((i, j, s));
                }
            }
        }
        let al = align(&qw, &cw, sims);
        let mut score = al.blended(if person && tb.len() >= 2 {
            self.person_blend
        } else {
            0.0
        });
        let full = al.pairs.len() == qw.len()
            && al.pairs.len() == cw.len()
            && al.pairs.iter().all(|p| p.2 >= 1.0);
        if !full && !al.pairs.iter().any(|p| !self.index.is_generic(tb[p.1])) {
            score *= GENERIC_ONLY_FACTOR;
        }
        if ta.len() + tb.len() >= 3 {
            let abjad = ta.iter().chain(tb.iter()).any(|t| t.abjad);
            let han = ta.iter().chain(tb.iter()).any(|t| t.han);
            let (ja, jb) = (na.joined(), nb.joined());
            let s = if han || digit_count(&ja) != digit_count(&jb) {
                if ja == jb {
                    1.0
                } else {
                    0.0
                }
            } else {
                token_sim(&ja, &jb, false)
            };
            score = score.max(JOINED_SCORE * s);
            if abjad
                && crate::normalize::skeleton(&ja).len() >= 3
                && crate::normalize::skeleton(&ja) == crate::normalize::skeleton(&jb)
            {
                score = score.max(JOINED_SCORE * SKELETON_SIM);
            }
        }
        let qtext: Vec<&str> = ta.iter().map(|t| t.text.as_str()).collect();
        let ctext: Vec<&str> = tb.iter().map(|t| t.text.as_str()).collect();
        score *= structure_factor(&qtext, &ctext, &al.pairs);
        // Readings link a Han / Hangul name to a Latin one (two Han names compare by character).
        let reads = |x: &NormalizedName, y: &NormalizedName| {
            y.evidence().all(|t| !t.han)
                && Lattice::of(x).is_some_and(|l| joined_forms(y).iter().any(|j| l.matches(j)))
        };
        if score < READING_SCORE && (reads(&na, &nb) || reads(&nb, &na)) {
            score = READING_SCORE;
        }
        let explanation = explain(&self.index, &na, &nb, score);
        Comparison {
            score: f64::from(score),
            explanation,
        }
    }
}

fn digit_count(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

/// Evidence tokens with repeated texts dropped (as the index stores them).
fn unique_evidence(n: &NormalizedName) -> Vec<&Token> {
    let mut v: Vec<&Token> = Vec::new();
    for t in n.evidence() {
        if !v.iter().any(|x| x.text == t.text) {
            v.push(t);
        }
    }
    v
}

/// Build the explanation of a query/candidate comparison.
fn explain(ix: &Index, q: &NormalizedName, c: &NormalizedName, score: f32) -> Explanation {
    let qt = unique_evidence(q);
    let ct = unique_evidence(c);
    let qw: Vec<f32> = qt.iter().map(|t| ix.idf_of(&t.text)).collect();
    let cw: Vec<f32> = ct.iter().map(|t| ix.idf_of(&t.text)).collect();
    let mut sims = Vec::new();
    for (i, x) in qt.iter().enumerate() {
        for (j, y) in ct.iter().enumerate() {
            let s = tok_sim(x, y);
            if s > 0.0 {
                sims.push((i, j, s));
            }
        }
    }
    let al = align(&qw, &cw, sims);
    let joined = al.score + 1e-4 < score;
    let mut e = Explanation {
        score,
        method: if joined {
            "joined".into()
        } else {
            "tokens".into()
        },
        ..Explanation::default()
    };
    if joined {
        e.matched.push(TokenMatch {
            query: q.joined(),
            candidate: c.joined(),
            similarity: (score / JOINED_SCORE).min(1.0),
        });
    } else {
        for &(i, j, s) in &al.pairs {
            e.matched.push(TokenMatch {
                query: qt[i].source.clone(),
                candidate: ct[j].source.clone(),
                similarity: s,
            });
        }
        e.query_only = qt
            .iter()
            .enumerate()
            .filter(|(i, _)| !al.pairs.iter().any(|p| p.0 == *i))
            .map(|(_, t)| t.source.clone())
            .collect();
        e.candidate_only = ct
            .iter()
            .enumerate()
            .filter(|(j, _)| !al.pairs.iter().any(|p| p.1 == *j))
            .map(|(_, t)| t.source.clone())
            .collect();
    }
    e.set_aside = q
        .set_aside()
        .chain(c.set_aside())
        .map(|t| t.source.clone())
        .collect();
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
    e.summary = format!(
        "score {:.2} by {}: matched [{}]; differed [{}]; set aside [{}]",
        score,
        e.method,
        m.join(", "),
        e.query_only
            .iter()
            .chain(e.candidate_only.iter())
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        e.set_aside.join(", ")
    );
    e
}
