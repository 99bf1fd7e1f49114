//! A person's initials written together read one by one: `J.R. Smith` for `John Robert Smith`,
//! `A.K. Khan` for `Abdul Karim Khan`, `J.-C. Juncker` for `Jean-Claude Juncker`.
//!
//! Normalisation writes a run of single letters as one acronym (`S.C. Johnson` and
//! `SC Johnson` compare alike: an organisation's initials are its name). In a person's name the
//! same run is one initial per given name, and the scorer pairs an initial with a word only
//! when it stands alone (`J. Smith` / `John Smith`). This module proposes the other reading of
//! a name that is not a company's: each such run spread into its letters. The screener scores
//! it as well and keeps the better score, so a listed organisation's acronym is unaffected.
//!
//! Read this way: runs written with stops or spaces (`J.R.`, `J. R.`, `J.-C.`), which can only
//! be initials, at no cost; and two or three capitals with no vowel written together
//! (`JC Juncker`, `DV MANTUROV`), which may be an acronym, at [`crate::score::JOINED_SCORE`].
//! (With a vowel they are as likely a surname written in capitals: `Ma'n ZAW`, `Abdullah CAO`;
//! titles and the surname `NG` are words too.)

use crate::normalize::{Token, TokenRole};
use crate::respace::Reading;
use crate::NormalizedName;

/// Longest run of initials read one by one (given names rarely number more).
const MAX_INITIALS: usize = 4;

/// Words of two or three capitals with no vowel that are words, not initials: titles and
/// suffixes (`DR AHMED KHAN`, `SMITH JR`) and the Cantonese surname `NG`.
const NOT_INITIALS: [&str; 10] = ["mr", "mrs", "ms", "dr", "jr", "sr", "st", "pr", "hh", "ng"];

/// Most words besides its initials that a name read as a person's may have.
const MAX_OTHER_WORDS: usize = 3;

/// Score factor of a reading that spreads only runs written with stops or spaces.
const WRITTEN_AS_INITIALS: f32 = 1.0;

/// The letters of `t`, if it is a run of initials: its source is single letters joined by the
/// stops normalisation writes (`J.R`), or two or three capitals with no vowel written together
/// (`JC`), but for [`NOT_INITIALS`]. The flag tells whether the run was written with stops or
/// spaces.
fn initials_of(t: &Token) -> Option<(Vec<char>, bool)> {
    let form = t.role == TokenRole::LegalForm;
    if !(t.role == TokenRole::Word || form) || t.han || t.abjad || t.translated {
        return None;
    }
    let parts: Vec<&str> = t
        .source
        .split(['.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let single = |p: &&str| p.chars().count() == 1 && p.chars().all(|c| c.is_ascii_alphabetic());
    if parts.len() >= 2 && parts.len() <= MAX_INITIALS && parts.iter().all(single) {
        let letters = parts.iter().filter_map(|p| p.chars().next()).collect();
        return Some((letters, true));
    }
    if form {
        return None;
    }
    // Capitals with no vowel: a word would have one, and a surname written in capitals
    // (`Ma'n ZAW`, `Abdullah CAO`) often has three letters. Whether the rest of the name is
    // written in capitals too says nothing (`JC Juncker`, `DV MANTUROV`); titles, suffixes and
    // the one common surname without a vowel are words ([`NOT_INITIALS`]).
    let caps = t
        .source
        .chars()
        .all(|c| c.is_ascii_uppercase() && !"AEIOUY".contains(c));
    let n = t.source.chars().count();
    if caps && (2..=3).contains(&n) && !NOT_INITIALS.contains(&t.text.as_str()) {
        return Some((t.source.chars().collect(), false));
    }
    None
}

/// A cheap test that [`initials_of`] may read `t` as initials: a short source written with
/// stops or spaces, or two or three capitals.
fn may_be_initials(t: &Token) -> bool {
    let s = t.source.as_str();
    s.len() < 2 * MAX_INITIALS
        && (s.contains(['.', ' '])
            || ((2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())))
}

/// The name with its runs of initials spread into single letters, if it has any, one to
/// [`MAX_OTHER_WORDS`] other words name the person, and the name is not a company's (a legal
/// form, or company words for half its words: its acronym is a name). Initials that spell a legal form
/// are read as initials too (`MNANGAGWA, E.D.`, `SEDOV, A.S.`): the name read so counts only
/// where it scores better, which against an organisation single letters never do.
pub fn spread_initials(n: &NormalizedName) -> Option<Reading> {
    // Most names have no word that could be a run of initials: say so before allocating.
    if !n.tokens.iter().any(may_be_initials) {
        return None;
    }
    let mut runs: Vec<Option<(Vec<char>, bool)>> = n.tokens.iter().map(initials_of).collect();
    // Initials that spell a legal form are a person's only beside a lone family name, and two
    // of them (`MNANGAGWA, E.D.`, `A.S. SEDOV`): `ROSSI S.R.L.` and `ACME TRADING S.A.` are
    // companies.
    let words = n
        .tokens
        .iter()
        .zip(&runs)
        .filter(|(t, r)| {
            r.is_none()
                && matches!(t.role, TokenRole::Word | TokenRole::Symbol)
                && t.literal.len() > 1
        })
        .count();
    // A person's name: initials beside one to three other words. Longer names with initials
    // are trusts and funds (`C J GRAVES ACCUMULATION AND MAINTENANCE SETTLEMENT`).
    if !(1..=MAX_OTHER_WORDS).contains(&words) {
        return None;
    }
    for (t, r) in n.tokens.iter().zip(runs.iter_mut()) {
        let keep = r.as_ref().is_some_and(|(l, _)| l.len() == 2) && words == 1;
        if t.role == TokenRole::LegalForm && !keep {
            *r = None;
        }
    }
    if runs.iter().all(Option::is_none) {
        return None;
    }
    // The rest of the name decides: initials would dilute its company words
    // (`S D INDUSTRIES`, `MM Investment Oy`, `D.D.S. AGRO INDUSTRIES`).
    let rest = NormalizedName {
        tokens: n
            .tokens
            .iter()
            .zip(&runs)
            .filter(|(t, run)| run.is_none() && t.literal.len() > 1)
            .map(|(t, _)| t.clone())
            .collect(),
        only_legal_forms: false,
    };
    if crate::index::is_company(&rest) {
        return None;
    }
    let mut tokens = Vec::with_capacity(n.tokens.len() + 2 * runs.len());
    let mut changes = Vec::new();
    let mut written = true;
    for (t, run) in n.tokens.iter().zip(runs) {
        let Some((letters, stops)) = run else {
            tokens.push(t.clone());
            continue;
        };
        written &= stops;
        let spread: Vec<String> = letters.iter().map(|c| c.to_string()).collect();
        changes.push(format!(
            "`{}` read as initials `{}`",
            t.source,
            spread.join(" ")
        ));
        for s in spread {
            // The initial as the letter's folded form begins (`X` is folded `ks`: the initial
            // of `Xavier`, folded `ksavier`, is `k`).
            let folded = crate::normalize::fold(&s.to_lowercase());
            let lower = folded.chars().next()?.to_string();
            tokens.push(Token {
                text: lower.clone(),
                literal: lower,
                source: s,
                role: TokenRole::Word,
                phrase: 0,
                ..t.clone()
            });
        }
    }
    let name = NormalizedName {
        tokens,
        only_legal_forms: false,
    };
    if crate::index::is_company(&name) {
        return None;
    }
    Some(Reading {
        name,
        words: Vec::new(),
        change: changes.join(", "),
        factor: if written {
            WRITTEN_AS_INITIALS
        } else {
            crate::score::JOINED_SCORE
        },
        cost: "as they may be an acronym",
        // Single letters pair with nothing in an organisation's name (`score::score_pair`).
        only_people: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize;

    fn texts(n: &NormalizedName) -> Vec<&str> {
        n.tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn runs_written_with_stops_or_spaces_are_spread_at_no_cost() {
        for name in ["J.R. Smith", "J. R. Smith", "J R Smith", "Smith, J.R."] {
            let r = spread_initials(&normalize(name)).expect(name);
            let mut t = texts(&r.name);
            t.sort_unstable();
            assert_eq!(t, ["j", "r", "smith"], "{name}");
            assert_eq!(r.factor, 1.0, "{name}");
            assert!(r.change.contains("read as initials `J R`"), "{}", r.change);
        }
        let r = spread_initials(&normalize("J.-C. Juncker")).expect("J.-C.");
        assert_eq!(texts(&r.name), ["j", "c", "juncker"]);
    }

    #[test]
    fn initials_that_spell_a_legal_form_are_read_as_initials_too() {
        for name in ["MNANGAGWA, E.D.", "A.S. SEDOV"] {
            let r = spread_initials(&normalize(name)).expect(name);
            assert_eq!(r.name.tokens.len(), 3, "{name}");
            assert!(r.name.tokens.iter().all(|t| t.role == TokenRole::Word));
        }
        // Another legal form still makes the name a company's, and so do company words.
        assert!(spread_initials(&normalize("SEDOV A.S. LLC")).is_none());
        assert!(spread_initials(&normalize("MM Investment Oy")).is_none());
        assert!(spread_initials(&normalize("S D INDUSTRIES")).is_none());
        assert!(spread_initials(&normalize("Investment M.M.")).is_none());
        assert!(spread_initials(&normalize("D.D.S. AGRO INDUSTRIES")).is_none());
        // A legal form of three letters, or beside a name of more words: the company's.
        assert!(spread_initials(&normalize("ROSSI S.R.L.")).is_none());
        assert!(spread_initials(&normalize("ROSSI BIANCHI S.A.")).is_none());
        // Initials beside many words: a trust or a fund, not a person.
        assert!(spread_initials(&normalize(
            "C J GRAVES ACCUMULATION AND MAINTENANCE SETTLEMENT"
        ))
        .is_none());
    }

    #[test]
    fn capitals_written_together_are_spread_at_a_cost() {
        let r = spread_initials(&normalize("JC Juncker")).expect("JC Juncker");
        assert_eq!(texts(&r.name), ["j", "c", "juncker"]);
        assert!(r.factor < 1.0);
        // An initial is the first letter of its letter folded as words are (`x` → `ks`), so
        // `X` stands for `Xavier` (`ksavier`).
        let r = spread_initials(&normalize("XJ Smith")).expect("XJ");
        assert_eq!(texts(&r.name), ["k", "j", "smith"]);
        // The same in a name all in capitals; titles and the surname `NG` are words.
        let r = spread_initials(&normalize("JC JUNCKER")).expect("JC JUNCKER");
        assert_eq!(texts(&r.name), ["j", "c", "juncker"]);
        assert!(r.factor < 1.0);
        assert!(spread_initials(&normalize("DR JUNCKER")).is_none());
        assert!(spread_initials(&normalize("NG KIM CHONG")).is_none());
        // Capitals with a vowel: a surname written in capitals.
        assert!(spread_initials(&normalize("Abdullah CAO")).is_none());
        // Not a run of capitals: a short name.
        assert!(spread_initials(&normalize("Ng Kim Chong")).is_none());
    }

    #[test]
    fn companies_acronyms_and_bare_initials_are_left_as_written() {
        // A company's initials are its name.
        assert!(spread_initials(&normalize("S.C. Johnson & Son, Inc.")).is_none());
        assert!(spread_initials(&normalize("J.P. Morgan Trading Company")).is_none());
        // Nothing else names the person.
        assert!(spread_initials(&normalize("J.R.")).is_none());
        assert!(spread_initials(&normalize("S.A.")).is_none());
        // No initials at all.
        assert!(spread_initials(&normalize("John Robert Smith")).is_none());
    }
}
