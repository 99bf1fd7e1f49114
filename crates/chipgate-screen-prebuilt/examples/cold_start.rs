//! Where the cold start of a one-name screen goes, phase by phase, on the prebuilt snapshot
//! and on the slow path (parse + index). Usage: `cold_start [NAME]` (release build).

use chipgate_screen::index::Index;
use chipgate_screen::{ListSet, Query, Screener};
use std::time::Instant;

/// The allocator of the `chipgate` binary, so that the phases cost what they cost there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// Resident memory of this process in MB (Linux), 0 elsewhere.
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |pages| pages * 4096.0 / 1e6)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Huawei Technologies".to_string());
    let snap = chipgate_screen_prebuilt::SNAPSHOT;
    println!("snapshot_bytes: {}", snap.len());
    println!(
        "snapshot_sections (lists, index, then records, bits, directory, filter of deletes, skeletons, joined_skel, joined_deletes, wholes): {:?}",
        chipgate_screen::snapshot::section_sizes(snap)
    );

    // Measured one after the other on one thread; `screener()` overlaps them on threads.
    println!("rss at start: {:.0} MB", rss_mb());
    let t = Instant::now();
    let _ = chipgate_screen::normalize("Huawei Technologies");
    println!("tables_first_normalize_ms: {:.1}", ms(t));
    let t = Instant::now();
    let lists = chipgate_screen::snapshot::decode_lists(snap).ok_or("snapshot not usable")?;
    println!(
        "decode_lists_ms (checksum + lists): {:.1}, rss {:.0} MB",
        ms(t),
        rss_mb()
    );
    drop(lists);
    let t = Instant::now();
    let both = chipgate_screen::snapshot::decode_static(snap).ok_or("snapshot not usable")?;
    println!(
        "decode_ms (checksum + lists || index, 2 threads): {:.1}",
        ms(t)
    );
    println!("rss with lists + index: {:.0} MB", rss_mb());
    drop(both);
    let t = Instant::now();
    let s = chipgate_screen_prebuilt::screener(Vec::new())?;
    println!("prebuilt_screener_ms (what the CLI does): {:.1}", ms(t));
    let t = Instant::now();
    let r = s.screen(&Query::name(name.clone()))?;
    println!("first_query_ms (incl. lazy tables): {:.1}", ms(t));
    let t = Instant::now();
    let r2 = s.screen(&Query::name(name.clone()))?;
    println!("second_query_ms: {:.1}", ms(t));
    let t = Instant::now();
    drop(s);
    println!("drop_screener_ms: {:.1}", ms(t));

    let t = Instant::now();
    let set = ListSet::builtin()?;
    println!("slow_parse_lists_ms: {:.1}", ms(t));
    let t = Instant::now();
    let ix = Index::build(&set);
    println!("slow_index_build_ms: {:.1}", ms(t));
    drop(ix);
    let slow = Screener::new(set);
    let r3 = slow.screen(&Query::name(name))?;
    println!(
        "same_answer: {}",
        serde_json::to_string(&r)? == serde_json::to_string(&r3)? && r == r2
    );
    Ok(())
}
