//! The built-in chip catalog and forgiving name lookup: `H20`, `nvidia h20` and
//! `NVIDIA H20 (HGX)` all find the same chip; an ambiguous or unknown name gets the closest
//! candidates instead of a guess.

use crate::error::{line_of, DataError, DataErrors, InputError};
use crate::spec::{ChipSpec, Throughput};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    chip: Vec<RawChip>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sourced {
    value: f64,
    source: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThroughput {
    format: String,
    bits: u32,
    tops: f64,
    source: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChip {
    name: toml::Spanned<String>,
    vendor: String,
    #[serde(default)]
    vendor_country: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    year: Option<i32>,
    datacenter: Option<bool>,
    /// Which source says the chip is (or is not) designed or marketed for datacenters.
    #[serde(default)]
    datacenter_source: Option<usize>,
    #[serde(default)]
    die_area_mm2: Option<Sourced>,
    #[serde(default)]
    transistors_billion: Option<Sourced>,
    #[serde(default)]
    memory_gb: Option<Sourced>,
    #[serde(default)]
    memory_bw_gbs: Option<Sourced>,
    #[serde(default)]
    interconnect_bw_gbs: Option<Sourced>,
    #[serde(default)]
    hbm_stack_area_mm2: Option<Sourced>,
    #[serde(default)]
    dies: Option<u32>,
    #[serde(default)]
    memory_type: Option<String>,
    #[serde(default)]
    stated_tpp: Option<Sourced>,
    #[serde(default)]
    stated_pd: Option<Sourced>,
    #[serde(default)]
    advanced_logic: Option<bool>,
    sources: Vec<String>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    throughput: Vec<RawThroughput>,
    /// Why a fact the rules test is unknown (fact name → reason).
    #[serde(default)]
    unknown: BTreeMap<String, String>,
}

/// Facts the rules test that a catalog chip must either carry or explain (`unknown`).
pub const RULE_TESTED_FACTS: [&str; 7] = [
    "tpp",
    "die_area_mm2",
    "memory_bw_gbs",
    "interconnect_bw_gbs",
    "transistors_billion",
    "memory_type",
    "advanced_logic",
];

/// The catalog: specs in file order plus an index of normalised names.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub chips: Vec<ChipSpec>,
    /// Stated PD per chip (for cross-checks only; never used to decide).
    pub stated_pd: BTreeMap<String, f64>,
    index: Vec<(String, usize)>,
}

/// Lower-case, alphanumeric tokens joined by single spaces.
pub fn normalise(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn squash(name: &str) -> String {
    normalise(name).replace(' ', "")
}

impl Catalog {
    /// Loads catalog files (name, text); every value must cite an existing source.
    pub fn load(files: &[(String, String)]) -> Result<Catalog, DataErrors> {
        let mut errors = Vec::new();
        let mut cat = Catalog::default();
        for (file, text) in files {
            let raw: RawFile = match toml::from_str(text) {
                Ok(r) => r,
                Err(e) => {
                    let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
                    errors.push(DataError::new(
                        file,
                        line,
                        "",
                        e.message().trim().to_string(),
                    ));
                    continue;
                }
            };
            for c in raw.chip {
                let line = line_of(text, c.name.span().start);
                let name = c.name.get_ref().clone();
                let mut value_sources = BTreeMap::new();
                let nsrc = c.sources.len();
                match (c.datacenter, c.datacenter_source) {
                    (Some(_), Some(i)) => match c.sources.get(i) {
                        Some(url) => {
                            value_sources.insert("datacenter".to_string(), url.clone());
                        }
                        None => errors.push(DataError::new(
                            file,
                            line,
                            format!("{name}.datacenter_source"),
                            format!("source index {i} but the chip lists {nsrc} sources"),
                        )),
                    },
                    (Some(_), None) => errors.push(DataError::new(
                        file,
                        line,
                        format!("{name}.datacenter_source"),
                        "`datacenter` needs a `datacenter_source` (an index into `sources`)",
                    )),
                    (None, _) => {}
                }
                let mut take = |key: &str, v: &Option<Sourced>| -> Option<f64> {
                    let s = v.as_ref()?;
                    match c.sources.get(s.source) {
                        Some(url) => {
                            value_sources.insert(key.to_string(), url.clone());
                        }
                        None => errors.push(DataError::new(
                            file,
                            line,
                            format!("{name}.{key}.source"),
                            format!(
                                "source index {} but the chip lists {nsrc} sources",
                                s.source
                            ),
                        )),
                    }
                    Some(s.value)
                };
                let die = take("die_area_mm2", &c.die_area_mm2);
                let tr = take("transistors_billion", &c.transistors_billion);
                let mem = take("memory_gb", &c.memory_gb);
                let bw = take("memory_bw_gbs", &c.memory_bw_gbs);
                let io = take("interconnect_bw_gbs", &c.interconnect_bw_gbs);
                let hbm_area = take("hbm_stack_area_mm2", &c.hbm_stack_area_mm2);
                let stated = take("stated_tpp", &c.stated_tpp);
                let stated_pd = take("stated_pd", &c.stated_pd);
                let mut throughput = Vec::new();
                for t in &c.throughput {
                    let source = c.sources.get(t.source).cloned();
                    if source.is_none() {
                        errors.push(DataError::new(
                            file,
                            line,
                            format!("{name}.throughput.{}.source", t.format),
                            "source index out of range",
                        ));
                    }
                    throughput.push(Throughput {
                        bits: t.bits,
                        tops: t.tops,
                        format: Some(t.format.clone()),
                        source,
                    });
                }
                let spec = ChipSpec {
                    name: name.clone(),
                    vendor: c.vendor.clone(),
                    datacenter: c.datacenter,
                    throughput,
                    die_area_mm2: die,
                    transistors_billion: tr,
                    memory_bw_gbs: bw,
                    interconnect_bw_gbs: io,
                    memory_gb: mem,
                    memory_type: c.memory_type.clone(),
                    hbm_stack_area_mm2: hbm_area,
                    kind: Default::default(),
                    count: None,
                    stated_tpp: stated,
                    vendor_country: c.vendor_country.clone(),
                    advanced_logic: c.advanced_logic,
                    aliases: c.aliases.clone(),
                    year: c.year,
                    dies: c.dies,
                    sources: c.sources.clone(),
                    value_sources,
                    notes: c.notes.clone(),
                    unknown_reasons: c.unknown.clone(),
                };
                let has = |f: &str| match f {
                    "tpp" => !spec.throughput.is_empty() || spec.stated_tpp.is_some(),
                    "die_area_mm2" => spec.die_area_mm2.is_some(),
                    "memory_bw_gbs" => spec.memory_bw_gbs.is_some(),
                    "interconnect_bw_gbs" => spec.interconnect_bw_gbs.is_some(),
                    "transistors_billion" => spec.transistors_billion.is_some(),
                    "memory_type" => spec.memory_type.is_some(),
                    "advanced_logic" => spec.advanced_logic.is_some(),
                    _ => true,
                };
                for f in RULE_TESTED_FACTS {
                    if !has(f) && !c.unknown.contains_key(f) {
                        errors.push(DataError::new(
                            file,
                            line,
                            format!("{name}.unknown.{f}"),
                            format!("`{f}` is tested by the rules: give a sourced value or a reason under `unknown`"),
                        ));
                    }
                }
                for f in c.unknown.keys() {
                    if !RULE_TESTED_FACTS.contains(&f.as_str()) {
                        errors.push(DataError::new(
                            file,
                            line,
                            format!("{name}.unknown.{f}"),
                            format!(
                                "`{f}` is not a fact the rules test ({})",
                                RULE_TESTED_FACTS.join(", ")
                            ),
                        ));
                    } else if has(f) {
                        errors.push(DataError::new(
                            file,
                            line,
                            format!("{name}.unknown.{f}"),
                            "has a value and a reason it is unknown",
                        ));
                    }
                }
                if let Err(e) = spec.validate() {
                    errors.push(DataError::new(
                        file,
                        line,
                        format!("{name}.{}", e.field),
                        e.message,
                    ));
                }
                if let Some(pd) = stated_pd {
                    cat.stated_pd.insert(name.clone(), pd);
                }
                let idx = cat.chips.len();
                let mut keys = vec![name.clone(), format!("{} {}", c.vendor, name)];
                for a in &c.aliases {
                    keys.push(a.clone());
                    keys.push(format!("{} {}", c.vendor, a));
                }
                for k in keys {
                    let n = squash(&k);
                    if let Some((_, other)) = cat.index.iter().find(|(x, i)| *x == n && *i != idx) {
                        let other_name = cat
                            .chips
                            .get(*other)
                            .map(|s| s.name.clone())
                            .unwrap_or_default();
                        errors.push(DataError::new(
                            file,
                            line,
                            format!("{name}.aliases"),
                            format!("name `{k}` is also used by `{other_name}`"),
                        ));
                    }
                    cat.index.push((n, idx));
                }
                cat.chips.push(spec);
            }
        }
        if errors.is_empty() {
            Ok(cat)
        } else {
            Err(DataErrors(errors))
        }
    }

    /// Finds a chip by a forgiving name; ambiguous or unknown names get candidates.
    pub fn find(&self, query: &str) -> Result<&ChipSpec, InputError> {
        let q = squash(query);
        if q.is_empty() {
            return Err(InputError::new("chip", "empty chip name"));
        }
        let exact: Vec<usize> = dedup(self.index.iter().filter(|(k, _)| *k == q).map(|(_, i)| *i));
        if let [only] = exact.as_slice() {
            return self
                .chips
                .get(*only)
                .ok_or_else(|| InputError::new("chip", "index out of range"));
        }
        // Every query token must appear in a chip's name (or alias) tokens.
        let qtokens: Vec<String> = normalise(query).split(' ').map(str::to_string).collect();
        let mut partial: Vec<usize> = Vec::new();
        for (i, c) in self.chips.iter().enumerate() {
            let mut names = vec![c.name.clone(), format!("{} {}", c.vendor, c.name)];
            names.extend(c.aliases.iter().map(|a| format!("{} {}", c.vendor, a)));
            let hit = names.iter().any(|n| {
                let toks: Vec<String> = normalise(n).split(' ').map(str::to_string).collect();
                qtokens.iter().all(|t| toks.contains(t))
            });
            if hit {
                partial.push(i);
            }
        }
        if let [only] = partial.as_slice() {
            return self
                .chips
                .get(*only)
                .ok_or_else(|| InputError::new("chip", "index out of range"));
        }
        let candidates: Vec<String> = if partial.is_empty() {
            self.closest(&q, 5)
        } else {
            partial
                .iter()
                .filter_map(|i| self.chips.get(*i))
                .map(|c| c.display_name())
                .take(8)
                .collect()
        };
        let msg = if partial.is_empty() {
            format!("no chip named `{query}` in the catalog")
        } else {
            format!("`{query}` matches {} chips", partial.len())
        };
        Err(InputError::new("chip", msg).with_hint(format!(
            "candidates: {}; or describe the chip with --spec FILE",
            candidates.join("; ")
        )))
    }

    fn closest(&self, q: &str, n: usize) -> Vec<String> {
        let mut scored: Vec<(usize, String)> = self
            .chips
            .iter()
            .map(|c| {
                let best = std::iter::once(c.name.clone())
                    .chain(c.aliases.iter().cloned())
                    .map(|k| edit_distance(q, &squash(&k)))
                    .min()
                    .unwrap_or(usize::MAX);
                (best, c.display_name())
            })
            .collect();
        scored.sort();
        scored.into_iter().take(n).map(|(_, s)| s).collect()
    }
}

fn dedup(it: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut v: Vec<usize> = it.collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        // `prev` has one entry more than `b`: each window is (diagonal, above) for one column.
        for (cb, w) in b.iter().zip(prev.windows(2)) {
            if let [diag, up] = w {
                let left = cur.last().copied().unwrap_or(i + 1);
                cur.push((diag + usize::from(ca != *cb)).min(up + 1).min(left + 1));
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}
