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
use crate::sorted_table::SortedTable;
use serde::{Deserialize, Serialize};

/// Flags of an indexed token.
pub(crate) const F_SYMBOL: u8 = 1;
pub(crate) const F_ABJAD: u8 = 2;
pub(crate) const F_HAN: u8 = 4;
pub(crate) const F_TRANSLATED: u8 = 8;
/// The name writes this word more than once (`ABDUL KABIR ABDUL JAN`).
pub(crate) const F_REPEATED: u8 = 16;

/// One evidence token of an indexed name.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct CTok {
    /// Comparison form (vocabulary id).
    pub text: u32,
    /// Literal (literal vocabulary id).
    pub lit: u32,
    pub flags: u8,
    /// Derived from the vocabularies by [`Index::refresh_derived`] (not stored in snapshots), so
    /// that screening reads a candidate's weights from its record alone: the IDF weight of
    /// `text`, ...
    #[serde(skip)]
    pub weight: f32,
    /// ... the literal's length in bytes, ...
    #[serde(skip)]
    pub lit_len: u16,
    /// ... whether `text` is a generic business word, ...
    #[serde(skip)]
    pub generic: bool,
    /// ... whether it is common in real company names (`tables::is_company_word`), ...
    #[serde(skip)]
    pub common: bool,
    /// ... and whether it is a place (`tables::is_place`).
    #[serde(skip)]
    pub place: bool,
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
    /// [`whole_key`] of the name as written, legal forms included (stored once, in
    /// `Index::wholes`).
    #[serde(skip)]
    pub whole: u64,
    /// The name carries a legal form or company word.
    pub org: bool,
    /// The entry is an individual's, or a group name (scored with coverage).
    pub person: bool,
    pub group: bool,
}

/// Inverted index over all names of a ListSet.
#[derive(Debug, Default)]
pub struct Index {
    /// Derived: a number no other index built or loaded in this process has, for memos of
    /// answers that depend on the index (`literal_cache`).
    pub(crate) cache_id: u64,
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
    /// ([`del_hash`] of a literal or of a deletion variant of it, literal id), sorted: every
    /// ASCII literal as written, and its [`deletion_variants`].
    pub(crate) deletes: SortedTable,
    /// (hash of the consonant skeleton of a literal, literal id), sorted.
    pub(crate) skeletons: SortedTable,
    /// (hash of the consonant skeleton of a multi-token name's joined form, name id), sorted.
    pub(crate) joined_skel: SortedTable,
    /// ([`del_hash`] of the joined literals of a multi-token name, or of a one-deletion
    /// variant of them, name id), sorted: names written with one typo in their joined form
    /// (`whole_name` in the screener) are found through it, whatever the length of the word
    /// the typo is in. Only joined forms of [`JOINED_DEL_MIN`]..=[`JOINED_DEL_MAX`] bytes.
    pub(crate) joined_deletes: SortedTable,
    /// Generic business words: table symbols (`tech`, `invest`, `trade`, ...) other than
    /// named organisations.
    pub(crate) generic: Vec<bool>,
    /// Derived: words common in real company names, and places, by vocabulary id.
    pub(crate) common: Vec<bool>,
    pub(crate) place: Vec<bool>,
    /// Weight of a token that is not in the vocabulary.
    pub(crate) idf_unknown: f32,
    /// (joined evidence form, name id), sorted by form: every name, plus the rotation that puts
    /// the last token first for names of two or three tokens ("Taro Yamada" / "Yamada Taro").
    /// Walked by reading lattices of Han / Hangul queries.
    pub(crate) sorted_joined: Vec<(Box<str>, u32)>,
    /// Given-name variant group → literal ids of its members.
    pub(crate) group_members: FxHashMap<u16, Vec<u32>>,
    /// ([`whole_key`], name id), sorted: names written exactly alike, legal forms and spaces
    /// aside (`SiemensAG` / `Siemens AG`).
    pub(crate) wholes: SortedTable,
    /// Derived ([`Index::refresh_derived`]): the literal is written in an abjad script in some
    /// name, so a Latin query word may meet it by consonant skeleton.
    pub(crate) lit_abjad: Vec<bool>,
}

/// Added to every token's IDF: keeps common business words ("shipping", "investment") from
/// weighing almost nothing, so a name is not a hit just because its one rare word matched.
pub const WEIGHT_FLOOR: f32 = 2.0;

/// Factor on the weight of a Chinese place (`tables::is_place`): `Zhejiang Dahua Technology`
/// is `Dahua Technology` of Zhejiang; the place says where a company sits, not who it is.
pub const PLACE_WEIGHT: f32 = 0.35;

/// Factor on the weight of a number or Roman numeral (`VI`, `2004`): numbered names are
/// usually siblings (funds, trusts, vessels) of one family, which screening should show.
pub const NUMERAL_WEIGHT: f32 = 0.3;

/// Tokens of a name that are compared, at most (longer names keep their first ones).
pub const MAX_TOKENS: usize = 60;

/// Shortest joined form that may differ by a typo (as the screener's whole-name comparison
/// allows), and the longest indexed for it.
pub(crate) const JOINED_DEL_MIN: usize = 8;
pub(crate) const JOINED_DEL_MAX: usize = 40;

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

/// Multiplier of [`del_hash`]'s polynomial (odd).
const DEL_P: u64 = 0x100_0000_01b3;

/// Spreads a polynomial hash over all 64 bits (the deletion table is searched by
/// interpolation, which needs evenly spread keys).
fn del_mix(h: u64, len: usize) -> u64 {
    let mut x = h ^ (len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hash of a word in the deletion table: a polynomial over its bytes, so that the hashes of
/// all its one-deletion variants follow from one pass ([`del_hashes_one`]) without building
/// the variants.
pub(crate) fn del_hash(b: &[u8]) -> u64 {
    let h = b.iter().fold(0u64, |h, &x| {
        h.wrapping_mul(DEL_P).wrapping_add(u64::from(x) + 1)
    });
    del_mix(h, b.len())
}

/// [`del_hash`] of every variant of `b` with one byte deleted (duplicates removed), into `out`.
pub(crate) fn del_hashes_one(b: &[u8], out: &mut Vec<u64>) {
    out.clear();
    let n = b.len();
    if n == 0 {
        return;
    }
    // full = pre(i+1)·P^(n-1-i) + suffix(i+1); deleting byte i leaves
    // pre(i)·P^(n-1-i) + suffix(i+1) = full - (pre(i+1) - pre(i))·P^(n-1-i).
    let full = b.iter().fold(0u64, |h, &x| {
        h.wrapping_mul(DEL_P).wrapping_add(u64::from(x) + 1)
    });
    let mut pw = 1u64; // P^(n-1-i), walking i downwards
    let mut pres = [0u64; 65];
    let mut pre = 0u64;
    let long = n > 64;
    if !long {
        for (k, &x) in b.iter().enumerate() {
            if let Some(p) = pres.get_mut(k) {
                *p = pre;
            }
            pre = pre.wrapping_mul(DEL_P).wrapping_add(u64::from(x) + 1);
        }
    }
    for i in (0..n).rev() {
        let pre_i = if long {
            b.iter().take(i).fold(0u64, |h, &x| {
                h.wrapping_mul(DEL_P).wrapping_add(u64::from(x) + 1)
            })
        } else {
            pres.get(i).copied().unwrap_or(0)
        };
        let x = b.get(i).map_or(0, |&x| u64::from(x) + 1);
        let step = pre_i
            .wrapping_mul(DEL_P)
            .wrapping_add(x)
            .wrapping_sub(pre_i);
        out.push(del_mix(full.wrapping_sub(step.wrapping_mul(pw)), n - 1));
        pw = pw.wrapping_mul(DEL_P);
    }
    out.sort_unstable();
    out.dedup();
}

/// [`del_hash`] of every variant of a queried word with one deletion, and with two when `two`
/// and the word is long ([`TWO_EDIT_LEN`]), appended to `out` (duplicates kept).
fn query_deletion_hashes(b: &[u8], two: bool, out: &mut Vec<u64>) {
    let mut h = Vec::with_capacity(b.len());
    del_hashes_one(b, &mut h);
    out.extend_from_slice(&h);
    if !two || b.len() < TWO_EDIT_LEN {
        return;
    }
    let mut v = Vec::with_capacity(b.len());
    for i in 0..b.len() {
        // Deleting either of two equal neighbours gives the same variant.
        if i > 0 && b.get(i) == b.get(i - 1) {
            continue;
        }
        v.clear();
        v.extend_from_slice(b.get(..i).unwrap_or_default());
        v.extend_from_slice(b.get(i + 1..).unwrap_or_default());
        del_hashes_one(&v, &mut h);
        out.extend_from_slice(&h);
    }
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

/// Key of a name as written, every word included (legal forms and function words too), with
/// spaces and punctuation removed: equal keys are the same name (`Société Générale S.A.` /
/// `Societe Generale S.A.`, `SiemensAG` / `Siemens AG`). Words a query reads in several ways
/// (a Chinese phrase, a Russian spelling of Chinese) count once, as first written.
pub(crate) fn whole_key(n: &NormalizedName) -> u64 {
    let mut b: Vec<u8> = Vec::new();
    let mut last_phrase = 0;
    for t in &n.tokens {
        if t.phrase != 0 && t.phrase == last_phrase {
            continue;
        }
        last_phrase = t.phrase;
        let w = if t.literal.is_empty() {
            &t.text
        } else {
            &t.literal
        };
        let mut buf = [0u8; 4];
        for c in w.chars().filter(|c| c.is_alphanumeric()) {
            b.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    del_hash(&b)
}

/// Whether a name writes a word (its comparison form) more than once: names are indexed and
/// scored by their distinct words, so the second `ABDUL` of `ABDUL KABIR ABDUL JAN` is kept as
/// this mark.
pub(crate) fn is_repeated(n: &NormalizedName, t: &Token) -> bool {
    n.evidence().filter(|x| x.text == t.text).nth(1).is_some()
}

/// Whether a name reads as an organisation's: it carries a company word, or a legal form
/// written with a dot or of three letters or more (a bare two-letter word at the end of a
/// name, like `Yu` in "HUA, Shi Yu", may be a person's name as well as a legal form).
pub(crate) fn is_org(n: &NormalizedName) -> bool {
    n.tokens.iter().any(|t| t.role == TokenRole::Symbol) || has_legal_form(n)
}

/// Whether a name carries a legal form written with a dot, of three letters or more, or of
/// two letters without a vowel (`BV`, `KG`, `SL`: no syllable of a person's name, unlike `Yu`)
/// (a function word set aside, `THE`, `AND`, is none). A form written in dotted letters
/// (`B.V.`, `S.A.`) is read letter by letter: its source keeps a space where each dot was.
fn has_legal_form(n: &NormalizedName) -> bool {
    n.set_aside().any(|t| {
        let letters = t.source.chars().filter(|c| c.is_alphanumeric()).count();
        !crate::normalize::is_function_word(&t.text)
            && (t.source.contains(['.', ' '])
                || letters >= 3
                || (letters == 2
                    && t.source.is_ascii()
                    && !t.text.contains(['a', 'e', 'i', 'o', 'u', 'y'])))
    })
}

/// Whether a name is a company's beyond doubt, not possibly a person's: it carries a legal
/// form ([`has_legal_form`]), or name-table words make at least half its words. One table word
/// among personal names is a name (`Mohammed Mir Wali Rahim`: `mir` is Russian for world).
pub(crate) fn is_company(n: &NormalizedName) -> bool {
    let symbols = n
        .tokens
        .iter()
        .filter(|t| t.role == TokenRole::Symbol)
        .count();
    (symbols > 0 && 2 * symbols >= n.evidence().count()) || has_legal_form(n)
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
        let mut hbuf = Vec::new();
        // New records of the sorted tables, merged into them at the end.
        let (mut wholes, mut joined_deletes, mut joined_skel) =
            (Vec::new(), Vec::new(), Vec::new());
        let (mut deletes, mut skeletons) = (Vec::new(), Vec::new());
        for (li, list) in lists.lists.iter().enumerate().skip(from) {
            for (ei, e) in list.entries.iter().enumerate() {
                for (ai, name) in e.match_names().enumerate() {
                    let n = crate::normalize::listed_form(&normalize(&name));
                    let ev = unique_evidence(&n);
                    if ev.is_empty() {
                        continue;
                    }
                    let nid = ix.names.len() as u32;
                    let whole = whole_key(&n);
                    wholes.push((whole, nid));
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
                            flags: flags_of(t) | if is_repeated(&n, t) { F_REPEATED } else { 0 },
                            weight: 0.0,
                            lit_len: 0,
                            generic: false,
                            common: false,
                            place: false,
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
                        let jl: String = ev.iter().map(|t| t.literal.as_str()).collect();
                        if jl.is_ascii() && (JOINED_DEL_MIN..=JOINED_DEL_MAX).contains(&jl.len()) {
                            joined_deletes.push((del_hash(jl.as_bytes()), nid));
                            del_hashes_one(jl.as_bytes(), &mut hbuf);
                            joined_deletes.extend(hbuf.iter().map(|&h| (h, nid)));
                        }
                        let j: String = ev.iter().map(|t| t.text.as_str()).collect();
                        joined_skel.push((hash_str(&skeleton(&j)), nid));
                        ix.joined.entry(j.into_boxed_str()).or_default().push(nid);
                    }
                    ix.names.push(NameRec {
                        list: li as u32,
                        entry: ei as u32,
                        alias: ai as u32,
                        toks: toks.into_boxed_slice(),
                        whole,
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
                } else if crate::tables::is_place(t) {
                    w * PLACE_WEIGHT
                } else if crate::score::is_numeral(t, false) {
                    w * NUMERAL_WEIGHT
                } else {
                    w
                }
            })
            .collect();
        ix.idf_unknown = WEIGHT_FLOOR + (1.0 + n).ln();
        let mut buf = Vec::new();
        for (id, t) in ix.lit_str.iter().enumerate().skip(first_lit) {
            deletion_variants(t, &mut buf);
            deletes.extend(buf.iter().map(|v| (del_hash(v.as_bytes()), id as u32)));
            if t.is_ascii() {
                deletes.push((del_hash(t.as_bytes()), id as u32));
            }
            // The word as written when it has an `x` (folded to `ks`), for typos measured on it
            // (see `similar_literals_upto`): `impe` is one deletion from `impex`.
            if t.is_ascii() && t.contains("ks") {
                let u = t.replace("ks", "x");
                deletion_variants(&u, &mut buf);
                deletes.extend(buf.iter().map(|v| (del_hash(v.as_bytes()), id as u32)));
                deletes.push((del_hash(u.as_bytes()), id as u32));
            }
            // Other spellings of the word (`normalize::spelling_key`) find it by its key.
            if let Some(k) = crate::normalize::spelling(t) {
                deletes.push((del_hash(k.as_bytes()), id as u32));
            }
            let s = skeleton(t);
            if !s.is_empty() {
                skeletons.push((hash_str(&s), id as u32));
            }
            for &g in crate::readings::name_groups(t) {
                ix.group_members.entry(g).or_default().push(id as u32);
            }
        }
        ix.sorted_joined.sort_unstable();
        ix.sorted_joined.dedup();
        ix.wholes = ix.wholes.merged(wholes, false);
        ix.deletes = ix.deletes.merged(deletes, true);
        ix.skeletons = ix.skeletons.merged(skeletons, false);
        ix.joined_skel = ix.joined_skel.merged(joined_skel, false);
        ix.joined_deletes = ix.joined_deletes.merged(joined_deletes, true);
        ix.refresh_derived();
    }

    /// Fill in the derived fields of every indexed token ([`CTok::weight`], ...) from the
    /// vocabularies: after indexing, and after loading a snapshot.
    pub(crate) fn refresh_derived(&mut self) {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        self.cache_id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.lit_abjad = vec![false; self.lit_str.len()];
        self.common = self
            .vocab_str
            .iter()
            .map(|t| crate::tables::is_company_word(t))
            .collect();
        self.place = self
            .vocab_str
            .iter()
            .map(|t| crate::tables::is_place(t))
            .collect();
        for rec in &mut self.names {
            for c in rec.toks.iter_mut() {
                if c.flags & F_ABJAD != 0 {
                    if let Some(a) = self.lit_abjad.get_mut(c.lit as usize) {
                        *a = true;
                    }
                }
                let i = c.text as usize;
                c.weight = self.idf.get(i).copied().unwrap_or(self.idf_unknown);
                c.generic = self.generic.get(i).copied().unwrap_or(false);
                c.common = self.common.get(i).copied().unwrap_or(false);
                c.place = self.place.get(i).copied().unwrap_or(false);
                c.lit_len = self
                    .lit_str
                    .get(c.lit as usize)
                    .map_or(0, |l| u16::try_from(l.len()).unwrap_or(u16::MAX));
            }
        }
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
    /// compares it through the gate's `initial_of`. Nor, for a word the lists have, are the
    /// long words two typos from it that take two deletions on its side (a wrong letter and
    /// one too many): a listed word is found as itself, and the lookups cost.
    pub(crate) fn similar_literals(&self, t: &Token) -> Vec<u32> {
        // One deletion on the query side (two in long words) meets up to two on the list side
        // (indexed): every single typo, and two in long words. Remembered per thread.
        crate::literal_cache::similar_literals(
            self.cache_id,
            &t.literal,
            &t.text,
            t.abjad,
            t.han,
            || self.similar_literals_upto(t, 2),
        )
    }

    /// [`Index::similar_literals`] within `max_edits` deletions on the query side.
    pub(crate) fn similar_literals_upto(&self, t: &Token, max_edits: usize) -> Vec<u32> {
        self.similar_literals_within(t, max_edits, self.lits.contains_key(t.literal.as_str()))
    }

    /// [`Index::similar_literals`] of a word the lists have, looked up as if they had not:
    /// for a query whose lists or date leave out every name that has it.
    pub(crate) fn similar_literals_unlisted(&self, t: &Token) -> Vec<u32> {
        self.similar_literals_within(t, 2, false)
    }

    /// [`Index::similar_literals_upto`], `listed` telling whether the word counts as one the
    /// lists have (found as itself, so two typos in it are not looked for).
    fn similar_literals_within(&self, t: &Token, max_edits: usize, listed: bool) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        if t.han {
            return out;
        }
        let l = t.literal.as_str();
        // The deletion table holds every ASCII literal and its deletion variants: the literals
        // equal to a deletion of the query word, those with a deletion equal to it or to a
        // deletion of it, and the word itself.
        if max_edits > 0 && l.is_ascii() && l.len() >= 4 {
            // Two typos between long words ([`max_edits`]) may take two deletions on each side
            // (a wrong letter and a letter too many: `constxuction`, folded `constksuction`, /
            // `construction`). Only for words the lists do not have: a listed word is found as
            // itself.
            let two = max_edits >= 2 && !listed;
            let mut hashes = Vec::new();
            query_deletion_hashes(l.as_bytes(), two, &mut hashes);
            // The word as written when it has an `x` (folded to `ks`), for typos measured on
            // it: an `x` written by mistake is one deletion from the listed word (`kixpas`,
            // folded `kikspas`, / `kipas`).
            if l.contains("ks") {
                let u = l.replace("ks", "x");
                query_deletion_hashes(u.as_bytes(), two, &mut hashes);
                hashes.push(del_hash(u.as_bytes()));
            }
            hashes.sort_unstable();
            hashes.dedup();
            for h in hashes {
                out.extend(self.deletes.lookup(h));
            }
        }
        out.extend(self.deletes.lookup(del_hash(l.as_bytes())));
        // Spellings of the word in other transliteration systems: those whose key it is,
        // and those whose key its own key is or equals (`eliseev`, key `elisiv`, / `elisiv`).
        if let Some(k) = crate::normalize::spelling(l) {
            out.extend(self.deletes.lookup(del_hash(k.as_bytes())));
            out.extend(self.lits.get(k.as_str()));
        }
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
        // Consonant skeletons count only where one side is written in an abjad script
        // (`tok_sim`), so a Latin word meets only the literals some list writes that way.
        let s = skeleton(l);
        if !s.is_empty() {
            out.extend(self.skeletons.lookup(hash_str(&s)).filter(|&id| {
                t.abjad || self.lit_abjad.get(id as usize).copied().unwrap_or(false)
            }));
        }
        for g in crate::readings::name_groups(&t.text) {
            out.extend(self.group_members.get(g).map_or(&[][..], Vec::as_slice));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The literal ids of the two words a word is made of, for every way of cutting it into
    /// two words of three letters or more that the lists both have (each half folded as a word:
    /// `zhukovskiycentral` → `zhukovsky` + `central`).
    pub(crate) fn known_halves(&self, w: &str) -> Vec<u32> {
        let mut out = Vec::new();
        if !w.is_ascii() || w.len() < 6 {
            return out;
        }
        // The word is folded already; of its halves, only the first may fold further (its
        // own `-iy` ending).
        for k in 3..=w.len() - 3 {
            let (a, b) = w.split_at(k);
            let Some(&y) = self.lits.get(b) else { continue };
            let x = self.lits.get(a).copied().or_else(|| {
                (a.ends_with("iy") || a.ends_with("ii"))
                    .then(|| self.lits.get(crate::normalize::fold(a).as_str()).copied())
                    .flatten()
            });
            if let Some(x) = x {
                out.extend([x, y]);
            }
        }
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

    /// Multi-token names whose joined literals are within one edit of `joined` (a superset:
    /// deletion neighbourhoods, hash collisions included), when its length allows a typo.
    pub(crate) fn joined_typo_names(&self, joined: &str, out: &mut Vec<u32>) {
        let b = joined.as_bytes();
        if !joined.is_ascii() || b.len() + 1 < JOINED_DEL_MIN || b.len() > JOINED_DEL_MAX + 1 {
            return;
        }
        let mut hashes = Vec::new();
        del_hashes_one(b, &mut hashes);
        hashes.push(del_hash(b));
        for h in hashes {
            out.extend(self.joined_deletes.lookup(h));
        }
    }

    /// Multi-token names whose joined form has this consonant skeleton.
    pub(crate) fn joined_skeleton_names(&self, joined: &str) -> Vec<u32> {
        let s = skeleton(joined);
        if s.len() < 3 {
            return Vec::new();
        }
        self.joined_skel.lookup(hash_str(&s)).collect()
    }

    /// The weight of a query token: its IDF, or for a word the lists do not have (a typo,
    /// usually) the lowest IDF of the words they have that it may be a misspelling or another
    /// spelling of, so that a misspelt common word stays common (`iarn` is `iran` misspelt or
    /// `yarn` spelt another way: it weighs what the more common `iran` does).
    pub(crate) fn weight_of(&self, t: &Token, similar: &[u32]) -> f32 {
        if let Some(&i) = self.vocab.get(t.text.as_str()) {
            return self
                .idf
                .get(i as usize)
                .copied()
                .unwrap_or(self.idf_unknown);
        }
        if crate::tables::is_place(&t.text) {
            return self.idf_unknown * PLACE_WEIGHT;
        }
        if crate::score::is_numeral(&t.text, false) {
            return self.idf_unknown * NUMERAL_WEIGHT;
        }
        similar
            .iter()
            .filter(|&&l| {
                self.lit_str
                    .get(l as usize)
                    .is_some_and(|ls| crate::score::token_sim(&t.literal, ls, t.abjad) > 0.0)
            })
            .flat_map(|&l| {
                self.lit_texts
                    .get(l as usize)
                    .map_or(&[][..], Vec::as_slice)
            })
            .map(|&tid| {
                self.idf
                    .get(tid as usize)
                    .copied()
                    .unwrap_or(self.idf_unknown)
            })
            .reduce(f32::min)
            .unwrap_or(self.idf_unknown)
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
            repeated: false,
            weight: self.weight_of(t, similar),
            generic: t.role == TokenRole::Symbol && crate::tables::is_generic_symbol(&t.text),
            common: crate::tables::is_company_word(&t.text),
            place: crate::tables::is_place(&t.text),
            phrase: t.phrase,
            joined: t.joined,
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
            repeated: c.flags & F_REPEATED != 0,
            weight: c.weight,
            generic: c.generic,
            common: c.common,
            place: c.place,
            phrase: 0,
            joined: false,
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
    use super::{del_hash, del_hashes_one};

    #[test]
    fn deletion_hashes_are_the_hashes_of_the_deleted_words() {
        let long: String = "abcdefghij".repeat(7);
        for w in ["huawei", "aab", "a", "abba", "technologies", long.as_str()] {
            let mut want: Vec<u64> = (0..w.len())
                .map(|i| {
                    let mut v = w.as_bytes().to_vec();
                    v.remove(i);
                    del_hash(&v)
                })
                .collect();
            want.sort_unstable();
            want.dedup();
            let mut got = Vec::new();
            del_hashes_one(w.as_bytes(), &mut got);
            assert_eq!(got, want, "{w}");
        }
        assert_ne!(del_hash(b"ab"), del_hash(b"ba"));
        assert_ne!(del_hash(b""), del_hash(b"\0"));
    }
}

#[cfg(test)]
mod retrieval_tests {
    use super::Index;
    use crate::model::ListSet;
    use crate::normalize::normalize;
    use crate::score::token_sim;

    fn index_of(names: &[&str]) -> Index {
        Index::build(&ListSet::of_names("test", names))
    }

    /// Every word within the scorer's edit budget of a listed word finds it (the superset
    /// `similar_literals` promises), two typos in long words included: two wrong letters, a
    /// wrong letter and one too many or too few (`x` folds to two letters, `ks`).
    #[test]
    fn similar_literals_find_every_word_the_scorer_takes() {
        let listed = [
            "construction",
            "izhladabank",
            "establishment",
            "alexander",
            "impex",
        ];
        let ix = index_of(&listed);
        let mut checked = 0;
        for w in listed {
            let b = w.as_bytes();
            let mut queries: Vec<String> = Vec::new();
            for i in 0..b.len() {
                for j in i..=b.len() {
                    for (x, y) in [(b'q', b'z'), (b'x', b'x'), (b'e', b'a')] {
                        // Letter `i` replaced, letter `y` inserted at `j`.
                        let mut v = b.to_vec();
                        if let Some(c) = v.get_mut(i) {
                            *c = x;
                        }
                        v.insert(j, y);
                        queries.push(String::from_utf8_lossy(&v).into_owned());
                        // Letters `i` and `j` replaced.
                        let mut v = b.to_vec();
                        for (k, z) in [(i, x), (j, y)] {
                            if let Some(c) = v.get_mut(k) {
                                *c = z;
                            }
                        }
                        queries.push(String::from_utf8_lossy(&v).into_owned());
                        // Letter `j` replaced (none at the end), letter `i` deleted.
                        let mut v = b.to_vec();
                        if let Some(c) = v.get_mut(j) {
                            *c = y;
                        }
                        v.remove(i);
                        queries.push(String::from_utf8_lossy(&v).into_owned());
                    }
                }
            }
            let folded = normalize(w);
            let folded = folded.evidence().next().expect("a word");
            let lit = ix
                .lits
                .get(folded.literal.as_str())
                .copied()
                .expect("listed literal");
            for q in &queries {
                let n = normalize(q);
                let Some(t) = n.evidence().next() else {
                    continue;
                };
                let listed_lit = ix.lit_str.get(lit as usize).map_or("", |s| s.as_ref());
                if token_sim(&t.literal, listed_lit, false) <= 0.0 {
                    continue;
                }
                checked += 1;
                assert!(
                    ix.similar_literals(t).contains(&lit),
                    "{q} ({}) does not find {w}",
                    t.literal
                );
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}
