//! Parser tests on the real samples (record counts) and on broken fixtures (file + line errors).

mod common;
use chipgate_screen::parse::{self, csl, csl_json, dpl, flat_csl, generic, ofac, Format};
use chipgate_screen::{ListKind, ScreenError};
use common::{fixture, read, shared};

#[test]
fn csl_current_and_2019_samples() {
    let Some(d) = shared() else { return };
    let p = d.join("lists/csl/csl_sample_current_format.csv");
    let b = read(&p);
    assert_eq!(parse::detect("x", &b).unwrap(), Format::CslCsv);
    let r = csl::parse("csl_sample_current_format.csv", &b).unwrap();
    assert_eq!(r.entries.len(), 13, "{:?}", r.errors);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let kinds: std::collections::BTreeSet<ListKind> = r.entries.iter().map(|e| e.kind).collect();
    assert!(
        kinds.contains(&ListKind::EntityList)
            && kinds.contains(&ListKind::Unverified)
            && kinds.contains(&ListKind::Meu)
    );
    assert_eq!(
        r.entries[0].id, "233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b",
        "CSL _id used as id"
    );
    assert_eq!(r.entries[0].name, "Sinobright Import and Export Company");
    let p = d.join("lists/csl/csl_sample_2019_format.csv");
    let b = read(&p);
    assert_eq!(parse::detect("x", &b).unwrap(), Format::CslCsv2019);
    let r = csl::parse("csl_sample_2019_format.csv", &b).unwrap();
    assert_eq!(
        r.entries.len()
            + r.errors
                .iter()
                .filter(|e| !e.message.contains("date"))
                .count(),
        115
    );
    assert_eq!(r.entries.len(), 115);
}

#[test]
fn flattened_csl_2022() {
    let Some(d) = shared() else { return };
    let b = read(&d.join("lists/csl/csl_flattened_2022-05-05_from_SanctionToolkit.csv"));
    assert_eq!(parse::detect("x", &b).unwrap(), Format::FlatCsl);
    let r = flat_csl::parse("flat.csv", &b).unwrap();
    assert_eq!(r.entries.len(), 14_158);
    assert!(
        r.errors.is_empty(),
        "{:?}",
        &r.errors[..r.errors.len().min(3)]
    );
    assert_eq!(
        r.entries
            .iter()
            .filter(|e| e.kind == ListKind::EntityList)
            .count(),
        2_001
    );
    // No alias keeps the leading " and " artefact.
    assert!(r
        .entries
        .iter()
        .flat_map(|e| e.aliases.iter())
        .all(|a| !a.to_lowercase().starts_with("and ")));
    let hw = r
        .entries
        .iter()
        .find(|e| {
            e.name.starts_with("Huawei Technologies Co., Ltd.") && e.kind == ListKind::EntityList
        })
        .unwrap();
    assert_eq!(
        hw.start_date.map(|d| d.to_string()).as_deref(),
        Some("2019-05-21")
    );
}

#[test]
fn ofac_sdn_snapshots_and_legacy_set() {
    let Some(d) = shared() else { return };
    for (f, n) in [
        ("sdn_2024-02-20.csv", 13_931),
        ("sdn_2024-02-23.csv", 14_484),
        ("sdn_2024-05-03.csv", 14_965),
    ] {
        let b = read(&d.join("lists/ofac_sdn").join(f));
        assert_eq!(parse::detect(f, &b).unwrap(), Format::OfacPrim);
        let r = ofac::parse_set(ofac::SDN_LIST, (f, &b), None, None).unwrap();
        assert_eq!(r.entries.len(), n, "{f}");
        assert!(
            r.errors.is_empty(),
            "{f}: {:?}",
            &r.errors[..r.errors.len().min(3)]
        );
    }
    let dir = d.join("lists/ofac_sdn/legacy_2021");
    let (p, a, ad) = (
        read(&dir.join("sdn.csv")),
        read(&dir.join("alt.csv")),
        read(&dir.join("add.csv")),
    );
    let r = ofac::parse_set(
        ofac::SDN_LIST,
        ("sdn.csv", &p),
        Some(("alt.csv", &a)),
        Some(("add.csv", &ad)),
    )
    .unwrap();
    assert_eq!(r.entries.len(), 8_976);
    let cuba = r.entries.iter().find(|e| e.id == "306").unwrap();
    assert!(cuba.aliases.iter().any(|x| x == "NATIONAL BANK OF CUBA"));
    assert!(cuba.aliases.iter().any(|x| x == "BNC"));
    assert!(cuba.countries.iter().any(|c| c == "Switzerland"));
    assert!(r
        .errors
        .iter()
        .all(|e| e.file == "alt.csv" || e.file == "add.csv"));
}

#[test]
fn ofac_non_sdn_and_dpl() {
    let Some(d) = shared() else { return };
    let dir = d.join("lists/ofac_non_sdn");
    let (p, a, ad) = (
        read(&dir.join("cons_prim.csv")),
        read(&dir.join("cons_alt.csv")),
        read(&dir.join("cons_add.csv")),
    );
    let r = ofac::parse_set(
        ofac::NON_SDN_LIST,
        ("cons_prim.csv", &p),
        Some(("cons_alt.csv", &a)),
        Some(("cons_add.csv", &ad)),
    )
    .unwrap();
    assert_eq!(r.entries.len(), 442);
    assert_eq!(
        r.entries
            .iter()
            .filter(|e| e.kind == ListKind::Cmic)
            .count(),
        68
    );
    let b = read(&d.join("lists/bis_dpl/dpl_2022-09.txt"));
    assert_eq!(parse::detect("dpl", &b).unwrap(), Format::Dpl);
    let r = dpl::parse("dpl_2022-09.txt", &b).unwrap();
    assert_eq!(r.entries.len(), 581);
    assert!(r.errors.is_empty());
    assert!(r
        .entries
        .iter()
        .all(|e| e.kind == ListKind::Dpl && e.start_date.is_some()));
}

#[test]
fn csl_json_fixture_with_errors() {
    let b = read(&fixture("csl_sample.json"));
    assert_eq!(parse::detect("x", &b).unwrap(), Format::CslJson);
    let r = csl_json::parse("csl_sample.json", &b).unwrap();
    assert_eq!(r.entries.len(), 3, "{:?}", r.errors);
    assert_eq!(r.errors.len(), 2);
    assert!(r.errors.iter().all(|e| e.file == "csl_sample.json"));
    assert_eq!(r.errors[0].line, 27, "{:?}", r.errors);
    assert!(r.errors[0].message.contains("start_date"));
    assert_eq!(r.errors[1].line, 33);
    let hw = &r.entries[0];
    assert_eq!(hw.id, "e1a3f0c2");
    assert_eq!(hw.name, "Huawei Technologies Co., Ltd. (Huawei)");
    assert!(hw.aliases.iter().any(|a| a == "华为技术有限公司"));
    assert!(hw.aliases.iter().any(|a| a == "Huawei"));
    assert_eq!(hw.countries, vec!["CN"]);
    assert_eq!(hw.federal_register.as_deref(), Some("84 FR 22963, 5/21/19"));
    assert_eq!(hw.kind, ListKind::EntityList);
    assert_eq!(r.entries[1].name, "SINOBRIGHT IMPORT AND EXPORT COMPANY");
    assert_eq!(r.entries[2].aliases.len(), 2);
}

#[test]
fn broken_csv_reports_file_and_line() {
    let b = read(&fixture("broken_csl.csv"));
    let r = csl::parse("broken_csl.csv", &b).unwrap();
    assert_eq!(r.entries.len(), 2);
    let lines: Vec<u64> = r.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4], "{:?}", r.errors);
    assert!(r.errors[0].to_string().starts_with("broken_csl.csv:3:"));
    assert_eq!(r.entries[0].aliases, vec!["Good Row", "GR Co"]);
    assert_eq!(r.entries[1].kind, ListKind::Meu);
    let b = read(&fixture("broken_dpl.txt"));
    let r = dpl::parse("broken_dpl.txt", &b).unwrap();
    assert_eq!(r.entries.len(), 1);
    assert_eq!(
        r.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![3, 4]
    );
}

#[test]
fn ofac_quirks_and_empty_file() {
    let (p, a, ad) = (
        read(&fixture("sdn_small.csv")),
        read(&fixture("alt_small.csv")),
        read(&fixture("add_small.csv")),
    );
    let r = ofac::parse_set(
        ofac::SDN_LIST,
        ("sdn_small.csv", &p),
        Some(("alt_small.csv", &a)),
        Some(("add_small.csv", &ad)),
    )
    .unwrap();
    assert_eq!(r.entries.len(), 2);
    assert_eq!(r.entries[0].aliases, vec!["AERO-CARIBBEAN"]);
    assert_eq!(r.entries[0].programs, vec!["CUBA"]);
    assert_eq!(r.entries[0].addresses, vec!["Havana, Cuba"]);
    assert_eq!(r.entries[1].aliases, vec!["BNC"]);
    let errs: Vec<(String, u64)> = r.errors.iter().map(|e| (e.file.clone(), e.line)).collect();
    assert_eq!(
        errs,
        vec![
            ("sdn_small.csv".into(), 2),
            ("sdn_small.csv".into(), 4),
            ("alt_small.csv".into(), 2)
        ]
    );
    let empty = read(&fixture("sdn_empty.csv"));
    match ofac::parse_set(ofac::SDN_LIST, ("sdn_empty.csv", &empty), None, None) {
        Err(ScreenError::EmptyFile { file }) => assert_eq!(file, "sdn_empty.csv"),
        other => panic!("expected EmptyFile, got {other:?}"),
    }
    assert!(matches!(
        parse::detect("sdn_empty.csv", &empty),
        Err(ScreenError::EmptyFile { .. })
    ));
    assert!(matches!(
        parse::detect("x", b"\x1a"),
        Err(ScreenError::EmptyFile { .. })
    ));
}

#[test]
fn generic_column_mapping() {
    let csv = "Party Name,Ref,Other Names,Country,Listed\nAcme Rockets,R1,Acme; ACR,RU,2021-03-04\n,R2,,RU,\n";
    let map = generic::ColumnMap {
        name: "Party Name".into(),
        id: Some("Ref".into()),
        default_list: Some("In-house watch list".into()),
        aliases: Some("Other Names".into()),
        countries: vec!["Country".into()],
        start_date: Some("Listed".into()),
        ..Default::default()
    };
    let r = generic::parse("mine.csv", csv.as_bytes(), &map).unwrap();
    assert_eq!(r.entries.len(), 1);
    assert_eq!(r.entries[0].id, "R1");
    assert_eq!(r.entries[0].list, "In-house watch list");
    assert_eq!(r.entries[0].aliases, vec!["Acme", "ACR"]);
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].line, 3);
}
