#!/usr/bin/env bash
# Load benchmark of the HTTP API (not a test): builds release, creates a key, starts
# `chipgate serve` on loopback, drives POST /v1/check with scripts/load-bench.rs (std-only,
# compiled with rustc), and prints throughput and p50/p90/p99 latency with every decision
# audited; then stops the server (SIGTERM) and verifies the audit chain.
#
# Usage: scripts/load-bench.sh [connections ...]   (default: 16 64; closed loop, as fast as
#        possible), then an open-loop run at RATE decisions/s (default 5000) on 64 connections
#        (`scripts/load-bench.sh 0` runs only that one; RATE=0 skips it).
# Env:   DURATION (s, default 10), WARMUP (s, default 2), CARGO_TARGET_DIR,
#        SKIP_BUILD=1 (use the release binary already built).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
RATE="${RATE:-5000}"
CONNS=("$@")
[ ${#CONNS[@]} -eq 0 ] && CONNS=(16 64)

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building (release)" >&2
  cargo build --release --quiet -p chipgate
fi
BIN="$TARGET/release/chipgate"
TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
rustc -O --edition 2021 -o "$TMP/load-gen" scripts/load-bench.rs

DB="$TMP/bench.db"
KEY="$("$BIN" keys create --name bench --db "$DB" 2>/dev/null)"
export CHIPGATE_HOME="$TMP/home"   # built-in lists only, reproducible
RUST_LOG=warn "$BIN" serve --addr 127.0.0.1:0 --db "$DB" --max-inflight 1024 > "$TMP/serve.out" 2> "$TMP/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 300); do
  grep -q 'listening on' "$TMP/serve.out" 2>/dev/null && break
  sleep 0.1
done
ADDR="$(sed -n 's|^chipgate listening on http://||p' "$TMP/serve.out" | head -1)"
[ -n "$ADDR" ] || { echo "server did not start:" >&2; cat "$TMP/serve.err" >&2; exit 1; }
echo "== server on $ADDR ($(nproc) cores shared by server and load generator)" >&2

for c in "${CONNS[@]}"; do
  [ "$c" = 0 ] && continue   # `0`: open-loop run only
  "$TMP/load-gen" --addr "$ADDR" --key "$KEY" --connections "$c" --duration "$DURATION" --warmup "$WARMUP"
done
if [ "$RATE" -gt 0 ]; then
  "$TMP/load-gen" --addr "$ADDR" --key "$KEY" --connections 64 --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP"
fi

kill -TERM "$SERVER_PID"; wait "$SERVER_PID"; SERVER_PID=""
echo "== audit log after the run" >&2
"$BIN" audit verify --db "$DB"
ls -l "$DB" | awk '{print "audit db size: " $5 " bytes"}'
