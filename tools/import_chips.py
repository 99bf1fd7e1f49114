#!/usr/bin/env python3
"""Regenerates data/chips/*.toml from the researched reference table (chips.csv).

The TOML files are the catalog chipgate ships; this script only exists so the
conversion is reproducible. Choices made here (documented in docs/metrics.md):
  * TF32 counts as 32-bit (conservative reading of "bit length of the operation").
  * Throughput columns are dense peaks (the reference table already halved sparse figures).
  * Empty cells stay absent (unknown), never zero.
Usage: python3 tools/import_chips.py ../shared/reference/chips.csv data/chips
"""
import csv, sys, os, re, collections

FORMATS = [("fp64_tflops", "fp64", 64), ("fp32_tflops", "fp32", 32), ("tf32_tflops", "tf32", 32),
           ("fp16_tflops", "fp16", 16), ("bf16_tflops", "bf16", 16), ("fp8_tflops", "fp8", 8),
           ("int8_tops", "int8", 8), ("fp4_tflops", "fp4", 4)]
VENDOR_COUNTRY = {"NVIDIA": "US", "AMD": "US", "Intel": "US", "Google": "US", "Amazon AWS": "US",
                  "Tesla": "US", "Apple": "US", "Huawei": "CN", "Cambricon": "CN", "Biren": "CN",
                  "Moore Threads": "CN"}
# Short names that people use for the flagship variant of a family (data, not code).
EXTRA_ALIASES = {
    "A100 SXM4 80GB": ["A100"], "A800 SXM4 80GB": ["A800"], "H100 SXM5 80GB": ["H100"],
    "H800 SXM5": ["H800"], "H200 SXM": ["H200"], "GH200 (Hopper GPU of Grace Hopper)": ["GH200"],
    "Instinct MI308X (China)": ["MI308", "MI308X"], "Instinct MI300X": ["MI300X"],
    "Instinct MI325X": ["MI325X"], "Instinct MI355X": ["MI355X"], "Instinct MI250X": ["MI250X"],
    "Instinct MI210": ["MI210"], "Gaudi 3 (HL-325L OAM)": ["Gaudi 3", "Gaudi3"], "Gaudi 2": ["Gaudi2"],
    "GeForce RTX 4090": ["RTX 4090", "4090"], "GeForce RTX 4090 D": ["RTX 4090D", "4090D"],
    "GeForce RTX 5090": ["RTX 5090"], "GeForce RTX 5090 D": ["RTX 5090D"],
    "GeForce RTX 5090 D V2": ["RTX 5090D V2"], "RTX PRO 6000D / 'RTX 6000D' (China, B40 reports)": ["RTX PRO 6000D", "RTX 6000D", "B40"],
    "RTX PRO 6000 Blackwell (Workstation/Server)": ["RTX PRO 6000"], "B300 (Blackwell Ultra)": ["B300"],
    "GB300 (per Blackwell Ultra GPU)": ["GB300"], "GB200 (per Blackwell GPU)": ["GB200"],
    "B30A (reported China Blackwell)": ["B30A"], "MLU290-M5 (Siyuan 290)": ["MLU290"],
    "Trainium (Trn1)": ["Trainium1", "Trn1"], "D1 (Dojo)": ["Dojo D1"],
}
# Values the reference marks as too weak to use: kept in notes, not in the data.
TREAT_AS_UNKNOWN = {"Instinct MI308X (China)": ["throughput"]}
# PCIe-only cards with no chip-to-chip link: their only I/O is the host interface, which the 2025 letters'
# I/O test reads. Bidirectional x16 bandwidth: PCIe 4.0 ≈ 64 GB/s, PCIe 5.0 ≈ 128 GB/s (data, with a source).
HOST_INTERFACE = {
    "L2": (64, "PCIe 4.0 x16", "https://viperatech.com/shop/nvidia-l2-pcie/"),
    "L20": (64, "PCIe 4.0 x16", "https://www.techpowerup.com/gpu-specs/l20.c4206"),
    "RTX 6000 Ada Generation": (64, "PCIe 4.0 x16", "https://www.techpowerup.com/gpu-specs/rtx-6000-ada-generation.c3933"),
}
# The source for "designed or marketed for datacenters", per chip, when it is not the first source (which is
# the vendor's product page, datasheet or the spec database that names the market segment).
DATACENTER_SOURCE = {
    "RTX 6000 Ada Generation": "https://epoch.ai/data/machine-learning-hardware",
}
# Every fact a rule tests is either a sourced value or carries a reason it is unknown (`unknown = {…}`).
# Chip-specific reasons first; the defaults say what the reference table lacks and what the answer does.
RULE_FACTS = ["tpp", "die_area_mm2", "memory_bw_gbs", "interconnect_bw_gbs", "transistors_billion",
              "memory_type", "advanced_logic"]
DEFAULT_REASON = {
    "tpp": "no dense throughput or stated TPP in the sources used; classification is answered conservatively and flagged",
    "die_area_mm2": "die area not published (or not captured) in the sources used; performance density is unknown and the answer says whether it matters",
    "memory_bw_gbs": "memory bandwidth not captured in the sources used; tests that need it (2025 letters, 2026 review policy) are answered conservatively",
    "interconnect_bw_gbs": "chip-to-chip link bandwidth not published or not verified in the sources used; the 2022 I/O test and the 2025 letters' I/O test are answered conservatively",
    "transistors_billion": "transistor count not published in the sources used; matters only for the foundry/OSAT presumption (answered conservatively)",
    "memory_type": "memory type not captured in the sources used; matters only for the foundry/OSAT presumption's HBM test",
    "advanced_logic": "process node not recorded in the reference table; matters only for the foundry/OSAT presumption (front-end fabricators and OSATs), which is answered conservatively",
}
UNKNOWN_REASON = {
    ("Instinct MI308X (China)", "tpp"): "AMD never published specifications; TechPowerUp's 653.7 FP16 TFLOPS (TPP about 10,459) contradicts the MI308 shipping to China without a licence until April 2025 (with the listed die area that history implies TPP < 2,400), so the figure is not used (docs/DECISIONS.md)",
    ("Instinct MI308X (China)", "memory_bw_gbs"): "TechPowerUp's 10.3 TB/s is implausible next to the MI300X's 5.3 TB/s and is not used; the April 2025 letter to AMD names the MI308 anyway",
    ("A30", "interconnect_bw_gbs"): "NVLink bridge reportedly 200 GB/s but not verified in the sources used; host link PCIe 4.0 x16",
    ("H100 NVL (per GPU)", "interconnect_bw_gbs"): "NVLink bridge (600 GB/s reported) not verified in the sources used",
    ("GeForce RTX 3090", "interconnect_bw_gbs"): "an NVLink bridge exists for the RTX 3090 but its bandwidth was not captured",
    ("Instinct MI210", "interconnect_bw_gbs"): "three Infinity Fabric links; bandwidth not captured in the sources used",
    ("Instinct MI300X", "interconnect_bw_gbs"): "Infinity Fabric link bandwidth not captured in the sources used",
    ("Instinct MI325X", "interconnect_bw_gbs"): "Infinity Fabric link bandwidth not captured in the sources used",
    ("Instinct MI355X", "interconnect_bw_gbs"): "Infinity Fabric link bandwidth not captured in the sources used",
}
# Stated figures from reference/thresholds.json (reference_chip_values) for chips without throughput.
STATED_TPP = {"GeForce RTX 4090 D": (4707, "https://www.tomshw.it/hardware/anche-la-rtx-4090d-e-illegale-gli-usa-vietano-le-gpu-sopra-i-70-teraflops-in-cina-2024-04-04")}

def q(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', ' ') + '"'

def num(s):
    f = float(s)
    return str(int(f)) if f == int(f) and abs(f) < 1e15 else repr(f)

def main(src, outdir):
    rows = list(csv.DictReader(open(src, encoding="utf-8")))
    by_vendor = collections.OrderedDict()
    for r in rows:
        by_vendor.setdefault(r["vendor"], []).append(r)
    os.makedirs(outdir, exist_ok=True)
    for vendor, chips in by_vendor.items():
        slug = re.sub(r"[^a-z0-9]+", "-", vendor.lower()).strip("-")
        out = [f"# {vendor} chips. Generated by tools/import_chips.py from the reference table; edit the table, not this file.",
               "# Every value cites `source` (an index into `sources`, 0-based); values absent here are unknown.", ""]
        for r in chips:
            name = r["model"]
            sources = [s for s in r["sources"].split(";") if s.strip()]
            out.append("[[chip]]")
            out.append(f"name = {q(name)}")
            out.append(f"vendor = {q(vendor)}")
            out.append(f"vendor_country = {q(VENDOR_COUNTRY.get(vendor, 'US'))}")
            base = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
            aliases = []
            if base != name:
                aliases.append(base)
            aliases += EXTRA_ALIASES.get(name, [])
            if aliases:
                out.append("aliases = [" + ", ".join(q(a) for a in aliases) + "]")
            out.append(f"year = {int(r['year'])}")
            out.append(f"datacenter = {r['datacenter'].strip().lower()}")
            dc_url = DATACENTER_SOURCE.get(name)
            if dc_url and dc_url not in [x.strip() for x in sources]:
                sources.append(dc_url)
            dc_idx = [x.strip() for x in sources].index(dc_url) if dc_url else 0
            out.append(f"datacenter_source = {dc_idx}")
            for col, key in [("die_area_mm2", "die_area_mm2"), ("transistors_billion", "transistors_billion"),
                             ("memory_gb", "memory_gb"), ("memory_bw_gbs", "memory_bw_gbs"),
                             ("interconnect_bw_gbs", "interconnect_bw_gbs")]:
                if r[col].strip():
                    out.append(f"{key} = {{ value = {num(r[col])}, source = 0 }}")
                elif key == "interconnect_bw_gbs" and name in HOST_INTERFACE:
                    gbs, link, url = HOST_INTERFACE[name]
                    if url not in [x.strip() for x in sources]:
                        sources.append(url)
                    idx = [x.strip() for x in sources].index(url)
                    out.append(f"{key} = {{ value = {gbs}, source = {idx} }}")
            if r["dies"].strip():
                out.append(f"dies = {int(float(r['dies']))}")
            if r["memory_type"].strip():
                out.append(f"memory_type = {q(r['memory_type'])}")
            if r["stated_tpp"].strip():
                out.append(f"stated_tpp = {{ value = {num(r['stated_tpp'])}, source = 0 }}")
            elif name in STATED_TPP:
                v, url = STATED_TPP[name]
                sources.append(url)
                out.append(f"stated_tpp = {{ value = {v}, source = {len(sources)-1} }}")
            if r["stated_pd"].strip():
                out.append(f"stated_pd = {{ value = {num(r['stated_pd'])}, source = 0 }}")
            out.append("sources = [" + ", ".join(q(s.strip()) for s in sources) + "]")
            present = {
                "tpp": any(r[col].strip() for col, _, _ in FORMATS) and "throughput" not in TREAT_AS_UNKNOWN.get(name, [])
                       or bool(r["stated_tpp"].strip()) or name in STATED_TPP,
                "die_area_mm2": bool(r["die_area_mm2"].strip()),
                "memory_bw_gbs": bool(r["memory_bw_gbs"].strip()),
                "interconnect_bw_gbs": bool(r["interconnect_bw_gbs"].strip()) or name in HOST_INTERFACE,
                "transistors_billion": bool(r["transistors_billion"].strip()),
                "memory_type": bool(r["memory_type"].strip()),
                "advanced_logic": False,
            }
            reasons = [(f, UNKNOWN_REASON.get((name, f), DEFAULT_REASON[f])) for f in RULE_FACTS if not present[f]]
            if reasons:
                out.append("unknown = { " + ", ".join(f"{f} = {q(why)}" for f, why in reasons) + " }")
            notes = r["notes"]
            if name in HOST_INTERFACE:
                gbs, link, _ = HOST_INTERFACE[name]
                notes += f" [chipgate: no chip-to-chip link; interconnect_bw_gbs = host interface {link}, about {gbs} GB/s bidirectional]"
            if "throughput" in TREAT_AS_UNKNOWN.get(name, []):
                dropped = ", ".join(f"{fmt} {r[col]}" for col, fmt, _ in FORMATS if r[col].strip())
                notes += f" [chipgate: throughput treated as unknown per the reference's weakest-row list; dropped figures: {dropped}]"
            out.append(f"notes = {q(notes)}")
            if "throughput" not in TREAT_AS_UNKNOWN.get(name, []):
                for col, fmt, bits in FORMATS:
                    if r[col].strip():
                        out.append("[[chip.throughput]]")
                        out.append(f"format = {q(fmt)}")
                        out.append(f"bits = {bits}")
                        out.append(f"tops = {num(r[col])}")
                        out.append("source = 0")
            out.append("")
        with open(os.path.join(outdir, f"{slug}.toml"), "w", encoding="utf-8") as f:
            f.write("\n".join(out))
    print(f"wrote {len(rows)} chips in {len(by_vendor)} files")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
