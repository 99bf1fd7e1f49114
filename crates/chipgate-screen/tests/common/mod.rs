//! Shared helpers for the integration tests: where the shared real data lives, a lazily built
//! builtin screener, fixture paths.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chipgate_screen::{ListSet, Screener};
use std::path::PathBuf;
use std::sync::OnceLock;

/// `../shared/data` beside the repository (None when absent: tests that need it are skipped).
pub fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("shared data not found at {}: skipping", p.display());
        None
    }
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn read(p: &std::path::Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// One list `name` of these names, every entry of this entity type (`Individual`, `Entity`).
pub fn typed_list(name: &str, names: &[&str], entity_type: &str) -> ListSet {
    let mut set = ListSet::of_names(name, names);
    for e in set.lists.iter_mut().flat_map(|l| l.entries.iter_mut()) {
        e.entity_type = Some(entity_type.into());
    }
    set
}

pub fn builtin() -> &'static Screener {
    static S: OnceLock<Screener> = OnceLock::new();
    S.get_or_init(|| Screener::new(ListSet::builtin().expect("builtin lists")))
}
