//! The pictures: files are valid SVG/PNG, and chips land in the region the rules put them in
//! (computed coordinates from the real classifier, not pixels).

#![expect(clippy::unwrap_used, reason = "tests fail by unwrapping")]

use assert_cmd::Command;
use chipgate_cli::pictures::map_input;
use chipgate_core::rules::View;
use chrono::NaiveDate;
use std::sync::Arc;

fn chipgate() -> Command {
    Command::cargo_bin("chipgate").unwrap()
}

#[test]
fn map_regions_come_from_the_rule_data() {
    let engine = Arc::new(chipgate_cli::data::engine(None, &[]).unwrap());
    let date = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    let input = map_input(Arc::clone(&engine), &[], date, View::Enforced, Some("CN"));
    let placed = chipgate_plot::map_coordinates(&input, 1200, 800);
    let region_of = |name: &str| {
        placed
            .iter()
            .find(|p| p.chips.iter().any(|c| c == name))
            .and_then(|p| p.region.clone())
            .unwrap_or_else(|| {
                panic!(
                    "{name} not placed: {:?}",
                    placed.iter().map(|p| p.chips.clone()).collect::<Vec<_>>()
                )
            })
    };
    assert_eq!(region_of("H20"), "none");
    assert_eq!(region_of("H100"), "3A090.a");
    assert_eq!(region_of("A30"), "3A090.b");
    assert_eq!(region_of("L4"), "3A090.a");
    // Chips without a die area go to the strip, not onto the plane.
    assert!(input.unknown_area.iter().any(|p| p.label == "B200"));
    // In 2022 the same plane is shaded by the 2022 text.
    let input22 = map_input(
        engine,
        &[],
        NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        View::Enforced,
        None,
    );
    assert_eq!((input22.classify)(5000.0, 2.0), "3A090");
    assert_eq!((input22.classify)(4000.0, 20.0), "none");
    assert!(input22.notes.iter().any(|n| n.contains("600 GB/s")));
}

#[test]
fn plot_commands_write_valid_files() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("map.svg");
    chipgate()
        .args(["plot", "map", "--to", "CN", "--date", "2025-06-01", "--out"])
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("<svg") && text.trim_end().ends_with("</svg>"));
    assert!(text.contains("H20"));
    let png = dir.path().join("timeline.png");
    chipgate()
        .args(["plot", "timeline", "--chip", "H20", "--to", "CN", "--out"])
        .arg(&png)
        .assert()
        .success();
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    chipgate()
        .args(["plot", "map", "--out", "map.gif"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`out`"));
}

#[test]
fn headroom_measures_the_distance_to_each_threshold() {
    let out = chipgate()
        .args([
            "headroom",
            "--chip",
            "H20",
            "--date",
            "2024-06-01",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = v["distances"].as_array().unwrap();
    assert!(d
        .iter()
        .any(|x| x["rule"] == "3A090.b.1" && x["threshold"] == 2400.0 && x["margin"] == -32.0));
    let max = v["max_uncontrolled_tpp"].as_f64().unwrap();
    assert!((max - 2400.0).abs() < 0.01, "{max}");
}
