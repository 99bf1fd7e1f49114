//! List store import/load, `lists diff` (553 additions between two SDN snapshots) and
//! `lists update` against a local HTTP server.
#![expect(clippy::unwrap_used, reason = "tests fail by unwrapping")]

mod common;
use chipgate_screen::update::update;
use chipgate_screen::{
    diff, load_file, Format, ListKind, ListStore, Query, ScreenError, Screener, Status,
};
use chrono::NaiveDate;
use common::{fixture, shared};
use std::io::{Read, Write};
use std::net::TcpListener;

#[test]
fn sdn_diff_counts_553_additions() {
    let Some(d) = shared() else { return };
    let old = load_file(&d.join("lists/ofac_sdn/sdn_2024-02-20.csv"), None).unwrap();
    let new = load_file(&d.join("lists/ofac_sdn/sdn_2024-02-23.csv"), None).unwrap();
    assert_eq!(old.snapshot_date, NaiveDate::from_ymd_opt(2024, 2, 20));
    let df = diff(&old, &new);
    assert_eq!(df.added.len(), 553);
    assert_eq!(df.removed.len(), 0);
    let back = diff(&new, &old);
    assert_eq!(back.removed.len(), 553);
    assert_eq!(df.changed.len(), back.changed.len());
}

#[test]
fn store_imports_detects_and_loads_with_builtin() {
    let Some(d) = shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = ListStore::open(dir.path().join("store")).unwrap();
    let s1 = store
        .import(&d.join("lists/bis_dpl/dpl_2022-09.txt"), None)
        .unwrap();
    assert_eq!(s1.format, Format::Dpl);
    assert_eq!(s1.entries, 581);
    assert_eq!(s1.snapshot_date, None.or(s1.snapshot_date)); // date from name absent ("2022-09") → today
    let s2 = store
        .import(
            &d.join("lists/ofac_sdn/legacy_2021/sdn.csv"),
            NaiveDate::from_ymd_opt(2021, 7, 1),
        )
        .unwrap();
    assert_eq!(s2.format, Format::OfacPrim);
    assert_eq!(s2.entries, 8_976);
    assert!(
        dir.path().join("store/sdn/alt.csv").is_file(),
        "alias file copied beside the primary"
    );
    // Empty file: error, nothing stored.
    let empty = store.import(&fixture("sdn_empty.csv"), None);
    assert!(
        matches!(empty, Err(ScreenError::EmptyFile { .. })),
        "{empty:?}"
    );
    assert_eq!(store.manifest().unwrap().len(), 2);
    let set = store.load_with_builtin().unwrap();
    assert_eq!(set.lists.len(), 6, "4 built-in + 2 imported");
    let sdn21 = set.lists.iter().find(|l| l.name == "sdn").unwrap();
    assert!(sdn21
        .entries
        .iter()
        .any(|e| e.aliases.iter().any(|a| a == "NATIONAL BANK OF CUBA")));
    let s = Screener::new(set);
    let r = s
        .screen(&Query {
            name: "Aaron Abraham Villa".into(),
            date: NaiveDate::from_ymd_opt(2022, 10, 1),
            ..Query::default()
        })
        .expect("valid query");
    assert_eq!(r.status, Status::Match);
    assert!(r
        .hits
        .iter()
        .any(|h| h.kind == ListKind::Dpl && h.effect.as_str() == "prohibited"));
}

fn serve_once(body: Vec<u8>) -> (String, std::thread::JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let h = std::thread::spawn(move || {
        if let Ok((mut c, _)) = l.accept() {
            let mut buf = [0u8; 4096];
            let _ = c.read(&mut buf);
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = c.write_all(head.as_bytes());
            let _ = c.write_all(&body);
        }
    });
    (format!("http://{addr}/consolidated.csv"), h)
}

#[test]
fn update_fetches_csl_over_http_into_the_store() {
    let body = std::fs::read(fixture("broken_csl.csv")).unwrap();
    let (url, h) = serve_once(body);
    let dir = tempfile::tempdir().unwrap();
    let store = ListStore::open(dir.path()).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let s = update(&store, &url, day).unwrap();
    h.join().unwrap();
    assert_eq!(s.format, Format::CslCsv);
    assert_eq!(s.entries, 2);
    assert_eq!(s.errors, 2);
    assert_eq!(s.snapshot_date, Some(day));
    let set = store.load().unwrap();
    assert_eq!(set.lists[0].name, "consolidated_2026-11-01");
    assert_eq!(set.lists[0].entries.len(), 2);
    // An empty download is an error and stores nothing new.
    let (url, h) = serve_once(Vec::new());
    let e = update(&store, &url, NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
    h.join().unwrap();
    assert!(matches!(e, Err(ScreenError::EmptyFile { .. })), "{e:?}");
    assert_eq!(store.manifest().unwrap().len(), 1);
    // Nothing listening: a clear HTTP error.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    assert!(matches!(
        update(&store, &format!("http://{addr}/x.csv"), day),
        Err(ScreenError::Http { .. })
    ));
}
