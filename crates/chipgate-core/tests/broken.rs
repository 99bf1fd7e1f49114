//! Broken rule files are rejected with file, line and key named — one fixture per mistake.

#![expect(clippy::panic, reason = "tests fail by panicking")]

mod common;

use chipgate_core::countries::Countries;
use chipgate_core::rules::{RuleSource, Rulebook};
use std::path::Path;

fn countries() -> Countries {
    let f = common::files();
    Countries::load(
        &f.countries.name,
        &f.countries.text,
        &f.country_groups.name,
        &f.country_groups.text,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(name: &str) -> RuleSource {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/broken")
        .join(name);
    RuleSource {
        name: name.to_string(),
        text: std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    }
}

/// Loads the fixtures and returns the error text (panics when loading succeeds).
fn errors(names: &[&str]) -> String {
    let f = common::files();
    let files: Vec<RuleSource> = names.iter().map(|n| fixture(n)).collect();
    match Rulebook::load(&f.sets, &files, &countries()) {
        Ok(_) => panic!("{names:?} loaded but should not"),
        Err(e) => e.to_string(),
    }
}

fn assert_names(err: &str, file: &str, line: usize, key: &str, words: &str) {
    let want = format!("{file}:{line}:");
    assert!(err.contains(&want), "expected `{want}` in: {err}");
    assert!(err.contains(key), "expected key `{key}` in: {err}");
    assert!(err.contains(words), "expected `{words}` in: {err}");
}

#[test]
fn unknown_metric() {
    assert_names(
        &errors(&["unknown_metric.toml"]),
        "unknown_metric.toml",
        10,
        "provision[0].when",
        "unknown name `tops`",
    );
}

#[test]
fn bad_date() {
    assert_names(&errors(&["bad_date.toml"]), "bad_date.toml", 4, "", "");
}

#[test]
fn missing_citation() {
    assert_names(
        &errors(&["missing_citation.toml"]),
        "missing_citation.toml",
        7,
        "provision[0].citation",
        "missing citation",
    );
}

#[test]
fn overlapping_versions() {
    assert_names(
        &errors(&["overlap_a.toml", "overlap_b.toml"]),
        "overlap_a.toml",
        9,
        "until",
        "overlap",
    );
}

#[test]
fn unknown_field() {
    assert_names(
        &errors(&["unknown_field.toml"]),
        "unknown_field.toml",
        10,
        "whne",
        "unknown field",
    );
}

#[test]
fn type_error() {
    assert_names(
        &errors(&["type_error.toml"]),
        "type_error.toml",
        10,
        "provision[0].when",
        "cannot compare a number with a string",
    );
}

#[test]
fn unknown_country_group() {
    assert_names(
        &errors(&["bad_group.toml"]),
        "bad_group.toml",
        10,
        "provision[0].when",
        "unknown Country Group `D:9`",
    );
}

#[test]
fn unknown_licence_exception() {
    assert_names(
        &errors(&["bad_exception.toml"]),
        "bad_exception.toml",
        8,
        "exceptions",
        "XYZ",
    );
}

#[test]
fn until_before_effective() {
    assert_names(
        &errors(&["until_before.toml"]),
        "until_before.toml",
        5,
        "until",
        "must be after",
    );
}

#[test]
fn dangling_replacement() {
    assert_names(
        &errors(&["dangling_replaces.toml"]),
        "dangling_replaces.toml",
        8,
        "replaces",
        "unknown provision `nope`",
    );
}

#[test]
fn field_that_does_not_belong_to_the_type() {
    assert_names(
        &errors(&["stray_field.toml"]),
        "stray_field.toml",
        10,
        "provision[0].eccn",
        "does not apply",
    );
}

#[test]
fn all_errors_of_a_load_are_reported_together() {
    let err = errors(&["unknown_metric.toml", "type_error.toml", "bad_group.toml"]);
    assert_eq!(err.lines().count(), 3, "{err}");
}
