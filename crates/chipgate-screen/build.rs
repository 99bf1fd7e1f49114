//! Fingerprint of everything an index snapshot depends on: this crate's sources, its tables
//! (`data/`) and the embedded list files (`../../data/lists`). Exposed as
//! `CHIPGATE_SCREEN_FINGERPRINT`; a snapshot made from other code or data is refused on load.

use std::path::{Path, PathBuf};

const ROOTS: [&str; 3] = ["src", "data", "../../data/lists"];

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// FNV-1a, 64 bits.
fn fnv(h: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *h ^= u64::from(b);
        *h = h.wrapping_mul(0x0100_0000_01b3);
    }
}

fn main() {
    let mut files = Vec::new();
    for r in ROOTS {
        println!("cargo:rerun-if-changed={r}");
        collect(Path::new(r), &mut files);
    }
    files.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        fnv(&mut h, f.to_string_lossy().as_bytes());
        fnv(&mut h, &[0]);
        match std::fs::read(f) {
            Ok(b) => {
                fnv(&mut h, &(b.len() as u64).to_le_bytes());
                fnv(&mut h, &b);
            }
            Err(_) => fnv(&mut h, b"unreadable"),
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-env=CHIPGATE_SCREEN_FINGERPRINT={h:016x}");
}
