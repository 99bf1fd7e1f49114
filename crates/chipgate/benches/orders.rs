//! Criterion bench of the order-book hot path: 100,000 generated orders evaluated end to end
//! (parse, look up the distinct question, format the result line), caches warm per iteration.

#![expect(clippy::unwrap_used, reason = "benchmark setup stops by unwrapping")]

use chipgate_cli::orders::{self, Config};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("orders.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&book).unwrap());
    orders::generate::write_orders(&mut w, 100_000, 3).unwrap();
    drop(w);
    let mut cfg = Config::new(&book);
    cfg.out = Some(dir.path().join("out.csv"));
    cfg.echo_rejects = false;
    let engines = orders::engines(&cfg).unwrap();
    let cx = chipgate_cli::screening::PartyContext::build(None, None, false).unwrap();
    let mut g = c.benchmark_group("orders");
    g.sample_size(10);
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("evaluate 100k orders", |b| {
        b.iter(|| orders::evaluate_with(&cfg, &engines, &cx).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
