//! Synthetic order books for benchmarks and scale tests: deterministic (seeded xorshift),
//! fast (millions of rows per second), realistic in shape — catalog chips, buyers with their
//! headquarters, their usual destinations, dates from 2023 to 2026, prices per chip.

use std::io::Write;

/// (chip, unit price USD)
const CHIPS: &[(&str, u32)] = &[
    ("H20", 12_000),
    ("H100", 30_000),
    ("H200", 32_000),
    ("A800", 14_000),
    ("L20", 7_000),
    ("RTX 4090 D", 1_800),
    ("MI308X", 11_000),
    ("A100", 15_000),
    ("H800", 25_000),
    ("L40S", 9_000),
];

/// (buyer, headquarters, destinations)
const BUYERS: &[(&str, &str, &[&str])] = &[
    ("ByteDance Ltd.", "CN", &["CN"]),
    ("ByteDance Pte. Ltd.", "CN", &["SG", "MY"]),
    ("Alibaba Group Holding Ltd.", "CN", &["CN"]),
    ("Alibaba Cloud (Singapore) Pte. Ltd.", "CN", &["SG", "MY"]),
    ("Tencent Holdings Ltd.", "CN", &["CN"]),
    ("Tencent Cloud Europe B.V.", "CN", &["DE", "NL"]),
    ("Baidu Inc.", "CN", &["CN"]),
    ("Microsoft Corporation", "US", &["US", "IE", "IN"]),
    ("Meta Platforms Inc.", "US", &["US", "SG"]),
    ("G42 Cloud", "AE", &["AE"]),
    ("Reliance Jio Infocomm", "IN", &["IN"]),
    ("FPT Smart Cloud", "VN", &["VN"]),
    ("YTL Power International", "MY", &["MY"]),
    ("Deutsche Telekom AG", "DE", &["DE"]),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Days from 2023-01-01 to 2026-06-30.
const DAYS: u64 = 1277;

/// Writes `n` synthetic orders as CSV (with header).
pub fn write_orders<W: Write>(w: &mut W, n: u64, seed: u64) -> std::io::Result<()> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    // Dates are precomputed as text.
    let dates: Vec<String> = (0..DAYS)
        .map(|d| (start + chrono::Duration::days(d as i64)).to_string())
        .collect();
    writeln!(
        w,
        "order_id,date,chip,quantity,unit_price_usd,ship_to,buyer,buyer_hq,end_use,exporter"
    )?;
    let mut line = Vec::with_capacity(160);
    for i in 0..n {
        let (chip, price) = CHIPS[rng.below(CHIPS.len() as u64) as usize];
        let (buyer, hq, dests) = BUYERS[rng.below(BUYERS.len() as u64) as usize];
        let dest = dests[rng.below(dests.len() as u64) as usize];
        let date = &dates[rng.below(DAYS) as usize];
        let qty = 8 * (1 + rng.below(512));
        let quoted = buyer.contains(',');
        line.clear();
        write!(line, "SYN-{i:09},{date},{chip},{qty},{price},{dest},")?;
        if quoted {
            write!(line, "\"{buyer}\"")?;
        } else {
            line.extend_from_slice(buyer.as_bytes());
        }
        writeln!(line, ",{hq},cloud,")?;
        w.write_all(&line)?;
    }
    Ok(())
}
