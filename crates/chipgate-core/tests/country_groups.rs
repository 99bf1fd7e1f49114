//! Dated Country Group membership against a table of snapshots (`tests/country_group_snapshots.toml`):
//! on each listed date, the windows in `data/country_groups.toml` must give exactly the listed members.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by unwrapping and `expect`"
)]

mod common;

use chrono::NaiveDate;
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct Snapshots {
    snapshot: Vec<Snapshot>,
}

#[derive(Deserialize)]
struct Snapshot {
    group: String,
    date: toml::value::Datetime,
    why: String,
    members: Vec<String>,
}

fn date_of(d: &toml::value::Datetime) -> NaiveDate {
    let d = d.date.expect("a plain date");
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day)).unwrap()
}

#[test]
fn group_membership_matches_the_dated_snapshots() {
    let engine = common::engine();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/country_group_snapshots.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let snaps: Snapshots = toml::from_str(&text).unwrap();
    assert!(snaps.snapshot.len() >= 10, "too few snapshots");
    let mut failures = Vec::new();
    for s in &snaps.snapshot {
        let date = date_of(&s.date);
        assert!(
            engine.countries.has_group(&s.group),
            "unknown group {}",
            s.group
        );
        let mut got: Vec<String> = engine
            .countries
            .codes()
            .filter(|c| engine.countries.in_group(&s.group, c, date))
            .map(str::to_string)
            .collect();
        got.sort();
        let mut want = s.members.clone();
        want.sort();
        if got != want {
            let extra: Vec<&String> = got.iter().filter(|c| !want.contains(c)).collect();
            let missing: Vec<&String> = want.iter().filter(|c| !got.contains(c)).collect();
            failures.push(format!(
                "{} on {} ({}): extra {extra:?}, missing {missing:?}",
                s.group, date, s.why
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_dated_membership_change_has_snapshots_on_both_sides() {
    // Each date on which some membership of D:1, D:5 or 744.21 changes after 2022 is pinned by a
    // snapshot on that day and one the day before (or the group is unchanged between them).
    let engine = common::engine();
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/country_group_snapshots.toml");
    let snaps: Snapshots = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let first = NaiveDate::from_ymd_opt(2022, 10, 7).unwrap();
    for d in engine
        .countries
        .change_dates()
        .into_iter()
        .filter(|d| *d > first)
    {
        let has = |date: NaiveDate| snaps.snapshot.iter().any(|s| date_of(&s.date) == date);
        let before = d.pred_opt().unwrap();
        assert!(has(d), "no snapshot on {d}, a membership change date");
        assert!(
            has(before),
            "no snapshot on {before}, the day before a membership change"
        );
    }
}
