//! `chipgate orders`: totals against hand-computed figures, malformed rows, scenario diffs,
//! agreement with `chipgate check`, and bounded streaming of a large generated book.

#![expect(clippy::unwrap_used, reason = "tests fail by unwrapping")]

use assert_cmd::Command;
use chipgate_cli::orders::{self, Config};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn chipgate() -> Command {
    Command::cargo_bin("chipgate").unwrap()
}

/// Runs `orders` on a fixture with a JSON report and the per-order CSV; returns (report, out csv, stderr).
fn run(input: &str, extra: &[&str]) -> (Value, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let out = dir.path().join("o.csv");
    let a = chipgate()
        .arg("orders")
        .arg(fixture(input))
        .args(["--quiet", "--report"])
        .arg(&report)
        .arg("--out")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    (r, std::fs::read_to_string(&out).unwrap(), stderr)
}

fn total(r: &Value, scenario: usize, decision: &str) -> (u64, f64, f64) {
    let t = r["totals"][scenario]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["decision"] == decision);
    match t {
        Some(t) => (
            t["orders"].as_u64().unwrap(),
            t["units"].as_f64().unwrap(),
            t["value_usd"].as_f64().unwrap(),
        ),
        None => (0, 0.0, 0.0),
    }
}

fn scenario_arg() -> Vec<String> {
    vec![
        "--scenario".into(),
        fixture("no-april-letter.toml").display().to_string(),
    ]
}

#[test]
fn totals_match_hand_computed_figures() {
    let sc = scenario_arg();
    let (r, _, _) = run(
        "orders-small.csv",
        &[sc[0].as_str(), sc[1].as_str(), "--no-screen"],
    );
    // Baseline: O2 (H20 before the letter) and O3 (H100 to the US) need no licence;
    // O1, O5 (H20 after the letter, China-headquartered buyers) and O4 (H100 to China) do.
    assert_eq!(
        total(&r, 0, "NLR"),
        (2, 60.0, 50.0 * 12_000.0 + 10.0 * 30_000.0)
    );
    assert_eq!(
        total(&r, 0, "LICENSE_REQUIRED"),
        (
            3,
            220.0,
            100.0 * 10_000.0 + 20.0 * 30_000.0 + 100.0 * 10_000.0
        )
    );
    // Without the April letter only O4 needs a licence.
    assert_eq!(total(&r, 1, "NLR"), (4, 260.0, 2_900_000.0));
    assert_eq!(total(&r, 1, "LICENSE_REQUIRED"), (1, 20.0, 600_000.0));
    assert_eq!(r["stats"]["rejected"], 0);
    assert_eq!(r["flips_total"], 2);
    // ByteDance Ltd. and ByteDance Pte. Ltd. group together by their full normalised name.
    let g = r["by_buyer_group"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "bytedance")
        .unwrap();
    assert_eq!(g["total"]["orders"], 3);
    let cn = r["by_destination"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "CN")
        .unwrap();
    assert_eq!(cn["total"]["orders"], 3);
}

#[test]
fn scenario_diff_names_the_flipping_rule() {
    let sc = scenario_arg();
    let (r, out, _) = run("orders-small.csv", &[sc[0].as_str(), sc[1].as_str()]);
    let header: Vec<&str> = out.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let o1: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with("O1,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(o1[col("decision")], "LICENSE_REQUIRED");
    assert_eq!(o1[col("decision@no-april-letter")], "NLR");
    assert!(
        o1[col("rule_change@no-april-letter")].contains("-letter.2025-04.nvidia"),
        "{o1:?}"
    );
    let o2: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with("O2,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(o2[col("rule_change@no-april-letter")], "");
    let flip = &r["flip_summary"][0];
    assert_eq!(flip["from"], "LICENSE_REQUIRED");
    assert_eq!(flip["to"], "NLR");
    assert!(flip["rule_change"]
        .as_str()
        .unwrap()
        .contains("-letter.2025-04.nvidia"));
    let ids: Vec<&str> = r["flips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["order_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["O1", "O5"]);
}

#[test]
fn malformed_rows_are_reported_with_line_and_reason_and_the_rest_is_processed() {
    let (r, out, stderr) = run("orders-malformed.csv", &[]);
    assert_eq!(r["stats"]["rows_read"], 9);
    assert_eq!(r["stats"]["orders_evaluated"], 2);
    assert_eq!(r["stats"]["rejected"], 7);
    let reasons: Vec<(u64, String)> = r["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = [
        (3, "not a date"),
        (4, "no chip named"),
        (5, "unknown country code `XX`"),
        (6, "≥ 0"),
        (7, "has 4 fields, the header has 8"),
        (8, "`order_id` is empty"),
        (9, "unknown country code `QQ`"),
    ];
    assert_eq!(reasons.len(), expect.len(), "{reasons:?}");
    for ((line, reason), (want_line, want)) in reasons.iter().zip(expect) {
        assert_eq!(*line, want_line);
        assert!(reason.contains(want), "line {line}: {reason} (want {want})");
        assert!(stderr.contains(&format!("line {line}: ")), "{stderr}");
    }
    // Every input row has an output line, in order; rejected ones carry the reason.
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 10);
    assert!(lines[2].starts_with("B1,3,") && lines[2].contains("not a date"));
    assert!(lines[1].starts_with("G1,2,2025-04-20,LICENSE_REQUIRED,"));
}

#[test]
fn decisions_equal_chipgate_check() {
    let (_, out, _) = run("orders-small.csv", &[]);
    let rows = [
        ("O1", "H20", "CN", "ByteDance Ltd.", "CN", "2025-04-20"),
        ("O2", "H20", "CN", "ByteDance Ltd.", "CN", "2025-03-01"),
        (
            "O3",
            "H100",
            "US",
            "Microsoft Corporation",
            "US",
            "2025-05-01",
        ),
        ("O5", "H20", "MY", "ByteDance Pte. Ltd.", "CN", "2025-04-20"),
    ];
    for (id, chip, to, buyer, hq, date) in rows {
        let a = chipgate()
            .args([
                "check",
                "--chip",
                chip,
                "--to",
                to,
                "--buyer",
                buyer,
                "--buyer-hq",
                hq,
                "--date",
                date,
                "--json",
            ])
            .assert()
            .success();
        let v: Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap();
        let decision = line.split(',').nth(3).unwrap();
        assert_eq!(decision, v["decision"].as_str().unwrap(), "{id}");
    }
}

#[test]
fn json_lines_input_and_column_mapping() {
    let (r, out, _) = run("orders-small.jsonl", &["--no-screen"]);
    assert_eq!(r["stats"]["orders_evaluated"], 5);
    assert_eq!(total(&r, 0, "LICENSE_REQUIRED").0, 3);
    assert_eq!(out.lines().count(), 6);
    // A header the tool does not know, mapped with --map.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("theirs.csv");
    std::fs::write(&f, "PO,Datum,Artikel,Menge,Land\nX1,2025-04-20,H20,5,CN\n").unwrap();
    let a = chipgate()
        .arg("orders")
        .arg(&f)
        .args([
            "--quiet",
            "--json",
            "--no-screen",
            "--map",
            "po=order_id",
            "--map",
            "Datum=date",
            "--map",
            "artikel=chip",
            "--map",
            "menge=quantity",
            "--map",
            "land=ship_to",
        ])
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(v["stats"]["orders_evaluated"], 1);
}

#[test]
fn html_report_is_self_contained_and_takes_pictures() {
    let mut cfg = Config::new(fixture("orders-small.csv"));
    cfg.scenarios = vec![fixture("no-april-letter.toml")];
    cfg.screen = false;
    cfg.echo_rejects = false;
    let r = orders::evaluate(&cfg).unwrap();
    let plain = orders::render_html(&r, &orders::Pictures::default());
    assert!(
        plain.contains("<!-- pictures -->")
            && plain.contains("<style>")
            && !plain.contains("<script")
            && !plain.contains("<link")
    );
    let pics = orders::Pictures {
        threshold_map: Some(
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"
                .into(),
        ),
        timeline: None,
        others: Vec::new(),
    };
    let html = orders::render_html(&r, &pics);
    assert!(html.contains("<figure><svg xmlns") && !html.contains("<?xml"));
    let md = orders::render_markdown(&r);
    assert!(
        md.contains("| LICENSE_REQUIRED | 3 | 220 | $2.6 m |"),
        "{md}"
    );
}

#[test]
fn large_book_is_streamed_in_bounded_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("big.csv");
    let out = dir.path().join("big-out.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&book).unwrap());
    orders::generate::write_orders(&mut w, 300_000, 7).unwrap();
    drop(w);
    let mut cfg = Config::new(&book);
    cfg.as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 1);
    cfg.screen = false;
    cfg.out = Some(out.clone());
    let r = orders::evaluate(&cfg).unwrap();
    assert_eq!(r.stats.rows_read, 300_000);
    assert_eq!(r.stats.orders_evaluated + r.stats.rejected, 300_000);
    assert_eq!(r.stats.rejected, 0);
    // Streamed: ⌈300,000 / CHUNK_ROWS⌉ chunks, none larger than the chunk size.
    assert_eq!(
        r.stats.chunks,
        300_000u64.div_ceil(orders::CHUNK_ROWS as u64)
    );
    assert!(r.stats.max_chunk_rows <= orders::CHUNK_ROWS);
    // Decided once per distinct question, not once per order.
    assert!(
        r.stats.distinct_questions < 1_000,
        "{}",
        r.stats.distinct_questions
    );
    let lines =
        std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(&out).unwrap()))
            .count();
    assert_eq!(lines, 300_001);
}

#[test]
fn quantity_matters_only_across_the_thresholds_rules_read() {
    // Law view, March 2025: License Exception LPP caps the order's TPP (26,900,000); an H100
    // has TPP 15,832, so 1,000 and 1,500 units are under the cap and 1,700 and 2,000 over it.
    let (r, out, _) = run("orders-lpp.csv", &["--view", "law", "--no-screen"]);
    assert_eq!(r["stats"]["distinct_questions"], 2);
    let decision = |id: &str| {
        out.lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap()
            .split(',')
            .nth(3)
            .unwrap()
            .to_string()
    };
    assert_eq!(decision("L1"), "LICENSE_EXCEPTION");
    assert_eq!(decision("L3"), "LICENSE_EXCEPTION");
    assert_eq!(decision("L2"), "LICENSE_REQUIRED");
    assert_eq!(decision("L4"), "LICENSE_REQUIRED");
}
