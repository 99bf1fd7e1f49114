//! JSON Lines export: date filtering (inclusive, UTC) and embedded JSON values.
#![expect(clippy::unwrap_used, reason = "tests fail by unwrapping")]

mod common;

use chipgate_audit::{export, AuditLog};
use chrono::{NaiveDate, TimeZone, Utc};
use common::{sample, temp_db};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn lines(
    path: &std::path::Path,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let n = export(path, from, to, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let v: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(n as usize, v.len());
    v
}

#[test]
fn export_filters_by_utc_date_inclusive() {
    let (_d, path) = temp_db();
    let mut log = AuditLog::open(&path).unwrap();
    let times = [
        Utc.with_ymd_and_hms(2026, 3, 1, 23, 59, 59).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 3, 23, 59, 59).unwrap(),
        Utc.with_ymd_and_hms(2026, 3, 4, 0, 0, 0).unwrap(),
    ];
    for (i, t) in times.iter().enumerate() {
        log.append(sample(i as u64).at(*t).with_key_id("abc"))
            .unwrap();
    }
    let seqs = |v: Vec<serde_json::Value>| {
        v.iter()
            .map(|l| l["seq"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(seqs(lines(&path, None, None)), vec![1, 2, 3, 4, 5]);
    assert_eq!(
        seqs(lines(&path, Some(d(2026, 3, 2)), Some(d(2026, 3, 3)))),
        vec![2, 3, 4]
    );
    assert_eq!(
        seqs(lines(&path, Some(d(2026, 3, 2)), Some(d(2026, 3, 2)))),
        vec![2, 3]
    );
    assert_eq!(seqs(lines(&path, None, Some(d(2026, 3, 1)))), vec![1]);
    assert_eq!(seqs(lines(&path, Some(d(2026, 3, 4)), None)), vec![5]);
    assert!(lines(&path, Some(d(2026, 3, 5)), None).is_empty());
    assert!(lines(&path, Some(d(2026, 3, 3)), Some(d(2026, 3, 2))).is_empty());
}

#[test]
fn export_lines_carry_every_field_with_embedded_json() {
    let (_d, path) = temp_db();
    let mut log = AuditLog::open(&path).unwrap();
    let r1 = log.append(sample(7)).unwrap();
    log.append(sample(8).with_key_id("k1")).unwrap();
    let v = lines(&path, None, None);
    let l = &v[0];
    for f in [
        "seq",
        "time",
        "key_id",
        "kind",
        "request",
        "response",
        "rulebook_fingerprint",
        "lists_fingerprint",
        "prev_hash",
        "hash",
    ] {
        assert!(l.get(f).is_some(), "missing {f}");
    }
    assert!(
        l["request"].is_object(),
        "request must be a JSON value, not a string"
    );
    assert_eq!(l["request"]["chip"]["tpp"], 4807);
    assert_eq!(l["response"]["eccn"], "3A090.a");
    assert!(l["key_id"].is_null());
    assert_eq!(v[1]["key_id"], "k1");
    assert_eq!(l["hash"], r1.hash);
    assert_eq!(v[1]["prev_hash"], r1.hash);
    assert_eq!(l["kind"], "check");
    // AuditLog::export is the same thing
    let mut out = Vec::new();
    assert_eq!(log.export(None, None, &mut out).unwrap(), 2);
}
