#!/usr/bin/env bash
# Order-book throughput: generates N synthetic orders (default 10,000,000) with the release
# binary's hidden generator, evaluates them end to end against the baseline and the
# no-april-letter scenario with per-order CSV output, and reports orders per second and the
# peak resident memory (/usr/bin/time -v).
#
#   scripts/orders-bench.sh [N]            (ORDERS_BENCH_DIR=DIR keeps the files there)
set -euo pipefail
N=${1:-10000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p chipgate
BIN=$CARGO_TARGET_DIR/release/chipgate
DIR=${ORDERS_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$DIR"
SCENARIO=scenarios/no-april-letter.toml
[ -f "$SCENARIO" ] || SCENARIO=crates/chipgate/tests/fixtures/no-april-letter.toml

echo "generating $N orders in $DIR/orders.csv"
start=$(date +%s.%N)
"$BIN" orders --generate "$N" "$DIR/orders.csv"
end=$(date +%s.%N)
echo "  $(du -h "$DIR/orders.csv" | cut -f1) in $(echo "$end - $start" | bc) s"

echo "evaluating (baseline + $(basename "$SCENARIO" .toml), per-order CSV, screening on, $(nproc) cores)"
/usr/bin/time -v "$BIN" orders "$DIR/orders.csv" --scenario "$SCENARIO" --out "$DIR/out.csv" \
    --report "$DIR/report.json" --quiet > "$DIR/summary.txt" 2> "$DIR/time.txt"
cat "$DIR/summary.txt"
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$DIR/time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DIR/time.txt")
echo "wall ${secs} s; $(echo "$N / $secs" | bc) orders/s; peak RSS $((rss / 1024)) MB; output $(du -h "$DIR/out.csv" | cut -f1)"
