#!/usr/bin/env bash
# Measure audit group-commit throughput and ack latency (see
# crates/chipgate-audit/examples/audit_bench.rs). Extra args are passed on,
# e.g. scripts/audit-bench.sh --seconds 10 --rate 5000 --submitters 64
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release -q -p chipgate-audit --example audit_bench -- "$@"
