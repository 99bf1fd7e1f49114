#!/usr/bin/env bash
# Measures chipgate-screen against the full 2022 CSL on ONE core, with Python rapidfuzz's
# brute-force token_set_ratio on the same queries as the yardstick, plus quality numbers:
# F1 on the nomenklatura name pairs, cross-script pairs found, alert rate on 20,000 GLEIF names
# and on 5,000 shuffled names of listed people.
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

echo "== quality (builtin lists: CSL 2022 + SDN 2024-05-03 with 2025-12 aliases + non-SDN 2025-12 + Entity List events 2022-12..2025-11)"
"$bin" "$data" all > "$out/eval.txt"
grep -E "^(xs_found|nk_default|nk_split|nk_sweep|gleif_names|gleif_alerts|people_alerts|recall|recall_china|rewritten|compounds|forms|zh_found|zh_heldout_found)" "$out/eval.txt"
RECALL_SEED=424242 "$bin" "$data" recall | grep -E "^recall(_china)?:" | sed 's/^/held-out seed: /'
echo "-- variants beyond the issue's perturbations (abbreviations, transliterations, split/joined words, two typos, dropped words, people reordered or initialled):"
RECALL_MORE=1 "$bin" "$data" recall | grep -E "^recall_more"
# A space added or removed, the words rotated (names read spaced otherwise: respace.rs).
RECALL_SPACING=1 "$bin" "$data" recall | grep -E "^recall_spacing"
# A listed person's given names written as initials (`J.R. Smith`: initials.rs).
RECALL_INITIALS=1 "$bin" "$data" recall | grep -E "^recall_initials"
# A listed person with one more given name, another listed person's (retrieval counts coverage).
RECALL_EXTRA=1 "$bin" "$data" recall | grep -E "^recall_extra"
echo "-- frozen OpenSanctions logic-v2 on the same nomenklatura pairs (its default threshold 0.7):"
python3 - "$data" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(f"{sys.argv[1]}/eval/nomenklatura_name_bench_logicv2_frozen.csv", encoding="utf-8")))
tp = sum(r["is_match"] == "true" and r["predicted_match"] == "true" for r in rows)
fp = sum(r["is_match"] != "true" and r["predicted_match"] == "true" for r in rows)
fn = sum(r["is_match"] == "true" and r["predicted_match"] != "true" for r in rows)
p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
print(f"logicv2_nk: cases={len(rows)} precision={p:.3f} recall={r:.3f} f1={2*p*r/max(1e-9,p+r):.3f}")
PY
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
echo "== yardstick: rapidfuzz token_set_ratio recall@1 on 400 perturbed list names (same generator, seed 20261206)"
"$bin" "$data" dump-recall "$out/recall"
taskset -c 0 python3 - "$out/recall" <<'PY'
import sys
from rapidfuzz import fuzz, process, utils
base = sys.argv[1]
names = [utils.default_process(x) for x in open(f"{base}.names.txt", encoding="utf-8").read().split("\n")]
pairs = [l.split("\t") for l in open(f"{base}.pairs.tsv", encoding="utf-8").read().split("\n") if "\t" in l]
ok = 0
for q, orig in pairs:
    res = process.extract(utils.default_process(q), names, scorer=fuzz.token_set_ratio, processor=None, limit=50)
    if res:
        top = res[0][1]
        ok += any(r[1] >= top and r[0] == utils.default_process(orig) for r in res)
print(f"rapidfuzz_recall_at_1: {ok}/{len(pairs)} ({100 * ok / max(1, len(pairs)):.2f}%)")
PY
