//! The request/answer layer seen from outside: exit codes scripts gate on (`--fail-on`), and
//! the same answer reached from the CLI, the answer functions and a timeline.

#![expect(clippy::expect_used, reason = "tests fail loudly")]

use assert_cmd::Command;
use chipgate_cli::answer;
use chipgate_cli::request::{CheckRequest, TimelineRequest};
use chipgate_cli::screening::PartyContext;
use serde_json::Value;
use std::path::PathBuf;

fn chipgate() -> Command {
    let mut c = Command::cargo_bin("chipgate").expect("binary");
    c.env(
        "CHIPGATE_HOME",
        std::env::temp_dir().join("chipgate-test-home-nonexistent"),
    );
    c
}

fn repo(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(p)
}

fn code(args: &[&str]) -> (i32, String) {
    let out = chipgate().args(args).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn fail_on_license_exits_1_and_still_prints_the_answer() {
    let licence = [
        "check",
        "--chip",
        "H20",
        "--to",
        "CN",
        "--date",
        "2025-04-20",
        "--json",
    ];
    let (c, out) = code(&licence);
    assert_eq!(c, 0, "without a gate an answer exits 0");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["decision"], "LICENSE_REQUIRED");

    let (c, out) = code(&[&licence[..], &["--fail-on", "license"]].concat());
    assert_eq!(c, 1, "a licence requirement trips --fail-on license");
    assert!(
        out.contains("LICENSE_REQUIRED"),
        "the answer is still printed"
    );

    // The day before the April 2025 letter the H20 needed no licence for China.
    let (c, _) = code(&[
        "check",
        "--chip",
        "H20",
        "--to",
        "CN",
        "--date",
        "2025-04-08",
        "--fail-on",
        "license",
    ]);
    assert_eq!(c, 0, "NLR passes the licence gate");

    let (c, _) = code(&[&licence[..], &["--fail-on", "prohibited"]].concat());
    assert_eq!(c, 0, "a licence requirement is not a prohibition");
}

#[test]
fn fail_on_match_gates_screening() {
    let (c, _) = code(&[
        "screen",
        "Huawei Technologies Co., Ltd.",
        "--date",
        "2025-01-01",
        "--fail-on",
        "match",
    ]);
    assert_eq!(c, 1, "a listed name trips --fail-on match");
    let (c, _) = code(&[
        "screen",
        "Acme Widgets Incorporated",
        "--date",
        "2025-01-01",
        "--fail-on",
        "match",
    ]);
    assert_eq!(c, 0, "a clean name passes");
    let (c, _) = code(&[
        "check",
        "--chip",
        "H20",
        "--to",
        "CN",
        "--date",
        "2025-01-01",
        "--buyer",
        "Huawei Technologies Co., Ltd.",
        "--buyer-hq",
        "CN",
        "--fail-on",
        "match",
    ]);
    assert_eq!(c, 1, "a listed buyer trips the gate on check");
}

#[test]
fn fail_on_gates_an_order_book_and_bad_input_is_2() {
    let book = repo("examples/orders-2025.csv");
    let book = book.to_str().expect("path");
    let (c, _) = code(&["orders", book, "--quiet", "--no-screen"]);
    assert_eq!(c, 0);
    let (c, _) = code(&[
        "orders",
        book,
        "--quiet",
        "--no-screen",
        "--fail-on",
        "license",
    ]);
    assert_eq!(c, 1, "the example book holds orders that need a licence");
    let (c, _) = code(&[
        "check",
        "--chip",
        "H20",
        "--to",
        "CN",
        "--date",
        "2025-13-01",
    ]);
    assert_eq!(c, 2, "a bad date is bad input");
    let (c, _) = code(&["check", "--chip", "H20", "--to", "CN", "--fail-on", "maybe"]);
    assert_eq!(c, 2, "an unknown gate is bad usage");
}

#[test]
fn help_documents_the_exit_codes() {
    let out = chipgate().arg("--help").output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Exit status: 0 answered"), "{text}");
    let out = chipgate().args(["check", "--help"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--fail-on"), "{text}");
}

/// The check answer's top-level fields are a contract: a new core field must not appear (or
/// one vanish) in the JSON without this list changing with it.
#[test]
fn check_answer_fields_are_pinned() {
    let engine = chipgate_cli::data::engine(None, &[]).expect("engine");
    let req = CheckRequest {
        chip: Some("H20".into()),
        to: "CN".into(),
        date: Some("2025-04-20".into()),
        ..CheckRequest::default()
    };
    let a = answer::check(&engine, &PartyContext::default(), &req).expect("answer");
    let v = serde_json::to_value(&a).expect("json");
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "chip",
            "classification",
            "date",
            "decision",
            "destination",
            "determined",
            "eccn",
            "escalations",
            "exceptions",
            "exporter",
            "license_required",
            "missing_facts",
            "not_applicable",
            "notes",
            "prohibitions",
            "red_flags",
            "requirements",
            "review",
            "review_policy",
            "scenarios",
            "screening",
            "uncertain",
            "uncertain_reading",
            "view",
            "warnings",
        ]
    );
}

/// A timeline segment's first and last days answer as `check` does on those dates (the day
/// after a segment is the next segment's first day, so every boundary is checked from both
/// sides).
#[test]
fn timeline_segments_agree_with_check_on_their_edges() {
    let engine = chipgate_cli::data::engine(None, &[]).expect("engine");
    let none = PartyContext::default();
    for (chip, to) in [("H20", "CN"), ("H100", "AE"), ("A100", "CN"), ("H20", "MY")] {
        let check = CheckRequest {
            chip: Some(chip.into()),
            to: to.into(),
            buyer_hq: Some(to.into()),
            ..CheckRequest::default()
        };
        let t = answer::timeline(
            &engine,
            &none,
            &TimelineRequest {
                check: check.clone(),
                from: Some("2022-06-01".into()),
                to_date: Some("2026-12-01".into()),
            },
        )
        .expect("timeline");
        assert!(!t.segments.is_empty());
        for seg in &t.segments {
            let last = seg.until.and_then(|u| u.pred_opt()).unwrap_or(t.to);
            let seg = serde_json::to_value(seg).expect("json");
            for day in [
                seg["from"].as_str().expect("from").to_string(),
                last.to_string(),
            ] {
                let a = answer::check(
                    &engine,
                    &none,
                    &CheckRequest {
                        date: Some(day.clone()),
                        ..check.clone()
                    },
                )
                .expect("check");
                assert_eq!(
                    seg["decision"].as_str(),
                    Some(a.determination.decision.name()),
                    "{chip} to {to} on {day}: timeline segment {seg} vs check"
                );
            }
        }
    }
}
