//! Property tests: determinism, monotonicity of classification in throughput, rules that do not
//! concern a question never change its answer, and parsers that never panic.

mod common;

use chipgate_core::countries::Destination;
use chipgate_core::expr;
use chipgate_core::license::Question;
use chipgate_core::rules::{eccn_rank, RuleSource, Rulebook, Scenario, View};
use chipgate_core::spec::{ChipSpec, Throughput};
use chipgate_core::Engine;
use chrono::NaiveDate;
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(common::engine)
}

fn spec(
    bits: u32,
    tops: f64,
    die: Option<f64>,
    dc: Option<bool>,
    mem: Option<f64>,
    io: Option<f64>,
) -> ChipSpec {
    ChipSpec {
        name: "prop".into(),
        vendor: "NVIDIA".into(),
        datacenter: dc,
        throughput: vec![Throughput {
            bits,
            tops,
            format: None,
            source: None,
        }],
        die_area_mm2: die,
        memory_bw_gbs: mem,
        interconnect_bw_gbs: io,
        ..Default::default()
    }
}

fn date_from(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default()
        + chrono::Duration::days(i64::from(offset % 1800))
}

const DESTS: &[&str] = &[
    "CN", "MO", "HK", "MY", "SG", "VN", "AE", "SA", "DE", "US", "IN", "RU", "IL", "KH", "IR", "JP",
];

fn question(s: ChipSpec, dest: &str, hq: Option<&str>) -> Question {
    let e = engine();
    Question {
        spec: s,
        destination: e.countries.destination("to", dest).ok(),
        buyer_hq: hq.map(str::to_string),
        end_user_hq: hq.map(str::to_string),
        ..Default::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn more_throughput_never_decontrols(bits in prop::sample::select(vec![4u32, 8, 16, 32]), tops in 1.0f64..3000.0, k in 1.0f64..4.0, die in 50.0f64..1500.0, dc in any::<bool>(), day in 0u32..1800) {
        let e = engine();
        let d = date_from(day);
        for view in [View::Enforced, View::Law] {
            let lo = e.classify(&spec(bits, tops, Some(die), Some(dc), None, None), d, view).map_err(|x| TestCaseError::fail(x.to_string()))?;
            let hi = e.classify(&spec(bits, tops * k, Some(die), Some(dc), None, None), d, view).map_err(|x| TestCaseError::fail(x.to_string()))?;
            prop_assert!(eccn_rank(&hi.eccn) >= eccn_rank(&lo.eccn), "{} → {} at {} ({:?})", lo.eccn, hi.eccn, d, view);
        }
    }

    #[test]
    fn answers_are_deterministic(bits in prop::sample::select(vec![8u32, 16]), tops in 1.0f64..3000.0, die in prop::option::of(50.0f64..1500.0), mem in prop::option::of(100.0f64..8000.0), dest in prop::sample::select(DESTS.to_vec()), hq in prop::option::of(prop::sample::select(DESTS.to_vec())), day in 0u32..1800) {
        let e = engine();
        let d = date_from(day);
        let q = question(spec(bits, tops, die, Some(true), mem, Some(900.0)), dest, hq);
        let a = e.check(&q, d, View::Enforced).map_err(|x| TestCaseError::fail(x.to_string()))?;
        let b = e.check(&q, d, View::Enforced).map_err(|x| TestCaseError::fail(x.to_string()))?;
        prop_assert_eq!(a.decision, b.decision);
        prop_assert_eq!(a.deciding_rules(), b.deciding_rules());
        prop_assert_eq!(format!("{:?}", a.requirements), format!("{:?}", b.requirements));
    }

    #[test]
    fn unrelated_rules_never_change_an_answer(bits in prop::sample::select(vec![8u32, 16]), tops in 1.0f64..3000.0, die in 50.0f64..1500.0, mem in 100.0f64..8000.0, dest in prop::sample::select(DESTS.to_vec()), hq in prop::sample::select(DESTS.to_vec()), day in 0u32..1800) {
        static WITH: OnceLock<Engine> = OnceLock::new();
        let with = WITH.get_or_init(|| {
            let sc = Scenario::parse(RuleSource { name: "unrelated.toml".into(), text: r#"
id = "unrelated"
title = "a rule about Antarctica"
[[event]]
id = "unrelated-aq"
title = "licence for anything to Antarctica"
kind = "scenario"
effective = 2022-01-01
citation = "test"
[[event.provision]]
id = "aq.all"
type = "require"
when = 'destination == "AQ" and tpp >= 1'
"#.into() }).unwrap_or_else(|e| panic!("{e}"));
            engine().with_scenario(&sc).unwrap_or_else(|e| panic!("{e}"))
        });
        let d = date_from(day);
        let q = question(spec(bits, tops, Some(die), Some(true), Some(mem), Some(900.0)), dest, Some(hq));
        let a = engine().check(&q, d, View::Enforced).map_err(|x| TestCaseError::fail(x.to_string()))?;
        let b = with.check(&q, d, View::Enforced).map_err(|x| TestCaseError::fail(x.to_string()))?;
        prop_assert_eq!(a.decision, b.decision);
        prop_assert_eq!(a.review_policy, b.review_policy);
        prop_assert_eq!(a.deciding_rules(), b.deciding_rules());
    }

    #[test]
    fn condition_parser_never_panics(text in ".{0,120}") {
        let _ = expr::parse(&text);
    }

    #[test]
    fn condition_parser_never_panics_on_plausible_tokens(tokens in prop::collection::vec(prop::sample::select(vec!["tpp", ">=", "4800", "and", "or", "not", "(", ")", "in", "[", "]", "\"CN\"", ",", "group", "+", "-", "*", "/", "pd", "destination", "applies", "==", "1e3"]), 0..30)) {
        let _ = expr::parse(&tokens.join(" "));
    }

    #[test]
    fn spec_parser_never_panics(text in ".{0,200}") {
        let _ = ChipSpec::from_json(&text);
    }

    #[test]
    fn rule_loader_never_panics(text in ".{0,300}") {
        let f = common::files();
        let c = &engine().countries;
        let _ = Rulebook::load(&f.sets, &[RuleSource { name: "fuzz.toml".into(), text }], c);
    }
}

#[test]
fn destination_mapping_keeps_what_was_typed() {
    let d: Destination = engine()
        .countries
        .destination("to", " hk ")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((d.code.as_str(), d.given.as_str()), ("CN", "HK"));
}
