//! Readings of names across scripts, for names whose Latin spelling cannot be derived by plain
//! transliteration:
//!
//! - Hangul syllables → the romanisations seen in practice (Revised Romanization,
//!   McCune–Reischauer without diacritics, common spellings such as `sung`, `joo`) plus the usual
//!   spellings of Korean surnames (`박` → Park / Pak / Bak, `이` → Lee / Yi / Rhee);
//! - Han characters → their Korean readings (hanja → Hangul, then as above), Japanese on / kun
//!   readings (with long-vowel spellings and rendaku voicing inside a name) and pinyin;
//! - given names → groups of cross-language variants (Alexandros ~ Alexander ~ Aleksandr).
//!
//! A name with Han or Hangul tokens becomes a [`Lattice`]: one set of alternative spellings per
//! character / syllable. It matches a Latin name when some path through the lattice spells that
//! name's joined form exactly; [`Lattice::search`] walks the lattice against the index's sorted
//! joined forms, pruning every prefix no list name starts with.
//!
//! Tables (`data/`): `cjk_readings.tsv` from the Unicode Unihan database (Unicode License v3),
//! `korean_surnames.tsv` and `given_name_variants.tsv` written for this crate.

use crate::fxhash::FxHashMap;
use crate::normalize::NormalizedName;
use pinyin::ToPinyin;
use std::sync::OnceLock;

const CJK: &str = include_str!("../data/cjk_readings.tsv");
const SURNAMES: &str = include_str!("../data/korean_surnames.tsv");
const GIVEN: &str = include_str!("../data/given_name_variants.tsv");

/// Score of a name matched through readings (a romanisation or reading of the other name's
/// characters spells it exactly): a potential match, below the default match threshold.
pub const READING_SCORE: f32 = 0.9;
/// Similarity of two given names in the same variant group (`alexandros` / `alexander`).
pub const VARIANT_SIM: f32 = 0.9;
/// Lattice nodes visited at most per search (bounds the cost of long Han names).
const SEARCH_BUDGET: usize = 20_000;
/// Alternatives kept per character / syllable.
const MAX_ALTS: usize = 128;

struct Data {
    /// Han character → (Hangul readings, Japanese readings).
    cjk: FxHashMap<char, (Vec<char>, Vec<String>)>,
    surnames: FxHashMap<char, Vec<String>>,
    /// Folded given-name form → variant group ids.
    groups: FxHashMap<String, Vec<u16>>,
}

fn data() -> &'static Data {
    static D: OnceLock<Data> = OnceLock::new();
    D.get_or_init(build)
}

fn rows(s: &str) -> impl Iterator<Item = Vec<&str>> {
    s.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn build() -> Data {
    let mut d = Data {
        cjk: FxHashMap::default(),
        surnames: FxHashMap::default(),
        groups: FxHashMap::default(),
    };
    for r in rows(CJK) {
        let Some(c) = r.first().and_then(|s| s.chars().next()) else {
            continue;
        };
        let ko: Vec<char> = r
            .get(1)
            .map(|s| s.split(' ').filter_map(|x| x.chars().next()).collect())
            .unwrap_or_default();
        let ja: Vec<String> = r
            .get(2)
            .map(|s| {
                s.split(' ')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        d.cjk.insert(c, (ko, ja));
    }
    for r in rows(SURNAMES) {
        let Some(c) = r.first().and_then(|s| s.chars().next()) else {
            continue;
        };
        let v: Vec<String> = r
            .get(1)
            .map(|s| {
                s.split(' ')
                    .filter(|x| !x.is_empty())
                    .map(fold_name)
                    .collect()
            })
            .unwrap_or_default();
        d.surnames.entry(c).or_default().extend(v);
    }
    let mut names: Vec<String> = Vec::new();
    for r in rows(GIVEN) {
        let (Some(name), Some(members)) = (r.first(), r.get(1)) else {
            continue;
        };
        let gid = match names.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                names.push((*name).to_string());
                names.len() - 1
            }
        } as u16;
        for m in members.split(' ').filter(|x| !x.is_empty()) {
            let g = d.groups.entry(fold_name(m)).or_default();
            if !g.contains(&gid) {
                g.push(gid);
            }
        }
    }
    d
}

/// Table entries are compared in the normaliser's folded form (`x` → `ks`).
fn fold_name(s: &str) -> String {
    s.to_ascii_lowercase().replace('x', "ks")
}

/// Given-name variant groups of a comparison token (empty when it is not a known given name).
pub(crate) fn name_groups(t: &str) -> &'static [u16] {
    data().groups.get(t).map_or(&[], Vec::as_slice)
}

/// Whether two comparison tokens are variants of one given name.
pub(crate) fn same_given_name(a: &str, b: &str) -> bool {
    let ga = name_groups(a);
    !ga.is_empty() && name_groups(b).iter().any(|g| ga.contains(g))
}

pub(crate) fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

const INITIAL: [&[&str]; 19] = [
    &["g", "k"],
    &["kk", "gg", "k"],
    &["n"],
    &["d", "t"],
    &["tt", "dd"],
    &["r", "l", "n"],
    &["m"],
    &["b", "p"],
    &["pp", "bb"],
    &["s", "sh"],
    &["ss", "s"],
    &[""],
    &["j", "ch"],
    &["jj", "tch"],
    &["ch"],
    &["k"],
    &["t"],
    &["p"],
    &["h"],
];
const MEDIAL: [&[&str]; 21] = [
    &["a"],
    &["ae"],
    &["ya"],
    &["yae"],
    &["eo", "o", "u"],
    &["e"],
    &["yeo", "yo", "yu"],
    &["ye"],
    &["o"],
    &["wa"],
    &["wae"],
    &["oe", "oi"],
    &["yo"],
    &["u", "oo"],
    &["wo"],
    &["we"],
    &["wi"],
    &["yu"],
    &["eu", "u"],
    &["ui", "i", "ee"],
    &["i"],
];
const FINAL: [&[&str]; 28] = [
    &[""],
    &["k", "g"],
    &["k"],
    &["k"],
    &["n"],
    &["n"],
    &["n"],
    &["t", "d"],
    &["l", "r"],
    &["k"],
    &["m"],
    &["l"],
    &["l"],
    &["l"],
    &["p"],
    &["l"],
    &["m"],
    &["p", "b"],
    &["p"],
    &["t", "s"],
    &["t"],
    &["ng"],
    &["t"],
    &["t"],
    &["k"],
    &["t"],
    &["p"],
    &["t", "h"],
];

/// Romanisations of one Hangul syllable; `surname` adds the usual surname spellings.
pub(crate) fn hangul_variants(c: char, surname: bool, out: &mut Vec<String>) {
    if !is_hangul(c) {
        return;
    }
    let s = c as u32 - 0xAC00;
    let (l, v, t) = (
        (s / 588) as usize,
        ((s % 588) / 28) as usize,
        (s % 28) as usize,
    );
    let (Some(ls), Some(vs), Some(ts)) = (INITIAL.get(l), MEDIAL.get(v), FINAL.get(t)) else {
        return;
    };
    if surname {
        if let Some(v) = data().surnames.get(&c) {
            for x in v {
                push_alt(out, x.clone());
            }
        }
    }
    for a in ls.iter() {
        for b in vs.iter() {
            for f in ts.iter() {
                push_alt(out, format!("{a}{b}{f}"));
            }
        }
    }
}

fn push_alt(out: &mut Vec<String>, s: String) {
    if !s.is_empty() && out.len() < MAX_ALTS && !out.contains(&s) {
        out.push(s);
    }
}

/// Rendaku: the first consonant of a non-initial element of a Japanese compound is often voiced.
fn rendaku(r: &str) -> Option<String> {
    for (from, to) in [
        ("ch", "j"),
        ("sh", "j"),
        ("ts", "z"),
        ("k", "g"),
        ("s", "z"),
        ("t", "d"),
        ("h", "b"),
        ("f", "b"),
    ] {
        if let Some(rest) = r.strip_prefix(from) {
            return Some(format!("{to}{rest}"));
        }
    }
    None
}

/// Spellings of one Japanese reading: as given (Hepburn with `ou` / `uu` for long vowels) and
/// with the long vowels shortened (`rou` → `ro`, `ryuu` → `ryu`) or written `oh`.
fn japanese_variants(r: &str, out: &mut Vec<String>) {
    push_alt(out, r.to_string());
    if r.contains("ou") || r.contains("uu") || r.contains("oo") {
        push_alt(
            out,
            r.replace("ou", "o").replace("uu", "u").replace("oo", "o"),
        );
        push_alt(out, r.replace("ou", "oh"));
    }
}

/// Alternatives for one Han character at `pos` in the name (0 = first).
fn han_variants(c: char, pos: usize, out: &mut Vec<String>) {
    let d = data();
    if let Some((ko, ja)) = d.cjk.get(&c) {
        for r in ja {
            japanese_variants(r, out);
            if pos > 0 {
                if let Some(v) = rendaku(r) {
                    japanese_variants(&v, out);
                }
            }
        }
        for &h in ko {
            hangul_variants(h, pos == 0, out);
        }
    }
    if let Some(p) = c.to_pinyin() {
        push_alt(out, p.plain().to_string());
    }
}

/// Joined evidence forms a reading lattice is matched against: the name as written and, for
/// names of two or three tokens, with the last token first ("Taro Yamada" / "Yamada Taro").
pub(crate) fn joined_forms(n: &NormalizedName) -> Vec<String> {
    let ev: Vec<&str> = n.evidence().map(|t| t.text.as_str()).collect();
    let mut out = vec![ev.concat()];
    if let Some((last, rest)) = ev.split_last() {
        if (1..=2).contains(&rest.len()) {
            let mut r = (*last).to_string();
            r.push_str(&rest.concat());
            out.push(r);
        }
    }
    out
}

/// Alternative spellings of a name, one set per character / syllable / Latin token.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lattice {
    segs: Vec<Vec<String>>,
}

impl Lattice {
    /// The lattice of a name's evidence tokens, when it has Han or Hangul tokens.
    pub(crate) fn of(n: &NormalizedName) -> Option<Lattice> {
        if !n.evidence().any(|t| t.han) {
            return None;
        }
        let mut segs: Vec<Vec<String>> = Vec::new();
        let mut any = false;
        let mut cjk_pos = 0usize;
        for t in n.evidence() {
            let hangul = !t.source.is_empty() && t.source.chars().all(is_hangul);
            if hangul {
                any = true;
                for (k, c) in t.source.chars().enumerate() {
                    let mut alts = Vec::new();
                    hangul_variants(c, k == 0, &mut alts);
                    segs.push(alts);
                }
                cjk_pos += 1;
            } else if t.han && t.source.chars().all(crate::normalize::is_han) {
                any = true;
                for c in t.source.chars() {
                    let mut alts = Vec::new();
                    han_variants(c, cjk_pos, &mut alts);
                    if alts.is_empty() {
                        alts.push(t.text.clone());
                    }
                    segs.push(alts);
                    cjk_pos += 1;
                }
            } else {
                segs.push(vec![t.text.clone()]);
            }
        }
        if !any || segs.is_empty() {
            return None;
        }
        Some(Lattice { segs })
    }

    /// Whether some path through the lattice spells `target` exactly.
    pub(crate) fn matches(&self, target: &str) -> bool {
        if target.is_empty() {
            return false;
        }
        let n = target.len();
        let mut reach = vec![false; n + 1];
        reach[0] = true;
        for seg in &self.segs {
            let mut next = vec![false; n + 1];
            let mut any = false;
            for p in 0..n {
                if !reach[p] {
                    continue;
                }
                let rest = target.get(p..).unwrap_or("");
                for a in seg {
                    if rest.starts_with(a.as_str()) {
                        next[p + a.len()] = true;
                        any = true;
                    }
                }
            }
            if !any {
                return false;
            }
            reach = next;
        }
        reach[n]
    }

    /// Ids of the entries of `sorted` (joined name form, id; sorted by form) that some path
    /// spells exactly.
    pub(crate) fn search(&self, sorted: &[(Box<str>, u32)]) -> Vec<u32> {
        let mut out = Vec::new();
        let mut budget = SEARCH_BUDGET;
        let mut prefix = String::new();
        self.dfs(0, &mut prefix, sorted, &mut budget, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn dfs(
        &self,
        i: usize,
        prefix: &mut String,
        sorted: &[(Box<str>, u32)],
        budget: &mut usize,
        out: &mut Vec<u32>,
    ) {
        let Some(seg) = self.segs.get(i) else {
            let start = sorted.partition_point(|e| e.0.as_ref() < prefix.as_str());
            out.extend(
                sorted[start..]
                    .iter()
                    .take_while(|e| e.0.as_ref() == prefix.as_str())
                    .map(|e| e.1),
            );
            return;
        };
        for a in seg {
            if *budget == 0 {
                return;
            }
            *budget -= 1;
            let len = prefix.len();
            prefix.push_str(a);
            let start = sorted.partition_point(|e| e.0.as_ref() < prefix.as_str());
            if sorted
                .get(start)
                .is_some_and(|e| e.0.starts_with(prefix.as_str()))
            {
                self.dfs(i + 1, prefix, sorted, budget, out);
            }
            prefix.truncate(len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn reads(a: &str, b: &str) -> bool {
        Lattice::of(&normalize(a)).is_some_and(|l| l.matches(&normalize(b).joined()))
    }

    #[test]
    fn korean_romanisations() {
        assert!(reads("박지성", "Park Ji-sung"));
        assert!(reads("박지성", "Pak Chi Song"));
        assert!(reads("이민호", "Lee Min-ho"));
        assert!(reads("이민호", "Yi Minho"));
        assert!(reads("김정은", "Kim Jong Un"));
        assert!(!reads("김정은", "Kim Jong Il"));
    }

    #[test]
    fn han_readings() {
        assert!(reads("金正恩", "Kim Jong-un"));
        assert!(reads("山田太郎", "Yamada Taro"));
        assert!(reads("山田太郎", "Yamada Tarou"));
        assert!(reads("田中花子", "Tanaka Hanako"));
        assert!(reads("李明", "Li Ming"));
        assert!(!reads("山田太郎", "Yamamoto Taro"));
    }

    #[test]
    fn given_name_groups() {
        assert!(same_given_name("aleksandros", "aleksander"));
        assert!(same_given_name("juan", "john"));
        assert!(!same_given_name("juan", "peter"));
    }
}
