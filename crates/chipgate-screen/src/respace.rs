//! Names written with a space more or fewer than the lists write them: `Abu Bakar` for
//! `Abubakar`, `Hik vision` for `Hikvision`, `Patr ushev` for `Patrushev`, `Pyongchol` for
//! `Pyong Chol`.
//!
//! Words are compared one by one, so a space in the wrong place leaves two words that pair
//! with nothing. The whole-name comparison (names joined without spaces) finds such a name only
//! when every other word is written alike and in the same order; a list that writes the family
//! name first (`PATRUSHEV, Nikolai Platonovich`) or keeps a middle name defeats it. This module
//! proposes other spacings of a queried name, each one change, where the change gives words the
//! lists have; the screener scores them as well and keeps the better score, lowered by
//! [`crate::score::JOINED_SCORE`] as for names joined whole. A spacing counts against a listed
//! name only where every word it made pairs with one of that name's words written alike:
//! `Abd al` read as `abdal` says nothing about a list's `ABD AL-RAHMAN`.

use crate::normalize::{Token, TokenRole};
use crate::NormalizedName;

/// Why another spacing costs [`crate::score::JOINED_SCORE`], for the explanation.
const SPACING_COST: &str = "for the spacing";

/// At most this many other spacings are tried per name: each costs one more search.
pub const MAX_RESPACINGS: usize = 4;

/// Shortest word a join takes: single letters are initials, not syllables.
const MIN_PART: usize = 2;

/// Shortest part a split makes: two-letter words are in the lists by the thousand (`ta`, `ji`,
/// `un`), so a split into one of them finds names by accident (`TARANG` as `TA RANG`).
const MIN_SPLIT_PART: usize = 3;

/// Shortest word that is split in two.
const MIN_SPLIT: usize = 2 * MIN_SPLIT_PART;

/// One other reading of a name (another spacing here; initials one by one in
/// [`crate::initials`]), which the screener scores as well as the name as written.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The name so read.
    pub name: NormalizedName,
    /// Comparison forms of the words the change made, which must pair written alike (none for
    /// a reading that makes no new word).
    pub words: Vec<String>,
    /// What changed, for the explanation (`` `Patr ushev` read as `patrushev` ``).
    pub change: String,
    /// Factor on a score reached through this reading, and why it costs that (`for the
    /// spacing`), for the explanation.
    pub factor: f32,
    pub cost: &'static str,
    /// The reading can score better than the name as written only against listed people
    /// (initials read one by one): only their names are scored.
    pub only_people: bool,
}

/// A word that can be joined or split: Latin letters only, not read from Han characters, not
/// a legal form, and no phrase reading (`科技` read as two words is not a spacing).
fn plain(t: &Token) -> bool {
    matches!(t.role, TokenRole::Word | TokenRole::Symbol)
        && !t.han
        && !t.translated
        && t.phrase == 0
        && t.literal.len() >= MIN_PART
        && t.literal.bytes().all(|b| b.is_ascii_lowercase())
}

/// A word common in company names or a generic business word: it names no company alone.
fn common(t: &Token) -> bool {
    crate::tables::is_company_word(&t.text)
        || (t.role == TokenRole::Symbol && crate::tables::is_generic_symbol(&t.text))
}

/// The word `w` (folded letters) as a name token, if the lists have it: read as a one-word
/// name (a table word becomes its symbol, `plant`), and not a legal form.
pub(crate) fn listed_word(
    w: &str,
    source: String,
    abjad: bool,
    known: &impl Fn(&str) -> bool,
) -> Option<Token> {
    let n = crate::normalize::normalize(w);
    let [t] = n.tokens.as_slice() else {
        return None;
    };
    if n.only_legal_forms || !matches!(t.role, TokenRole::Word | TokenRole::Symbol) || t.han {
        return None;
    }
    known(&t.text).then(|| Token {
        source,
        abjad,
        phrase: 0,
        ..t.clone()
    })
}

/// Other spacings of `n` whose changed words the lists have: two neighbouring words joined into
/// one listed word, or one word the lists do not have split into two listed words. `written`
/// tells whether the lists write a word (as written or as compared), a quick test before a word
/// is read; `known` whether they have a comparison form. Joins come first, left to right; at
/// most [`MAX_RESPACINGS`].
pub fn respacings(
    n: &NormalizedName,
    written: impl Fn(&str) -> bool,
    known: impl Fn(&str) -> bool,
) -> Vec<Reading> {
    let mut out = Vec::new();
    let toks = &n.tokens;
    // The name with tokens `v`, read so by `change`, which made `words`.
    let spaced = |v: Vec<Token>, words: Vec<String>, change: String| Reading {
        name: NormalizedName {
            tokens: v,
            only_legal_forms: n.only_legal_forms,
        },
        words,
        change,
        factor: crate::score::JOINED_SCORE,
        cost: SPACING_COST,
        only_people: false,
    };
    for i in 0..toks.len().saturating_sub(1) {
        let (Some(a), Some(b)) = (toks.get(i), toks.get(i + 1)) else {
            continue;
        };
        // Two words common in company names make no name together (`Safe Tech` is not the
        // list's `SafeTech` more than it is any other safe technology firm): joined, they would
        // be one word that identifies. (A split keeps each part's own standing, so it needs no
        // such care: `STARTRADING` read as `star trading` is scored as common words.)
        if !plain(a) || !plain(b) || (common(a) && common(b)) {
            continue;
        }
        let joined = format!("{}{}", a.literal, b.literal);
        if !written(&joined) {
            continue;
        }
        let source = format!("{} {}", a.source, b.source);
        let Some(t) = listed_word(&joined, source.clone(), a.abjad || b.abjad, &known) else {
            continue;
        };
        let words = vec![t.text.clone()];
        let mut v = toks.clone();
        v.splice(i..i + 2, [t]);
        out.push(spaced(v, words, format!("`{source}` read as `{joined}`")));
        if out.len() >= MAX_RESPACINGS {
            return out;
        }
    }
    for (i, t) in toks.iter().enumerate() {
        if !plain(t) || t.literal.len() < MIN_SPLIT || written(&t.literal) || known(&t.text) {
            continue;
        }
        for k in MIN_SPLIT_PART..=t.literal.len() - MIN_SPLIT_PART {
            let (Some(x), Some(y)) = (t.literal.get(..k), t.literal.get(k..)) else {
                continue;
            };
            if !written(x) || !written(y) {
                continue;
            }
            // Each part shows as written where the folded word kept the written letters.
            let (sx, sy) = match (t.source.get(..k), t.source.get(k..)) {
                (Some(sx), Some(sy)) if t.source.len() == t.literal.len() => {
                    (sx.to_string(), sy.to_string())
                }
                _ => (x.to_string(), y.to_string()),
            };
            let (Some(tx), Some(ty)) = (
                listed_word(x, sx, t.abjad, &known),
                listed_word(y, sy, t.abjad, &known),
            ) else {
                continue;
            };
            let words = vec![tx.text.clone(), ty.text.clone()];
            let mut v = toks.clone();
            v.splice(i..=i, [tx, ty]);
            out.push(spaced(
                v,
                words,
                format!("`{}` read as `{x} {y}`", t.source),
            ));
            if out.len() >= MAX_RESPACINGS {
                return out;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize;

    fn words(n: &NormalizedName) -> Vec<&str> {
        n.tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn joins_two_words_into_a_known_one() {
        let known = |w: &str| matches!(w, "abubakar" | "shekau" | "abu");
        let r = respacings(&normalize("Abu Bakar Shekau"), known, known);
        assert_eq!(r.len(), 1);
        assert_eq!(words(&r[0].name), ["abubakar", "shekau"]);
        assert!(r[0].change.contains("abubakar"));
    }

    #[test]
    fn splits_an_unknown_word_into_two_known_ones() {
        let known = |w: &str| matches!(w, "ri" | "pyong" | "chol");
        let r = respacings(&normalize("Pyongchol Ri"), known, known);
        assert_eq!(r.len(), 1);
        assert_eq!(words(&r[0].name), ["pyong", "chol", "ri"]);
        assert_eq!(r[0].name.tokens[0].source, "Pyong");
    }

    #[test]
    fn known_words_short_parts_initials_and_digits_stay_as_written() {
        let known = |w: &str| {
            matches!(
                w,
                "pyongchol" | "pyong" | "chol" | "jong" | "un" | "jc" | "a1" | "safetech"
            )
        };
        // `pyongchol` is known: not split.
        assert!(respacings(&normalize("Pyongchol Ri"), known, known).is_empty());
        // Two-letter parts are not split off.
        assert!(respacings(&normalize("Jongun Kim"), known, known).is_empty());
        // Two words common in company names are not joined.
        assert!(respacings(&normalize("Safe Tech"), known, known).is_empty());
        // Initials do not join; digits neither.
        assert!(respacings(&normalize("J C Smith"), known, known).is_empty());
        assert!(respacings(&normalize("A 1 Trading"), known, known).is_empty());
        // Nothing the lists know: no spacing.
        assert!(respacings(&normalize("Nikolai Patr ushev"), |_| false, |_| false).is_empty());
    }

    #[test]
    fn at_most_a_few_spacings() {
        let r = respacings(
            &normalize("Kelo Mira Tosu Vani Runa Peli"),
            |_| true,
            |_| true,
        );
        assert_eq!(r.len(), MAX_RESPACINGS);
    }
}
