//! The real rulebook: it loads, every provision is in force exactly on its window (the day
//! before, the day of, the last day and the day after), and the catalog is complete.

mod common;

use chipgate_core::rules::{Standing, Status, View};
use chrono::{Duration, NaiveDate};

#[test]
fn built_in_data_loads_with_all_catalog_chips() {
    let e = common::engine();
    assert_eq!(
        e.catalog.chips.len(),
        63,
        "every row of the reference chips.csv"
    );
    assert!(e.book.events.len() >= 25, "one file per rule event");
    for p in &e.book.provisions {
        assert!(!p.citation.is_empty(), "{} has no citation", p.id);
    }
}

#[test]
fn every_provision_is_in_force_exactly_on_its_window() {
    let e = common::engine();
    let mut checked = 0;
    for view in [View::Law, View::Enforced] {
        let standings_on = |d: NaiveDate| e.book.standings(d, view);
        for (i, p) in e.book.provisions.iter().enumerate() {
            if p.status != Status::InForce {
                continue;
            }
            let start = p.start(view);
            let standing = |d: NaiveDate| standings_on(d)[i].1.clone();
            // The day before the start it is not yet in force.
            if let Some(before) = start.checked_sub_signed(Duration::days(1)) {
                assert!(
                    matches!(standing(before), Standing::NotYetEffective { .. }),
                    "{} ({:?}) on {before}: {:?}",
                    p.id,
                    view,
                    standing(before)
                );
            }
            // On the start day it is in force unless a posture or a replacement sets it aside.
            let on = standing(start);
            assert!(
                matches!(
                    on,
                    Standing::Active
                        | Standing::SetAside { .. }
                        | Standing::Replaced { .. }
                        | Standing::Ended { .. }
                ),
                "{} ({:?}) on {start}: {:?}",
                p.id,
                view,
                on
            );
            if let Some(end) = p.end_in(view) {
                if end > start {
                    let last = end - Duration::days(1);
                    assert!(
                        !matches!(
                            standing(last),
                            Standing::Ended { .. } | Standing::NotYetEffective { .. }
                        ),
                        "{} ({:?}) last day {last}",
                        p.id,
                        view
                    );
                }
                assert!(
                    matches!(standing(end), Standing::Ended { .. }),
                    "{} ({:?}) on its end {end}: {:?}",
                    p.id,
                    view,
                    standing(end)
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 80, "checked {checked} windows");
}

#[test]
fn diffusion_is_law_but_not_enforced() {
    let e = common::engine();
    let d = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default();
    let law: Vec<&str> = e
        .book
        .active(d, View::Law)
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let enf: Vec<&str> = e
        .book
        .active(d, View::Enforced)
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert!(law.contains(&"diffusion.worldwide"));
    assert!(!enf.contains(&"diffusion.worldwide"));
    // The HQ requirement is not new, so it is enforced in both views: for .a items at 742.6(a)(6)(iii)(A)
    // (`diffusion.hq`), for .b items still at 744.23(a)(3) (the `ac.hq` version of 2025-01-13).
    for view in [&law, &enf] {
        assert!(view.contains(&"diffusion.hq") && view.contains(&"ac.hq"));
    }
    let hq = e.book.versions("ac.hq");
    let current = hq
        .iter()
        .find(|p| p.effective <= d && p.end_in(View::Enforced).map(|x| d < x).unwrap_or(true))
        .map(|p| p.when_text.clone())
        .unwrap_or_default();
    assert!(
        current.contains("3A090.b") && !current.contains("eccn_ac_a"),
        "{current}"
    );
}

#[test]
fn affiliates_rule_suspension_window() {
    let e = common::engine();
    let on = |y, m, d| {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        e.book
            .active(date, View::Enforced)
            .iter()
            .any(|p| p.id == "affiliates.50pct")
    };
    assert!(!on(2025, 9, 28));
    assert!(on(2025, 9, 29));
    assert!(on(2025, 11, 9));
    assert!(!on(2025, 11, 10));
    assert!(!on(2026, 11, 9));
    assert!(on(2026, 11, 10), "reimposed by default on 2026-11-10");
}

#[test]
fn cambodia_leaves_d5_on_2026_02_03() {
    let e = common::engine();
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
    assert!(e.countries.in_group("D:5", "KH", d(2026, 2, 2)));
    assert!(!e.countries.in_group("D:5", "KH", d(2026, 2, 3)));
    assert!(e.countries.in_group("D:1", "KH", d(2026, 2, 3)));
}

#[test]
fn hong_kong_is_treated_as_china_and_bad_codes_are_named() {
    let e = common::engine();
    let hk = e
        .countries
        .destination("to", "hk")
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(hk.code, "CN");
    let err = e
        .countries
        .destination("to", "XX")
        .err()
        .map(|x| x.to_string())
        .unwrap_or_default();
    assert!(err.contains("`to`") && err.contains("XX"), "{err}");
}

#[test]
fn chip_lookup_is_forgiving_and_honest() {
    let e = common::engine();
    for q in ["H20", "nvidia h20", "NVIDIA H20 (HGX)", "h20 hgx"] {
        let c = e.catalog.find(q).unwrap_or_else(|err| panic!("{q}: {err}"));
        assert_eq!(c.name, "H20 (HGX)", "{q}");
    }
    let amb = e.catalog.find("A800").map(|c| c.name.clone());
    assert_eq!(amb.ok().as_deref(), Some("A800 SXM4 80GB"), "data alias");
    let err = e
        .catalog
        .find("H2O0")
        .err()
        .map(|x| x.hint.unwrap_or_default())
        .unwrap_or_default();
    assert!(err.contains("candidates"), "{err}");
    let err = e
        .catalog
        .find("Instinct")
        .err()
        .map(|x| x.message)
        .unwrap_or_default();
    assert!(err.contains("matches"), "{err}");
}

#[test]
fn catalog_chips_carry_every_rule_tested_fact_or_a_reason() {
    let e = common::engine();
    for c in &e.catalog.chips {
        assert!(
            c.datacenter.is_none() || c.value_sources.contains_key("datacenter"),
            "{}: datacenter flag without a source",
            c.name
        );
        for f in chipgate_core::catalog::RULE_TESTED_FACTS {
            let known = match f {
                "tpp" => !c.throughput.is_empty() || c.stated_tpp.is_some(),
                "die_area_mm2" => c.die_area_mm2.is_some(),
                "memory_bw_gbs" => c.memory_bw_gbs.is_some(),
                "interconnect_bw_gbs" => c.interconnect_bw_gbs.is_some(),
                "transistors_billion" => c.transistors_billion.is_some(),
                "memory_type" => c.memory_type.is_some(),
                "advanced_logic" => c.advanced_logic.is_some(),
                _ => true,
            };
            assert!(
                known || c.unknown_reasons.contains_key(f),
                "{}: {f} neither known nor explained",
                c.name
            );
        }
    }
    // A file that leaves a tested fact out without a reason is rejected, naming the fact.
    let text = r#"
[[chip]]
name = "X1"
vendor = "V"
datacenter = true
datacenter_source = 0
sources = ["https://example.com/x1"]
unknown = { tpp = "r", die_area_mm2 = "r", interconnect_bw_gbs = "r", transistors_billion = "r", memory_type = "r", advanced_logic = "r" }
"#;
    let err = chipgate_core::catalog::Catalog::load(&[("x.toml".into(), text.into())])
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("unknown.memory_bw_gbs"), "{err}");
}
