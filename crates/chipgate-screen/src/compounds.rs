//! Arabic and Persian compound names written as one word: `Abdelrahman` for `Abd al-Rahman`,
//! `Abdurrahman` for `Abdul Rahman`, `Noureddine` for `Nur al-Din`, `Abdallah` for `Abd Allah`,
//! `Kamal Eddin` for `Kamal al-Din`.
//!
//! Lists write such names both ways, with the article between the parts (`al`, `el`, `ul`, or
//! assimilated to the next consonant: `ur-Rahman`, `ud-Din`), and a word-by-word comparison
//! finds nothing in common between `Abdelrahman` and `Abd`, `al`, `Rahman`. This module reads a
//! queried name's compound word as its two parts, the article left out (a particle where it is
//! written apart); the screener scores that reading as well, as it does other spacings
//! ([`crate::respace`]), against listed people only, and only where the second part pairs with
//! a word of the listed name written alike. Listed names are indexed as written: a listed
//! `ABDELLAH` stays one word, so a query's `Abdallah KANOGLU` does not cover it twice over.

use crate::normalize::{Token, TokenRole};
use crate::respace::Reading;
use crate::NormalizedName;

/// Endings of compound names written as one word, with the word they stand for: a name of God
/// (`Abdallah`, `Nasrullah`, `Ruhollah`: `Allah`) or of faith (`Noureddine`, `Salahuddin`,
/// `Zinedine`: `al-Din`), the article before it assimilated into a vowel.
const ENDINGS: [(&str, &str); 13] = [
    ("allah", "allah"),
    ("ullah", "allah"),
    ("ollah", "allah"),
    ("ellah", "allah"),
    ("illah", "allah"),
    ("eddine", "din"),
    ("eddin", "din"),
    ("uddine", "din"),
    ("uddin", "din"),
    ("addin", "din"),
    ("iddin", "din"),
    ("uddeen", "din"),
    ("edine", "din"),
];

/// Shortest stem before an ending (`Aladdin` is a name of its own).
const MIN_STEM: usize = 3;

/// Why a compound read as its parts costs [`crate::score::JOINED_SCORE`], for the explanation.
const COMPOUND_COST: &str = "for reading a compound name as its parts";

/// The parts of a compound name written as one word (folded letters): where the first part
/// ends, where the second starts, and the second part's letters when an ending stands for them
/// (`allah`, `din`). `abd` and an article (`el` / `ul` / `al`, or a vowel and the next part's
/// own first consonant: `ur` + `rahman`), or a stem of [`MIN_STEM`] letters or more and one of
/// [`ENDINGS`]. None for other words and for words of the name tables (`Hezbollah` is one
/// organisation).
fn parts(w: &str) -> Option<(usize, usize, Option<&'static str>)> {
    if w.len() < 7
        || !w.bytes().all(|b| b.is_ascii_lowercase())
        || crate::tables::tables().latin.contains_key(w)
    {
        return None;
    }
    for (ending, part) in ENDINGS {
        if let Some(stem) = w.strip_suffix(ending) {
            if stem.len() >= MIN_STEM {
                return Some((stem.len(), stem.len(), Some(part)));
            }
        }
    }
    let vowel = |b: u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    let rest = w.strip_prefix("abd")?.as_bytes();
    let (&v, &c) = (rest.first()?, rest.get(1)?);
    let name = rest.get(2..)?;
    let article = vowel(v) && !vowel(c) && (c == b'l' || name.first() == Some(&c));
    (article && name.len() >= MIN_STEM).then_some((3, 5, None))
}

/// `Eddin` written apart (`Kamal Eddin`): the article and `Din`. A listed one pairs with a
/// queried `Din` as a loose pair (`score::loose_sim`), since listed names are not read so.
pub(crate) fn din_apart(w: &str) -> bool {
    ENDINGS.iter().any(|&(e, part)| part == "din" && e == w)
}

/// A word of a reading: `letters` read as one name word (no table word), shown as `source`.
fn word(letters: &str, source: String, like: &Token) -> Option<Token> {
    crate::respace::listed_word(letters, source, like.abjad, &|_: &str| true)
        .filter(|t| t.role == TokenRole::Word)
}

/// The words a compound name or an apart `Eddin` is read as ([`parts`], [`din_apart`]), None
/// for other words.
fn read_as(t: &Token) -> Option<Vec<Token>> {
    if t.han || t.role != TokenRole::Word || t.phrase != 0 {
        return None;
    }
    let l = t.literal.as_str();
    if din_apart(l) {
        return word("din", t.source.clone(), t).map(|d| vec![d]);
    }
    let (first, second, ending) = parts(l)?;
    // Each part shows as written where the folded word kept the written letters.
    let aligned = t.source.len() == l.len() && t.source.is_ascii();
    let source = |from: usize, to: usize| {
        let s = if aligned {
            t.source.get(from..to)
        } else {
            None
        };
        s.or_else(|| l.get(from..to))
            .unwrap_or_default()
            .to_string()
    };
    let second_letters = ending.or_else(|| l.get(second..)).unwrap_or_default();
    let a = word(l.get(..first)?, source(0, first), t)?;
    let mut b = word(second_letters, source(second, l.len()), t)?;
    b.joined = true;
    Some(vec![a, b])
}

/// The readings of `n` with its compound names read as their parts (and an `Eddin` written
/// apart as `Din`): all of them at once, then each alone when there are several; at most
/// [`crate::respace::MAX_RESPACINGS`]. The words that must pair written alike are the second
/// parts (`rahman`, `din`): a first part may pair as another spelling (`Abd` / `Abdul`).
pub fn compound_readings(n: &NormalizedName) -> Vec<Reading> {
    let found: Vec<(usize, Vec<Token>)> = n
        .tokens
        .iter()
        .enumerate()
        .filter_map(|(i, t)| read_as(t).map(|v| (i, v)))
        .collect();
    // The reading that replaces the words at these positions of `found`.
    let reading = |which: &[usize]| -> Reading {
        let mut tokens = n.tokens.clone();
        let (mut words, mut changes) = (Vec::new(), Vec::new());
        // From the last, so earlier positions stay where they were.
        for &k in which.iter().rev() {
            let Some((i, new)) = found.get(k) else {
                continue;
            };
            let Some(old) = n.tokens.get(*i) else {
                continue;
            };
            words.extend(new.last().map(|t| t.text.clone()));
            let parts: Vec<&str> = new.iter().map(|t| t.literal.as_str()).collect();
            changes.push(format!("`{}` read as `{}`", old.source, parts.join(" ")));
            tokens.splice(*i..=*i, new.iter().cloned());
        }
        changes.reverse();
        Reading {
            name: NormalizedName {
                tokens,
                only_legal_forms: n.only_legal_forms,
            },
            words,
            change: changes.join(", "),
            factor: crate::score::JOINED_SCORE,
            cost: COMPOUND_COST,
            only_people: true,
        }
    };
    let all: Vec<usize> = (0..found.len()).collect();
    let mut out = Vec::new();
    if !all.is_empty() {
        out.push(reading(&all));
    }
    if found.len() >= 2 {
        for k in 0..found.len() {
            if out.len() >= crate::respace::MAX_RESPACINGS {
                break;
            }
            out.push(reading(&[k]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize;

    fn read(s: &str) -> Vec<Vec<String>> {
        compound_readings(&normalize(s))
            .iter()
            .map(|r| r.name.tokens.iter().map(|t| t.literal.clone()).collect())
            .collect()
    }

    #[test]
    fn compound_names_are_read_as_their_parts() {
        assert_eq!(read("Abdelrahman YASIN"), [["abd", "rahman", "yasin"]]);
        assert_eq!(read("Abdurrahman"), [["abd", "rahman"]]);
        assert_eq!(read("ABDULLAH"), [["abd", "allah"]]);
        assert_eq!(read("Noureddine"), [["nour", "din"]]);
        assert_eq!(read("Salahuddin"), [["salah", "din"]]);
        assert_eq!(read("Kamal Eddin"), [["kamal", "din"]]);
        // Several compounds: all read at once, then each alone.
        assert_eq!(
            read("Abdelwahab Abdelhai"),
            [
                vec!["abd", "wahab", "abd", "hai"],
                vec!["abd", "wahab", "abdelhai"],
                vec!["abdelwahab", "abd", "hai"],
            ]
        );
        // The parts keep their letters as written, and the second must pair written alike.
        let r = compound_readings(&normalize("Abdelkader"));
        let sources: Vec<&str> = r[0].name.tokens.iter().map(|t| t.source.as_str()).collect();
        assert_eq!(sources, ["Abd", "kader"]);
        assert_eq!(r[0].words, ["kader"]);
        assert!(r[0].only_people);
    }

    #[test]
    fn other_words_are_not_compounds() {
        // An `abd` with no article, a stem too short, no third letter after the article, a word
        // of the name tables.
        for w in ["Abdominal", "Aladdin", "Abdulla", "Hezbollah"] {
            assert!(read(w).is_empty(), "{w}");
        }
    }
}
