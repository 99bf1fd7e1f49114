//! End-to-end tests of the `chipgate` binary: the CLI contracts other programs script against.

#![expect(clippy::panic, reason = "tests fail by panicking")]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn chipgate() -> Command {
    let mut c = Command::cargo_bin("chipgate").unwrap_or_else(|e| panic!("{e}"));
    c.env(
        "CHIPGATE_HOME",
        std::env::temp_dir().join("chipgate-test-home-nonexistent"),
    );
    c
}

/// The rule ids of an answer's requirements.
fn requirement_ids(v: &Value) -> Vec<&str> {
    v["requirements"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["rule"].as_str()).collect())
        .unwrap_or_default()
}

fn json(args: &[&str]) -> Value {
    let out = chipgate()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn classify_text_matches_the_issue_example() {
    chipgate()
        .args(["classify", "H20", "--date", "2024-06-01"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "not 3A090/4A090 (residual ECCN not determined) as of 2024-06-01 (view: as enforced)",
        ))
        .stdout(predicate::str::contains(
            "TPP 2,368 (296 TOPS × 8 bit) < 2,400",
        ))
        .stdout(predicate::str::contains("performance density 2.91 < 3.2"))
        .stdout(predicate::str::contains("FR 2023-23055"));
}

#[test]
fn classify_json_contract() {
    let v = json(&["classify", "H100", "--date", "2024-06-01", "--json"]);
    assert_eq!(v["eccn"], "3A090.a");
    assert_eq!(v["view"], "enforced");
    assert_eq!(v["date"], "2024-06-01");
    assert!(v["chip"].as_str().unwrap_or_default().contains("H100"));
    assert!(v["metrics"]["tpp"].as_f64().unwrap_or_default() > 15_000.0);
    assert!(v["metrics"]["pd"].is_number());
    let r = &v["reasons"][0];
    assert!(r["rule"].is_string() && r["citation"].is_string() && r["detail"].is_string());
    assert!(v["warnings"].is_array());
}

#[test]
fn classify_spec_from_stdin_and_bad_spec_names_the_field() {
    let spec = r#"{"name":"my chip","vendor":"Me","datacenter":true,"throughput":[{"bits":8,"tops":700}],"die_area_mm2":600}"#;
    let out = chipgate()
        .args(["classify", "--spec", "-", "--date", "2023-12-01", "--json"])
        .write_stdin(spec)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["eccn"], "3A090.a");
    let bad = r#"{"name":"x","vendor":"Me","datacenter":true,"throughput":[],"die_size":600}"#;
    chipgate()
        .args(["classify", "--spec", "-"])
        .write_stdin(bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("die_size"));
}

#[test]
fn bad_input_exits_2_with_the_field_named() {
    chipgate()
        .args(["check", "--chip", "H20", "--to", "XX"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`to`"));
    chipgate()
        .args(["classify", "H20", "--date", "2024-13-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`date`"));
    chipgate()
        .args(["classify", "nosuchchip"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("candidates"));
    chipgate()
        .args(["classify", "H20", "--view", "other"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`view`"));
    chipgate()
        .args(["classify", "H20", "--date", "1990-01-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("before the first rule"));
    chipgate().args(["frobnicate"]).assert().code(2);
}

#[test]
fn check_json_contract_and_issue_example() {
    let v = json(&[
        "check",
        "--chip",
        "H20",
        "--to",
        "MY",
        "--buyer",
        "ByteDance Pte. Ltd.",
        "--buyer-hq",
        "CN",
        "--date",
        "2025-04-20",
        "--json",
        "--no-screen",
    ]);
    assert_eq!(v["decision"], "LICENSE_REQUIRED");
    assert_eq!(v["license_required"], true);
    assert_eq!(v["eccn"], "none");
    assert_eq!(v["review_policy"], "presumption_of_denial");
    assert_eq!(v["requirements"][0]["rule"], "letter.2025-04.nvidia");
    assert!(v["requirements"][0]["citation"]
        .as_str()
        .unwrap_or_default()
        .contains("2025-04-09"));
    for k in ["exceptions", "notes", "warnings"] {
        assert!(v[k].is_array(), "{k}");
    }
    assert!(v["exceptions"]
        .as_array()
        .map(|a| a
            .iter()
            .all(|e| e["code"].is_string() && e["available"].is_boolean()))
        .unwrap_or(false));
}

#[test]
fn check_json_escalate_and_uncertain_fields() {
    // GP10 guidance: the decision says BIS authorization is needed; no licence requirement as such.
    let v = json(&[
        "check",
        "--chip",
        "Ascend 910B",
        "--to",
        "MY",
        "--buyer-hq",
        "MY",
        "--date",
        "2025-06-01",
        "--json",
        "--no-screen",
    ]);
    assert_eq!(v["decision"], "ESCALATE");
    assert_eq!(v["license_required"], false);
    assert_eq!(v["escalations"][0]["rule"], "guidance.gp10-ascend");
    assert_eq!(v["uncertain_reading"], false);
    assert!(v["uncertain"]
        .as_array()
        .map(Vec::is_empty)
        .unwrap_or(false));
    // An answer resting on an unconfirmed reading is marked, in JSON and in text.
    let v = json(&[
        "check",
        "--chip",
        "H100",
        "--to",
        "AE",
        "--buyer-hq",
        "AE",
        "--date",
        "2026-07-23",
        "--json",
        "--no-screen",
    ]);
    assert_eq!(v["decision"], "LICENSE_REQUIRED");
    assert_eq!(v["uncertain_reading"], true);
    assert_eq!(v["uncertain"][0]["rule"], "note.uae-groups-unconfirmed");
    chipgate()
        .args([
            "check",
            "--chip",
            "H100",
            "--to",
            "AE",
            "--buyer-hq",
            "AE",
            "--date",
            "2026-07-23",
            "--no-screen",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("LICENSE REQUIRED (UNCERTAIN)"));
}

#[test]
fn check_text_shows_the_letter_and_policy() {
    chipgate()
        .args([
            "check",
            "--chip",
            "H20",
            "--to",
            "MY",
            "--buyer",
            "ByteDance Pte. Ltd.",
            "--buyer-hq",
            "CN",
            "--date",
            "2025-04-20",
            "--no-screen",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("LICENSE REQUIRED"))
        .stdout(predicate::str::contains(
            "memory bandwidth 4,000 GB/s ≥ 1,400 GB/s",
        ))
        .stdout(predicate::str::contains(
            "review policy: presumption of denial",
        ));
}

#[test]
fn check_screens_the_buyer_in_any_script() {
    let v = json(&[
        "check",
        "--chip",
        "H100",
        "--to",
        "DE",
        "--buyer",
        "华为技术有限公司",
        "--buyer-hq",
        "CN",
        "--date",
        "2024-06-01",
        "--json",
    ]);
    assert_eq!(v["decision"], "LICENSE_REQUIRED");
    let rules = requirement_ids(&v);
    assert!(rules.contains(&"parties.entity-list"), "{rules:?}");
    assert_eq!(v["screening"][0]["status"], "match");
    // Every screened answer names the lists and their snapshot dates.
    assert!(v["lists"]
        .as_array()
        .map(|l| !l.is_empty() && l.iter().all(|x| x["snapshot_date"].is_string()))
        .unwrap_or(false));
}

#[test]
fn party_file_and_ownership_drive_hq_and_affiliates() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = dir.path().join("parties.csv");
    std::fs::write(&p, "entity,parent,share,hq_country,list,date_added\nAcme Compute Sdn Bhd,Acme Holdings Ltd,0.6,MY,,\nAcme Holdings Ltd,,,CN,Entity List,2025-01-01\n").unwrap_or_else(|e| panic!("{e}"));
    let ps = p.to_string_lossy().to_string();
    let v = json(&[
        "check",
        "--chip",
        "H100",
        "--to",
        "MY",
        "--buyer",
        "Acme Compute Sdn Bhd",
        "--parties",
        &ps,
        "--date",
        "2025-10-01",
        "--json",
        "--no-screen",
    ]);
    let rules = requirement_ids(&v);
    // An .a item after January 2025: the HQ requirement is cited at 742.6(a)(6)(iii)(A) (`diffusion.hq`).
    assert!(
        rules.contains(&"diffusion.hq"),
        "HQ follows the ultimate parent: {rules:?}"
    );
    assert!(
        rules.contains(&"affiliates.50pct"),
        "60 % owned by a listed parent: {rules:?}"
    );
    assert!(v["screening"][0]["ownership"]
        .as_str()
        .unwrap_or_default()
        .contains("Acme Holdings Ltd"));
    // During the suspension the Affiliates rule does not apply.
    let v = json(&[
        "check",
        "--chip",
        "H100",
        "--to",
        "MY",
        "--buyer",
        "Acme Compute Sdn Bhd",
        "--parties",
        &ps,
        "--date",
        "2026-01-10",
        "--json",
        "--no-screen",
    ]);
    let rules = requirement_ids(&v);
    assert!(!rules.contains(&"affiliates.50pct"), "{rules:?}");
}

#[test]
fn timeline_replays_the_h20_story() {
    chipgate()
        .args([
            "timeline",
            "--chip",
            "H20",
            "--to",
            "CN",
            "--to-date",
            "2026-06-01",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("2023-11-17 … 2025-04-08  NLR"))
        .stdout(predicate::str::contains(
            "2025-04-09 … 2025-07-13  LICENSE_REQUIRED",
        ))
        .stdout(predicate::str::contains("2025-07-14 … 2026-06-01"))
        .stdout(predicate::str::contains("presumption of approval"));
    let v = json(&[
        "timeline",
        "--chip",
        "H20",
        "--to",
        "CN",
        "--json",
        "--to-date",
        "2026-06-01",
    ]);
    let segs = v["segments"].as_array().cloned().unwrap_or_default();
    assert!(segs.iter().any(|s| s["from"] == "2025-04-09"
        && s["decision"] == "LICENSE_REQUIRED"
        && s["changed_by"][0]["id"] == "2025-04-09-h20-letters"));
}

#[test]
fn scenario_overlay_on_check() {
    let v = json(&[
        "check",
        "--chip",
        "H20",
        "--to",
        "CN",
        "--buyer-hq",
        "CN",
        "--date",
        "2025-05-01",
        "--json",
        "--no-screen",
        "--scenario",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scenarios/no-april-letter.toml"
        ),
    ]);
    assert_eq!(v["decision"], "NLR");
    assert_eq!(v["scenarios"][0], "no-april-letter");
}

#[test]
fn broken_scenario_is_rejected_with_file_and_line() {
    let check_with = |p: &std::path::Path| {
        chipgate()
            .args([
                "check",
                "--chip",
                "H20",
                "--to",
                "CN",
                "--no-screen",
                "--scenario",
            ])
            .arg(p)
            .assert()
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = dir.path().join("bad.toml");
    std::fs::write(
        &p,
        "id = \"bad\"\ntitle = \"bad\"\nwithdraw = [\"no-such-event\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    check_with(&p)
        .code(2)
        .stderr(predicate::str::contains("bad.toml:3"))
        .stderr(predicate::str::contains("no-such-event"));
    std::fs::write(&p, "id = \"bad\"\ntitle = \"bad\"\n[[event]]\nid = \"e\"\ntitle = \"t\"\nkind = \"scenario\"\neffective = 2025-01-01\ncitation = \"x\"\n[[event.provision]]\nid = \"p\"\ntype = \"require\"\nwhen = \"tpp >>= 1\"\n").unwrap_or_else(|e| panic!("{e}"));
    check_with(&p)
        .code(2)
        .stderr(predicate::str::contains("bad.toml:12"))
        .stderr(predicate::str::contains("when"));
}

#[test]
fn rules_list_show_diff_catalog() {
    chipgate()
        .args(["rules", "list", "--date", "2025-06-01"])
        .assert()
        .success()
        .stdout(predicate::str::contains("letter.2025-04.nvidia"));
    chipgate()
        .args(["rules", "show", "ac.hq"])
        .assert()
        .success()
        .stdout(predicate::str::contains("744.23"));
    chipgate().args(["rules", "show", "nope"]).assert().code(2);
    let v = json(&["rules", "diff", "2023-11-16", "2023-11-17", "--json"]);
    let chips: Vec<&str> = v["chips"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["chip"].as_str()).collect())
        .unwrap_or_default();
    assert!(chips.iter().any(|c| c.contains("A800")), "{chips:?}");
    assert!(chips.iter().any(|c| c.contains("RTX 4090")), "{chips:?}");
    chipgate()
        .args(["rules", "catalog"])
        .assert()
        .success()
        .stdout(predicate::str::contains("# chipgate rules catalogue"))
        .stdout(predicate::str::contains("2025-04-09-h20-letters"));
}

#[test]
fn chips_list_and_show() {
    chipgate()
        .args(["chips", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("H20 (HGX)"));
    let v = json(&["chips", "show", "nvidia h20", "--json"]);
    assert_eq!(v["spec"]["name"], "H20 (HGX)");
    assert_eq!(v["metrics"]["tpp"], 2368.0);
}

#[test]
fn works_from_any_directory_and_with_data_override() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    chipgate()
        .current_dir(dir.path())
        .args(["classify", "H20", "--date", "2024-06-01"])
        .assert()
        .success();
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
    chipgate()
        .args(["--data", data, "classify", "H20", "--date", "2024-06-01"])
        .assert()
        .success();
    chipgate()
        .args([
            "--data",
            dir.path().to_str().unwrap_or_default(),
            "classify",
            "H20",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("countries.toml"));
}

#[test]
fn golden_runner_command() {
    chipgate()
        .args([
            "test",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/cases/check.jsonl"),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(" passed, 0 failed"));
}

#[test]
fn screen_json_contract_and_cross_script() {
    let v = json(&["screen", "华为技术有限公司", "--json"]);
    assert_eq!(v["status"], "match");
    let hit = &v["hits"][0];
    for k in [
        "entry_id",
        "list",
        "name",
        "matched_name",
        "score",
        "explanation",
    ] {
        assert!(!hit[k].is_null(), "hit has {k}");
    }
    assert!(v["lists"]
        .as_array()
        .map(|l| l
            .iter()
            .all(|x| x["name"].is_string() && x["snapshot_date"].is_string()))
        .unwrap_or(false));
    let v = json(&["screen", "Siemens AG", "--json"]);
    assert_eq!(v["status"], "clear");
}

#[test]
fn screen_reads_a_persons_initials_and_says_so() {
    let v = json(&["screen", "E.D. Mnangagwa", "--json"]);
    assert_ne!(v["status"], "clear", "{v}");
    let hit = &v["hits"][0];
    assert_eq!(hit["matched_name"], "MNANGAGWA, Emmerson Dambudzo", "{v}");
    let summary = hit["explanation"]["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("read as initials `E D`"), "{summary}");
}

#[test]
fn screen_file_streams_one_line_per_row_and_reports_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("names.csv");
    let out = dir.path().join("hits.jsonl");
    std::fs::write(&input, "id,name,country\nc1,Huawei Technologies Co Ltd,CN\nc2,Siemens AG,DE\nc3,\nc4,Sberbank of Russia,RU\n").unwrap();
    chipgate()
        .args(["screen", "--file"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(":4: skipped"))
        .stderr(predicate::str::contains("1 rejected"));
    let text = std::fs::read_to_string(&out).unwrap();
    let ids: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["c1", "c2", "c4"]);
}

#[test]
fn screen_allow_records_a_reviewed_false_positive() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().to_str().unwrap().to_string();
    let v = json(&["screen", "Sberbank of Russia", "--json", "--store", &store]);
    let entry = v["hits"][0]["entry_id"].as_str().unwrap().to_string();
    chipgate()
        .args([
            "screen",
            "allow",
            "--name",
            "Sberbank of Russia",
            "--entry",
            &entry,
            "--reviewer",
            "jd",
            "--reason",
            "different bank (test)",
            "--until",
            "2099-01-01",
            "--store",
            &store,
        ])
        .assert()
        .success();
    let v = json(&["screen", "Sberbank of Russia", "--json", "--store", &store]);
    let hit = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["entry_id"] == entry.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        hit["suppressed"]["reviewer"], "jd",
        "the suppression is shown, not hidden"
    );
}

#[test]
fn lists_diff_counts_the_sdn_additions() {
    let base = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/lists/ofac_sdn/"
    );
    if !std::path::Path::new(base).is_dir() {
        eprintln!("shared data not present; skipping");
        return;
    }
    let v = json(&[
        "lists",
        "diff",
        &format!("{base}sdn_2024-02-20.csv"),
        &format!("{base}sdn_2024-02-23.csv"),
        "--json",
    ]);
    assert_eq!(v["added"].as_array().map(Vec::len), Some(553));
}

#[test]
fn committed_rules_catalogue_is_generated_from_the_data() {
    let out = chipgate().args(["rules", "catalog"]).output().unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/RULES.md"))
            .unwrap();
    assert!(
        generated == committed,
        "docs/RULES.md is stale: run `cargo run -p chipgate -- rules catalog --out docs/RULES.md`"
    );
}

#[test]
fn lists_update_fetches_over_http_and_import_feeds_screening() {
    use std::io::{Read, Write};
    let body = "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n\
t1,Entity List (EL) - Bureau of Industry and Security,,,,Zyxwvut Quantum Computing Co Ltd,,\"Shenzhen, CN\",88 FR 1,2025-06-01,,,For all items subject to the EAR,Presumption of denial,,,,,,,,,,,,,,,\n";
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let served = body.to_string();
    let server = std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}", served.len(), served);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().to_str().unwrap().to_string();
    chipgate()
        .args([
            "lists",
            "update",
            "--url",
            &format!("http://{addr}/consolidated.csv"),
            "--store",
            &store,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 entries"));
    server.join().unwrap();
    let v = json(&[
        "screen",
        "Zyxwvut Quantum Computing Company Limited",
        "--json",
        "--store",
        &store,
    ]);
    assert_eq!(v["status"], "match");
    assert_eq!(v["hits"][0]["kind"], "entity_list");
}
