#!/usr/bin/env python3
"""Rows per second of `chipgate.check_frame` beside `chipgate orders` on the same book.

Generates N synthetic orders (default 100,000) with the binary's hidden generator, then times,
best of R runs (default 3), against the baseline and the no-april-letter scenario with
screening on: the CLI end to end (`orders FILE --scenario … --out x.csv`), and `check_frame`
on the book already in a DataFrame (frame in, frame out), its engine loaded by a warm-up call
as in a notebook. Checks that both give the same decisions.

    python scripts/python-bench.py [N] [R]     (CHIPGATE_BIN=… names the binary; the chipgate
                                                package must be installed in this Python)
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import chipgate

ROOT = Path(__file__).resolve().parents[1]
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
R = int(sys.argv[2]) if len(sys.argv) > 2 else 3
BIN = os.environ.get("CHIPGATE_BIN", str(ROOT / "target" / "release" / "chipgate"))
SCENARIO = ROOT / "scenarios" / "no-april-letter.toml"


def best(f):
    times = []
    for _ in range(R):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


with tempfile.TemporaryDirectory() as d:
    book, out = Path(d, "orders.csv"), Path(d, "out.csv")
    subprocess.run([BIN, "orders", "--generate", str(N), "--seed", "7", str(book)], check=True)
    cli = best(lambda: subprocess.run(
        [BIN, "orders", str(book), "--scenario", str(SCENARIO), "--out", str(out), "--quiet"],
        check=True, stdout=subprocess.DEVNULL))
    frame = pd.read_csv(book, dtype=str, keep_default_na=False)
    chipgate.check_frame(frame.head(10), scenario=str(SCENARIO))  # loads rulebook and lists
    py = best(lambda: chipgate.check_frame(frame, scenario=str(SCENARIO)))
    got = chipgate.check_frame(frame, scenario=str(SCENARIO))
    want = pd.read_csv(out, dtype=str, keep_default_na=False)
    cols = [c for c in want.columns if c.startswith("decision")]
    same = all(got[c].fillna("").tolist() == want[c].tolist() for c in cols)
    print(f"{N:,} orders, {os.cpu_count()} cores, best of {R}")
    print(f"  chipgate orders (file in, file out): {cli:.3f} s  {N / cli:,.0f} rows/s")
    print(f"  chipgate.check_frame (frame in/out): {py:.3f} s  {N / py:,.0f} rows/s")
    print(f"  same decisions: {same}")
