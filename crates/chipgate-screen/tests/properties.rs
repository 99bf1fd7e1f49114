//! Property tests: parsers never panic on arbitrary bytes; case, accents, spacing and token
//! order never change a screening status.

mod common;
use chipgate_screen::parse::{csl, csl_json, detect, dpl, flat_csl, generic, ofac};
use chipgate_screen::{normalize, ownership::Ownership, Query};
use common::builtin;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = detect("f", &bytes);
        let _ = csl::parse("f", &bytes);
        let _ = csl_json::parse("f", &bytes);
        let _ = flat_csl::parse("f", &bytes);
        let _ = dpl::parse("f", &bytes);
        let _ = ofac::parse_set(ofac::SDN_LIST, ("f", &bytes), Some(("a", &bytes)), Some(("b", &bytes)));
        let _ = generic::parse("f", &bytes, &generic::ColumnMap { name: "name".into(), ..Default::default() });
        let _ = Ownership::parse("f", &bytes);
    }

    #[test]
    fn csv_like_text_never_panics(s in "[a-z0-9,;\"\\t\\r\\n{}\\[\\]:-]{0,300}") {
        let b = format!("_id,source,name\n{s}");
        let _ = csl::parse("f", b.as_bytes());
        let j = format!("{{\"results\":[{s}");
        let _ = csl_json::parse("f", j.as_bytes());
        let _ = ofac::parse_set(ofac::SDN_LIST, ("f", s.as_bytes()), None, None);
    }

    /// Another spacing moves spaces only: every letter of the name stays, in order, and each
    /// spacing changes the word count by one. (No `i`: a word the change makes is folded as the
    /// lists' words are, and a final `-ii` folds to `-y`, so `UB ii` is read as `uby`.)
    #[test]
    fn respacing_moves_spaces_only(s in "[A-HJ-Za-hj-z]{1,9}( [A-HJ-Za-hj-z]{1,9}){0,4}") {
        let n = normalize(&s);
        let letters = |n: &chipgate_screen::NormalizedName| -> String {
            n.tokens.iter().map(|t| t.literal.as_str()).collect()
        };
        let words = |n: &chipgate_screen::NormalizedName| n.tokens.len();
        let all = chipgate_screen::respace::respacings(&n, |_| true, |_| true);
        prop_assert!(all.len() <= chipgate_screen::respace::MAX_RESPACINGS);
        for r in all {
            prop_assert_eq!(letters(&r.name), letters(&n), "{}", r.change);
            prop_assert_eq!(words(&r.name).abs_diff(words(&n)), 1, "{}", r.change);
            prop_assert!(!r.words.is_empty());
        }
    }

    /// Initials read one by one change nothing but the runs of initials: every letter stays,
    /// in order, the words the reading adds are single letters, and it is scored against people
    /// only, at most at the cost of a possible acronym. (`X`, folded to `ks`, gives the initial
    /// `k`: a unit test of `initials` checks it.)
    #[test]
    fn initials_are_spread_letter_by_letter(
        s in "([A-WYZ]\\. ?){1,3}[A-WYZa-wyz]{2,9}( [A-WYZa-wyz]{1,9}){0,3}( [A-WYZ]{2,3})?"
    ) {
        let n = normalize(&s);
        let letters = |n: &chipgate_screen::NormalizedName| -> String {
            n.tokens
                .iter()
                .flat_map(|t| t.literal.chars())
                .filter(|c| c.is_alphanumeric())
                .collect()
        };
        if let Some(r) = chipgate_screen::initials::spread_initials(&n) {
            prop_assert_eq!(letters(&r.name), letters(&n), "{}", r.change);
            prop_assert!(r.name.tokens.len() > n.tokens.len(), "{}", r.change);
            let kept: Vec<&str> = n.tokens.iter().map(|t| t.literal.as_str()).collect();
            for t in &r.name.tokens {
                prop_assert!(
                    t.literal.len() == 1 || kept.contains(&t.literal.as_str()),
                    "{}: {}", r.change, t.literal
                );
            }
            prop_assert!(r.words.is_empty() && r.only_people);
            prop_assert!(r.factor > 0.96 && r.factor <= 1.0);
        }
    }

    #[test]
    fn normalise_and_screen_never_panic(s in "\\PC{0,40}") {
        let _ = normalize(&s);
        // Any input gets an answer or a clear error; an error only for names that cannot
        // identify a party.
        let n = normalize(&s);
        match builtin().screen(&Query::name(s.clone())) {
            Ok(_) => prop_assert!(n.evidence().next().is_some() && !n.only_legal_forms),
            Err(_) => prop_assert!(n.evidence().next().is_none() || n.only_legal_forms),
        }
    }
}

const NAMES: &[&str] = &[
    "Huawei Technologies Co., Ltd.",
    "Rosoboronexport",
    "Bank Mellat",
    "Kim Jong Un",
    "Société Générale de Surveillance",
    "Fidelity Advisor Leveraged Company Stock Fund",
    "China Electronics Technology Group Corporation",
    "Islamic Revolutionary Guard Corps",
    "Müller Maschinenbau GmbH",
    "Semiconductor Manufacturing International Corporation",
];

fn variant(name: &str, mode: u8, seed: usize) -> String {
    match mode {
        0 => name.to_uppercase(),
        1 => name.to_lowercase(),
        2 => name.split_whitespace().collect::<Vec<_>>().join("   "),
        3 => {
            // accents added to vowels
            name.chars()
                .map(|c| match c {
                    'e' => 'é',
                    'a' => 'á',
                    'o' => 'ö',
                    'u' => 'ü',
                    _ => c,
                })
                .collect()
        }
        _ => {
            let mut w: Vec<&str> = name.split_whitespace().collect();
            let n = w.len();
            if n > 1 {
                w.rotate_left(seed % n);
            }
            w.join(" ")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, .. ProptestConfig::default() })]

    #[test]
    fn case_accents_spacing_order_keep_status(i in 0..NAMES.len(), mode in 0u8..5, seed in 0usize..7) {
        let base = NAMES[i];
        let v = variant(base, mode, seed);
        let a = builtin().screen(&Query::name(base)).expect("valid query");
        let b = builtin().screen(&Query::name(v.clone())).expect("valid query");
        prop_assert_eq!(a.status, b.status, "{} vs {}", base, v);
    }
}
