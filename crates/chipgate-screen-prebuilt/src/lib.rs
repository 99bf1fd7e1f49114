//! `chipgate-screen-prebuilt`: the built-in lists of `chipgate-screen`, already parsed and
//! indexed. Its build script runs the real [`ListSet::builtin`] and index build and embeds the
//! result as a snapshot ([`chipgate_screen::snapshot`]); loading it takes milliseconds instead
//! of the second that decompressing, parsing and normalising every listed name takes.
//!
//! The answers are those of `Screener::new(ListSet::builtin()?)`: the snapshot is refused
//! (and the index built the slow way) when it was made by other code or data, or is corrupt.
//!
//! ```no_run
//! let screener = chipgate_screen_prebuilt::screener(Vec::new())?;
//! let r = screener.screen(&chipgate_screen::Query::name("Huawei Technologies"))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chipgate_screen::{List, ListSet, ScreenError, Screener};

/// The embedded snapshot of the built-in lists and their index (empty when the build script
/// could not make it).
pub static SNAPSHOT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/builtin.snap"));

/// A screener over the built-in lists followed by `extra` (imported lists, indexed on load).
pub fn screener(extra: Vec<List>) -> Result<Screener, ScreenError> {
    Screener::from_static_snapshot(SNAPSHOT, extra)
}

/// The built-in lists (parsed only when the snapshot cannot be used).
pub fn lists() -> Result<ListSet, ScreenError> {
    ListSet::builtin_from_snapshot(SNAPSHOT)
}

/// Whether the embedded snapshot is usable by this build (else every load builds the index).
pub fn snapshot_usable() -> bool {
    chipgate_screen::snapshot::decode_lists(SNAPSHOT).is_some()
}
