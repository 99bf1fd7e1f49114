#!/usr/bin/env bash
# Reproducible throughput figures for chipgate (run on an idle machine; numbers go in the notes).
#   scripts/bench.sh            all of them
#   scripts/bench.sh core       classifications and decisions per second (criterion)
# The screening, order-book and HTTP benchmarks have their own scripts, called from here.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
if [[ "$what" == all || "$what" == core ]]; then
  echo "== core: classify / check (criterion)"
  cargo bench -p chipgate-core --bench decide -- --warm-up-time 2 --measurement-time 5 2>&1 | python3 -c '
import re, sys
name = None
for line in sys.stdin:
    if re.match(r"^(classify|check)", line):
        name = line.split("  ")[0].strip()
    m = re.search(r"time:\s+\[[0-9.]+ \S+ ([0-9.]+) (ns|µs|ms)", line)
    if m and name:
        v, u = float(m.group(1)), m.group(2)
        s = v / {"ns": 1e9, "µs": 1e6, "ms": 1e3}[u]
        print(f"{name:<45} median {v:8.2f} {u}  ({1/s:,.0f} per second on one core)")
        name = None
'
fi
if [[ "$what" == all || "$what" == screen ]] && [[ -x scripts/screen-bench.sh ]]; then
  echo "== screening"; scripts/screen-bench.sh
fi
if [[ "$what" == all || "$what" == orders ]] && [[ -x scripts/orders-bench.sh ]]; then
  echo "== order books"; scripts/orders-bench.sh
fi
if [[ "$what" == all || "$what" == http ]] && [[ -x scripts/load-bench.sh ]]; then
  echo "== HTTP API"; scripts/load-bench.sh
fi
