//! Order-book parsing never panics and never loses a row: arbitrary bytes, and plausible rows
//! with random damage, always give rows read = orders evaluated + rows rejected.

#![expect(clippy::unwrap_used, reason = "tests fail by unwrapping")]

use chipgate_cli::orders::{evaluate_with, Config};
use chipgate_cli::screening::PartyContext;
use chipgate_core::Engine;
use proptest::prelude::*;
use std::io::Write;
use std::sync::OnceLock;

fn engines() -> &'static Vec<Engine> {
    static E: OnceLock<Vec<Engine>> = OnceLock::new();
    E.get_or_init(|| vec![chipgate_cli::data::engine(None, &[]).unwrap()])
}

fn run(bytes: &[u8], ext: &str) -> Result<chipgate_cli::orders::Report, String> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(format!("book.{ext}"));
    std::fs::File::create(&input)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    let mut cfg = Config::new(&input);
    cfg.progress = false;
    cfg.echo_rejects = false;
    cfg.chunk_rows = 7;
    evaluate_with(&cfg, engines(), &PartyContext::default()).map_err(|e| e.to_string())
}

const GOOD: &str = "order_id,date,chip,quantity,unit_price_usd,ship_to,buyer,buyer_hq\n";
const ROWS: &[&str] = &[
    "A1,2025-05-01,H20,10,12000,CN,ByteDance Ltd.,CN",
    "A2,2024-06-01,H100,5,30000,DE,Siemens AG,DE",
    "A3,2025-05-01,\"NVIDIA H20 (HGX)\",1,1,MY,\"Alibaba, Cloud\",CN",
    "A4,2026-01-20,H200,3,,CN,,",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), jsonl in any::<bool>()) {
        let _ = run(&bytes, if jsonl { "jsonl" } else { "csv" });
    }

    #[test]
    fn damaged_rows_are_counted_not_lost(picks in prop::collection::vec((0usize..4, 0usize..6, any::<u8>()), 1..25)) {
        let mut text = String::from(GOOD);
        for (row, damage, byte) in &picks {
            let mut r = ROWS[*row].to_string();
            match damage {
                0 => {}
                1 => r = r.replacen("2025", "2025-13", 1),
                2 => r = r.replacen(",CN", ",XX", 1),
                3 => r.push_str(",extra,fields"),
                4 => r = r.replacen(",10,", ",-10,", 1),
                _ => {
                    let at = (*byte as usize) % r.len().max(1);
                    // Any printable byte but a double quote (a stray quote legitimately joins
                    // lines into one CSV record; the invariant below still holds for it).
                    let c = char::from(*byte % 94 + 33);
                    if r.is_char_boundary(at) && c != '"' { r.insert(at, c); }
                }
            }
            text.push_str(&r);
            text.push('\n');
        }
        let rep = run(text.as_bytes(), "csv").map_err(TestCaseError::fail)?;
        prop_assert_eq!(rep.stats.rows_read, picks.len() as u64, "{}", text);
        prop_assert_eq!(rep.stats.rows_read, rep.stats.orders_evaluated + rep.stats.rejected);
    }
}
