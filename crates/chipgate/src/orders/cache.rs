//! The run's caches of distinct things, so each is worked out once however many orders share
//! it: parties (screened, with the dates on which their screening can change), chips
//! (resolved from the catalog or a spec), destinations, and distinct questions (one decision
//! per engine). Keys are the raw column text; lookups take `&[u8]` and allocate nothing.
//!
//! Screening: each distinct combination of party columns is screened once to learn the dates
//! on which its result can change (start dates of the list entries its names hit, also via
//! ≥ 50 % owners, and party-file `date_added`); the question is then prepared with
//! [`prepare`] — the very function `chipgate check` uses, which screens the buyer and end
//! user — once per screening epoch between those dates, lazily, and shared by every chip,
//! destination and date segment of that epoch.

use super::row::{unkey, SEP};
use super::segments::SegKey;
use crate::question::Prepared;
use crate::request::CheckRequest;
use crate::screening::PartyContext;
use chipgate_core::catalog::normalise;
use chipgate_core::countries::Destination;
use chipgate_core::license::Decision;
use chipgate_core::metrics;
use chipgate_core::spec::{ChipSpec, Throughput};
use chipgate_core::Engine;
use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// A key found in a cache, or one to add.
#[derive(Debug)]
pub enum Slot {
    Known(u32),
    New(Box<[u8]>),
}

/// Raw key → id, and the thing built for each id (or why it could not be built).
pub struct Interner<T> {
    map: FxHashMap<Box<[u8]>, u32>,
    pub items: Vec<Result<T, String>>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            map: FxHashMap::default(),
            items: Vec::new(),
        }
    }
}

impl<T> Interner<T> {
    pub fn slot(&self, key: &[u8]) -> Slot {
        match self.map.get(key) {
            Some(i) => Slot::Known(*i),
            None => Slot::New(key.into()),
        }
    }

    /// The id of `key`, assigning the next one when new (then `true`: build it and [`Self::extend`]).
    pub fn assign(&mut self, key: Box<[u8]>) -> (u32, bool) {
        let next = self.map.len() as u32;
        let mut new = false;
        let id = *self.map.entry(key).or_insert_with(|| {
            new = true;
            next
        });
        (id, new)
    }

    /// Adds built items for the ids handed out by [`Self::assign`], in order.
    pub fn extend(&mut self, built: impl IntoIterator<Item = Result<T, String>>) {
        self.items.extend(built);
    }

    pub fn get(&self, id: u32) -> Option<&Result<T, String>> {
        self.items.get(id as usize)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// A distinct combination of party and transaction columns.
pub struct Party {
    pub args: CheckRequest,
    /// Dates on which a screening result for these parties can change (list entries' start
    /// dates, party-file `date_added`), sorted: the screening epochs lie between them.
    pub dates: Vec<NaiveDate>,
    epochs: Vec<OnceLock<Result<Prepared, String>>>,
    /// The buyer group the report files these orders under.
    pub group: String,
}

impl Party {
    pub fn epoch(&self, date: NaiveDate) -> u32 {
        self.dates.partition_point(|d| *d <= date) as u32
    }
}

/// A resolved chip.
pub struct Chip {
    pub spec: ChipSpec,
    pub name: String,
    pub tpp: Option<f64>,
    pub count: f64,
}

/// A distinct question: one decision per engine.
pub struct Question {
    pub party: u32,
    pub chip: u32,
    pub dest: u32,
    pub date: NaiveDate,
    /// Baseline first, then each scenario.
    pub outcomes: Vec<Outcome>,
    pub screening: String,
    /// The worst screening status among the order's parties.
    pub screening_status: crate::question::PartyStatus,
    /// Per scenario (index 0 = the first scenario): rules only in the baseline's deciding rules
    /// (`-id`) and only in the scenario's (`+id`).
    pub rule_change: Vec<String>,
    pub flips: bool,
}

/// One engine's answer, reduced to what order books show.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub decision: Decision,
    pub license_required: bool,
    pub eccn: String,
    pub rules: Vec<String>,
}

/// A distinct question's key.
pub type QKey = (u32, u32, u32, u32, SegKey, u64);

/// Everything cached over a run.
#[derive(Default)]
pub struct Cache {
    pub parties: Interner<Party>,
    pub chips: Interner<Chip>,
    pub dests: Interner<Destination>,
    pub questions_map: FxHashMap<QKey, u32>,
    pub questions: Vec<Result<Question, String>>,
}

/// What building entries needs.
pub struct Ctx<'a> {
    pub engines: &'a [Engine],
    pub cx: &'a PartyContext,
    pub view: chipgate_core::rules::View,
}

/// The dates on which screening `name` can change.
fn screening_dates(cx: &PartyContext, name: &str, out: &mut Vec<NaiveDate>) {
    let n = normalise(name);
    out.extend(
        cx.listed
            .iter()
            .filter(|r| normalise(&r.name) == n)
            .filter_map(|r| r.date_added),
    );
    if let Some(s) = &cx.screener {
        let q = chipgate_screen::Query {
            name: name.to_string(),
            country: None,
            date: NaiveDate::from_ymd_opt(9999, 12, 31),
            threshold: None,
            lists: None,
        };
        // A name that cannot be screened is reported when the order is decided.
        if let Ok(r) = s.screen(&q) {
            out.extend(
                r.hits
                    .iter()
                    .flat_map(|h| [h.start_date, h.end_date])
                    .flatten(),
            );
        }
    }
}

/// Builds a party entry from its key.
pub fn build_party(key: &[u8], ctx: &Ctx<'_>) -> Result<Party, String> {
    let v = unkey(key);
    let get = |i: usize| v.get(i).cloned().flatten();
    let args = CheckRequest {
        buyer: get(0),
        buyer_hq: get(1),
        end_user: get(2),
        end_user_hq: get(3),
        end_use: get(4),
        exporter: get(5),
        exporter_role: get(6),
        ship_from: get(7),
        ..Default::default()
    };
    let mut dates = Vec::new();
    for name in [&args.buyer, &args.end_user].into_iter().flatten() {
        screening_dates(ctx.cx, name, &mut dates);
        if let Some(info) = ctx.cx.ownership.as_ref().and_then(|o| o.resolve(name)) {
            for (owner, _, _) in &info.owners_50 {
                screening_dates(ctx.cx, owner, &mut dates);
            }
        }
    }
    dates.sort();
    dates.dedup();
    let epochs = (0..=dates.len()).map(|_| OnceLock::new()).collect();
    let group = super::group::buyer_group(ctx.cx, args.buyer.as_deref());
    Ok(Party {
        args,
        dates,
        epochs,
        group,
    })
}

fn opt_num(field: &str, v: &Option<String>) -> Result<Option<f64>, String> {
    match v {
        None => Ok(None),
        Some(t) => t
            .parse::<f64>()
            .map(Some)
            .map_err(|_| format!("`{field}`: `{t}` is not a number")),
    }
}

/// Builds a chip entry from its key: a spec object, spec columns, or a catalog name.
pub fn build_chip(key: &[u8], engine: &Engine) -> Result<Chip, String> {
    let v = unkey(key);
    let get = |i: usize| v.get(i).cloned().flatten();
    let (name, spec_json, vendor, tops, bits) = (get(0), get(1), get(2), get(3), get(4));
    let mut spec = if let Some(text) = spec_json {
        let mut obj: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("`spec_json`: not JSON: {e}"))?;
        if let (Some(o), Some(n)) = (obj.as_object_mut(), &name) {
            o.entry("name")
                .or_insert_with(|| serde_json::Value::String(n.clone()));
        }
        ChipSpec::from_json(&obj.to_string()).map_err(|e| e.to_string())?
    } else if let Some(tops) = tops {
        let tops: f64 = tops
            .parse()
            .map_err(|_| format!("`tops`: `{tops}` is not a number"))?;
        let bits_text = bits.ok_or("`bits` is empty (needed with `tops`)")?;
        let bits: u32 = bits_text
            .parse()
            .map_err(|_| format!("`bits`: `{bits_text}` is not a whole number"))?;
        let datacenter = match get(8).map(|s| s.to_ascii_lowercase()) {
            None => None,
            Some(s) if ["true", "yes", "1", "y"].contains(&s.as_str()) => Some(true),
            Some(s) if ["false", "no", "0", "n"].contains(&s.as_str()) => Some(false),
            Some(s) => return Err(format!("`datacenter`: `{s}` is not true or false")),
        };
        ChipSpec {
            name: name
                .clone()
                .unwrap_or_else(|| format!("spec {tops} TOPS × {bits} bit")),
            vendor: vendor.clone().unwrap_or_default(),
            datacenter,
            throughput: vec![Throughput {
                bits,
                tops,
                format: None,
                source: None,
            }],
            die_area_mm2: opt_num("die_area_mm2", &get(5))?,
            memory_bw_gbs: opt_num("memory_bw_gbs", &get(6))?,
            interconnect_bw_gbs: opt_num("interconnect_bw_gbs", &get(7))?,
            ..Default::default()
        }
    } else {
        let name = name.ok_or("`chip` is empty")?;
        engine
            .catalog
            .find(&name)
            .map_err(|e| e.to_string())?
            .clone()
    };
    if let Some(vendor) = vendor {
        spec.vendor = vendor;
    }
    if let Some(c) = get(9) {
        spec.count = Some(
            c.parse()
                .map_err(|_| format!("`count`: `{c}` is not a whole number"))?,
        );
    }
    spec.validate().map_err(|e| e.to_string())?;
    let m = metrics::compute(&spec);
    Ok(Chip {
        name: spec.display_name(),
        tpp: m.tpp,
        count: f64::from(m.count.unwrap_or(1)),
        spec,
    })
}

/// Validates a destination.
pub fn build_dest(key: &[u8], engine: &Engine) -> Result<Destination, String> {
    let text = String::from_utf8_lossy(key);
    engine
        .countries
        .destination("ship_to", &text)
        .map_err(|e| e.to_string())
}

fn rule_change(base: &[String], other: &[String]) -> String {
    let mut parts: Vec<String> = base
        .iter()
        .filter(|r| !other.contains(r))
        .map(|r| format!("-{r}"))
        .collect();
    parts.extend(
        other
            .iter()
            .filter(|r| !base.contains(r))
            .map(|r| format!("+{r}")),
    );
    parts.join(" ")
}

fn screening_summary(p: &Prepared) -> String {
    p.screening
        .iter()
        .map(|s| {
            let mut kinds: Vec<String> = s
                .hits
                .iter()
                .map(|h| match &h.provenance {
                    Some(p) => format!(
                        "{} by FR Doc. {}{}",
                        h.kind,
                        p.fr_doc,
                        p.effective_date
                            .or(p.publication_date)
                            .map(|d| format!(" from {d}"))
                            .unwrap_or_default()
                    ),
                    None => h.kind.clone(),
                })
                .collect();
            kinds.dedup();
            if kinds.is_empty() {
                format!("{}: {}", s.role, s.status)
            } else {
                format!("{}: {} ({})", s.role, s.status, kinds.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Decides one distinct question with every engine, exactly as `chipgate check` would: the
/// question is prepared by [`prepare`] from the party columns, then the chip, destination and
/// quantity of the order are put in.
pub fn decide(
    cache: &Cache,
    ctx: &Ctx<'_>,
    key: &QKey,
    date: NaiveDate,
    quantity: f64,
) -> Result<Question, String> {
    let (p, epoch, c, d, _, _) = *key;
    let party = cache
        .parties
        .get(p)
        .ok_or("internal: party missing")?
        .as_ref()
        .map_err(Clone::clone)?;
    let chip = cache
        .chips
        .get(c)
        .ok_or("internal: chip missing")?
        .as_ref()
        .map_err(Clone::clone)?;
    let dest = cache
        .dests
        .get(d)
        .ok_or("internal: destination missing")?
        .as_ref()
        .map_err(Clone::clone)?;
    let baseline = ctx.engines.first().ok_or("internal: no engine")?;
    let cell = party
        .epochs
        .get(epoch as usize)
        .ok_or("internal: screening epoch missing")?;
    let prepared = cell
        .get_or_init(|| {
            crate::answer::prepare_parties(
                baseline,
                ctx.cx,
                &CheckRequest {
                    to: dest.given.clone(),
                    ..party.args.clone()
                },
                date,
            )
            .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)?;
    let mut q = prepared.question.clone();
    q.spec = chip.spec.clone();
    q.destination = Some(dest.clone());
    q.quantity = Some(quantity);
    let mut outcomes = Vec::with_capacity(ctx.engines.len());
    for e in ctx.engines {
        let det = crate::answer::decide_brief(e, &q, date, ctx.view).map_err(|e| e.to_string())?;
        outcomes.push(Outcome {
            decision: det.decision,
            license_required: det.license_required,
            eccn: det.eccn.clone(),
            rules: det.deciding_rules(),
        });
    }
    let base = &outcomes[0];
    let rule_change: Vec<String> = outcomes[1..]
        .iter()
        .map(|o| {
            if o.decision == base.decision {
                String::new()
            } else {
                rule_change(&base.rules, &o.rules)
            }
        })
        .collect();
    let flips = outcomes[1..].iter().any(|o| o.decision != base.decision);
    Ok(Question {
        party: p,
        chip: c,
        dest: d,
        date,
        screening: screening_summary(prepared),
        screening_status: crate::answer::worst_status(prepared.screening.iter().map(|s| s.status)),
        outcomes,
        rule_change,
        flips,
    })
}

/// Keys are joined with [`SEP`]; exposed for tests.
pub fn join_key(values: &[&str]) -> Vec<u8> {
    values.join(&(SEP as char).to_string()).into_bytes()
}
