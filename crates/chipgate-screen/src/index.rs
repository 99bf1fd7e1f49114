//! The inverted index behind the screener: every list name is normalised once; its evidence
//! tokens go into a vocabulary with IDF weights and postings; a deletion table (SymSpell-style,
//! one deletion) finds typo'd tokens, a consonant-skeleton table serves abjad-script queries,
//! a joined-form table finds names written with or without spaces, and a sorted list of joined
//! forms serves the reading lattices of Han / Hangul queries (`crate::readings`). Queries touch
//! only the postings of their rarest tokens, never the whole list.

use crate::fxhash::{hash_str, FxHashMap};
use crate::model::ListSet;
use crate::normalize::{normalize, skeleton};
use crate::readings::VARIANT_SIM;
use crate::score::{max_edits, osa, SKELETON_SIM};

/// One indexed name (primary or alias) of one entry.
#[derive(Debug, Clone)]
pub(crate) struct NameRec {
    /// (list index, entry index) in the ListSet.
    pub list: u32,
    pub entry: u32,
    /// 0 = primary name, k = alias k-1.
    pub alias: u32,
    /// Evidence token ids.
    pub toks: Box<[u32]>,
}

/// Inverted index over all names of a ListSet.
#[derive(Debug, Default)]
pub struct Index {
    pub(crate) names: Vec<NameRec>,
    pub(crate) vocab: FxHashMap<Box<str>, u32>,
    pub(crate) vocab_str: Vec<Box<str>>,
    pub(crate) idf: Vec<f32>,
    pub(crate) postings: Vec<Vec<u32>>,
    /// Joined evidence (names with ≥ 2 tokens) → name ids.
    pub(crate) joined: FxHashMap<Box<str>, Vec<u32>>,
    /// (hash of a one-deletion variant, vocab id), sorted.
    pub(crate) deletes: Vec<(u64, u32)>,
    /// (hash of consonant skeleton, vocab id), sorted.
    pub(crate) skeletons: Vec<(u64, u32)>,
    /// (hash of the consonant skeleton of a multi-token name's joined form, name id), sorted.
    pub(crate) joined_skel: Vec<(u64, u32)>,
    /// Generic business words: table symbols (`tech`, `invest`, `trade`, ...) and tokens found
    /// in at least [`GENERIC_DF`] names.
    pub(crate) generic: Vec<bool>,
    /// Weight of a token that is not in the vocabulary.
    pub(crate) idf_unknown: f32,
    /// (joined evidence form, name id), sorted by form: every name, plus the rotation that puts
    /// the last token first for names of two or three tokens ("Taro Yamada" / "Yamada Taro").
    /// Walked by reading lattices of Han / Hangul queries.
    pub(crate) sorted_joined: Vec<(Box<str>, u32)>,
    /// Given-name variant group → vocabulary ids of its members.
    pub(crate) group_members: FxHashMap<u16, Vec<u32>>,
}

/// Added to every token's IDF: keeps common business words ("shipping", "investment") from
/// weighing almost nothing, so a name is not a hit just because its one rare word matched.
pub const WEIGHT_FLOOR: f32 = 2.0;

/// A token in at least this many list names counts as a generic word.
pub const GENERIC_DF: usize = 40;

/// Name particles ("bin", "al", "de", "van"): they link or qualify the words that identify a
/// person and weigh [`PARTICLE_WEIGHT`] of their IDF weight.
pub const NAME_PARTICLES: [&str; 20] = [
    "al", "el", "bin", "ibn", "ben", "bint", "binti", "abu", "ould", "ul", "ud", "da", "de", "del",
    "della", "der", "di", "dos", "van", "von",
];
/// Share of its IDF weight a name particle keeps.
pub const PARTICLE_WEIGHT: f32 = 0.4;

fn lookup_sorted(v: &[(u64, u32)], h: u64) -> impl Iterator<Item = u32> + '_ {
    let start = v.partition_point(|x| x.0 < h);
    v[start..].iter().take_while(move |x| x.0 == h).map(|x| x.1)
}

impl Index {
    /// Build the index for all names in `lists`.
    pub fn build(lists: &ListSet) -> Index {
        let mut ix = Index::default();
        for (li, list) in lists.lists.iter().enumerate() {
            for (ei, e) in list.entries.iter().enumerate() {
                for (ai, name) in e.all_names().enumerate() {
                    let n = normalize(name);
                    let mut toks: Vec<u32> = Vec::new();
                    for t in n.evidence() {
                        let id = ix.intern(&t.text);
                        if t.role == crate::normalize::TokenRole::Symbol {
                            if let Some(g) = ix.generic.get_mut(id as usize) {
                                *g = true;
                            }
                        }
                        if !toks.contains(&id) {
                            toks.push(id);
                        }
                    }
                    if toks.is_empty() {
                        continue;
                    }
                    let nid = ix.names.len() as u32;
                    for &t in &toks {
                        if let Some(p) = ix.postings.get_mut(t as usize) {
                            p.push(nid);
                        }
                    }
                    // Only Latin names: a Han / Hangul name is compared by its characters.
                    let latin = n.evidence().all(|t| !t.han);
                    for j in crate::readings::joined_forms(&n)
                        .into_iter()
                        .filter(|_| latin)
                    {
                        ix.sorted_joined.push((j.into_boxed_str(), nid));
                    }
                    if toks.len() >= 2 {
                        let j: String = n.joined();
                        ix.joined_skel
                            .push((hash_str(&skeleton(&j)), ix.names.len() as u32));
                        ix.joined.entry(j.into_boxed_str()).or_default().push(nid);
                    }
                    ix.names.push(NameRec {
                        list: li as u32,
                        entry: ei as u32,
                        alias: ai as u32,
                        toks: toks.into_boxed_slice(),
                    });
                }
            }
        }
        let n = ix.names.len().max(1) as f32;
        let floor = WEIGHT_FLOOR;
        for (g, p) in ix.generic.iter_mut().zip(&ix.postings) {
            *g = *g || p.len() >= GENERIC_DF;
        }
        ix.idf = ix
            .postings
            .iter()
            .zip(&ix.vocab_str)
            .map(|(p, t)| {
                let w = floor + (1.0 + n / p.len().max(1) as f32).ln();
                if NAME_PARTICLES.contains(&t.as_ref()) {
                    w * PARTICLE_WEIGHT
                } else {
                    w
                }
            })
            .collect();
        ix.idf_unknown = floor + (1.0 + n).ln();
        let mut dels = Vec::new();
        let mut skels = Vec::new();
        let mut buf = String::new();
        for (id, t) in ix.vocab_str.iter().enumerate() {
            let b = t.as_bytes();
            if b.len() >= 4 {
                for i in 0..b.len() {
                    buf.clear();
                    buf.push_str(&t[..i]);
                    buf.push_str(&t[i + 1..]);
                    dels.push((hash_str(&buf), id as u32));
                }
            }
            let s = skeleton(t);
            if !s.is_empty() {
                skels.push((hash_str(&s), id as u32));
            }
        }
        for (id, t) in ix.vocab_str.iter().enumerate() {
            for &g in crate::readings::name_groups(t) {
                ix.group_members.entry(g).or_default().push(id as u32);
            }
        }
        ix.sorted_joined.sort_unstable();
        ix.sorted_joined.dedup();
        dels.sort_unstable();
        dels.dedup();
        skels.sort_unstable();
        ix.deletes = dels;
        ix.joined_skel.sort_unstable();
        ix.skeletons = skels;
        ix
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

    /// Number of indexed names.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Vocabulary tokens similar to `t`, with their similarity (best first, at most 16).
    pub(crate) fn expand(&self, t: &str, abjad: bool, exact_only: bool) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = Vec::new();
        if let Some(&id) = self.vocab.get(t) {
            out.push((id, 1.0));
        }
        if exact_only {
            return out;
        }
        let tb = t.as_bytes();
        if tb.len() >= 4 && t.is_char_boundary(0) {
            let mut cands: Vec<u32> = lookup_sorted(&self.deletes, hash_str(t)).collect();
            let mut buf = String::with_capacity(t.len());
            if t.is_ascii() {
                for i in 0..tb.len() {
                    buf.clear();
                    buf.push_str(&t[..i]);
                    buf.push_str(&t[i + 1..]);
                    if let Some(&id) = self.vocab.get(buf.as_str()) {
                        cands.push(id);
                    }
                    cands.extend(lookup_sorted(&self.deletes, hash_str(&buf)));
                }
            }
            cands.sort_unstable();
            cands.dedup();
            for id in cands {
                let Some(v) = self.vocab_str.get(id as usize) else {
                    continue;
                };
                if v.as_ref() == t {
                    continue;
                }
                let maxd = max_edits(v.len().min(tb.len()));
                if maxd == 0 {
                    continue;
                }
                let d = osa(tb, v.as_bytes(), maxd);
                if d <= maxd {
                    out.push((
                        id,
                        crate::score::edit_sim(d, v.len().max(tb.len()))
                            * crate::score::first_letter_factor(t, v),
                    ));
                }
            }
        }
        for g in crate::readings::name_groups(t) {
            for &id in self.group_members.get(g).map_or(&[][..], Vec::as_slice) {
                match out.iter_mut().find(|x| x.0 == id) {
                    Some(x) => x.1 = x.1.max(VARIANT_SIM),
                    None => out.push((id, VARIANT_SIM)),
                }
            }
        }
        if abjad {
            let s = skeleton(t);
            if !s.is_empty() {
                for id in lookup_sorted(&self.skeletons, hash_str(&s)) {
                    if self
                        .vocab_str
                        .get(id as usize)
                        .is_some_and(|v| skeleton(v) == s)
                    {
                        match out.iter_mut().find(|x| x.0 == id) {
                            Some(x) => x.1 = x.1.max(SKELETON_SIM),
                            None => out.push((id, SKELETON_SIM)),
                        }
                    }
                }
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out.truncate(16);
        out
    }

    /// Multi-token names whose joined form has this consonant skeleton.
    pub(crate) fn joined_skeleton_names(&self, joined: &str) -> Vec<u32> {
        let s = skeleton(joined);
        if s.len() < 3 {
            return Vec::new();
        }
        lookup_sorted(&self.joined_skel, hash_str(&s)).collect()
    }

    /// Whether a comparison token is a generic business word.
    pub(crate) fn is_generic(&self, t: &crate::normalize::Token) -> bool {
        t.role == crate::normalize::TokenRole::Symbol
            || self
                .vocab
                .get(t.text.as_str())
                .and_then(|&i| self.generic.get(i as usize))
                .copied()
                .unwrap_or(false)
    }

    pub(crate) fn idf_of(&self, t: &str) -> f32 {
        self.vocab
            .get(t)
            .and_then(|&i| self.idf.get(i as usize))
            .copied()
            .unwrap_or(self.idf_unknown)
    }
}
