//! The embedded snapshot is exactly what the slow path builds: same lists, same index (names,
//! vocabulary, postings, IDF bits, every table), same answers for a few dozen names across
//! scripts, dates and list filters, also with imported lists on top; a damaged snapshot falls
//! back to the slow build.
#![expect(clippy::expect_used, reason = "tests fail by `expect`")]

use chipgate_screen::index::Index;
use chipgate_screen::snapshot::{decode, decode_static, index_differences};
use chipgate_screen::{Entry, List, ListSet, Parsed, Query, Screener};
use chrono::NaiveDate;
use std::sync::OnceLock;

fn slow_lists() -> &'static ListSet {
    static S: OnceLock<ListSet> = OnceLock::new();
    S.get_or_init(|| ListSet::builtin().expect("built-in lists"))
}

const NAMES: &[&str] = &[
    "Huawei Technologies",
    "Huawei Technologies Co Ltd",
    "Huawey Technolgies",
    "HUAWEI",
    "华为技术有限公司",
    "Semiconductor Manufacturing International Corporation",
    "SMIC",
    "National University of Defense Technology",
    "NUDT",
    "Moore Threads",
    "Moore Threads Technology Co Ltd",
    "Biren Technology",
    "Hangzhou Hikvision Digital Technology",
    "Sugon",
    "Inspur Group",
    "Yangtze Memory Technologies",
    "ByteDance Pte. Ltd.",
    "Kim Jong Un",
    "KIM, Jong Un",
    "김정은",
    "Islamic Revolutionary Guard Corps",
    "IRGC",
    "Rosoboronexport",
    "Рособоронэкспорт",
    "Banco Nacional de Cuba",
    "Mahan Air",
    "Hezbollah",
    "حزب الله",
    "Aeroflot",
    "Sberbank",
    "Taro Yamada",
    "Acme Widgets GmbH",
    "Nvidia Corporation",
    "Apple Inc",
    "Zhang Wei",
    "Shenzhen Trading Co",
    "Beijing Institute of Technology",
    "Harbin Institute of Technology",
    "Northwestern Polytechnical University",
    "China Electronics Technology Group Corporation 14th Research Institute",
    "Tianjin Phytium Information Technology",
    "Al Qaida",
];

fn queries() -> Vec<Query> {
    let mut v: Vec<Query> = NAMES.iter().map(|n| Query::name(*n)).collect();
    for (n, date, lists) in [
        ("Huawei Technologies", "2019-01-01", None),
        ("Moore Threads", "2023-10-01", None),
        ("Moore Threads", "2023-10-20", None),
        ("Biren Technology", "2023-10-20", Some("entity_list")),
        ("Kim Jong Un", "2024-01-01", Some("sdn")),
        ("SMIC", "2025-06-01", Some("non_sdn")),
    ] {
        v.push(Query {
            name: n.into(),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(),
            lists: lists.map(|l| vec![l.to_string()]),
            country: Some("China".into()),
            ..Query::default()
        });
    }
    v
}

fn same_answers(a: &Screener, b: &Screener, qs: &[Query]) {
    for q in qs {
        let (x, y) = (a.screen(q), b.screen(q));
        assert_eq!(x, y, "{:?}", q.name);
    }
}

#[test]
fn snapshot_is_the_slow_build() {
    let (lists, index) = decode(chipgate_screen_prebuilt::SNAPSHOT).expect("usable snapshot");
    assert!(chipgate_screen_prebuilt::snapshot_usable());
    let built = Index::build(slow_lists());
    assert_eq!(index_differences(&built, &index), Vec::<String>::new());
    // The same index when its sorted tables are used where they lie in the binary.
    let (_, in_place) = decode_static(chipgate_screen_prebuilt::SNAPSHOT).expect("usable");
    assert_eq!(index_differences(&built, &in_place), Vec::<String>::new());
    assert_eq!(index.name_count(), built.name_count());
    assert_eq!(slow_lists().lists.len(), lists.lists.len());
    for (a, b) in slow_lists().lists.iter().zip(&lists.lists) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.snapshot_date, b.snapshot_date);
        assert_eq!(a.entries, b.entries);
        assert_eq!(a.errors, b.errors);
    }
    let shown = chipgate_screen_prebuilt::lists().unwrap();
    assert_eq!(shown.infos(), slow_lists().infos());
    assert_eq!(shown.entry_count(), slow_lists().entry_count());
}

#[test]
fn screening_gives_the_same_answers() {
    let slow = Screener::new(slow_lists().clone());
    let fast = chipgate_screen_prebuilt::screener(Vec::new()).unwrap();
    assert_eq!(fast.name_count(), slow.name_count());
    assert_eq!(fast.list_names(), slow.list_names());
    let qs = queries();
    assert!(qs.len() >= 40);
    same_answers(&slow, &fast, &qs);
    assert_eq!(fast.screen_many(&qs), slow.screen_many(&qs));
}

fn imported() -> List {
    let src = "Entity List (EL) - Bureau of Industry and Security";
    let mut entries = Vec::new();
    for (i, (n, aliases)) in [
        ("Acme Quantum Devices Ltd", vec!["Acme QD"]),
        ("Huawei Cloud Computing Technologies Co., Ltd.", vec![]),
        ("Shenzhen Kimjong Trading Co", vec!["深圳金钟贸易"]),
        ("Moore Threads Intelligent Technology (Beijing)", vec![]),
    ]
    .into_iter()
    .enumerate()
    {
        let mut e = Entry::new(format!("imp-{i}"), src, n);
        e.aliases = aliases.into_iter().map(String::from).collect();
        e.countries = vec!["CN".into()];
        entries.push(e);
    }
    List::new(
        "csl_imported_2026-01-01",
        NaiveDate::from_ymd_opt(2026, 1, 1),
        Parsed {
            entries,
            errors: Vec::new(),
        },
    )
}

#[test]
fn imported_lists_on_top_give_the_same_answers() {
    let mut all = slow_lists().clone();
    all.push(imported());
    let slow = Screener::new(all);
    let fast = chipgate_screen_prebuilt::screener(vec![imported()]).unwrap();
    assert_eq!(fast.name_count(), slow.name_count());
    let mut qs = queries();
    for n in [
        "Acme Quantum Devices",
        "Acme QD",
        "Huawei Cloud",
        "Kimjong Trading",
        "Moore Threads Beijing",
    ] {
        qs.push(Query::name(n));
    }
    same_answers(&slow, &fast, &qs);
}

#[test]
fn a_damaged_snapshot_falls_back_to_building() {
    // A byte flipped in the lists (the head) or in the sorted tables (the last quarter).
    for at in [200, chipgate_screen_prebuilt::SNAPSHOT.len() * 3 / 4] {
        let mut bad = chipgate_screen_prebuilt::SNAPSHOT.to_vec();
        bad[at] ^= 0x55;
        assert!(decode(&bad).is_none(), "damage at {at} not seen");
    }
    let mut bad = chipgate_screen_prebuilt::SNAPSHOT.to_vec();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x55;
    assert!(decode(&bad).is_none());
    let fallback = Screener::from_snapshot(&bad, Vec::new()).unwrap();
    let fast = chipgate_screen_prebuilt::screener(Vec::new()).unwrap();
    let qs: Vec<Query> = queries().into_iter().take(8).collect();
    same_answers(&fallback, &fast, &qs);
    assert_eq!(
        ListSet::builtin_from_snapshot(&[]).unwrap().infos(),
        slow_lists().infos()
    );
}
