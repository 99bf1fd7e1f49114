//! Runs the golden corpus in `tests/cases/` (the same files `chipgate test` runs).

use chipgate_cli::cmd::golden::run_files;
use std::path::PathBuf;

#[test]
fn golden_corpus_passes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().map(|x| x == "jsonl").unwrap_or(false))
        .collect();
    files.sort();
    assert!(files.len() >= 2);
    let engine = chipgate_cli::data::engine(None, &[]).unwrap_or_else(|e| panic!("{e}"));
    let (passed, failed) = run_files(&engine, &files, false).unwrap_or_else(|e| panic!("{e}"));
    assert!(passed >= 90, "only {passed} cases ran");
    assert_eq!(failed, 0, "{failed} golden cases failed (see output above)");
}
