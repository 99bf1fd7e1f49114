//! The embedded snapshot is exactly what the slow path builds: same lists, same index (names,
//! vocabulary, postings, IDF bits, every table), same answers; a corrupt snapshot falls back.

use chipgate_screen::index::Index;
use chipgate_screen::snapshot::{decode, encode, index_differences, section_sizes};
use chipgate_screen::{ListSet, Query, Screener};
use std::time::Instant;

fn slow() -> ListSet {
    ListSet::builtin().expect("built-in lists")
}

#[test]
fn snapshot_is_the_slow_build() {
    let t = Instant::now();
    let (lists, index) = decode(chipgate_screen_prebuilt::SNAPSHOT).expect("usable snapshot");
    eprintln!(
        "decode: {:?}, {} bytes, sections {:?}",
        t.elapsed(),
        chipgate_screen_prebuilt::SNAPSHOT.len(),
        section_sizes(chipgate_screen_prebuilt::SNAPSHOT)
    );
    let built_lists = slow();
    let built = Index::build(&built_lists);
    assert_eq!(index_differences(&built, &index), Vec::<String>::new());
    assert_eq!(built_lists.lists.len(), lists.lists.len());
    for (a, b) in built_lists.lists.iter().zip(&lists.lists) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.snapshot_date, b.snapshot_date);
        assert_eq!(a.entries, b.entries);
        assert_eq!(a.errors, b.errors);
    }
}
