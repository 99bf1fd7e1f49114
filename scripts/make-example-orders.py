#!/usr/bin/env python3
"""Writes examples/orders-2025.csv: a fictional but realistically shaped order book for
`chipgate orders` (real chips and company names, invented order ids and quantities).

Deterministic (fixed seed). Shape: a surge of H20 orders from Chinese groups and their overseas
subsidiaries in H1 2025 (the April 2025 letter's impact), older A800/H800 orders from 2023,
China-specific L20 / RTX 4090 D / MI308X parts, H200 to China in 2026, and H100/H200 orders from
non-Chinese buyers around the world. buyer_hq is left blank on some subsidiary rows on purpose:
examples/parties-2025.csv supplies the headquarters and the parent for grouping.

    python3 scripts/make-example-orders.py > examples/orders-2025.csv
"""
import csv
import datetime as dt
import random
import sys

R = random.Random(2025)

PRICE = {"H20": 12000, "H100": 30000, "H200": 32000, "A800": 14000, "H800": 25000,
         "L20": 7000, "RTX 4090 D": 1800, "MI308X": 11000, "B200": 38000, "L40S": 9000}

# buyer, hq (None = leave blank, the parties file knows), destinations
CN_GROUPS = [
    ("ByteDance Ltd.", "CN", ["CN"]),
    ("ByteDance Pte. Ltd.", None, ["SG", "MY"]),
    ("Beijing Volcano Engine Technology Co., Ltd.", "CN", ["CN"]),
    ("Alibaba Group Holding Limited", "CN", ["CN"]),
    ("Alibaba Cloud (Singapore) Private Limited", None, ["SG", "MY"]),
    ("Alibaba Cloud Computing Ltd.", "CN", ["CN"]),
    ("Tencent Holdings Limited", "CN", ["CN"]),
    ("Tencent Cloud Europe B.V.", "CN", ["DE", "NL"]),
    ("Baidu, Inc.", "CN", ["CN"]),
    ("Kuaishou Technology", "CN", ["CN"]),
    ("JD.com, Inc.", "CN", ["CN"]),
]
OTHERS = [
    ("Microsoft Corporation", "US", ["US", "IE", "IN"]),
    ("Meta Platforms, Inc.", "US", ["US", "SG"]),
    ("Oracle Corporation", "US", ["US", "JP"]),
    ("G42", "AE", ["AE"]),
    ("Reliance Jio Infocomm Limited", "IN", ["IN"]),
    ("Yotta Data Services", "IN", ["IN"]),
    ("FPT Corporation", "VN", ["VN"]),
    ("YTL Power International Berhad", "MY", ["MY"]),
    ("Deutsche Telekom AG", "DE", ["DE"]),
    ("Nebius Group N.V.", "NL", ["NL", "FI"]),
]
END_USES = ["cloud inference", "cloud", "recommendation systems", "training", ""]

rows = []


def day(a, b):
    a, b = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    return a + dt.timedelta(days=R.randrange((b - a).days + 1))


def add(date, chip, qty, buyer, hq, dest, exporter=""):
    price = PRICE[chip] * R.choice([0.95, 1.0, 1.0, 1.05])
    rows.append([date.isoformat(), chip, qty, f"{price:.0f}", dest, buyer, hq or "", R.choice(END_USES), exporter])


# H20 wave: H1 2025 heavy (Q2 the peak after Q1 orders), tail to 2025-12.
for _ in range(520):
    b, hq, dests = R.choice(CN_GROUPS)
    d = day("2025-01-06", "2025-06-30") if R.random() < 0.85 else day("2025-07-01", "2025-12-15")
    if R.random() < 0.55 and d < dt.date(2025, 4, 9):
        d = day("2025-04-09", "2025-06-30")
    add(d, "H20", R.randrange(1000, 5001, 8), b, hq, R.choice(dests))
# H20 before the wave (2024) and to non-Chinese buyers.
for _ in range(90):
    b, hq, dests = R.choice(CN_GROUPS)
    add(day("2024-01-15", "2024-12-20"), "H20", R.randrange(200, 2001, 8), b, hq, R.choice(dests))
for _ in range(30):
    b, hq, dests = R.choice(OTHERS)
    add(day("2024-06-01", "2026-03-31"), "H20", R.randrange(64, 1025, 8), b, hq, R.choice(dests))
# A800 / H800 to China in 2023 (before and after the October 2023 rule).
for _ in range(90):
    b, hq, dests = R.choice(CN_GROUPS)
    add(day("2023-01-09", "2023-12-15"), R.choice(["A800", "H800"]), R.randrange(200, 3001, 8), b, hq, R.choice(dests))
# China-specific parts.
for _ in range(120):
    b, hq, dests = R.choice(CN_GROUPS)
    chip = R.choice(["L20", "RTX 4090 D", "MI308X"])
    add(day("2024-02-01", "2026-05-31"), chip, R.randrange(100, 4001, 8), b, hq, R.choice(dests), "AMD" if chip == "MI308X" else "")
# H200 to China in 2026.
for _ in range(40):
    b, hq, dests = R.choice(CN_GROUPS)
    add(day("2025-12-10", "2026-06-30"), "H200", R.randrange(100, 2001, 8), b, hq, R.choice(dests))
# The rest of the world.
for _ in range(330):
    b, hq, dests = R.choice(OTHERS)
    add(day("2023-02-01", "2026-06-30"), R.choice(["H100", "H200", "B200", "L40S", "H100"]), R.randrange(64, 8001, 8), b, hq, R.choice(dests))

rows.sort(key=lambda r: r[0])
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["order_id", "date", "chip", "quantity", "unit_price_usd", "ship_to", "buyer", "buyer_hq", "end_use", "exporter"])
for i, r in enumerate(rows, 1):
    w.writerow([f"PO-{r[0][:4]}-{i:05d}"] + r)
