//! The first half of a determination: every provision in force evaluated once, in rulebook
//! order, into outcomes that [`super::fold`] turns into a decision. Requirements, prohibitions
//! and escalations come first (they answer `applies("id")`); licence exceptions, review policies
//! and notes then read which of them fired. Exceptions and review policies only matter when a
//! requirement may apply, so they are evaluated only then.

use super::{ExceptionFinding, Finding};
use crate::countries::Countries;
use crate::expr::{eval, eval_tri, EvalCtx, Kind, Node, Outcome, Tri};
use crate::facts::{FactId, Facts};
use crate::rules::{Policy, Provision, ProvisionKind, Severity};
use chrono::NaiveDate;

/// What a provision that fires does to the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gate {
    Require,
    Prohibit,
    Escalate,
}

/// A requirement, prohibition or escalation that applies, or may apply (a fact is unknown).
pub(super) struct Fired<'a> {
    pub provision: &'a Provision,
    pub gate: Gate,
    pub finding: Finding,
}

/// A review-policy provision whose condition holds.
pub(super) struct Review<'a> {
    pub provision: &'a Provision,
    pub policy: Policy,
    pub outcome: Outcome,
}

/// Every provision in force, evaluated once.
#[derive(Default)]
pub(super) struct Outcomes<'a> {
    /// Requirements, prohibitions and escalations that fired, in rulebook order.
    pub fired: Vec<Fired<'a>>,
    /// Requirements and prohibitions that do not apply but concern the item (only when asked).
    pub not_applicable: Vec<Finding>,
    /// Licence exceptions worth showing (evaluated only when a requirement fired).
    pub exceptions: Vec<ExceptionFinding>,
    /// Review policies whose condition holds (evaluated only when a requirement fired).
    pub reviews: Vec<Review<'a>>,
    pub notes: Vec<Finding>,
    pub red_flags: Vec<Finding>,
    pub uncertain: Vec<Finding>,
    /// Facts whose absence left a condition open, in the order met.
    pub missing: Vec<String>,
    pub warnings: Vec<String>,
}

pub(super) fn finding(p: &Provision, o: &Outcome) -> Finding {
    let evidence = o.evidence.join("; ");
    Finding {
        rule: p.id.clone(),
        citation: p.citation.clone(),
        detail: if evidence.is_empty() {
            p.summary.clone()
        } else {
            format!("{}: {}", p.summary, evidence)
        },
        event: p.event.clone(),
        certain: o.value == Tri::True,
    }
}

/// Facts that describe the item and who makes or ships it, as opposed to where it goes and to whom.
fn is_item_fact(f: FactId) -> bool {
    use FactId::*;
    matches!(
        f,
        Tpp | Pd
            | MemoryBw
            | InterconnectBw
            | MemoryGb
            | DieArea
            | Transistors
            | HbmBwDensity
            | Count
            | Datacenter
            | HbmStack
            | HasHbm
            | System
            | AdvancedLogic
            | Eccn
            | IcEccn
            | Exporter
            | Vendor
            | VendorCountry
            | Product
    )
}

/// Whether a requirement that does not apply is still worth explaining: its conditions on the
/// item itself hold (so it is the destination or the parties that keep it away). Decided from
/// the structure of the condition: the item-only conjuncts of a top-level `and` must all hold.
fn concerns_item(when: &Node, cx: &EvalCtx<'_>) -> bool {
    let conjuncts: Vec<&Node> = match &when.kind {
        Kind::And(items) => items.iter().collect(),
        _ => vec![when],
    };
    let item_only: Vec<&&Node> = conjuncts
        .iter()
        .filter(|c| {
            let facts = c.facts();
            !facts.is_empty() && facts.iter().all(|f| is_item_fact(*f))
        })
        .collect();
    !item_only.is_empty()
        && item_only.len() < conjuncts.len()
        && item_only.iter().all(|c| eval_tri(c, cx) == Tri::True)
}

fn gate_of(kind: &ProvisionKind) -> Option<Gate> {
    match kind {
        ProvisionKind::Require { .. } => Some(Gate::Require),
        ProvisionKind::Prohibit => Some(Gate::Prohibit),
        ProvisionKind::Escalate => Some(Gate::Escalate),
        _ => None,
    }
}

/// Adds the facts an outcome missed to `missing`, once each.
fn note_missing(missing: &mut Vec<String>, o: &Outcome) {
    for m in &o.missing {
        let n = m.meta().name;
        if !missing.iter().any(|x| x == n) {
            missing.push(n.to_string());
        }
    }
}

/// Evaluates the provisions in force (`active`, in rulebook order) against the facts.
///
/// `full` adds the evidence of every requirement that does *not* apply but concerns the item.
pub(super) fn evaluate<'a>(
    active: &[&'a Provision],
    facts: &Facts,
    date: NaiveDate,
    countries: &Countries,
    full: bool,
) -> Outcomes<'a> {
    let mut out = Outcomes::default();
    // Requirements, prohibitions and escalations: `applies("…")` reads nothing yet.
    let none = |_: &str| Tri::False;
    let cx = EvalCtx {
        facts,
        date,
        countries,
        applied: &none,
    };
    let mut applied: Vec<(&str, Tri)> = Vec::new();
    for p in active {
        let Some(gate) = gate_of(&p.kind) else {
            continue;
        };
        let t = eval_tri(&p.when, &cx);
        applied.push((p.id.as_str(), t));
        if t == Tri::False {
            if full && concerns_item(&p.when, &cx) {
                out.not_applicable.push(finding(p, &eval(&p.when, &cx)));
            }
            continue;
        }
        let o = eval(&p.when, &cx);
        if o.value == Tri::Unknown {
            note_missing(&mut out.missing, &o);
            out.warnings.push(format!(
                "`{}` may apply ({}); answered as if it does",
                p.id,
                o.evidence.join("; ")
            ));
        }
        out.fired.push(Fired {
            provision: p,
            gate,
            finding: finding(p, &o),
        });
    }
    // Everything else may ask which of them fired.
    let applied = |id: &str| {
        applied
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, t)| *t)
            .unwrap_or(Tri::False)
    };
    let cx = EvalCtx {
        facts,
        date,
        countries,
        applied: &applied,
    };
    let required = out.fired.iter().any(|f| f.gate == Gate::Require);
    for p in active {
        match &p.kind {
            ProvisionKind::Exception { .. } if required => {
                if let Some(e) = exception(&out.fired, &mut out.missing, p, &cx) {
                    out.exceptions.push(e);
                }
            }
            ProvisionKind::Review { policy, .. }
                if required && eval_tri(&p.when, &cx) == Tri::True =>
            {
                out.reviews.push(Review {
                    provision: p,
                    policy: *policy,
                    outcome: eval(&p.when, &cx),
                });
            }
            ProvisionKind::Note { severity } => {
                if eval_tri(&p.when, &cx) != Tri::True {
                    continue;
                }
                let f = finding(p, &eval(&p.when, &cx));
                match severity {
                    Severity::Info => out.notes.push(f),
                    Severity::RedFlag => out.red_flags.push(f),
                    Severity::Uncertain => out.uncertain.push(f),
                }
            }
            _ => {}
        }
    }
    out
}

/// A licence exception against the requirements that fired; `None` when it is neither admitted
/// by one of them nor available (noise).
fn exception(
    fired: &[Fired<'_>],
    missing: &mut Vec<String>,
    p: &Provision,
    cx: &EvalCtx<'_>,
) -> Option<ExceptionFinding> {
    let ProvisionKind::Exception {
        code,
        notify_days,
        notify_when,
    } = &p.kind
    else {
        return None;
    };
    let o = eval(&p.when, cx);
    let requirements = || fired.iter().filter(|f| f.gate == Gate::Require);
    let covers: Vec<String> = requirements()
        .filter(|f| {
            matches!(&f.provision.kind,
                ProvisionKind::Require { exceptions, .. } if exceptions.iter().any(|c| c == code))
        })
        .map(|f| f.provision.id.clone())
        .collect();
    let notify = match (notify_days, notify_when) {
        (Some(d), Some(w)) => (eval(w, cx).value != Tri::False).then_some(*d),
        (Some(d), None) => Some(*d),
        _ => None,
    };
    let mut detail = finding(p, &o).detail;
    if o.value == Tri::Unknown {
        detail = format!("not established — {detail}");
        note_missing(missing, &o);
    }
    if let (Tri::True, Some(d)) = (o.value, notify) {
        detail.push_str(&format!(
            "; requires notifying BIS at least {d} days before export"
        ));
    }
    if covers.is_empty() {
        if o.value != Tri::True {
            return None;
        }
        let reqs: Vec<&str> = requirements().map(|f| f.provision.id.as_str()).collect();
        detail = format!(
            "eligible, but the requirements here ({}) admit no licence exception — {detail}",
            reqs.join(", ")
        );
    }
    Some(ExceptionFinding {
        code: code.clone(),
        available: o.value == Tri::True && !covers.is_empty(),
        citation: p.citation.clone(),
        detail,
        rule: p.id.clone(),
        notify_days: notify.filter(|_| o.value == Tri::True),
        covers,
    })
}
