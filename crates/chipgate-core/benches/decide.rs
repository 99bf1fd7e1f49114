//! Classifications and licence decisions per second (criterion): a catalog chip, a user spec,
//! and a full licence check with screening facts already known.

#![expect(clippy::unwrap_used, reason = "benchmark setup stops by unwrapping")]

#[path = "../tests/common.rs"]
mod common;

use chipgate_core::license::Question;
use chipgate_core::rules::View;
use chipgate_core::spec::ChipSpec;
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let e = common::engine();
    let date = NaiveDate::from_ymd_opt(2025, 4, 20).unwrap();
    let h20 = e.catalog.find("H20").unwrap().clone();
    let spec = ChipSpec::from_json(r#"{"name":"my chip","vendor":"Me","datacenter":true,"throughput":[{"bits":8,"tops":700},{"bits":16,"tops":350}],"die_area_mm2":600,"memory_bw_gbs":3000}"#).unwrap();
    c.bench_function("classify catalog chip (H20)", |b| {
        b.iter(|| e.classify(black_box(&h20), date, View::Enforced).unwrap())
    });
    c.bench_function("classify spec", |b| {
        b.iter(|| e.classify(black_box(&spec), date, View::Enforced).unwrap())
    });
    let q = Question {
        spec: h20.clone(),
        destination: e.countries.destination("to", "MY").ok(),
        buyer: Some("ByteDance Pte. Ltd.".into()),
        buyer_hq: Some("CN".into()),
        ..Default::default()
    };
    c.bench_function("check H20 → MY, buyer HQ CN", |b| {
        b.iter(|| e.check(black_box(&q), date, View::Enforced).unwrap())
    });
    let q2 = Question {
        destination: e.countries.destination("to", "DE").ok(),
        buyer_hq: Some("DE".into()),
        ..q.clone()
    };
    c.bench_function("check_brief H20 → MY (order-book path)", |b| {
        b.iter(|| e.check_brief(black_box(&q), date, View::Enforced).unwrap())
    });
    c.bench_function("check H20 → DE, law view", |b| {
        b.iter(|| e.check(black_box(&q2), date, View::Law).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
