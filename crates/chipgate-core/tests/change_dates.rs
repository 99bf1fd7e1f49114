//! Change dates: a timeline never holds one answer over a span in which `check` gives another.
//!
//! The regression (issue 13): a condition testing `year` changed the answer on a 1 January that no
//! provision window named, and the timeline showed one segment across it. The rule data now
//! writes the foundry thresholds as dated versions, so the test also rebuilds the older form of
//! that rule (one provision with `year >= 2027` in its condition) and asks the same questions.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by unwrapping and panicking"
)]

mod common;

use chipgate_core::license::{Decision, Question};
use chipgate_core::rules::{RuleSource, Scenario, View};
use chipgate_core::spec::{ChipSpec, Throughput};
use chipgate_core::timeline::Segment;
use chipgate_core::Engine;
use chrono::NaiveDate;
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

const FOUNDRY_FILE: &str = "2025-01-16-foundry-due-diligence.toml";

/// The foundry presumption as one provision whose condition tests `year` (the form that hid
/// 2027-01-01 from the timeline).
const FOUNDRY_BY_YEAR: &str = r#"
[[provision]]
id = "3A090.note1.foundry-presumption"
type = "classify"
eccn = "3A090.a"
summary = "Note 1 to 3A090: presumed 3A090.a unless under 30 bn transistors, or from 2027 under 35 bn without HBM"
citation = "15 CFR 774 Supp. 1, Note 1 to 3A090; FR 2025-00711"
when = '''exporter_role in ["front_end_fabricator", "osat"] and advanced_logic and not approved_designer
  and not (transistors_billion < 30 or (year >= 2027 and not has_hbm and transistors_billion < 35))'''

"#;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn real() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(common::engine)
}

/// The built-in data with the foundry thresholds written as a `year` test in one condition.
fn by_year() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let mut files = common::files();
        let file = files
            .rules
            .iter_mut()
            .find(|f| f.name.ends_with(FOUNDRY_FILE))
            .expect("the foundry rule file");
        let start = file
            .text
            .find("[[provision]]\nid = \"3A090.note1.foundry-presumption\"")
            .expect("the first foundry presumption version");
        let end = file
            .text
            .find("[[provision]]\nid = \"exc.nac\"")
            .expect("the provision after the foundry presumption versions");
        assert!(start < end);
        file.text
            .replace_range(start..end, FOUNDRY_BY_YEAR.trim_start());
        Engine::load(&files).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn scenario(name: &str) -> Engine {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let sc = Scenario::parse(RuleSource {
        name: name.into(),
        text,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    real().with_scenario(&sc).unwrap_or_else(|e| panic!("{e}"))
}

fn engines() -> &'static [Engine] {
    static E: OnceLock<Vec<Engine>> = OnceLock::new();
    E.get_or_init(|| {
        vec![
            real().clone(),
            by_year().clone(),
            scenario("uae-a5-2026-07.toml"),
            scenario("affiliates-suspension-extended.toml"),
            scenario("tpp-1000-d1.toml"),
        ]
    })
}

/// The chip of the issue: 100 TOPS × 8 bit, 600 mm², 32 bn transistors, GDDR6, not datacenter.
fn repro_spec() -> ChipSpec {
    ChipSpec {
        name: "Repro".into(),
        vendor: "Acme".into(),
        datacenter: Some(false),
        throughput: vec![Throughput {
            bits: 8,
            tops: 100.0,
            format: None,
            source: None,
        }],
        die_area_mm2: Some(600.0),
        transistors_billion: Some(32.0),
        memory_type: Some("GDDR6".into()),
        advanced_logic: Some(true),
        ..Default::default()
    }
}

fn question(e: &Engine, spec: ChipSpec, to: &str, role: Option<&str>) -> Question {
    Question {
        spec,
        destination: Some(e.countries.destination("to", to).unwrap()),
        exporter_role: role.map(str::to_string),
        ..Default::default()
    }
}

fn segment_of(segments: &[Segment], d: NaiveDate) -> &Segment {
    segments
        .iter()
        .rev()
        .find(|s| s.from <= d)
        .unwrap_or_else(|| panic!("no segment holds {d}"))
}

fn decision(e: &Engine, q: &Question, d: &str) -> Decision {
    e.check(q, date(d), View::Enforced).unwrap().decision
}

#[test]
fn year_tests_in_conditions_are_change_dates() {
    let e = by_year();
    assert!(
        !e.book.boundaries().contains(&date("2027-01-01")),
        "the fixture should leave 2027-01-01 to the `year` test alone"
    );
    assert!(e
        .change_dates(date("2026-06-01"), date("2027-06-01"))
        .contains(&date("2027-01-01")));
    // Half-open at the start, closed at the end.
    assert!(!e
        .change_dates(date("2027-01-01"), date("2027-06-01"))
        .contains(&date("2027-01-01")));
    assert!(e
        .change_dates(date("2026-12-31"), date("2027-01-01"))
        .contains(&date("2027-01-01")));
}

#[test]
fn issue_13_osat_repro_splits_on_1_january_2027() {
    for e in [real(), by_year()] {
        let q = question(e, repro_spec(), "CN", Some("osat"));
        let segments = e
            .timeline(&q, date("2026-06-01"), date("2027-06-01"), View::Enforced)
            .unwrap();
        let shape: Vec<(NaiveDate, Option<NaiveDate>, Decision)> = segments
            .iter()
            .map(|s| (s.from, s.until, s.decision))
            .collect();
        assert_eq!(
            shape,
            vec![
                (
                    date("2026-06-01"),
                    Some(date("2027-01-01")),
                    Decision::LicenseRequired
                ),
                (date("2027-01-01"), None, Decision::Nlr),
            ]
        );
        // The day before, the day of, and the last day of each segment.
        assert_eq!(decision(e, &q, "2026-06-01"), Decision::LicenseRequired);
        assert_eq!(decision(e, &q, "2026-12-31"), Decision::LicenseRequired);
        assert_eq!(decision(e, &q, "2027-01-01"), Decision::Nlr);
        assert_eq!(decision(e, &q, "2027-01-02"), Decision::Nlr);
        assert_eq!(decision(e, &q, "2027-06-01"), Decision::Nlr);
    }
}

/// Chips across the thresholds: catalog chips and the issue's repro chip.
fn chips() -> &'static [ChipSpec] {
    static C: OnceLock<Vec<ChipSpec>> = OnceLock::new();
    C.get_or_init(|| {
        let e = real();
        let mut v: Vec<ChipSpec> = ["H100", "H20", "A100", "MI300X", "Gaudi 3", "910B"]
            .iter()
            .filter_map(|n| e.catalog.find(n).ok().cloned())
            .collect();
        assert!(v.len() >= 4, "catalog chips for the property test");
        v.push(repro_spec());
        let mut with_hbm = repro_spec();
        with_hbm.memory_type = Some("HBM3".into());
        with_hbm.transistors_billion = Some(33.0);
        v.push(with_hbm);
        let mut system = repro_spec();
        system.count = Some(8);
        system.throughput[0].tops = 700.0;
        v.push(system);
        v
    })
}

const DESTS: &[&str] = &["CN", "MO", "AE", "SA", "DE", "IN", "RU", "VN", "SY", "CY"];
const ROLES: &[Option<&str>] = &[
    None,
    Some("osat"),
    Some("front_end_fabricator"),
    Some("designer"),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Every date inside a timeline segment gets the segment's answer from `check`.
    #[test]
    fn timeline_segments_agree_with_check(
        engine in 0usize..5,
        chip in 0usize..9,
        dest in 0usize..DESTS.len(),
        role in 0usize..ROLES.len(),
        law in any::<bool>(),
        start in 0i64..3300,
        span in 1i64..1500,
        probes in prop::collection::vec(0i64..1500, 6),
    ) {
        let e = &engines()[engine];
        let spec = chips()[chip % chips().len()].clone();
        let q = question(e, spec, DESTS[dest], ROLES[role]);
        let view = if law { View::Law } else { View::Enforced };
        let from = date("2022-10-07") + chrono::Duration::days(start);
        let to = from + chrono::Duration::days(span);
        let segments = e.timeline(&q, from, to, view).unwrap();
        // Random dates, plus the first and last day of every segment.
        let mut days: Vec<NaiveDate> = probes
            .iter()
            .map(|p| from + chrono::Duration::days(p % (span + 1)))
            .collect();
        for s in &segments {
            days.push(s.from);
            days.push(s.until.map(|u| u - chrono::Duration::days(1)).unwrap_or(to));
        }
        for d in days {
            let s = segment_of(&segments, d);
            let det = e.check(&q, d, view).unwrap();
            prop_assert_eq!(
                (det.decision, &det.eccn, det.review_policy),
                (s.decision, &s.eccn, s.review_policy),
                "{} on {} ({:?}), segment from {}",
                q.spec.display_name(),
                d,
                view,
                s.from
            );
        }
    }
}
