//! Fixtures shared by the tests and the demo (included via #[path]): a
//! classifier implementing the 2023 3A090 thresholds, styles, and builders
//! for a catalog map and the H20-to-China timeline.

#![allow(dead_code)]

use chipgate_plot::{
    CategoryStyle, ChipPoint, EventKind, EventMark, Lane, MapInput, Segment, TimelineInput,
};
use chrono::NaiveDate;

#[path = "catalog.rs"]
mod catalog;
pub use catalog::CATALOG;

/// 2023 rule: 3A090.a if TPP ≥ 4800 or (TPP ≥ 1600 and PD ≥ 5.92);
/// 3A090.b if (2400 ≤ TPP < 4800 and 1.6 ≤ PD < 5.92) or (TPP ≥ 1600 and 3.2 ≤ PD < 5.92).
pub fn classify_2023(tpp: f64, pd: f64) -> String {
    if tpp >= 4800.0 || (tpp >= 1600.0 && pd >= 5.92) {
        "3A090.a".into()
    } else if (2400.0..4800.0).contains(&tpp) && (1.6..5.92).contains(&pd)
        || (tpp >= 1600.0 && (3.2..5.92).contains(&pd))
    {
        "3A090.b".into()
    } else {
        "none".into()
    }
}

fn style(key: &str, label: &str, colour: &str) -> CategoryStyle {
    CategoryStyle {
        key: key.into(),
        label: label.into(),
        colour: colour.into(),
    }
}

pub fn regions() -> Vec<CategoryStyle> {
    vec![
        style(
            "3A090.a",
            "3A090.a: TPP ≥ 4,800, or TPP ≥ 1,600 and PD ≥ 5.92",
            "#eec5c0",
        ),
        style(
            "3A090.b",
            "3A090.b: TPP ≥ 2,400 and PD ≥ 1.6, or TPP ≥ 1,600 and PD ≥ 3.2",
            "#f6e2b8",
        ),
        style("none", "Not 3A090 (below thresholds)", "#e6eee3"),
    ]
}

pub fn categories() -> Vec<CategoryStyle> {
    vec![
        style("NLR", "No licence required (NLR)", "#2e7d32"),
        style(
            "LICENSE_EXCEPTION",
            "Licence exception available",
            "#1e88e5",
        ),
        style("LICENSE_REQUIRED", "Licence required", "#c62828"),
        style("PROHIBITED", "Prohibited", "#4a148c"),
        style("UNDETERMINED", "Undetermined", "#9e9e9e"),
    ]
}

/// Decision for CN used by the fixtures: anything in 3A090 needs a licence,
/// the H20 too (April 2025 letter); the rest is NLR.
pub fn decision(model: &str, tpp: f64, pd: Option<f64>) -> String {
    if model.starts_with("H20") {
        return "LICENSE_REQUIRED".into();
    }
    match pd {
        Some(pd) if classify_2023(tpp, pd) != "none" => "LICENSE_REQUIRED".into(),
        Some(_) => "NLR".into(),
        None if tpp >= 4800.0 => "LICENSE_REQUIRED".into(),
        None => "UNDETERMINED".into(),
    }
}

pub fn catalog_map() -> MapInput {
    let mut points = Vec::new();
    let mut unknown = Vec::new();
    for &(m, tpp, pd, _dc) in CATALOG {
        let p = ChipPoint {
            label: m.into(),
            tpp,
            pd,
            category: decision(m, tpp, pd),
        };
        if pd.is_some() {
            points.push(p)
        } else {
            unknown.push(p)
        }
    }
    MapInput {
        title: "3A090 threshold map as of 2025-06-01 (view: as enforced), decisions for CN".into(),
        subtitle: Some("Datacenter-IC thresholds of the October 2023 rule; each point is one catalogued chip".into()),
        regions: regions(),
        classify: Box::new(classify_2023),
        tpp_range: (300.0, 100_000.0),
        pd_range: (0.0, 25.0),
        pd_scale: Default::default(),
        points,
        unknown_area: unknown,
        categories: categories(),
        notes: vec![
            "The 2022 rule also required I/O bandwidth ≥ 600 GB/s for 3A090.a; not shown on these axes.".into(),
            "TPP and PD derived from catalogue throughput and die-area figures (chips-method.md); identical points are merged into one label.".into(),
        ],
    }
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

pub fn h20_timeline(today: NaiveDate) -> TimelineInput {
    let seg = |s, e, c: &str, l: &str| Segment {
        start: s,
        end: e,
        category: c.into(),
        label: l.into(),
    };
    TimelineInput {
        title: "H20 (HGX) exported to China: decision over time".into(),
        subtitle: Some("Destination CN, buyer headquartered in CN; view: as enforced".into()),
        start: d(2023, 10, 1),
        end: today,
        lanes: vec![Lane {
            label: "H20 → CN".into(),
            segments: vec![
                seg(d(2023, 11, 17), d(2025, 4, 9), "NLR", "No licence required (below 3A090 thresholds)"),
                seg(d(2025, 4, 9), d(2025, 7, 14), "LICENSE_REQUIRED", "Licence required (presumption of denial)"),
                seg(d(2025, 7, 14), today, "LICENSE_REQUIRED", "Licence required (licences promised)"),
            ],
        }],
        events: vec![
            EventMark { date: d(2023, 10, 17), label: "Oct 2023 AC/S IFR published".into(), kind: EventKind::Rule },
            EventMark { date: d(2023, 11, 17), label: "IFR effective".into(), kind: EventKind::Rule },
            EventMark { date: d(2025, 1, 15), label: "AI diffusion rule".into(), kind: EventKind::Rule },
            EventMark { date: d(2025, 4, 9), label: "H20 is-informed letter".into(), kind: EventKind::Letter },
            EventMark { date: d(2025, 5, 13), label: "Diffusion rule rescinded; guidance".into(), kind: EventKind::Reversal },
            EventMark { date: d(2025, 7, 14), label: "Licences promised".into(), kind: EventKind::Guidance },
            EventMark { date: d(2025, 8, 8), label: "First H20 licences reported".into(), kind: EventKind::Guidance },
        ],
        categories: categories(),
        notes: vec!["Segments are the engine's decisions for each period; markers are the rule events that changed them.".into()],
    }
}
