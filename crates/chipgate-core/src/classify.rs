//! ECCN classification as of a date: which advanced-computing paragraph (3A090, 3A090.a/.b/.c,
//! 4A090.a/.b) an item falls in, or `none` — with the provisions that decided it.
//!
//! Classify provisions nominate paragraphs; exclude provisions (the notes) take the item out of
//! paragraphs; the strictest surviving paragraph wins. When a fact a test needs is unknown,
//! the answer is the strictest outcome still possible, flagged, and the result lists what each
//! value range of the missing fact would give (a what-if sweep over the thresholds in the data).

use crate::countries::Countries;
use crate::expr::{eval, eval_tri, thresholds_for, EvalCtx, Outcome, Tri};
use crate::facts::{FactId, Facts, Value};
use crate::metrics::Metrics;
use crate::numfmt::fmt_num;
use crate::rules::{eccn_rank, Provision, ProvisionKind, Rulebook, Stage, View};
use chrono::NaiveDate;
use serde::Serialize;

/// One reason: the provision, its citation and the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub rule: String,
    pub citation: String,
    pub detail: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub event: String,
}

/// What a missing fact would change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    pub fact: String,
    pub outcomes: Vec<WhatIfRange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIfRange {
    pub when: String,
    pub eccn: String,
}

/// A classification with its reasons.
#[derive(Debug, Clone, Serialize)]
pub struct Classification {
    pub chip: String,
    pub date: NaiveDate,
    pub view: View,
    pub eccn: String,
    /// False when a missing fact could change the ECCN (the answer is then the strictest).
    pub determined: bool,
    pub metrics: Metrics,
    pub reasons: Vec<Reason>,
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub what_if: Vec<WhatIf>,
    #[serde(skip)]
    pub ic_eccn: String,
}

struct StagePick {
    definite: String,
    possible: String,
    deciding: Vec<(&'static str, usize)>,
}

/// Evaluated classify/exclude provisions of one stage (values only; evidence on demand).
struct Evaluated<'a> {
    classify: Vec<(&'a Provision, &'a str, Tri)>,
    exclude: Vec<(&'a Provision, &'a [String], Tri)>,
}

fn evaluate<'a>(
    active: &[&'a Provision],
    stage: Stage,
    facts: &Facts,
    date: NaiveDate,
    countries: &Countries,
) -> Evaluated<'a> {
    let no_applies = |_: &str| Tri::False;
    let cx = EvalCtx {
        facts,
        date,
        countries,
        applied: &no_applies,
    };
    let mut out = Evaluated {
        classify: Vec::new(),
        exclude: Vec::new(),
    };
    for p in active {
        match &p.kind {
            ProvisionKind::Classify { eccn, stage: s } if *s == stage => {
                out.classify
                    .push((p, eccn.as_str(), eval_tri(&p.when, &cx)));
            }
            ProvisionKind::Exclude { paragraphs } if stage == Stage::Ic => {
                out.exclude
                    .push((p, paragraphs.as_slice(), eval_tri(&p.when, &cx)));
            }
            _ => {}
        }
    }
    out
}

fn pick(ev: &Evaluated<'_>) -> StagePick {
    let excluded = |id: &str, want: Tri| {
        ev.exclude
            .iter()
            .any(|(_, paras, o)| *o == want && paras.iter().any(|p| p == id))
    };
    let mut definite = "none".to_string();
    let mut possible = "none".to_string();
    let mut deciding = Vec::new();
    for (i, (p, eccn, o)) in ev.classify.iter().enumerate() {
        let out_for_sure = excluded(&p.id, Tri::True);
        let maybe_out = excluded(&p.id, Tri::Unknown);
        let is_definite = *o == Tri::True && !out_for_sure && !maybe_out;
        let is_possible = !out_for_sure && (*o == Tri::True || *o == Tri::Unknown);
        if is_definite && eccn_rank(eccn) > eccn_rank(&definite) {
            definite = eccn.to_string();
        }
        if is_possible && eccn_rank(eccn) > eccn_rank(&possible) {
            possible = eccn.to_string();
        }
        if is_possible {
            deciding.push(("classify", i));
        }
    }
    StagePick {
        definite,
        possible,
        deciding,
    }
}

fn eccn_of(
    active: &[&Provision],
    facts: &Facts,
    date: NaiveDate,
    countries: &Countries,
) -> (String, String) {
    let ev = evaluate(active, Stage::Ic, facts, date, countries);
    let ic = pick(&ev);
    if facts.metrics.count.is_none() {
        return (ic.definite, ic.possible);
    }
    let mut f = facts.clone();
    f.ic_eccn = Some(ic.possible.clone());
    let sys = pick(&evaluate(active, Stage::System, &f, date, countries));
    let mut g = facts.clone();
    g.ic_eccn = Some(ic.definite.clone());
    let sys_definite = pick(&evaluate(active, Stage::System, &g, date, countries));
    (sys_definite.definite, sys.possible)
}

fn reason(p: &Provision, prefix: &str, o: &Outcome) -> Reason {
    let evidence = o.evidence.join("; ");
    Reason {
        rule: p.id.clone(),
        citation: p.citation.clone(),
        detail: if evidence.is_empty() {
            format!("{prefix}{}", p.summary)
        } else {
            format!("{prefix}{}: {evidence}", p.summary)
        },
        event: p.event.clone(),
    }
}

/// Classifies the item described by `facts` (metrics, and transaction facts the foundry rule
/// reads) on `date` in `view`.
pub fn classify(
    book: &Rulebook,
    countries: &Countries,
    chip_name: &str,
    facts: &Facts,
    date: NaiveDate,
    view: View,
) -> Classification {
    classify_with(book, countries, chip_name, facts, date, view, true)
}

/// As [`classify`]; with `full` false, reasons for paragraphs *not* met name the provision
/// without evaluating its evidence (the order-book path).
pub fn classify_with(
    book: &Rulebook,
    countries: &Countries,
    chip_name: &str,
    facts: &Facts,
    date: NaiveDate,
    view: View,
    full: bool,
) -> Classification {
    let active = book.active(date, view);
    let mut facts = facts.clone();
    facts.date = Some(date);
    let ev = evaluate(&active, Stage::Ic, &facts, date, countries);
    let ic = pick(&ev);
    let none = |_: &str| Tri::False;
    let cx = EvalCtx {
        facts: &facts,
        date,
        countries,
        applied: &none,
    };
    let explain = |p: &Provision| eval(&p.when, &cx);
    let brief = |_: &Provision| Outcome {
        value: Tri::False,
        evidence: Vec::new(),
        missing: Vec::new(),
    };
    let mut reasons = Vec::new();
    let mut warnings = Vec::new();
    let is_system = facts.metrics.count.is_some();
    // IC stage reasons.
    if ic.possible == "none" {
        for (p, _, _) in &ev.classify {
            let o = if full { explain(p) } else { brief(p) };
            reasons.push(reason(p, "not met — ", &o));
        }
        if ev.classify.is_empty() {
            reasons.push(Reason {
                rule: "no-advanced-computing-rule".into(),
                citation: "15 CFR 774 Supp. 1".into(),
                detail: format!("no advanced-computing classification provision is in force on {date} ({} view)", view.name()),
                event: String::new(),
            });
        }
    } else {
        for (kind, i) in &ic.deciding {
            if *kind != "classify" {
                continue;
            }
            if let Some((p, eccn, o)) = ev.classify.get(*i) {
                if *o == Tri::True && eccn_rank(eccn) == eccn_rank(&ic.possible) {
                    reasons.push(reason(p, "", &explain(p)));
                } else if *o == Tri::Unknown {
                    reasons.push(reason(p, "cannot be evaluated — ", &explain(p)));
                }
            }
        }
    }
    for (p, paras, o) in &ev.exclude {
        let relevant = ev
            .classify
            .iter()
            .any(|(c, _, co)| paras.contains(&c.id) && *co != Tri::False);
        if relevant && *o != Tri::False {
            let prefix = if *o == Tri::True {
                "excludes "
            } else {
                "may exclude "
            };
            reasons.push(reason(
                p,
                &format!("{prefix}{} — ", paras.join(", ")),
                &explain(p),
            ));
        }
    }
    let mut eccn = ic.possible.clone();
    let mut determined = ic.definite == ic.possible;
    // System stage (4A090) for items that contain ICs.
    if is_system {
        let mut f = facts.clone();
        f.ic_eccn = Some(ic.possible.clone());
        let sev = evaluate(&active, Stage::System, &f, date, countries);
        let sys = pick(&sev);
        let fcx = EvalCtx {
            facts: &f,
            date,
            countries,
            applied: &none,
        };
        for (p, e, o) in &sev.classify {
            if *o == Tri::True && *e == sys.possible {
                reasons.push(reason(p, "", &eval(&p.when, &fcx)));
            }
        }
        if sys.possible == "none" {
            reasons.push(Reason {
                rule: "no-4A090".into(),
                citation: "15 CFR 774 Supp. 1, ECCN 4A090".into(),
                detail: format!(
                    "the item contains {} IC(s) classified {}; no 4A090 paragraph applies",
                    facts.metrics.count.unwrap_or(1),
                    ic.possible
                ),
                event: String::new(),
            });
        }
        let (d, p) = eccn_of(&active, &facts, date, countries);
        determined = d == p;
        eccn = p;
    }
    // What-if sweeps for the facts that left the answer open.
    let mut what_if = Vec::new();
    if !determined {
        let mut missing: Vec<FactId> = Vec::new();
        let unknown = ev
            .classify
            .iter()
            .filter(|(_, _, o)| *o == Tri::Unknown)
            .map(|(p, _, _)| *p);
        let unknown_x = ev
            .exclude
            .iter()
            .filter(|(_, _, o)| *o == Tri::Unknown)
            .map(|(p, _, _)| *p);
        for p in unknown.chain(unknown_x) {
            for m in explain(p).missing {
                if !missing.contains(&m) {
                    missing.push(m);
                }
            }
        }
        for fact in missing {
            if let Some(w) = sweep(&active, &facts, fact, date, countries) {
                let text = w
                    .outcomes
                    .iter()
                    .map(|r| format!("{} → {}", r.when, r.eccn))
                    .collect::<Vec<_>>()
                    .join("; ");
                warnings.push(format!(
                    "{} unknown: {}; answered conservatively as {}",
                    fact.meta().label,
                    text,
                    eccn
                ));
                what_if.push(w);
            } else {
                warnings.push(format!(
                    "{} unknown; answered conservatively as {}",
                    fact.meta().label,
                    eccn
                ));
            }
        }
    }
    if let (Some(crate::metrics::TppBasis::Stated { .. }), Some(_)) =
        (&facts.metrics.tpp_basis, facts.metrics.tpp)
    {
        warnings.push("TPP is a figure stated by a source (no throughput is listed), not computed from datasheet rates".into());
    }
    Classification {
        chip: chip_name.to_string(),
        date,
        view,
        eccn,
        determined,
        metrics: facts.metrics.clone(),
        reasons,
        warnings,
        what_if,
        ic_eccn: ic.possible,
    }
}

/// Evaluates the classification for each value range of one unknown fact.
fn sweep(
    active: &[&Provision],
    facts: &Facts,
    fact: FactId,
    date: NaiveDate,
    countries: &Countries,
) -> Option<WhatIf> {
    let meta = fact.meta();
    let mut points: Vec<(String, Value)> = Vec::new();
    match meta.ty {
        crate::facts::Ty::Bool => {
            points.push((format!("if {}", meta.label), Value::Bool(true)));
            points.push((format!("if not {}", meta.label), Value::Bool(false)));
        }
        crate::facts::Ty::Num => {
            let mut ts: Vec<f64> = Vec::new();
            for p in active {
                ts.extend(thresholds_for(&p.when, fact));
            }
            ts.sort_by(|a, b| a.total_cmp(b));
            ts.dedup();
            let first = *ts.first()?;
            let mut ranges: Vec<(String, String)> = Vec::new();
            let probe = |v: f64| -> String {
                let mut f = facts.clone();
                f.overrides.push((fact, Value::Num(v)));
                eccn_of(active, &f, date, countries).1
            };
            let below = probe(first * 0.5 - 1.0);
            ranges.push((format!("{} < {}", meta.label, fmt_num(first)), below));
            for (i, t) in ts.iter().enumerate() {
                let at = probe(*t);
                let label = match ts.get(i + 1) {
                    Some(next) => format!("{} ≤ {} < {}", fmt_num(*t), meta.label, fmt_num(*next)),
                    None => format!("{} ≥ {}", meta.label, fmt_num(*t)),
                };
                ranges.push((label, at));
            }
            // Merge neighbours with the same outcome.
            let mut merged: Vec<WhatIfRange> = Vec::new();
            for (when, eccn) in ranges {
                match merged.last_mut() {
                    Some(last) if last.eccn == eccn => {
                        last.when = merge_ranges(&last.when, &when, meta.label);
                    }
                    _ => merged.push(WhatIfRange { when, eccn }),
                }
            }
            return Some(WhatIf {
                fact: meta.name.to_string(),
                outcomes: merged,
            });
        }
        _ => return None,
    }
    let outcomes = points
        .into_iter()
        .map(|(when, v)| {
            let mut f = facts.clone();
            f.overrides.push((fact, v));
            WhatIfRange {
                when,
                eccn: eccn_of(active, &f, date, countries).1,
            }
        })
        .collect();
    Some(WhatIf {
        fact: meta.name.to_string(),
        outcomes,
    })
}

/// Joins "a ≤ X < b" and "b ≤ X < c" into "a ≤ X < c" (and the open-ended forms).
fn merge_ranges(first: &str, second: &str, label: &str) -> String {
    let lower = if first.starts_with(label) {
        None
    } else {
        first.split(" ≤ ").next()
    };
    let upper = second
        .rsplit(" < ")
        .next()
        .filter(|_| second.contains(" < ") && !second.starts_with(label));
    let upper = if second.contains(" ≥ ") {
        None
    } else {
        upper.or_else(|| second.rsplit(" < ").next())
    };
    match (lower, upper) {
        (Some(l), Some(u)) => format!("{l} ≤ {label} < {u}"),
        (Some(l), None) => format!("{label} ≥ {l}"),
        (None, Some(u)) => format!("{label} < {u}"),
        (None, None) => format!("any {label}"),
    }
}
