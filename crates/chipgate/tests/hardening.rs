//! Issue 17 (hardening): odd input gets a clear answer, nothing is lost, leaked or silently
//! changed. One test per hole, each failing before its fix.

#![expect(clippy::unwrap_used, reason = "tests fail by unwrapping")]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn chipgate() -> Command {
    let mut c = Command::cargo_bin("chipgate").unwrap();
    c.env(
        "CHIPGATE_HOME",
        std::env::temp_dir().join("chipgate-test-home-nonexistent"),
    );
    c
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const HEADER: &str = "order_id,date,chip,quantity,unit_price_usd,ship_to,buyer,buyer_hq\n";

fn book(dir: &Path, name: &str, rows: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{HEADER}{rows}")).unwrap();
    p
}

// ---- Nothing lost -------------------------------------------------------------------------

#[test]
fn orders_refuses_an_output_that_is_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("same.csv");
    std::fs::copy(fixture("orders-small.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    // Another spelling of the same path.
    let other = dir.path().join(".").join("same.csv");
    let o = chipgate()
        .arg("orders")
        .arg(&input)
        .args(["--quiet", "--no-screen", "--out"])
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("same file"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    // The report may not overwrite it either.
    let o = chipgate()
        .arg("orders")
        .arg(&input)
        .args(["--quiet", "--no-screen", "--report"])
        .arg(dir.path().join("same.csv"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn a_failed_run_leaves_the_previous_output_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(2 << 20);
    let input = book(
        dir.path(),
        "b.csv",
        &format!("O1,2025-04-20,H20,1,1,CN,A,CN\nO2,2025-04-20,H20,1,1,CN,{long},CN\n"),
    );
    let out = dir.path().join("o.csv");
    std::fs::write(&out, "previous results\n").unwrap();
    let o = chipgate()
        .arg("orders")
        .arg(&input)
        .args(["--quiet", "--no-screen", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    // The over-long row is named by its line.
    assert!(stderr(&o).contains("line 3"), "{}", stderr(&o));
    assert!(stderr(&o).contains("longer than"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous results\n");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 2, "no temporary file is left behind");
}

#[test]
fn screen_file_keeps_the_rows_after_an_open_quote_or_a_long_line() {
    let dir = tempfile::tempdir().unwrap();
    let names = dir.path().join("names.csv");
    let long = "y".repeat(2 << 20);
    std::fs::write(
        &names,
        format!(
            "id,name,country\n1,\"Acme Widgets, Inc,US\n2,Zeta Optics GmbH,DE\n3,{long},DE\n4,Quux Ltd,GB\n"
        ),
    )
    .unwrap();
    let o = chipgate()
        .args(["screen", "--file"])
        .arg(&names)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("names.csv:2: skipped"), "{err}");
    assert!(err.contains("quote"), "{err}");
    assert!(err.contains("names.csv:4: skipped"), "{err}");
    let ids: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, vec!["2", "4"]);
    assert!(err.contains("screened 2 rows"), "{err}");
}

#[test]
fn a_party_file_line_over_the_limit_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let parties = dir.path().join("p.csv");
    std::fs::write(
        &parties,
        format!(
            "name,list\nAcme,entity_list\n{},entity_list\n",
            "z".repeat(2 << 20)
        ),
    )
    .unwrap();
    let o = chipgate()
        .arg("orders")
        .arg(fixture("orders-small.csv"))
        .args(["--quiet", "--no-screen", "--parties"])
        .arg(&parties)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("p.csv:3"), "{}", stderr(&o));
}

// ---- Wrong or silent answers ----------------------------------------------------------------

#[test]
fn orders_no_screen_says_not_screened() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.csv");
    let o = chipgate()
        .arg("orders")
        .arg(fixture("orders-small.csv"))
        .args(["--quiet", "--no-screen", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("buyer: not_screened"), "{text}");
    assert!(!text.contains("buyer: clear"), "{text}");
}

#[test]
fn text_headlines_name_the_scenario() {
    let sc = fixture("no-april-letter.toml");
    let sc = sc.to_str().unwrap();
    for args in [
        vec![
            "check",
            "--chip",
            "H20",
            "--to",
            "CN",
            "--buyer-hq",
            "CN",
            "--date",
            "2025-05-01",
        ],
        vec!["classify", "H20", "--date", "2025-05-01"],
        vec!["timeline", "--chip", "H20", "--to", "CN"],
    ] {
        let o = chipgate()
            .args(&args)
            .args(["--scenario", sc])
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let first = stdout(&o).lines().next().unwrap_or_default().to_string();
        assert!(
            first.contains("[scenario: no-april-letter]"),
            "{args:?}: {first}"
        );
        // Without a scenario, no mark.
        let o = chipgate().args(&args).output().unwrap();
        assert!(!stdout(&o).contains("[scenario"), "{args:?}");
    }
}

#[test]
fn buyer_groups_use_the_full_name_without_a_parties_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = book(
        dir.path(),
        "b.csv",
        "O1,2025-04-20,H20,1,1,CN,China Mobile Ltd.,CN\n\
         O2,2025-04-20,H20,1,1,CN,China Telecom Corp.,CN\n\
         O3,2025-04-20,H20,1,1,CN,CHINA MOBILE LTD,CN\n",
    );
    let report = dir.path().join("r.json");
    let o = chipgate()
        .arg("orders")
        .arg(&input)
        .args(["--quiet", "--no-screen", "--report"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let groups: Vec<(String, u64)> = r["by_buyer_group"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap().to_string(),
                g["total"]["orders"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(groups.len(), 2, "{groups:?}");
    assert!(groups.contains(&("china mobile".into(), 2)), "{groups:?}");
    assert!(groups.contains(&("china telecom".into(), 1)), "{groups:?}");
}

#[test]
fn a_scenario_reusing_a_provision_id_needs_replace() {
    let dir = tempfile::tempdir().unwrap();
    let event = |replace: &str| {
        format!(
            "id = \"reuse\"\ntitle = \"reuse\"\n\n[[event]]\nid = \"my-event\"\ntitle = \"mine\"\nkind = \"scenario\"\neffective = 2025-06-01\ncitation = \"none\"\n\n[[event.provision]]\nid = \"letter.2025-04.nvidia\"\n{replace}type = \"require\"\nsummary = \"s\"\nwhen = 'exporter == \"NVIDIA\" and destination == \"CN\"'\npolicy = \"presumption_of_denial\"\n"
        )
    };
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, event("")).unwrap();
    let o = chipgate()
        .args(["classify", "H20", "--scenario"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("replace = true"), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.toml:12"), "{}", stderr(&o));
    let good = dir.path().join("good.toml");
    std::fs::write(&good, event("replace = true\n")).unwrap();
    let o = chipgate()
        .args([
            "check",
            "--chip",
            "H20",
            "--to",
            "CN",
            "--date",
            "2025-05-01",
            "--json",
            "--scenario",
        ])
        .arg(&good)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The replacement is in force from 2025-06-01 only: on 2025-05-01 no letter applies.
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        !v.to_string().contains("letter.2025-04.nvidia"),
        "{}",
        v["decision"]
    );
}

#[test]
fn absurd_numbers_are_rejected_with_the_field_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = book(
        dir.path(),
        "b.csv",
        "O1,2025-04-20,H20,99999999999999999999999,1e308,CN,A,CN\n\
         O2,2025-04-20,H20,1.5,10,CN,A,CN\n\
         O3,2025-04-20,H20,10,1e308,CN,A,CN\n\
         O4,2025-04-20,H20,10,inf,CN,A,CN\n\
         O5,2025-04-20,H20,10,100,CN,A,CN\n",
    );
    let report = dir.path().join("r.json");
    let md = dir.path().join("r.md");
    for r in [&report, &md] {
        let o = chipgate()
            .arg("orders")
            .arg(&input)
            .args(["--quiet", "--no-screen", "--report"])
            .arg(r)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("line 2: order O1: `quantity`"), "{err}");
        assert!(
            err.contains("line 3: order O2: `quantity`: must be a whole number"),
            "{err}"
        );
        assert!(err.contains("line 4: order O3: `unit_price_usd`"), "{err}");
        assert!(err.contains("line 5: order O4: `unit_price_usd`"), "{err}");
    }
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(!text.contains("null"), "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["stats"]["orders_evaluated"], 1);
    assert_eq!(v["totals"][0][0]["value_usd"], 1000.0);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(!text.contains("$inf") && !text.contains("NaN"), "{text}");
    // The same bounds for `check`.
    let o = chipgate()
        .args(["check", "--chip", "H20", "--to", "CN", "--quantity", "1.5"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("quantity"), "{}", stderr(&o));
    // A vanishing die area would make the density infinite.
    let spec = dir.path().join("s.json");
    std::fs::write(
        &spec,
        r#"{"name":"tiny","vendor":"X","throughput":[{"tops":100,"bits":8}],"die_area_mm2":1e-310}"#,
    )
    .unwrap();
    let o = chipgate()
        .args(["classify", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("die_area_mm2"), "{}", stderr(&o));
}

#[test]
fn duplicate_order_ids_are_warned_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let input = book(
        dir.path(),
        "b.csv",
        "O1,2025-04-20,H20,1,1,CN,A,CN\nO2,2025-04-20,H20,1,1,CN,A,CN\nO1,2025-04-21,H20,1,1,CN,A,CN\n",
    );
    let report = dir.path().join("r.json");
    let o = chipgate()
        .arg("orders")
        .arg(&input)
        .args(["--quiet", "--no-screen", "--report"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("line 4: warning: order id `O1` repeats line 2"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("1 rows repeat an order id"),
        "{}",
        stdout(&o)
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(v["stats"]["duplicate_ids"], 1);
    assert_eq!(v["duplicates"][0]["first_line"], 2);
}

#[test]
fn screening_country_codes_are_validated_with_a_hint() {
    let o = chipgate()
        .args(["screen", "Acme Widgets", "--country", "China"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`CN`"), "{}", stderr(&o));
    let o = chipgate()
        .args(["screen", "Acme Widgets", "--country", "cn", "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["query"]["country"], "CN");
}

// ---- Bounded work ---------------------------------------------------------------------------

#[test]
fn overlong_names_are_refused_at_the_request_layer() {
    let long = "a".repeat(600);
    let o = chipgate().args(["screen", &long]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at most 500"), "{}", stderr(&o));
    let o = chipgate()
        .args(["check", "--chip", "H20", "--to", "CN", "--buyer", &long])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("buyer"), "{}", stderr(&o));
}

// ---- Hygiene --------------------------------------------------------------------------------

/// Runs chipgate with its standard output closed before it writes.
fn closed_pipe(args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("chipgate"))
        .args(args)
        .env(
            "CHIPGATE_HOME",
            std::env::temp_dir().join("chipgate-test-home-nonexistent"),
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        vec!["rules", "list"],
        vec!["chips", "list"],
        vec!["rules", "catalog"],
    ] {
        let o = closed_pipe(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}

#[test]
fn unknown_output_extensions_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let o = chipgate()
        .arg("orders")
        .arg(fixture("orders-small.csv"))
        .args(["--quiet", "--no-screen", "--report"])
        .arg(dir.path().join("r.pdf"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown output extension `pdf`"),
        "{}",
        stderr(&o)
    );
    let o = chipgate()
        .arg("orders")
        .arg(fixture("orders-small.csv"))
        .args(["--quiet", "--no-screen", "--out"])
        .arg(dir.path().join("o.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn screen_file_writes_csv_for_a_csv_output() {
    let dir = tempfile::tempdir().unwrap();
    let names = dir.path().join("names.csv");
    std::fs::write(
        &names,
        "id,name\n1,Huawei Technologies Co. Ltd.\n2,Zeta Optics GmbH\n",
    )
    .unwrap();
    let out = dir.path().join("hits.csv");
    let o = chipgate()
        .args(["screen", "--file"])
        .arg(&names)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(rdr.headers().unwrap().get(0), Some("id"));
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][5], "match", "{text}");
    assert_eq!(&rows[1][5], "clear", "{text}");
}

#[test]
fn orders_and_screening_write_spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.xlsx");
    let o = chipgate()
        .arg("orders")
        .arg(fixture("orders-small.csv"))
        .args(["--quiet", "--no-screen", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an xlsx file is a zip archive");
    let names = dir.path().join("names.csv");
    std::fs::write(&names, "id,name\n1,Huawei Technologies Co. Ltd.\n").unwrap();
    let hits = dir.path().join("hits.xlsx");
    let o = chipgate()
        .args(["screen", "--file"])
        .arg(&names)
        .arg("--out")
        .arg(&hits)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(&std::fs::read(&hits).unwrap()[..2], b"PK");
}

// ---- First contact --------------------------------------------------------------------------

#[test]
fn orders_says_where_it_wrote_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("d.csv");
    let report = dir.path().join("r.md");
    let o = chipgate()
        .arg("orders")
        .arg(fixture("orders-small.csv"))
        .args(["--quiet", "--no-screen", "--out"])
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains(&format!(
            "wrote {} (5 rows: 5 decisions, 0 rejected)",
            out.display()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("wrote {}", report.display())),
        "{text}"
    );
}

// ---- Audit ----------------------------------------------------------------------------------

#[test]
fn audit_checkpoint_catches_a_truncated_log_the_chain_misses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("audit.db");
    for date in ["2025-04-20", "2025-04-21", "2025-04-22"] {
        let o = chipgate()
            .args([
                "check", "--chip", "H20", "--to", "CN", "--date", date, "--audit",
            ])
            .arg(&db)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("audit.key");
    assert!(chipgate()
        .args(["audit", "keygen", "--key"])
        .arg(&key)
        .output()
        .unwrap()
        .status
        .success());
    let cp = keys.path().join("cp.json");
    let o = chipgate()
        .args(["audit", "checkpoint", "--db"])
        .arg(&db)
        .arg("--key")
        .arg(&key)
        .arg("--out")
        .arg(&cp)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("record 3"), "{}", stdout(&o));
    // Drop the last record and make the head agree.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3; \
         UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2);",
    )
    .unwrap();
    drop(c);
    let plain = chipgate()
        .args(["audit", "verify", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(plain.status.success(), "the chain alone cannot see it");
    let o = chipgate()
        .args(["audit", "verify", "--db"])
        .arg(&db)
        .arg("--checkpoint")
        .arg(&cp)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("record 3 is missing"), "{}", stdout(&o));
    // The export of a closed pipe ends quietly too.
    let e = closed_pipe(&["audit", "export", "--db", db.to_str().unwrap()]);
    assert_eq!(e.status.code(), Some(0), "{}", stderr(&e));
    assert!(!stderr(&e).contains("error"), "{}", stderr(&e));
}

#[test]
fn completions_and_man_pages_are_generated() {
    let o = chipgate().args(["completions", "bash"]).output().unwrap();
    assert!(o.status.success());
    assert!(stdout(&o).contains("chipgate"));
    let dir = tempfile::tempdir().unwrap();
    let o = chipgate()
        .args(["man", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(dir.path().join("chipgate-orders.1")).unwrap();
    assert!(page.contains(".TH"), "{page}");
    assert!(dir.path().join("chipgate-audit-checkpoint.1").exists());
}

#[test]
fn chips_show_json_is_accepted_by_spec() {
    let dir = tempfile::tempdir().unwrap();
    let o = chipgate()
        .args(["chips", "show", "H20", "--json"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let spec = dir.path().join("h20.json");
    std::fs::write(&spec, &o.stdout).unwrap();
    let by_spec = chipgate()
        .args(["classify", "--date", "2024-06-01", "--json", "--spec"])
        .arg(&spec)
        .output()
        .unwrap();
    assert!(by_spec.status.success(), "{}", stderr(&by_spec));
    let by_name = chipgate()
        .args(["classify", "H20", "--date", "2024-06-01", "--json"])
        .output()
        .unwrap();
    let (a, b): (Value, Value) = (
        serde_json::from_slice(&by_spec.stdout).unwrap(),
        serde_json::from_slice(&by_name.stdout).unwrap(),
    );
    assert_eq!(a["eccn"], b["eccn"]);
    assert_eq!(a["metrics"]["tpp"], b["metrics"]["tpp"]);
}
