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
  cargo bench -p chipgate-core --bench decide -- --warm-up-time 2 --measurement-time 5 2>&1 | grep -E "^(classify|check)|time:" \
    | paste - - | awk '{ name=$0; sub(/ +time:.*/, "", name); match($0, /\[([0-9.]+) ([µnm]s) ([0-9.]+) ([µnm]s)/, m);
        v=m[3]; u=m[4]; s=(u=="ns")?v/1e9:(u=="µs")?v/1e6:v/1e3; printf "%-45s %10.2f %s  (%.0f per second per core)\n", name, v, u, 1/s }'
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
