//! Name normalisation shared by list indexing, queries, the ownership file and the allow-list:
//! Unicode NFKC, case folding, accent stripping, transliteration of other scripts to Latin,
//! Chinese traditional/Japanese-kanji → simplified folding and Hanzi → pinyin, then the rigour
//! phrase tables mark legal forms / company words (set aside, not evidence) and map symbols
//! (`科技`, `technologies` → `tech`). Numbers written as words or ordinals become digits, `&`
//! reads `and`; Hangul words are marked for exact, syllable-wise comparison.

use crate::tables::tables;
use pinyin::ToPinyin;
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// What a token counts as when comparing names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenRole {
    /// An ordinary name word: evidence.
    Word,
    /// A word replaced by its canonical symbol (`technologies` → `tech`): evidence.
    Symbol,
    /// A legal form or generic company word (`Co., Ltd.`, `有限公司`, `gongsi`): set aside.
    LegalForm,
}

/// One normalised token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Comparison form (lowercase ASCII): a symbol's canonical form for table words
    /// (`technologies` → `tech`), pinyin for Han words.
    pub text: String,
    /// The word as written, folded: the Latin word before any table mapping (`technologies`),
    /// the pinyin of a Han table word (`技术` → `jishu`), the simplified characters of other Han
    /// words. Typos are measured between literals; equal `text` with different literals is a
    /// translation or an inflection, not the same word.
    #[serde(skip)]
    pub literal: String,
    pub role: TokenRole,
    /// The text this token came from (before transliteration / table mapping).
    pub source: String,
    /// Came from a script whose romanisation is loose about vowels (Arabic, Hebrew, Thai):
    /// compared by consonant skeleton as well.
    #[serde(skip)]
    pub abjad: bool,
    /// Came from Han characters or Hangul: compared exactly (one different character is another
    /// name); Latin spellings are found through readings (`crate::readings`).
    #[serde(skip)]
    pub han: bool,
    /// Stands for a word of another language (a Chinese organisation word read in English):
    /// equal to that word as a translation, not as the same word.
    #[serde(skip)]
    pub translated: bool,
    /// Words read from one Chinese phrase that English writes in several words, or in one of
    /// several ways (`科技` → `science` `technology`), share a number (0: no such phrase): a
    /// list may write only some of them, so a word of the phrase left unmatched while another
    /// is matched is not a difference (see `score::score_pair`).
    #[serde(skip)]
    pub phrase: u16,
    /// Written joined to the word before it by a hyphen (`Abd-al-Latif`, `Jean-Claude`): the
    /// two are parts of one written name.
    #[serde(skip)]
    pub joined: bool,
}

/// A normalised name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormalizedName {
    pub tokens: Vec<Token>,
    /// Every token was a legal form or company word (`Ltd`, `Co., Ltd.`): the tokens are kept
    /// as words so that list entries named that way stay searchable, but as a query such a name
    /// identifies nobody.
    #[serde(skip)]
    pub only_legal_forms: bool,
}

impl NormalizedName {
    /// Tokens that count as evidence (not legal forms).
    pub fn evidence(&self) -> impl Iterator<Item = &Token> {
        self.tokens
            .iter()
            .filter(|t| t.role != TokenRole::LegalForm)
    }

    /// Tokens set aside as legal forms.
    pub fn set_aside(&self) -> impl Iterator<Item = &Token> {
        self.tokens
            .iter()
            .filter(|t| t.role == TokenRole::LegalForm)
    }

    /// Evidence tokens joined without spaces (`hua wei` and `huawei` both give `huawei`).
    pub fn joined(&self) -> String {
        self.evidence().map(|t| t.text.as_str()).collect()
    }

    /// Evidence tokens, sorted, joined by a space: an order-free key for exact comparisons.
    pub fn key(&self) -> String {
        let mut v: Vec<&str> = self.evidence().map(|t| t.text.as_str()).collect();
        v.sort_unstable();
        v.join(" ")
    }
}

/// A token before table lookup.
#[derive(Debug, Clone)]
pub(crate) struct RawTok {
    pub text: String,
    pub source: String,
    pub han: bool,
    pub abjad: bool,
    /// Written joined to the word before by a hyphen ([`Token::joined`]).
    pub joined: bool,
    /// A single letter written right after a single letter and a dot, with no space (the `A`
    /// and `C` of `S.A.C.`): inside a run of dotted letters, which reads as one abbreviation.
    pub dotted: bool,
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3005 | 0x3007)
}

fn is_abjad(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF
        | 0x0E00..=0x0E7F)
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`' | '´' | 'ʻ')
}

/// Whether a character is a format character (Unicode category Cf: zero-width space, soft
/// hyphen, joiners, direction marks, BOM, ...). Such characters are invisible, so a name that
/// carries one must read as the name without it: they are removed before anything else.
/// Traditional → Simplified Chinese (OpenCC's character and phrase tables, built into the
/// binary by `ferrous-opencc`), so `華為技術` and `华为技术` index and query alike. Should the
/// tables ever fail to load, names are compared as written (a test below guards the tables).
fn to_simplified(han: &str) -> String {
    static T2S: std::sync::OnceLock<Option<ferrous_opencc::OpenCC>> = std::sync::OnceLock::new();
    match T2S.get_or_init(|| {
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s).ok()
    }) {
        Some(cc) => cc.convert(han),
        None => han.to_string(),
    }
}

pub fn is_format_char(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    // No ASCII character is a format character: most names never reach the table search.
    !c.is_ascii() && c.general_category() == GeneralCategory::Format
}

/// The name with every format character (category Cf) removed.
pub fn strip_format_chars(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_format_char) {
        std::borrow::Cow::Owned(s.chars().filter(|&c| !is_format_char(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The Latin word being read by [`raw_tokens`]: its folded letters, its text as written, and
/// what is known of it so far.
#[derive(Default)]
struct LatinWord {
    text: String,
    source: String,
    abjad: bool,
    /// It follows a hyphen written right after the word before ([`Token::joined`]).
    joined: bool,
    /// It starts right after a single letter and a dot ([`RawTok::dotted`]).
    dotted: bool,
}

impl LatinWord {
    /// Ends the word: pushed as a raw token if it has letters; the next starts afresh.
    fn flush(&mut self, out: &mut Vec<RawTok>) {
        if !self.text.is_empty() {
            let dotted = self.dotted && self.text.len() == 1;
            out.push(RawTok {
                text: std::mem::take(&mut self.text),
                source: std::mem::take(&mut self.source),
                han: false,
                abjad: self.abjad,
                joined: self.joined,
                dotted,
            });
        }
        self.source.clear();
        self.abjad = false;
        self.joined = false;
        self.dotted = false;
    }
}

/// Split into raw tokens: Latin-ised lowercase words and runs of (simplified) Han characters.
pub(crate) fn raw_tokens(s: &str) -> Vec<RawTok> {
    let s = strip_format_chars(s);
    let mut out = Vec::new();
    let mut cur = LatinWord::default();
    let mut han = String::new();
    fn flush_han(out: &mut Vec<RawTok>, han: &mut String) {
        if !han.is_empty() {
            let simplified = to_simplified(han);
            out.push(RawTok {
                text: simplified,
                source: std::mem::take(han),
                han: true,
                abjad: false,
                joined: false,
                dotted: false,
            });
        }
    }
    // ASCII is its own NFKC form and holds no format characters.
    let chars: Vec<char> = if s.is_ascii() {
        s.chars().collect()
    } else {
        s.nfkc().filter(|&c| !is_format_char(c)).collect()
    };
    let mut k = 0;
    // The character before was a dot written right after a single letter (`S.` of `S.A.C.`).
    let mut dot_run = false;
    while let Some(&c) = chars.get(k) {
        k += 1;
        let after_dot = std::mem::take(&mut dot_run);
        // An English possessive (`Bank's`, `People’s`) is the word itself.
        if is_joiner(c)
            && !cur.text.is_empty()
            && matches!(chars.get(k), Some('s' | 'S'))
            && !chars.get(k + 1).is_some_and(|n| n.is_alphanumeric())
        {
            k += 1;
            continue;
        }
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                flush_han(&mut out, &mut han);
                if cur.text.is_empty() {
                    cur.dotted = after_dot;
                }
                cur.text.push(c.to_ascii_lowercase());
                cur.source.push(c);
            } else if is_joiner(c) {
                continue;
            } else {
                flush_han(&mut out, &mut han);
                let word_before = !cur.text.is_empty();
                dot_run = c == '.' && cur.text.len() == 1;
                cur.flush(&mut out);
                // A hyphen right after a word joins the next word to it (`Abd-al-Latif`).
                cur.joined = c == '-' && word_before;
                if c == '&' {
                    // `&` is the word `and` ("H&M" / "H and M", "Johnson & Johnson").
                    out.push(RawTok {
                        text: "and".into(),
                        source: "&".into(),
                        han: false,
                        abjad: false,
                        joined: false,
                        dotted: false,
                    });
                }
            }
        } else if is_han(c) {
            cur.flush(&mut out);
            han.push(c);
        } else if c.is_alphanumeric() || is_combining_mark(c) {
            flush_han(&mut out, &mut han);
            cur.source.push(c);
            if is_abjad(c) {
                cur.abjad = true;
            }
            for l in c.to_lowercase() {
                for d in std::iter::once(l).nfd() {
                    if is_combining_mark(d) {
                        continue;
                    }
                    if d.is_ascii() {
                        if d.is_ascii_alphanumeric() {
                            cur.text.push(d.to_ascii_lowercase());
                        }
                    } else {
                        for a in any_ascii::any_ascii_char(d).chars() {
                            if a.is_ascii_alphanumeric() {
                                cur.text.push(a.to_ascii_lowercase());
                            }
                        }
                    }
                }
            }
        } else if is_joiner(c) {
            continue;
        } else {
            flush_han(&mut out, &mut han);
            cur.flush(&mut out);
        }
    }
    flush_han(&mut out, &mut han);
    cur.flush(&mut out);
    out
}

/// Singular forms an English plural may have (`agencies` → `agency`, `services` → `service`,
/// `boxes` → `box`), longest first; words of five letters or fewer have none.
fn singulars(w: &str) -> impl Iterator<Item = String> + '_ {
    let ies = w.strip_suffix("ies").map(|s| format!("{s}y"));
    let es = w.strip_suffix("es").map(str::to_string);
    let s = w
        .strip_suffix('s')
        .filter(|s| !s.ends_with('s'))
        .map(str::to_string);
    [ies, es, s]
        .into_iter()
        .flatten()
        .filter(move |_| w.len() > 5)
}

/// Longest word given a [`spelling_key`].
pub(crate) const SPELLING_MAX: usize = 48;

/// The key under which spellings of one word in different transliteration systems agree
/// (`Eliseev` / `Elisiv`, `Phillips` / `Fillips`, `Tyre` / `Tire`, `Mahmoud` / `Mahmud`,
/// `Fatimah` / `Fatima`), written into `out`; its length, or None for a word that is not
/// plain lowercase ASCII of two to [`SPELLING_MAX`] letters. Applied to folded literals: `sch`
/// → `sh`, `tch` → `ch`, `ph` → `f`, `kh` → `h`, `gh` → `g`, `th` → `t`, `ck` → `k`, `ee` →
/// `i`, `oo` / `ou` → `u`, `y` → `i`, doubled letters once, and a final `h` after a vowel
/// dropped. Letters that stand for different sounds in some system stay apart (`q` / `k`, `j`
/// / `y`, `zh` / `j`: pinyin tells them apart).
pub(crate) fn spelling_key(w: &[u8], out: &mut [u8; SPELLING_MAX]) -> Option<usize> {
    if w.len() < 2 || w.len() > SPELLING_MAX || !w.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    const RULES: [(&[u8], &[u8]); 11] = [
        (b"sch", b"sh"),
        (b"tch", b"ch"),
        (b"ph", b"f"),
        (b"kh", b"h"),
        (b"gh", b"g"),
        (b"th", b"t"),
        (b"ck", b"k"),
        (b"ee", b"i"),
        (b"oo", b"u"),
        (b"ou", b"u"),
        (b"y", b"i"),
    ];
    let mut n = 0;
    let mut i = 0;
    while let Some(rest) = w.get(i..).filter(|r| !r.is_empty()) {
        let (to, used) = RULES
            .iter()
            .find(|(from, _)| rest.starts_with(from))
            .map_or((rest.get(..1).unwrap_or_default(), 1), |(from, to)| {
                (*to, from.len())
            });
        for &c in to {
            // Doubled letters once.
            if n == 0 || out.get(n - 1) != Some(&c) {
                *out.get_mut(n)? = c;
                n += 1;
            }
        }
        i += used;
    }
    let vowel = |c: Option<&u8>| matches!(c, Some(b'a' | b'e' | b'i' | b'o' | b'u'));
    if n >= 3 && out.get(n - 1) == Some(&b'h') && vowel(out.get(n - 2)) {
        n -= 1;
    }
    Some(n)
}

/// A word of a personal name as transliterations of scripts that leave vowels unwritten agree
/// on it, written into `out`; its length, or None as for [`spelling_key`]. The word's spelling
/// key, with `q` read as `k` (Arabic qaf: `Qattan` / `Kattan`) and a `j` after a vowel that no
/// vowel follows read as `i` (Slavic short i: `Dikij` / `Dikiy`, `Aleksej` / `Aleksey`).
pub(crate) fn vowel_key(w: &[u8], out: &mut [u8; SPELLING_MAX]) -> Option<usize> {
    let n = spelling_key(w, out)?;
    let vowel = |c: Option<&u8>| matches!(c, Some(b'a' | b'e' | b'i' | b'o' | b'u'));
    for k in 0..n {
        let to = match out.get(k) {
            Some(b'q') => b'k',
            Some(b'j')
                if k > 0 && vowel(out.get(k - 1)) && (k + 1 == n || !vowel(out.get(k + 1))) =>
            {
                b'i'
            }
            _ => continue,
        };
        if let Some(c) = out.get_mut(k) {
            *c = to;
        }
    }
    Some(n)
}

/// Whether two folded words are spellings of one word ([`spelling_key`]) without being equal.
pub(crate) fn same_spelling(a: &str, b: &str) -> bool {
    let (mut ka, mut kb) = ([0u8; SPELLING_MAX], [0u8; SPELLING_MAX]);
    match (
        spelling_key(a.as_bytes(), &mut ka),
        spelling_key(b.as_bytes(), &mut kb),
    ) {
        (Some(x), Some(y)) => a != b && ka.get(..x) == kb.get(..y),
        _ => false,
    }
}

/// Shortest word whose digits [`fold`] reads as look-alike letters.
const LOOKALIKE_MIN: usize = 4;

/// A folded word's [`spelling_key`] as a string, when it differs from the word.
pub(crate) fn spelling(w: &str) -> Option<String> {
    let mut k = [0u8; SPELLING_MAX];
    let n = spelling_key(w.as_bytes(), &mut k)?;
    let key = std::str::from_utf8(k.get(..n)?).ok()?;
    (key != w).then(|| key.to_string())
}

/// Folding applied to every comparison token (both sides alike): `x` → `ks`, final `-ii`/`-iy`
/// → `-y` (Russian -ий transliterations), digits inside words of four characters or more read
/// as look-alike letters (`M1CROSOFT`); in shorter ones a digit is part of the name (`A1` is
/// not `AI`, `3M` not `EM`).
pub(crate) fn fold(s: &str) -> String {
    let mut t = if s.len() >= LOOKALIKE_MIN
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_alphabetic())
    {
        s.chars()
            .map(|c| match c {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' => 'a',
                '5' => 's',
                '9' => 'g',
                _ => c,
            })
            .collect()
    } else {
        s.to_string()
    };
    if t.contains('x') {
        t = t.replace('x', "ks");
    }
    if t.len() > 3 && (t.ends_with("ii") || t.ends_with("iy")) {
        t.truncate(t.len() - 2);
        t.push('y');
    }
    t
}

/// A listed name as indexed: its broken-up legal form set aside as a queried name's is
/// ([`set_aside_legal_words`]; every word of a listed name is known, so no typo is read as a
/// legal word). Both sides then set aside the same words (`Organisation for Economic
/// Co-operation and Development` / `Organization for ...`).
pub(crate) fn listed_form(n: &NormalizedName) -> NormalizedName {
    set_aside_legal_words(n, |_| true)
}

/// A queried name whose legal form is broken up (reordered, or with a typo: `JLINT STOCK
/// COMPANY`, `STOCK COMPANY RIMERA JOINT`): words of multi-word legal forms (or, for words the
/// lists do not know, one typo from one) that stand next to a legal form or at an edge of the
/// name with others are set aside as the legal form they are.
pub(crate) fn set_aside_legal_words(
    n: &NormalizedName,
    known: impl Fn(&str) -> bool,
) -> NormalizedName {
    let mut out = n.clone();
    if n.only_legal_forms {
        return out;
    }
    let t = &mut out.tokens;
    let tables = crate::tables::tables();
    // The legal word a word reads as: a word of legal forms, or (a word the lists do not
    // have) one typo from one; read as folded and as written (folding turns a final `-iy`
    // into `-y`: `LIABILIY`).
    let read_as = |x: &Token| -> Option<&'static str> {
        if x.role != TokenRole::Word || x.han {
            return None;
        }
        if let Some(l) = tables.legal_words.get(&x.text) {
            return Some(l.as_str());
        }
        if known(&x.text) {
            return None;
        }
        crate::tables::legal_word_of(&x.text).or_else(|| {
            x.source
                .is_ascii()
                .then(|| crate::tables::legal_word_of(&x.source.to_ascii_lowercase()))
                .flatten()
        })
    };
    let read: Vec<Option<&str>> = t.iter().map(read_as).collect();
    // A misspelt table word that is also a word of legal forms (`CAPITZL`) is that table
    // word: as weak as the word written right.
    let strong: Vec<bool> = read
        .iter()
        .map(|l| l.is_some_and(|l| !crate::tables::is_symbol_legal_word(l)))
        .collect();
    // Table words that are also words of legal forms (`OBSHCHESTVO`, read as the symbol
    // `org`; `PRIVATE`, `BANK`): part of a legal form only in a run that holds a legal word
    // proper (`AKSIONERNOE OBSHCHESTVO`, misspelt), never on their own (`Deutsche Bank AG`).
    let weak: Vec<bool> = t
        .iter()
        .zip(&read)
        .map(|(x, l)| {
            (x.role == TokenRole::Symbol && tables.legal_words.contains(&x.literal))
                || l.is_some_and(crate::tables::is_symbol_legal_word)
        })
        .collect();
    // The last word of a name, misspelt from a legal form of one word (`SORAN COMPANI`,
    // `ACME CORPORATOIN`): that legal form, as the word written right would be.
    let misspelt_form = |k: usize| {
        k + 1 == t.len()
            && k > 0
            && t[k].text.len() >= 6
            && read[k].is_some_and(|l| l != t[k].text && crate::tables::is_one_word_form(l))
    };
    // Whether a legal word belongs to the name's legal form: the name writes a legal form with
    // a word the legal word is written beside in some legal form (`STOCK COMPANY RIMERA
    // JOINT`), not just any legal form (`Joint Gas Ltd`, `STOCK FOR PROFIT PTY LTD`).
    // The words of the name's legal forms: each form's canonical form and the words it was
    // written with (read once, not once per question).
    let form_words: Vec<String> = if read.iter().any(Option::is_some) {
        n.set_aside()
            .flat_map(|x| {
                std::iter::once(x.text.clone())
                    .chain(raw_tokens(&x.source).into_iter().map(|r| r.text))
            })
            .collect()
    } else {
        Vec::new()
    };
    let beside_form = |k: usize| {
        read[k].is_some_and(|l| {
            form_words
                .iter()
                .any(|w| crate::tables::legal_partners(l, w))
        })
    };
    let mut aside = vec![false; t.len()];
    // A legal form of several words with one typo in one of them (`KOREA EXPO JOINT VEVTURE`,
    // `CLOSED JOINT TOCK COMPANY`), the typo in a word the lists do not have: set aside
    // whole, wherever it stands, as the form written right would be.
    let words: Vec<&str> = t.iter().map(|x| x.literal.as_str()).collect();
    for len in (2..=5).rev() {
        for i in 0..t.len().saturating_sub(len - 1) {
            let run = &t[i..i + len];
            if run.iter().any(|x| x.han) || aside[i..i + len].iter().any(|&a| a) {
                continue;
            }
            let typo_ok = |k: usize| run.get(k).is_some_and(|x| !known(&x.text));
            if crate::tables::misspelt_legal_phrase(&words[i..i + len], typo_ok) {
                for a in &mut aside[i..i + len] {
                    *a = true;
                }
            }
        }
    }
    let passes = if weak.contains(&true) { 2 } else { 1 };
    for with_weak in [false, true].into_iter().take(passes) {
        let mut legalish: Vec<bool> = (0..t.len())
            .map(|k| t[k].role == TokenRole::LegalForm || strong[k] || (with_weak && weak[k]))
            .collect();
        // A short word of legal forms between two legal words is part of the form
        // (`OBSCHCHESTVO S OGRANICHENNOI ...`, misspelt, so not found as the whole phrase).
        let glue: Vec<usize> = (1..t.len().saturating_sub(1))
            .filter(|&k| {
                t[k].role == TokenRole::Word
                    && !t[k].han
                    && !legalish[k]
                    && legalish[k - 1]
                    && legalish[k + 1]
                    && tables.legal_glue.contains(&t[k].text)
            })
            .collect();
        for k in glue {
            legalish[k] = true;
        }
        // Runs of legal-form tokens and legal words that touch an edge of the name or hold a
        // legal form: their words are the legal form, broken up or misspelt.
        let mut i = 0;
        while i < t.len() {
            if !legalish[i] {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < t.len() && legalish[j] {
                j += 1;
            }
            let words = (i..j)
                .filter(|&k| t[k].role != TokenRole::LegalForm)
                .count();
            // A legal form in the run, and a legal word of the run written beside it in some
            // form (`JLINT STOCK COMPANY`; not `STOCK` beside the form `FOR`).
            let has_form =
                (i..j).any(|k| t[k].role == TokenRole::LegalForm) && (i..j).any(beside_form);
            let edge = i == 0 || j == t.len();
            let proper = !with_weak || (i..j).any(|k| strong[k]);
            let lone_form = words == 1 && misspelt_form(i);
            if proper
                && (has_form
                    || lone_form
                    || (edge && words >= 2)
                    || (edge && (i..j).any(beside_form)))
            {
                for a in aside.iter_mut().take(j).skip(i) {
                    *a = true;
                }
            }
            i = j;
        }
    }
    let evidence = t.iter().filter(|x| x.role != TokenRole::LegalForm).count();
    let mut left = evidence;
    for (x, a) in t.iter_mut().zip(aside) {
        if left <= 1 {
            break;
        }
        if a && x.role != TokenRole::LegalForm {
            x.role = TokenRole::LegalForm;
            left -= 1;
        }
    }
    out
}

/// A queried name with the pinyin of its Cyrillic words that spell Chinese syllables in the
/// Palladius system (`Хуавэй` → `huawei` beside `khuavei`), each pair one phrase: whichever the
/// list writes counts, once. Only queried names get these readings: a list's Russian alias
/// keeps its one spelling.
pub(crate) fn with_palladius_readings(n: NormalizedName) -> NormalizedName {
    let cyrillic = |t: &Token| {
        t.source
            .chars()
            .next()
            .is_some_and(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
    };
    if !n.tokens.iter().any(cyrillic) {
        return n;
    }
    let mut out = NormalizedName {
        tokens: Vec::with_capacity(n.tokens.len()),
        only_legal_forms: n.only_legal_forms,
    };
    for t in &n.tokens {
        let reading = (t.role == TokenRole::Word && !t.han && t.phrase == 0)
            .then(|| crate::palladius::pinyin_of(&t.source))
            .flatten()
            .map(|p| fold(&p))
            .filter(|p| *p != t.text);
        match reading {
            Some(p) => {
                let phrase = phrase_number(out.tokens.len());
                out.tokens.push(Token {
                    text: p,
                    translated: true,
                    abjad: false,
                    phrase,
                    ..t.clone()
                });
                out.tokens.push(Token {
                    phrase,
                    ..t.clone()
                });
            }
            None => out.tokens.push(t.clone()),
        }
    }
    out
}

/// Split each Han word of a name into the words a vocabulary knows, by the pinyin of its
/// characters (`北京智谱华章` → `beijing` `zhipu` `huazhang` when the lists have those words):
/// Chinese writes no spaces, the lists' pinyin names do. The split covering the most
/// characters wins (fewest words on ties); characters no known word covers stay together.
pub(crate) fn segment_han(n: &NormalizedName, known: impl Fn(&str) -> bool) -> NormalizedName {
    let mut out = NormalizedName {
        tokens: Vec::with_capacity(n.tokens.len()),
        only_legal_forms: n.only_legal_forms,
    };
    for t in &n.tokens {
        if !t.han || t.role != TokenRole::Word {
            out.tokens.push(t.clone());
            continue;
        }
        let chars: Vec<char> = t.literal.chars().collect();
        let src: Vec<char> = t.source.chars().collect();
        if !t.han
            || t.role != TokenRole::Word
            || chars.len() < 3
            || chars.len() > 40
            || known(&t.text)
            || src.len() != chars.len()
        {
            out.tokens.push(t.clone());
            continue;
        }
        let syl: Vec<String> = chars
            .iter()
            .map(|c| pinyin_of(c.encode_utf8(&mut [0u8; 4])))
            .collect();
        let n_ch = chars.len();
        // best[i] = (characters covered, words) for the first i characters, and the cut.
        let mut best: Vec<(usize, usize, usize, bool)> = vec![(0, 0, 0, false); n_ch + 1];
        for i in 1..=n_ch {
            best[i] = (best[i - 1].0, best[i - 1].1 + 1, i - 1, false);
            for j in (0..i.saturating_sub(1)).rev() {
                let word = fold(&syl[j..i].concat());
                if known(&word) {
                    let cand = (best[j].0 + (i - j), best[j].1 + 1);
                    if cand.0 > best[i].0 || (cand.0 == best[i].0 && cand.1 < best[i].1) {
                        best[i] = (cand.0, cand.1, j, true);
                    }
                }
            }
        }
        if best[n_ch].0 == 0 {
            out.tokens.push(t.clone());
            continue;
        }
        // Walk back the cuts; runs of uncovered characters are joined into one word.
        let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
        let mut i = n_ch;
        while i > 0 {
            let (_, _, j, known_word) = best[i];
            match pieces.last_mut() {
                Some(last) if !known_word && !last.2 && last.0 == i => last.0 = j,
                _ => pieces.push((j, i, known_word)),
            }
            i = j;
        }
        pieces.reverse();
        for (a, b, _) in pieces {
            let lit: String = chars[a..b].iter().collect();
            out.tokens.push(Token {
                text: fold(&syl[a..b].concat()),
                literal: lit,
                role: TokenRole::Word,
                source: src[a..b].iter().collect(),
                abjad: false,
                han: true,
                translated: false,
                phrase: 0,
                joined: false,
            });
        }
    }
    out
}

fn pinyin_of(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c.to_pinyin() {
            Some(p) => out.push_str(p.plain()),
            None => {
                for a in any_ascii::any_ascii_char(c).chars() {
                    if a.is_ascii_alphanumeric() {
                        out.push(a.to_ascii_lowercase());
                    }
                }
            }
        }
    }
    out
}

/// Normalise a name for matching.
pub fn normalize(s: &str) -> NormalizedName {
    let t = tables();
    let raw = raw_tokens(s);
    let mut tokens: Vec<Token> = Vec::with_capacity(raw.len() + 2);
    // Position of each token in the Latin sequence, to apply the "legal forms at the edges" rule.
    let mut i = 0;
    while i < raw.len() {
        let r = &raw[i];
        if r.han {
            han_tokens(&r.text, &r.source, &mut tokens);
            i += 1;
            continue;
        }
        // Longest Latin phrase starting here (only over consecutive non-Han tokens). Phrases
        // of several words are tried only from a word some phrase starts with, and no longer
        // than the longest such phrase.
        let longest = t.latin_first.get(r.text.as_str()).copied().unwrap_or(1);
        let mut end = i;
        while end < raw.len() && !raw[end].han && end - i < longest {
            end += 1;
        }
        let mut matched = false;
        let mut len = end - i;
        while len >= 1 {
            // A phrase takes a run of dotted letters whole: `S.A.C.` holds no `S.A.` (nor
            // `P.J.S.C.` a `J.S.C.`); a run no phrase takes is one abbreviation.
            if r.dotted || raw.get(i + len).is_some_and(|x| x.dotted) {
                len -= 1;
                continue;
            }
            let key = if len == 1 {
                std::borrow::Cow::Borrowed(raw[i].text.as_str())
            } else {
                std::borrow::Cow::Owned(crate::tables::phrase_key(
                    raw[i..i + len].iter().map(|r| r.text.as_str()),
                ))
            };
            let hit = t.latin.get(key.as_ref()).or_else(|| {
                // A plural the tables do not list reads as its singular ("agencies").
                if len == 1 {
                    singulars(&key).find_map(|k| t.latin.get(&k))
                } else {
                    None
                }
            });
            if let Some((role, canon)) = hit {
                let source = raw[i..i + len]
                    .iter()
                    .map(|r| r.source.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let text = if *role == TokenRole::LegalForm {
                    key.to_string()
                } else {
                    canon.clone()
                };
                let abjad = raw[i..i + len].iter().any(|r| r.abjad);
                let literal: String = raw[i..i + len].iter().map(|r| r.text.as_str()).collect();
                tokens.push(Token {
                    text: fold(&text),
                    literal: fold(&literal),
                    role: *role,
                    source,
                    abjad,
                    han: false,
                    translated: false,
                    phrase: 0,
                    joined: raw[i].joined,
                });
                i += len;
                matched = true;
                break;
            }
            len -= 1;
        }
        let single = |k: usize| raw.get(k).is_some_and(|x| x.text.len() == 1 && !x.han);
        let connector = raw.len() >= 3
            && ((i == 0 && r.text == "the")
                || (i > 0 && i + 1 < raw.len() && FUNCTION_WORDS.contains(&r.text.as_str()))
                || (CONNECTORS.contains(&r.text.as_str())
                    && i > 0
                    && single(i - 1)
                    && single(i + 1)));
        if !matched && connector {
            tokens.push(Token {
                text: r.text.clone(),
                literal: r.text.clone(),
                role: TokenRole::LegalForm,
                source: r.source.clone(),
                abjad: false,
                han: false,
                translated: false,
                phrase: 0,
                joined: r.joined,
            });
            i += 1;
            continue;
        }
        if !matched {
            let text = number_value(&r.text).map_or_else(|| fold(&r.text), |n| n.to_string());
            // Hangul writes every vowel: Hangul words compare exactly, by syllable, like Han
            // ones (one different syllable is another name); Latin spellings go by readings.
            let hangul = !r.source.is_empty() && r.source.chars().all(crate::readings::is_hangul);
            tokens.push(Token {
                literal: fold(&r.text),
                text,
                role: TokenRole::Word,
                source: r.source.clone(),
                abjad: r.abjad,
                han: hangul,
                translated: false,
                phrase: 0,
                joined: r.joined,
            });
            i += 1;
        }
    }
    let mut tokens = merge_initials(merge_numbers(tokens));
    let only_legal_forms =
        !tokens.is_empty() && tokens.iter().all(|t| t.role == TokenRole::LegalForm);
    edge_rule(&mut tokens);
    NormalizedName {
        tokens,
        only_legal_forms,
    }
}

/// A phrase number unique in a name: one more than the tokens already written (0 is no phrase).
fn phrase_number(tokens_so_far: usize) -> u16 {
    u16::try_from(tokens_so_far + 1).unwrap_or(u16::MAX - 1)
}

/// The phrase number of words that a list may leave out altogether: their phrase may be
/// written as a legal form, which is set aside (`集团` → `group`, or `Corporation`).
pub const OPTIONAL_PHRASE: u16 = u16::MAX;

/// Set aside in names of three or more words: a leading article ("The World Bank") and
/// connectors between single letters ("H and M" / "H&M", `&` being read as `and`).
const CONNECTORS: [&str; 3] = ["and", "und", "et"];
/// English function words inside a name of three or more words ("University *of* Science
/// *and* Technology"): they carry no identity, and translations from languages that write
/// none (Chinese) should not lose for lacking them.
const FUNCTION_WORDS: [&str; 4] = ["of", "and", "for", "the"];

/// Whether a comparison form is a function word or connector set aside inside names (`of`,
/// `the`, `and`): set aside, but no legal form.
pub(crate) fn is_function_word(text: &str) -> bool {
    FUNCTION_WORDS.contains(&text) || CONNECTORS.contains(&text)
}

/// Numbers written as words or ordinals compare as digits: `three` / `3`, `first` / `1st` / `1`,
/// `forty` → `40` (joined with a following unit by [`merge_numbers`]).
fn number_value(t: &str) -> Option<u32> {
    const WORDS: [(&str, u32); 40] = [
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("thirteen", 13),
        ("fourteen", 14),
        ("fifteen", 15),
        ("sixteen", 16),
        ("seventeen", 17),
        ("eighteen", 18),
        ("nineteen", 19),
        ("twenty", 20),
        ("thirty", 30),
        ("forty", 40),
        ("fourty", 40),
        ("fifty", 50),
        ("sixty", 60),
        ("seventy", 70),
        ("eighty", 80),
        ("ninety", 90),
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fourth", 4),
        ("fifth", 5),
        ("sixth", 6),
        ("seventh", 7),
        ("eighth", 8),
        ("ninth", 9),
        ("tenth", 10),
        ("hundred", 100),
        ("thousand", 1000),
    ];
    if let Some(&(_, n)) = WORDS.iter().find(|(w, _)| *w == t) {
        return Some(n);
    }
    // Ordinals written with digits: 1st, 2nd, 3rd, 4th.
    let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &t[digits.len()..];
    if !digits.is_empty()
        && digits.len() <= 4
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(suffix, "st" | "nd" | "rd" | "th")
    {
        return digits.parse().ok();
    }
    None
}

/// A tens number followed by a unit is one number: `forty four` / `forty-four` / `forty 4` → `44`.
fn merge_numbers(tokens: Vec<Token>) -> Vec<Token> {
    if !tokens
        .iter()
        .any(|t| !t.text.is_empty() && t.text.bytes().all(|b| b.is_ascii_digit()))
    {
        return tokens;
    }
    let num = |t: &Token| {
        if t.role == TokenRole::Word && !t.text.is_empty() && t.text.len() <= 2 {
            t.text.parse::<u32>().ok()
        } else {
            None
        }
    };
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut it = tokens.into_iter().peekable();
    while let Some(t) = it.next() {
        if let (Some(a), Some(b)) = (num(&t), it.peek().and_then(num)) {
            if (20..=90).contains(&a) && a % 10 == 0 && (1..=9).contains(&b) {
                if let Some(u) = it.next() {
                    out.push(Token {
                        text: (a + b).to_string(),
                        literal: (a + b).to_string(),
                        role: TokenRole::Word,
                        source: format!("{}-{}", t.source, u.source),
                        abjad: false,
                        han: false,
                        translated: false,
                        phrase: 0,
                        joined: false,
                    });
                    continue;
                }
            }
        }
        out.push(t);
    }
    out
}

/// Runs of two or more single-letter words are one acronym: "S.C. Johnson" and "SC Johnson",
/// "J.P. Morgan" and "JP Morgan" compare alike.
fn merge_initials(tokens: Vec<Token>) -> Vec<Token> {
    let single = |t: &Token| t.role == TokenRole::Word && t.text.len() == 1 && !t.han && !t.abjad;
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        while j < tokens.len() && single(&tokens[j]) {
            j += 1;
        }
        if j - i >= 2 {
            let text: String = tokens[i..j].iter().map(|t| t.text.as_str()).collect();
            let source = tokens[i..j]
                .iter()
                .map(|t| t.source.as_str())
                .collect::<Vec<_>>()
                .join(".");
            // Initials that spell a legal form (`o.O.O.` = OOO) are that legal form.
            let role = match tables().latin.get(&text) {
                Some((TokenRole::LegalForm, _)) => TokenRole::LegalForm,
                _ => TokenRole::Word,
            };
            out.push(Token {
                literal: text.clone(),
                text,
                role,
                source,
                abjad: false,
                han: false,
                translated: false,
                phrase: 0,
                joined: false,
            });
            i = j;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

/// Two-letter abbreviations of a legal-form word that stand before another legal form the
/// way the word would (`CO., LIMITED`): not initials.
const CHAINED_ABBREVIATIONS: [&str; 1] = ["co"];

/// Two-letter Latin legal forms that their countries write before the name (Russia's `AO`,
/// Indonesia's `PT` and `CV`, Sweden's `AB`, Finland's `Oy`): at the start of a name of more
/// words they are its legal form (`AO Vismut`, `PT Multi Sarana`).
const LEADING_SHORT_FORMS: [&str; 5] = ["ao", "pt", "cv", "ab", "oy"];

/// Two-letter Latin legal forms ("AG", "SA", "AB"), and the legal forms that are also given
/// names or words ([`crate::tables::Tables::trailing_forms`]: "SAL"), count as such only in the
/// chain of legal forms that ends the name, or first in the name for the forms written there
/// ([`LEADING_SHORT_FORMS`]) (elsewhere they are too often initials or words); longer forms
/// count anywhere, so word order never changes what is set aside. A name made only of legal
/// forms keeps them as words.
fn edge_rule(tokens: &mut [Token]) {
    let n = tokens.len();
    // The chain ends the name; a two-letter form in it is followed by two-letter forms only
    // ("SA DE CV", not "LONDON EV COMPANY LIMITED", where EV is a word).
    // `Co` abbreviates `company` and chains like it (`CO., LIMITED`, `Co. Inc.`).
    let short_form = |t: &Token| {
        t.text.bytes().filter(|b| *b != b' ').count() <= 2
            && !CHAINED_ABBREVIATIONS.contains(&t.text.as_str())
    };
    let mut trail = 0;
    let mut long_seen = false;
    for t in tokens.iter().rev() {
        if t.role != TokenRole::LegalForm || (t.abjad && t.text.len() <= 2) {
            break;
        }
        // A two-letter form written in letters apart (`S.A.` of `S.A. LTD.`) is no word.
        let spelt = t.source.contains([' ', '.']);
        if short_form(t) && long_seen && t.source.is_ascii() && !spelt {
            break;
        }
        long_seen |= !short_form(t);
        trail += 1;
    }
    // `Co` right before another legal form is part of it wherever the pair stands
    // (`TRADING CO., LIMITED ADVANTAGE`, a name with its words rotated).
    let chained: Vec<bool> = (0..n)
        .map(|j| {
            CHAINED_ABBREVIATIONS.contains(&tokens[j].text.as_str())
                && tokens
                    .get(j + 1)
                    .is_some_and(|x| x.role == TokenRole::LegalForm && !short_form(x))
        })
        .collect();
    // A leading form-first legal form, before a word of two letters or more.
    let leading = tokens.first().is_some_and(|t| {
        t.role == TokenRole::LegalForm && LEADING_SHORT_FORMS.contains(&t.text.as_str())
    }) && tokens
        .get(1)
        .is_some_and(|x| x.role != TokenRole::LegalForm && x.text.len() >= 2);
    let trailing_forms = &tables().trailing_forms;
    for (j, t) in tokens.iter_mut().enumerate() {
        // A legal form that is also a given name or a word (`SAL`, `CC`) counts as a legal
        // form only where a two-letter one does.
        let short = (t.text.bytes().filter(|b| *b != b' ').count() <= 2
            || (t.role == TokenRole::LegalForm && trailing_forms.contains(&t.text)))
            && t.source.is_ascii()
            && !chained.get(j).copied().unwrap_or(false)
            && !(j == 0 && leading);
        // Function words set aside inside a name ("of") are no legal forms: they stay aside.
        let function_word = !t.abjad && is_function_word(&t.text);
        if t.role == TokenRole::LegalForm
            && !function_word
            && ((short && j + trail < n) || (t.abjad && t.text.len() <= 2))
        {
            t.role = TokenRole::Word;
        }
    }
    if tokens.iter().all(|t| t.role == TokenRole::LegalForm) {
        for t in tokens.iter_mut() {
            t.role = TokenRole::Word;
        }
    }
}

/// Split a Han run into table phrases and pinyin words.
fn han_tokens(text: &str, source: &str, out: &mut Vec<Token>) {
    let t = tables();
    let chars: Vec<char> = text.chars().collect();
    let src_chars: Vec<char> = source.chars().collect();
    let mut pending_start = 0;
    let mut i = 0;
    let flush = |from: usize, to: usize, out: &mut Vec<Token>| {
        if to > from {
            let s: String = chars[from..to].iter().collect();
            let src: String = src_chars
                .get(from..to)
                .map(|c| c.iter().collect())
                .unwrap_or_else(|| s.clone());
            let p = pinyin_of(&s);
            if !p.is_empty() {
                out.push(Token {
                    text: fold(&p),
                    literal: s,
                    role: TokenRole::Word,
                    source: src,
                    abjad: false,
                    han: true,
                    translated: false,
                    phrase: 0,
                    joined: false,
                });
            }
        }
    };
    while i < chars.len() {
        // An ordinal (`第十六` → 16, `第七一三` → 713): lists write the number.
        if let Some((len, value)) = chars.get(i..).and_then(chinese_ordinal) {
            flush(pending_start, i, out);
            let src: String = src_chars
                .get(i..i + len)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            out.push(Token {
                text: value.to_string(),
                literal: value.to_string(),
                role: TokenRole::Word,
                source: src,
                abjad: false,
                han: false,
                translated: false,
                phrase: 0,
                joined: false,
            });
            i += len;
            pending_start = i;
            continue;
        }
        let max = t.han_max.min(chars.len() - i);
        let mut len = max;
        let mut matched = false;
        while len >= 1 {
            let key: String = chars[i..i + len].iter().collect();
            let src: String = src_chars
                .get(i..i + len)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            let reading = fold(&pinyin_of(&key));
            if let Some(words) = t.han_words.get(&key) {
                flush(pending_start, i, out);
                // The words of one phrase share a number unique in the name; a phrase English
                // may write as a legal form (`集团` group / corporation) is optional.
                let legal = words.iter().any(|w| w.role == TokenRole::LegalForm);
                let phrase = if words.iter().any(|w| w.optional)
                    || (legal && words.iter().any(|w| w.role != TokenRole::LegalForm))
                {
                    OPTIONAL_PHRASE
                } else if words.len() > 1 {
                    phrase_number(out.len())
                } else {
                    0
                };
                for w in words {
                    out.push(Token {
                        text: fold(&w.text),
                        literal: reading.clone(),
                        role: w.role,
                        source: src.clone(),
                        abjad: false,
                        han: false,
                        translated: true,
                        phrase,
                        joined: false,
                    });
                }
                matched = true;
            } else if let Some(latin) = t.places_han.get(&key) {
                // A place: its own word, written as lists write it (`浙江` Zhejiang, `哈尔滨`
                // Harbin, `西藏` Xizang / Tibet), so that a list's misspelling is a typo.
                flush(pending_start, i, out);
                let phrase = if latin.len() > 1 {
                    phrase_number(out.len())
                } else {
                    0
                };
                for l in latin {
                    out.push(Token {
                        text: fold(l),
                        literal: fold(l),
                        role: TokenRole::Word,
                        source: src.clone(),
                        abjad: false,
                        han: false,
                        translated: true,
                        phrase,
                        joined: false,
                    });
                }
                matched = true;
            } else if let Some((role, canon)) = t.han.get(&key) {
                flush(pending_start, i, out);
                let text = if *role == TokenRole::LegalForm {
                    reading.clone()
                } else {
                    fold(canon)
                };
                // A translated table word is compared as a Latin symbol (`技术` ~ `technology`)
                // whose literal is its reading (`jishu`); legal forms stay Han.
                let literal = if *role == TokenRole::Symbol {
                    reading
                } else {
                    key
                };
                out.push(Token {
                    text,
                    literal,
                    role: *role,
                    source: src,
                    abjad: false,
                    han: *role != TokenRole::Symbol,
                    translated: *role == TokenRole::Symbol,
                    phrase: 0,
                    joined: false,
                });
                matched = true;
            }
            if matched {
                i += len;
                pending_start = i;
                break;
            }
            len -= 1;
        }
        if !matched {
            i += 1;
        }
    }
    flush(pending_start, chars.len(), out);
}

/// The value of a Chinese ordinal at the start of `c` (`第` and numerals) and the characters it
/// takes: positional (`十六` 16, `三十` 30, `一百零二` 102) or digit by digit (`七一三` 713,
/// `七一〇` 710), as Chinese writes institute numbers.
fn chinese_ordinal(c: &[char]) -> Option<(usize, u32)> {
    let digit = |ch: char| -> Option<u32> {
        Some(match ch {
            '〇' | '零' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let unit = |ch: char| -> Option<u32> {
        Some(match ch {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        })
    };
    if c.first() != Some(&'第') {
        return None;
    }
    let num: Vec<char> = c
        .iter()
        .skip(1)
        .take_while(|&&ch| digit(ch).is_some() || unit(ch).is_some())
        .take(8)
        .copied()
        .collect();
    if num.is_empty() {
        return None;
    }
    let value = if num.iter().any(|&ch| unit(ch).is_some()) {
        let (mut total, mut pending) = (0u32, None::<u32>);
        for &ch in &num {
            if let Some(d) = digit(ch) {
                pending = Some(d);
            } else if let Some(u) = unit(ch) {
                total += pending.unwrap_or(1) * u;
                pending = None;
            }
        }
        total + pending.unwrap_or(0)
    } else {
        num.iter()
            .filter_map(|&ch| digit(ch))
            .fold(0u32, |v, d| v.saturating_mul(10).saturating_add(d))
    };
    Some((num.len() + 1, value))
}

/// Consonant skeleton of a token (vowels and semi-vowels dropped, doubles collapsed), for
/// comparing names written in abjad scripts, which usually omit vowels.
pub fn skeleton(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = '\0';
    for c in s.chars() {
        // Voicing is not written consistently in romanisations (Hangul g/k, b/p, d/t).
        let c = match c {
            'g' => 'k',
            'b' => 'p',
            'd' => 't',
            _ => c,
        };
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'w') {
            last = c;
            continue;
        }
        if c != last {
            out.push(c);
        }
        last = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: &str) -> Vec<String> {
        normalize(s).evidence().map(|t| t.text.clone()).collect()
    }

    #[test]
    fn a_hyphen_joins_a_word_to_the_one_before() {
        let joined =
            |s: &str| -> Vec<bool> { normalize(s).tokens.iter().map(|t| t.joined).collect() };
        assert_eq!(joined("'Abd-al-Latif LARI"), [false, true, true, false]);
        assert_eq!(joined("ABU-'AMMAR JOK"), [false, true, false]);
        // A hyphen with a space on either side joins nothing.
        assert_eq!(joined("Foo - Bar"), [false, false]);
        assert_eq!(joined("Foo -Bar Baz- Qux"), [false, false, false, false]);
    }

    #[test]
    fn chinese_ordinals_become_numbers() {
        let of = |s: &str| chinese_ordinal(&s.chars().collect::<Vec<_>>());
        assert_eq!(of("第十六研究所"), Some((3, 16)));
        assert_eq!(of("第三十研究所"), Some((3, 30)));
        assert_eq!(of("第七一三研究所"), Some((4, 713)));
        assert_eq!(of("第七一〇"), Some((4, 710)));
        assert_eq!(of("第一百零二"), Some((5, 102)));
        assert_eq!(of("第"), None);
        assert_eq!(of("十六"), None);
        assert!(ev("中国电子科技集团公司第十六研究所").contains(&"16".to_string()));
        assert_eq!(ev("第七一三研究所"), ev("713 Research Institute"));
    }

    #[test]
    fn traditional_characters_become_simplified() {
        assert_eq!(to_simplified("華為技術"), "华为技术");
        assert_eq!(to_simplified("長鑫存儲"), "长鑫存储");
        assert_eq!(
            to_simplified("中芯国际"),
            "中芯国际",
            "simplified stays as it is"
        );
    }

    #[test]
    fn huawei_cross_script() {
        assert_eq!(ev("华为技术有限公司"), ev("Huawei Technologies Co., Ltd."));
        assert_eq!(ev("華為技術有限公司"), ev("Huawei Technologies Co., Ltd."));
    }

    #[test]
    fn accents_case() {
        assert_eq!(ev("SOCIÉTÉ Générale"), ev("societe generale"));
        assert_eq!(ev("Владимир Путин"), vec!["vladimir", "putin"]);
    }

    #[test]
    fn spellings_of_one_word_agree() {
        for (a, b) in [
            ("eliseev", "elisiv"),
            ("phillips", "fillips"),
            ("tyre", "tire"),
            ("mahmoud", "mahmud"),
            ("fatimah", "fatima"),
            ("aliyev", "aliev"),
            ("khaleesi", "haleesi"),
            ("schi", "shi"),
        ] {
            assert!(same_spelling(a, b), "{a} / {b}");
        }
        for (a, b) in [
            ("qiang", "kiang"),
            ("jan", "yan"),
            ("zhou", "jou"),
            ("tire", "tire"),
            ("z", "z"),
        ] {
            assert!(!same_spelling(a, b), "{a} / {b}");
        }
        assert_eq!(spelling("eliseev").as_deref(), Some("elisiv"));
        assert_eq!(spelling("elisiv"), None);
    }

    #[test]
    fn broken_up_legal_forms_set_aside_whole() {
        // `Co` before another legal form is part of the chain, as `Company` would be.
        assert_eq!(ev("GOLDENIX CO., LIMITED"), vec!["goldeniks"]);
        assert_eq!(ev("GOLDENIX CO., LIMITED"), ev("Goldenix Co., Ltd."));
        // A misspelt Russian legal form: its short word `s` joins the legal words around it.
        let n = normalize("OBSCHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU GAZPROM TRANSGAZ");
        let n = set_aside_legal_words(&n, |_| false);
        let words: Vec<&str> = n.evidence().map(|t| t.text.as_str()).collect();
        assert_eq!(words, vec!["gazprom", "transgaz"]);
        // Alone, a short word stays a word.
        let n = set_aside_legal_words(&normalize("S GAZPROM"), |_| false);
        assert_eq!(n.evidence().count(), 2);
        // A table word of legal forms (`OBSHCHESTVO`, the symbol `org`) joins a misspelt legal
        // word, and a word misspelt at its `-iy` end is read as written.
        let aside = |name: &str| -> Vec<String> {
            set_aside_legal_words(&normalize(name), |_| false)
                .evidence()
                .map(|t| t.text.clone())
                .collect()
        };
        assert_eq!(
            aside("AKSIONERNOE OBSHCHESTVO ELEKTROTYAGA"),
            vec!["elektrotyaga"]
        );
        assert_eq!(
            aside("LIMITED LIABILIY COMPANY ROSTSHIPSERVICE"),
            vec!["rostshipservice"]
        );
        // ... but such table words alone stay words (`bank`).
        assert_eq!(aside("Deutsche Bank AG"), vec!["deutsche", "bank"]);
        // A misspelt table word is that word, alone too: `CAPITZL LTD` keeps `capital`.
        let kept = aside("OY LYNGVIK CAPITZL LTD");
        assert!(kept.contains(&"capitzl".to_string()), "{kept:?}");
        // A last word misspelt from a one-word legal form is that form; a word of legal forms
        // that is not one on its own (`STOCKS`), or not at the end, stays a word.
        assert_eq!(aside("SORAN COMPANI"), vec!["soran"]);
        assert_eq!(
            aside("TEHRAN GOSTARESH CORPORATOIN"),
            vec!["tehran", "gostaresh"]
        );
        assert_eq!(aside("ACME STOCKS"), vec!["acme", "stocks"]);
        assert_eq!(aside("COMPANI SORAN"), vec!["compani", "soran"]);
        // A legal word alone at an edge joins a legal form it is written with in some form
        // (`joint` with `stock company`), not any legal form (`joint` is never written with
        // `ltd`, `stock` never with `pty ltd` or the form `for`).
        assert_eq!(aside("STOCK COMPANY RIMERA JOINT"), vec!["rimera"]);
        assert_eq!(aside("Joint Gas Ltd"), vec!["joint", "gas"]);
        assert_eq!(aside("STOCK FOR ACME PTY LTD"), vec!["stock", "acme"]);
        assert_eq!(aside("STOCK ACME PTY LTD"), vec!["stock", "acme"]);
        // A legal form of several words with a typo in one word, anywhere in the name.
        assert_eq!(aside("KOREA EXPO JOINT VEVTURE"), vec!["korea", "ekspo"]);
        assert_eq!(aside("CLOSED JOINT TOCK COMPANY GENBANK"), vec!["genbank"]);
        assert_eq!(
            aside("SETTLEMENT NON BANK CREDIT OGANIZATION METALLURG"),
            vec!["settlement", "metallurg"]
        );
        // Two words off the form, or a short word, are no typo of it.
        assert_eq!(aside("ACME JOLLY VEVTURE").len(), 3);
        // A word the lists have is never read as a typo.
        let n = set_aside_legal_words(&normalize("SORAN COMPANI"), |w| w == "compani");
        assert_eq!(n.evidence().count(), 2);
    }

    #[test]
    fn digits_read_as_letters_only_in_longer_words() {
        assert_eq!(fold("m1crosoft"), "microsoft");
        assert_eq!(fold("a1"), "a1");
        assert_eq!(fold("3m"), "3m");
        assert_ne!(normalize("AI Corp").key(), normalize("A1 Corp").key());
    }

    #[test]
    fn legal_forms_only_at_edges() {
        let n = normalize("Bowne Global Solutions II");
        assert!(n.evidence().any(|t| t.text == "ii"), "{n:?}");
        let n = normalize("Rosoboronexport OAO");
        assert_eq!(n.set_aside().count(), 1);
        // Forms written first in their countries count first in the name too; other short
        // forms there stay words, and so does a leading form before an initial.
        assert_eq!(normalize("AO Vismut").key(), normalize("Vismut AO").key());
        assert_eq!(normalize("PT Multi Sarana").key(), "multi sarana");
        assert_eq!(normalize("SA Recycling").evidence().count(), 2);
        assert_eq!(normalize("AB C Smith").evidence().count(), 3);
    }

    /// Dotted letters are one abbreviation: a legal form takes the run whole or not at all
    /// (`S.A.C.` is Peru's form, not `S.A.` and an initial `C`; `P.J.S.C.` holds no `J.S.C.`).
    #[test]
    fn a_run_of_dotted_letters_is_read_whole() {
        for name in [
            "LUCERO IMPORT S.A.C.",
            "SIRJAN JAHAN STEEL P.J.S.C.",
            "ENVIGH, S. DE R.L. DE C.V.",
            "DESARROLLO AGRICOLA ORGANICO S.P.R. DE R.L.",
            "JAMMAL TRUST BANK S.A.L.",
            "ABAR PETROLEUM SERVICE SAL",
            "B C D S.A.",
        ] {
            let n = normalize(name);
            let forms: Vec<&str> = n.set_aside().map(|t| t.source.as_str()).collect();
            assert_eq!(forms.len(), 1, "{name}: {:?}", n.tokens);
            assert!(
                n.evidence().all(|t| t.text.len() > 1),
                "{name}: {:?}",
                n.tokens
            );
        }
        // Initials before a legal form stay initials (`B C D` is no dotted run).
        assert_eq!(normalize("B C D S.A.").key(), "bcd");
        // Without their dots the letters are read as before.
        assert_eq!(normalize("ABC S.A. DE C.V.").key(), "abc");
    }

    /// A legal form that is also a given name (`SAL`) counts as one only at the end.
    #[test]
    fn a_form_that_is_also_a_name_counts_only_at_the_end() {
        assert_eq!(normalize("ABAR PETROLEUM SAL").evidence().count(), 2);
        assert_eq!(normalize("SAL ABAR PETROLEUM").evidence().count(), 3);
        assert_eq!(normalize("Sal Khan").evidence().count(), 2);
    }
}
