//! Criterion benchmarks: index build over the 2022 CSL and single-query screening latency.

use chipgate_screen::builtin::builtin_csl;
use chipgate_screen::{ListSet, Query, Screener};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

/// The allocator of the `chipgate` binary, the server and the Python package: throughput is
/// measured as it ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const QUERIES: &[&str] = &[
    "Huawei Technologies Co Ltd",
    "华为技术有限公司",
    "Rosoboronexprt",
    "Fidelity Advisor Leveraged Company Stock Fund",
    "Vanguard Russell 1000 Growth Index Trust",
    "Kim Jong Un",
    "Bank Mellat",
    "Acme Precision Machining GmbH",
];

fn benches(c: &mut Criterion) {
    let Ok(csl) = builtin_csl() else { return };
    let set = ListSet::new(vec![csl]);
    c.bench_function("index_build_csl_2022", |b| {
        b.iter(|| Screener::new(black_box(set.clone())))
    });
    let Ok(all) = ListSet::builtin() else { return };
    let s = Screener::new(all);
    let qs: Vec<Query> = QUERIES.iter().map(|n| Query::name(*n)).collect();
    c.bench_function("screen_8_queries_all_builtin_lists", |b| {
        b.iter(|| {
            for q in &qs {
                let _ = black_box(s.screen(black_box(q)));
            }
        })
    });
}

criterion_group! {
    name = g;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(g);
