#!/usr/bin/env bash
# Measures chipgate-screen against the full 2022 CSL on ONE core, with Python rapidfuzz's
# brute-force token_set_ratio on the same queries as the yardstick, plus quality numbers:
# F1 on the nomenklatura name pairs, cross-script pairs found, alert rate on 20,000 GLEIF names.
# Usage: scripts/screen-bench.sh [DATA_DIR] [RAPIDFUZZ_QUERIES]   (default ../shared/data, 1000)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-$here/../shared/data}"
rf_n="${2:-1000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-screen}"
out="${SCREEN_BENCH_OUT:-$here/target-screen-bench}"
mkdir -p "$out"
cd "$here"
cargo build --release -p chipgate-screen --example screen_eval >/dev/null 2>&1 || cargo build --release -p chipgate-screen --example screen_eval
bin="$CARGO_TARGET_DIR/release/examples/screen_eval"

echo "== chipgate-screen, one core (taskset -c 0), full 2022 CSL"
taskset -c 0 "$bin" "$data" bench | tee "$out/bench.txt"
/usr/bin/time -v taskset -c 0 "$bin" "$data" bench 2> "$out/time.txt" >/dev/null || true
grep -E "Maximum resident" "$out/time.txt" | sed 's/^\s*/process_/' || true

echo "== quality (builtin lists: CSL 2022 + SDN 2024-05-03 + non-SDN 2025-12)"
"$bin" "$data" all > "$out/eval.txt"
grep -E "^(xs_found|nk_default|nk_split|nk_sweep|gleif_names|gleif_alerts)" "$out/eval.txt"
echo "-- cross-script pairs missed:"; grep "xs_pair: MISSED" "$out/eval.txt" || true
echo "-- GLEIF names that alerted (first 60; all in $out/eval.txt):"; grep "gleif_alert:" "$out/eval.txt" > "$out/gleif_alerts.txt" || true; sed -n 1,60p "$out/gleif_alerts.txt"

echo "== yardstick: rapidfuzz token_set_ratio brute force, one core, same queries"
"$bin" "$data" dump "$out/queries.txt"
python3 -m pip install -q rapidfuzz >/dev/null 2>&1 || python3 -m pip install -q --break-system-packages rapidfuzz >/dev/null 2>&1 || true
taskset -c 0 python3 - "$data" "$out/queries.txt" "$rf_n" <<'PY'
import csv, sys, time
from rapidfuzz import fuzz, process, utils
data, qfile, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = time.perf_counter()
names = [r["full_name"] for r in csv.DictReader(open(f"{data}/lists/csl/csl_flattened_2022-05-05_from_SanctionToolkit.csv", encoding="utf-8"))]
choices = [utils.default_process(x) for x in names]
print(f"rapidfuzz_names: {len(names)}")
print(f"rapidfuzz_prep_s: {time.perf_counter() - t:.3f}")
queries = [q for q in open(qfile, encoding="utf-8").read().split("\n") if q][:n]
t = time.perf_counter()
alerts = 0
for q in queries:
    best = process.extractOne(utils.default_process(q), choices, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=90)
    if best:
        alerts += 1
dt = time.perf_counter() - t
print(f"rapidfuzz_queries: {len(queries)}")
print(f"rapidfuzz_qps_one_core: {len(queries) / dt:.0f}")
print(f"rapidfuzz_alerts_at_90: {alerts} ({100 * alerts / max(1, len(queries)):.2f}%)")
PY
