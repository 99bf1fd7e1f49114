#!/usr/bin/env bash
# Cold start of a one-name screen: wall and CPU time of `chipgate screen "Huawei Technologies"`
# (release build, no list store: CHIPGATE_HOME points at an empty directory), against an older
# binary when given, and where the time goes (examples/cold_start of chipgate-screen-prebuilt).
# Usage: scripts/cold-start.sh [BEFORE_BINARY]
#   BEFORE_BINARY: a `chipgate` built from an earlier commit (e.g. main), to compare with.
# Uses hyperfine when installed (apt-get install -y hyperfine), else a loop over `date +%s%N`.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
before="${1:-}"
name="${COLD_START_NAME:-Huawei Technologies}"
runs="${COLD_START_RUNS:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cd "$here"
cargo build --release -p chipgate --bin chipgate -p chipgate-screen-prebuilt --example cold_start
bin="$CARGO_TARGET_DIR/release/chipgate"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export CHIPGATE_HOME="$home"

echo "== binary: $(stat -c %s "$bin") bytes (stripped: $(strip -o "$home/stripped" "$bin" && stat -c %s "$home/stripped") bytes)"
if [ -n "$before" ]; then
  echo "== before: $(stat -c %s "$before") bytes (stripped: $(strip -o "$home/stripped0" "$before" && stat -c %s "$home/stripped0") bytes)"
  if ! cmp -s <("$before" screen "$name" --json) <("$bin" screen "$name" --json); then
    echo "!! the answers differ"; exit 1
  fi
  echo "== same answer before and after"
fi
echo "== load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall times grow with the load; CPU times less)"
if command -v hyperfine >/dev/null; then
  cmds=("$bin screen '$name'" "$bin --version")
  [ -n "$before" ] && cmds+=("$before screen '$name'")
  hyperfine -N --warmup 3 --runs "$runs" "${cmds[@]}"
else
  for b in "$bin" ${before:+"$before"}; do
    total=0
    for _ in $(seq "$runs"); do
      t0=$(date +%s%N); "$b" screen "$name" >/dev/null; t1=$(date +%s%N)
      total=$((total + t1 - t0))
    done
    echo "$b screen '$name': mean $((total / runs / 1000000)) ms over $runs runs"
  done
fi
echo "== CPU time of one run (user + system)"
/usr/bin/time -f "after: %e s wall, %U s user, %S s system, %M KB max RSS" "$bin" screen "$name" >/dev/null
[ -n "$before" ] && /usr/bin/time -f "before: %e s wall, %U s user, %S s system, %M KB max RSS" "$before" screen "$name" >/dev/null
echo "== where the time goes (in-process phases; slow path for comparison)"
"$CARGO_TARGET_DIR/release/examples/cold_start" "$name"
