//! The inverted index behind the screener: every list name is normalised once; its evidence
//! tokens go into a vocabulary of comparison forms with IDF weights and postings, and a second
//! vocabulary of literals (the words as written). Deletion tables over the literals
//! (SymSpell-style: one deletion, two for long words) find typo'd words; a consonant-skeleton
//! table serves abjad-script queries; a joined-form table finds names written with or without
//! spaces; a sorted list of joined forms serves the reading lattices of Han / Hangul queries
//! (`crate::readings`). Queries touch only the postings of their rarest tokens.
//!
//! Retrieval only proposes: every candidate is scored by [`crate::score::score_pair`] with
//! [`crate::score::tok_sim`], the same functions a direct comparison of two names uses.

use crate::fxhash::{hash_str, FxHashMap};
use crate::model::ListSet;
use crate::normalize::{normalize, skeleton, NormalizedName, Token, TokenRole};
use crate::score::STok;
use serde::{Deserialize, Serialize};

/// Flags of an indexed token.
pub(crate) const F_SYMBOL: u8 = 1;
pub(crate) const F_ABJAD: u8 = 2;
pub(crate) const F_HAN: u8 = 4;
pub(crate) const F_TRANSLATED: u8 = 8;

/// One evidence token of an indexed name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CTok {
    /// Comparison form (vocabulary id).
    pub text: u32,
    /// Literal (literal vocabulary id).
    pub lit: u32,
    pub flags: u8,
}

/// One indexed name (primary or alias) of one entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct NameRec {
    /// (list index, entry index) in the ListSet.
    pub list: u32,
    pub entry: u32,
    /// 0 = primary name, k = alias k-1.
    pub alias: u32,
    /// Evidence tokens, first occurrence of each comparison form, at most [`MAX_TOKENS`].
    pub toks: Box<[CTok]>,
    /// The name carries a legal form or company word.
    pub org: bool,
    /// The entry is an individual's, or a group name (scored with coverage).
    pub person: bool,
    pub group: bool,
}

/// Inverted index over all names of a ListSet.
#[derive(Debug, Default)]
pub struct Index {
    pub(crate) names: Vec<NameRec>,
    pub(crate) vocab: FxHashMap<Box<str>, u32>,
    pub(crate) vocab_str: Vec<Box<str>>,
    pub(crate) idf: Vec<f32>,
    pub(crate) postings: Vec<Vec<u32>>,
    /// Literals: id by string, string by id, and the comparison forms each literal stands for.
    pub(crate) lits: FxHashMap<Box<str>, u32>,
    pub(crate) lit_str: Vec<Box<str>>,
    pub(crate) lit_texts: Vec<Vec<u32>>,
    /// Joined evidence (names with ≥ 2 tokens) → name ids.
    pub(crate) joined: FxHashMap<Box<str>, Vec<u32>>,
    /// (hash of a deletion variant of a literal, literal id), sorted.
    pub(crate) deletes: Vec<(u64, u32)>,
    /// (hash of the consonant skeleton of a literal, literal id), sorted.
    pub(crate) skeletons: Vec<(u64, u32)>,
    /// (hash of the consonant skeleton of a multi-token name's joined form, name id), sorted.
    pub(crate) joined_skel: Vec<(u64, u32)>,
    /// Generic business words: table symbols (`tech`, `invest`, `trade`, ...) other than
    /// named organisations.
    pub(crate) generic: Vec<bool>,
    /// Weight of a token that is not in the vocabulary.
    pub(crate) idf_unknown: f32,
    /// (joined evidence form, name id), sorted by form: every name, plus the rotation that puts
    /// the last token first for names of two or three tokens ("Taro Yamada" / "Yamada Taro").
    /// Walked by reading lattices of Han / Hangul queries.
    pub(crate) sorted_joined: Vec<(Box<str>, u32)>,
    /// Given-name variant group → literal ids of its members.
    pub(crate) group_members: FxHashMap<u16, Vec<u32>>,
}

/// Added to every token's IDF: keeps common business words ("shipping", "investment") from
/// weighing almost nothing, so a name is not a hit just because its one rare word matched.
pub const WEIGHT_FLOOR: f32 = 2.0;

/// Tokens of a name that are compared, at most (longer names keep their first ones).
pub const MAX_TOKENS: usize = 60;

/// Literals at least this long get two-deletion variants (two typos allowed between two such
/// words, see [`max_edits`]).
const TWO_EDIT_LEN: usize = 9;

/// Name particles ("bin", "al", "de", "van"): they link or qualify the words that identify a
/// person and weigh [`PARTICLE_WEIGHT`] of their IDF weight.
pub const NAME_PARTICLES: [&str; 20] = [
    "al", "el", "bin", "ibn", "ben", "bint", "binti", "abu", "ould", "ul", "ud", "da", "de", "del",
    "della", "der", "di", "dos", "van", "von",
];
/// Share of its IDF weight a name particle keeps.
pub const PARTICLE_WEIGHT: f32 = 0.4;

fn lookup_sorted(v: &[(u64, u32)], h: u64) -> impl Iterator<Item = u32> + '_ {
    // The keys are hashes, spread evenly over u64: guess the position from the value, widen a
    // window around the guess until it brackets `h`, then search the window only (a few
    // cache lines instead of ~22 probes across a table of millions).
    let n = v.len();
    let guess = ((u128::from(h) * n as u128) >> 64) as usize;
    let mut step = 32usize;
    let mut lo = guess.saturating_sub(step);
    while lo > 0 && v.get(lo).is_some_and(|x| x.0 >= h) {
        step = step.saturating_mul(2);
        lo = guess.saturating_sub(step);
    }
    step = 32;
    let mut hi = guess.saturating_add(step).min(n);
    while hi < n && v.get(hi.saturating_sub(1)).is_some_and(|x| x.0 < h) {
        step = step.saturating_mul(2);
        hi = guess.saturating_add(step).min(n);
    }
    let window = v.get(lo..hi).unwrap_or_default();
    let start = lo + window.partition_point(|x| x.0 < h);
    v.get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(move |x| x.0 == h)
        .map(|x| x.1)
}

/// Every variant of `t` with one deletion, and with two when `t` is long: the neighbourhood in
/// which two words within [`max_edits`] of each other always meet.
pub(crate) fn deletion_variants(t: &str, out: &mut Vec<String>) {
    deletion_variants_upto(t, 2, out);
}

/// [`deletion_variants`] with at most `max` deletions.
pub(crate) fn deletion_variants_upto(t: &str, max: usize, out: &mut Vec<String>) {
    out.clear();
    // Four-letter words too: a swap of two neighbouring letters is allowed in them.
    if !t.is_ascii() || t.len() < 4 || max == 0 {
        return;
    }
    let b = t.as_bytes();
    for i in 0..b.len() {
        let mut v = String::with_capacity(t.len());
        v.push_str(&t[..i]);
        v.push_str(&t[i + 1..]);
        if t.len() >= TWO_EDIT_LEN && max >= 2 {
            for j in i..v.len() {
                let mut w = String::with_capacity(v.len());
                w.push_str(&v[..j]);
                w.push_str(&v[j + 1..]);
                out.push(w);
            }
        }
        out.push(v);
    }
    out.sort_unstable();
    out.dedup();
}

/// Evidence tokens of a name as compared: the first occurrence of each comparison form, at
/// most [`MAX_TOKENS`].
pub(crate) fn unique_evidence(n: &NormalizedName) -> Vec<&Token> {
    let mut v: Vec<&Token> = Vec::new();
    for t in n.evidence() {
        if v.len() >= MAX_TOKENS {
            break;
        }
        if !v.iter().any(|x| x.text == t.text) {
            v.push(t);
        }
    }
    v
}

/// Whether a name reads as an organisation's: it carries a company word, or a legal form
/// written with a dot or of three letters or more (a bare two-letter word at the end of a
/// name, like `Yu` in "HUA, Shi Yu", may be a person's name as well as a legal form).
pub(crate) fn is_org(n: &NormalizedName) -> bool {
    n.tokens.iter().any(|t| t.role == TokenRole::Symbol)
        || n.set_aside().any(|t| {
            t.source.contains('.') || t.source.chars().filter(|c| c.is_alphanumeric()).count() >= 3
        })
}

impl Index {
    /// Build the index for all names in `lists`.
    pub fn build(lists: &ListSet) -> Index {
        let mut ix = Index::default();
        ix.add_lists(lists, 0);
        ix
    }

    /// Index the names of `lists.lists[from..]` into an index already built over
    /// `lists.lists[..from]` (the built-in snapshot, then the imported lists). The result is
    /// the index [`Index::build`] makes of all of `lists`: ids are given in the same order,
    /// the sorted tables are merged, and the IDF weights are recomputed over every name.
    pub(crate) fn add_lists(&mut self, lists: &ListSet, from: usize) {
        let ix = self;
        let first_lit = ix.lit_str.len();
        let mut symbol_text = Vec::new();
        for (li, list) in lists.lists.iter().enumerate().skip(from) {
            for (ei, e) in list.entries.iter().enumerate() {
                for (ai, name) in e.match_names().enumerate() {
                    let n = normalize(&name);
                    let ev = unique_evidence(&n);
                    if ev.is_empty() {
                        continue;
                    }
                    let nid = ix.names.len() as u32;
                    let mut toks: Vec<CTok> = Vec::with_capacity(ev.len());
                    for t in &ev {
                        let text = ix.intern(&t.text);
                        let lit = ix.intern_lit(&t.literal, text);
                        if t.role == TokenRole::Symbol {
                            symbol_text.push(text);
                        }
                        toks.push(CTok {
                            text,
                            lit,
                            flags: flags_of(t),
                        });
                        if let Some(p) = ix.postings.get_mut(text as usize) {
                            p.push(nid);
                        }
                    }
                    // Only Latin names: a Han / Hangul name is compared by its characters.
                    if n.evidence().all(|t| !t.han) {
                        for j in crate::readings::joined_forms(&n) {
                            ix.sorted_joined.push((j.into_boxed_str(), nid));
                        }
                    }
                    if toks.len() >= 2 {
                        let j: String = ev.iter().map(|t| t.text.as_str()).collect();
                        ix.joined_skel.push((hash_str(&skeleton(&j)), nid));
                        ix.joined.entry(j.into_boxed_str()).or_default().push(nid);
                    }
                    ix.names.push(NameRec {
                        list: li as u32,
                        entry: ei as u32,
                        alias: ai as u32,
                        toks: toks.into_boxed_slice(),
                        org: is_org(&n),
                        person: e.is_individual(),
                        group: e.group,
                    });
                }
            }
        }
        for t in symbol_text {
            let generic = ix
                .vocab_str
                .get(t as usize)
                .is_some_and(|s| crate::tables::is_generic_symbol(s));
            if let Some(g) = ix.generic.get_mut(t as usize) {
                *g = generic;
            }
        }
        let n = ix.names.len().max(1) as f32;
        ix.idf = ix
            .postings
            .iter()
            .zip(&ix.vocab_str)
            .map(|(p, t)| {
                let w = WEIGHT_FLOOR + (1.0 + n / p.len().max(1) as f32).ln();
                if NAME_PARTICLES.contains(&t.as_ref()) {
                    w * PARTICLE_WEIGHT
                } else {
                    w
                }
            })
            .collect();
        ix.idf_unknown = WEIGHT_FLOOR + (1.0 + n).ln();
        let mut buf = Vec::new();
        for (id, t) in ix.lit_str.iter().enumerate().skip(first_lit) {
            deletion_variants(t, &mut buf);
            ix.deletes
                .extend(buf.iter().map(|v| (hash_str(v), id as u32)));
            let s = skeleton(t);
            if !s.is_empty() {
                ix.skeletons.push((hash_str(&s), id as u32));
            }
            for &g in crate::readings::name_groups(t) {
                ix.group_members.entry(g).or_default().push(id as u32);
            }
        }
        ix.sorted_joined.sort_unstable();
        ix.sorted_joined.dedup();
        ix.deletes.sort_unstable();
        ix.deletes.dedup();
        ix.skeletons.sort_unstable();
        ix.joined_skel.sort_unstable();
    }

    fn intern(&mut self, t: &str) -> u32 {
        if let Some(&id) = self.vocab.get(t) {
            return id;
        }
        let id = self.vocab_str.len() as u32;
        self.vocab.insert(t.into(), id);
        self.vocab_str.push(t.into());
        self.postings.push(Vec::new());
        self.generic.push(false);
        id
    }

    fn intern_lit(&mut self, l: &str, text: u32) -> u32 {
        let id = match self.lits.get(l) {
            Some(&id) => id,
            None => {
                let id = self.lit_str.len() as u32;
                self.lits.insert(l.into(), id);
                self.lit_str.push(l.into());
                self.lit_texts.push(Vec::new());
                id
            }
        };
        if let Some(v) = self.lit_texts.get_mut(id as usize) {
            if !v.contains(&text) {
                v.push(text);
            }
        }
        id
    }

    /// Number of indexed names.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Literal ids that may be similar to a query token (a superset of every literal with a
    /// positive [`crate::score::tok_sim`] other than through an equal comparison form):
    /// deletion neighbours, skeletons and given-name variants (a Han table word's literal is its
    /// pinyin, so a Latin spelling meets it here too). Sorted, deduplicated. A word's initial
    /// (`j` for `joachim`) is not among them: it would retrieve half the lists; screening
    /// compares it through the gate's `initial_of`.
    pub(crate) fn similar_literals(&self, t: &Token) -> Vec<u32> {
        // One deletion on the query side meets up to two on the list side (indexed): every
        // single typo, and two in long words when one of them is a letter too many.
        self.similar_literals_upto(t, 1)
    }

    /// [`Index::similar_literals`] within `max_edits` deletions on the query side.
    pub(crate) fn similar_literals_upto(&self, t: &Token, max_edits: usize) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        if t.han {
            return out;
        }
        let l = t.literal.as_str();
        let mut buf = Vec::new();
        deletion_variants_upto(l, max_edits, &mut buf);
        for v in &buf {
            if let Some(&id) = self.lits.get(v.as_str()) {
                out.push(id);
            }
            out.extend(lookup_sorted(&self.deletes, hash_str(v)));
        }
        out.extend(lookup_sorted(&self.deletes, hash_str(l)));
        out.sort_unstable();
        out.dedup();
        // Keep only literals within the edit budget (deletion neighbourhoods also meet words
        // further apart than it allows).
        out.retain(|&id| {
            self.lit_str
                .get(id as usize)
                .is_some_and(|ls| crate::score::token_sim(l, ls, false) > 0.0)
        });
        if let Some(&id) = self.lits.get(l) {
            out.push(id);
        }
        let s = skeleton(l);
        if !s.is_empty() {
            out.extend(lookup_sorted(&self.skeletons, hash_str(&s)));
        }
        for g in crate::readings::name_groups(&t.text) {
            out.extend(self.group_members.get(g).map_or(&[][..], Vec::as_slice));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The literal id of a word's initial (`j` for `joachim`), when the lists have it.
    pub(crate) fn initial_of(&self, t: &Token) -> Option<u32> {
        let l = t.literal.as_str();
        if t.han || l.len() < 2 {
            return None;
        }
        l.get(..1).and_then(|f| self.lits.get(f)).copied()
    }

    /// Comparison forms standing for these literals.
    pub(crate) fn texts_of<'a>(&'a self, lits: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
        lits.iter()
            .flat_map(|&l| {
                self.lit_texts
                    .get(l as usize)
                    .map_or(&[][..], Vec::as_slice)
            })
            .copied()
    }

    /// Multi-token names whose joined form has this consonant skeleton.
    pub(crate) fn joined_skeleton_names(&self, joined: &str) -> Vec<u32> {
        let s = skeleton(joined);
        if s.len() < 3 {
            return Vec::new();
        }
        lookup_sorted(&self.joined_skel, hash_str(&s)).collect()
    }

    /// The weight of a query token: its IDF, or for a word the lists do not have (a typo,
    /// usually) the IDF of the most similar word they have, so that a misspelt common word
    /// stays common.
    pub(crate) fn weight_of(&self, t: &Token, similar: &[u32]) -> f32 {
        if let Some(&i) = self.vocab.get(t.text.as_str()) {
            return self
                .idf
                .get(i as usize)
                .copied()
                .unwrap_or(self.idf_unknown);
        }
        let mut best: Option<(f32, f32)> = None; // (similarity, weight)
        for &l in similar {
            let Some(ls) = self.lit_str.get(l as usize) else {
                continue;
            };
            let sim = crate::score::token_sim(&t.literal, ls, t.abjad);
            if sim <= 0.0 {
                continue;
            }
            for tid in self
                .lit_texts
                .get(l as usize)
                .map_or(&[][..], Vec::as_slice)
            {
                let w = self
                    .idf
                    .get(*tid as usize)
                    .copied()
                    .unwrap_or(self.idf_unknown);
                if best.is_none_or(|(s, bw)| sim > s || (sim == s && w < bw)) {
                    best = Some((sim, w));
                }
            }
        }
        best.map_or(self.idf_unknown, |(_, w)| w)
    }

    /// A normalised token as the scorer sees it, weighted by this index (`similar`: its
    /// [`Index::similar_literals`]).
    pub(crate) fn view<'a>(&self, t: &'a Token, similar: &[u32]) -> STok<'a> {
        STok {
            text: &t.text,
            literal: &t.literal,
            symbol: t.role == TokenRole::Symbol,
            abjad: t.abjad,
            han: t.han,
            translated: t.translated,
            weight: self.weight_of(t, similar),
            generic: t.role == TokenRole::Symbol && crate::tables::is_generic_symbol(&t.text),
        }
    }

    /// An indexed token as the scorer sees it.
    pub(crate) fn cview(&self, c: CTok) -> STok<'_> {
        let i = c.text as usize;
        STok {
            text: self.vocab_str.get(i).map_or("", |s| s.as_ref()),
            literal: self.lit_str.get(c.lit as usize).map_or("", |s| s.as_ref()),
            symbol: c.flags & F_SYMBOL != 0,
            abjad: c.flags & F_ABJAD != 0,
            han: c.flags & F_HAN != 0,
            translated: c.flags & F_TRANSLATED != 0,
            weight: self.idf.get(i).copied().unwrap_or(self.idf_unknown),
            generic: self.generic.get(i).copied().unwrap_or(false),
        }
    }
}

fn flags_of(t: &Token) -> u8 {
    let mut f = 0;
    if t.role == TokenRole::Symbol {
        f |= F_SYMBOL;
    }
    if t.abjad {
        f |= F_ABJAD;
    }
    if t.han {
        f |= F_HAN;
    }
    if t.translated {
        f |= F_TRANSLATED;
    }
    f
}

#[cfg(test)]
mod lookup_tests {
    use super::lookup_sorted;

    #[test]
    fn interpolated_lookup_finds_every_run_as_binary_search_does() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut v: Vec<(u64, u32)> = (0..5000u32)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Some duplicate keys, and some clustered ones.
                (if i % 7 == 0 { x & !0xFFFF } else { x }, i)
            })
            .collect();
        v.push((0, 1));
        v.push((u64::MAX, 2));
        v.sort_unstable();
        for probe in v.iter().map(|p| p.0).chain([1, 12345, u64::MAX - 1]) {
            let want: Vec<u32> = v.iter().filter(|p| p.0 == probe).map(|p| p.1).collect();
            let got: Vec<u32> = lookup_sorted(&v, probe).collect();
            assert_eq!(got, want, "{probe:x}");
        }
        assert_eq!(lookup_sorted(&[], 7).count(), 0);
    }
}
