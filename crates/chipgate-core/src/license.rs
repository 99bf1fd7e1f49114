//! Licence determination: can this item ship to this destination, for this buyer, on this
//! date — and why. Folds the findings of the provisions in force into one decision:
//!
//! * any prohibition ⇒ `PROHIBITED`;
//! * otherwise a requirement that no available exception overcomes ⇒ `LICENSE_REQUIRED` with
//!   the review policy (overrides applied, then the strictest);
//! * otherwise an escalation (BIS guidance that the transaction needs BIS's authorization,
//!   e.g. General Prohibition 10) ⇒ `ESCALATE`;
//! * otherwise requirements all overcome by available exceptions ⇒ `LICENSE_EXCEPTION`;
//! * otherwise `NLR`.
//!
//! Notes of severity `uncertain` mark answers that rest on a reading the sources do not settle;
//! they are listed under `uncertain` and make `uncertain_reading` true without changing the
//! decision.
//!
//! Unknown facts make a condition `Unknown`; the answer is then the conservative one and is
//! flagged, with the facts that would change it.

use crate::classify::{classify_with, Classification, Reason};
use crate::countries::{Countries, Destination};
use crate::expr::{eval, eval_tri, EvalCtx, Outcome, Tri};
use crate::facts::{FactId, Facts, SetFact};
use crate::rules::{Policy, Provision, ProvisionKind, Rulebook, Severity, View};
use crate::spec::ChipSpec;
use chrono::NaiveDate;
use serde::Serialize;

/// The five answers, from least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Decision {
    Nlr,
    LicenseException,
    /// No licence requirement decides it, but BIS guidance says the transaction needs BIS's
    /// authorization (refer it to BIS / counsel; do not ship on an NLR reading).
    Escalate,
    LicenseRequired,
    Prohibited,
}

impl Decision {
    pub fn name(self) -> &'static str {
        match self {
            Decision::Nlr => "NLR",
            Decision::LicenseException => "LICENSE_EXCEPTION",
            Decision::Escalate => "ESCALATE",
            Decision::LicenseRequired => "LICENSE_REQUIRED",
            Decision::Prohibited => "PROHIBITED",
        }
    }

    pub fn headline(self) -> &'static str {
        match self {
            Decision::Nlr => "NO LICENSE REQUIRED",
            Decision::LicenseException => "LICENSE EXCEPTION",
            Decision::Escalate => "ESCALATE: BIS AUTHORIZATION NEEDED",
            Decision::LicenseRequired => "LICENSE REQUIRED",
            Decision::Prohibited => "PROHIBITED",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "NLR" => Some(Decision::Nlr),
            "LICENSE_EXCEPTION" => Some(Decision::LicenseException),
            "ESCALATE" => Some(Decision::Escalate),
            "LICENSE_REQUIRED" => Some(Decision::LicenseRequired),
            "PROHIBITED" => Some(Decision::Prohibited),
            _ => None,
        }
    }
}

/// A question about one shipment.
#[derive(Debug, Clone, Default)]
pub struct Question {
    pub spec: ChipSpec,
    pub destination: Option<Destination>,
    pub buyer: Option<String>,
    /// Where the buyer is headquartered (or its ultimate parent, when only that is known).
    pub buyer_hq: Option<String>,
    /// Where the buyer's ultimate parent is headquartered, when known separately.
    pub buyer_parent_hq: Option<String>,
    pub end_user: Option<String>,
    pub end_user_hq: Option<String>,
    pub end_user_parent_hq: Option<String>,
    /// Recognised end-use codes.
    pub end_use: Vec<String>,
    pub exporter: Option<String>,
    pub exporter_role: Option<String>,
    pub approved_designer: Option<bool>,
    pub ship_from: Option<String>,
    pub quantity: Option<f64>,
    pub buyer_lists: SetFact,
    pub end_user_lists: SetFact,
    pub owner_lists: SetFact,
}

/// A provision that fired (or may fire), with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub citation: String,
    pub detail: String,
    pub event: String,
    /// False when the provision fired only because a fact was unknown (conservative).
    pub certain: bool,
}

/// A licence exception and whether it is available.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExceptionFinding {
    pub code: String,
    pub available: bool,
    pub citation: String,
    pub detail: String,
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify_days: Option<u32>,
    /// Requirements this exception overcomes.
    pub covers: Vec<String>,
}

/// The answer to a [`Question`].
#[derive(Debug, Clone, Serialize)]
pub struct Determination {
    pub decision: Decision,
    pub license_required: bool,
    pub eccn: String,
    pub date: NaiveDate,
    pub view: View,
    pub destination: String,
    pub requirements: Vec<Finding>,
    pub prohibitions: Vec<Finding>,
    /// Guidance that the transaction needs BIS's authorization although no licence requirement
    /// applies (decision `ESCALATE` unless something stricter decides).
    pub escalations: Vec<Finding>,
    pub exceptions: Vec<ExceptionFinding>,
    pub review_policy: Option<Policy>,
    pub review: Vec<Finding>,
    pub notes: Vec<Finding>,
    pub red_flags: Vec<Finding>,
    /// Readings the sources do not settle that this answer rests on (UNCERTAIN).
    pub uncertain: Vec<Finding>,
    /// True when `uncertain` is not empty: the answer is marked UNCERTAIN.
    pub uncertain_reading: bool,
    pub warnings: Vec<String>,
    /// Requirements and prohibitions in force that do not apply, with the evidence why.
    pub not_applicable: Vec<Finding>,
    /// False when a missing fact could change the decision.
    pub determined: bool,
    /// Facts whose absence left the answer open.
    pub missing_facts: Vec<String>,
    pub classification: Classification,
}

fn finding(p: &Provision, o: &Outcome) -> Finding {
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

fn hq_set(own: &Option<String>, parent: &Option<String>) -> Option<Vec<String>> {
    let mut v: Vec<String> = own.iter().chain(parent.iter()).cloned().collect();
    v.dedup();
    (!v.is_empty()).then_some(v)
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
fn concerns_item(when: &crate::expr::Node, cx: &EvalCtx<'_>) -> bool {
    let conjuncts: Vec<&crate::expr::Node> = match &when.kind {
        crate::expr::Kind::And(items) => items.iter().collect(),
        _ => vec![when],
    };
    let item_only: Vec<&&crate::expr::Node> = conjuncts
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

/// The names a product condition matches: the spec's name, its vendor-prefixed display name and
/// its aliases (so `product in ["H20"]` finds the catalog's "H20 (HGX)" through its alias).
pub fn product_names(spec: &ChipSpec) -> Vec<String> {
    let mut v = vec![spec.name.clone(), spec.display_name()];
    v.extend(spec.aliases.iter().cloned());
    v.retain(|n| !n.trim().is_empty());
    v.sort();
    v.dedup();
    v
}

/// Builds the facts of a question (before classification).
pub fn facts_of(q: &Question, date: NaiveDate) -> Facts {
    Facts {
        metrics: crate::metrics::compute(&q.spec),
        date: Some(date),
        quantity: q.quantity,
        destination: q.destination.as_ref().map(|d| d.code.clone()),
        buyer_hq: hq_set(&q.buyer_hq, &q.buyer_parent_hq),
        end_user_hq: hq_set(&q.end_user_hq, &q.end_user_parent_hq),
        exporter: q
            .exporter
            .clone()
            .or_else(|| Some(q.spec.vendor.clone()).filter(|v| !v.is_empty())),
        vendor: Some(q.spec.vendor.clone()),
        eccn: None,
        ic_eccn: None,
        exporter_role: q.exporter_role.clone(),
        ship_from: q.ship_from.clone(),
        approved_designer: q.approved_designer,
        end_use: SetFact {
            definite: q.end_use.clone(),
            possible: Vec::new(),
        },
        buyer_lists: q.buyer_lists.clone(),
        end_user_lists: q.end_user_lists.clone(),
        owner_lists: q.owner_lists.clone(),
        product: product_names(&q.spec),
        overrides: Vec::new(),
    }
}

/// Determines the licence position of a question on `date` in `view`.
///
/// `full` adds the evidence of every requirement that does *not* apply (`not_applicable`);
/// order books leave it out.
pub fn determine(
    book: &Rulebook,
    countries: &Countries,
    q: &Question,
    date: NaiveDate,
    view: View,
    full: bool,
) -> Determination {
    let mut facts = facts_of(q, date);
    let classification = classify_with(
        book,
        countries,
        &q.spec.display_name(),
        &facts,
        date,
        view,
        full,
    );
    facts.eccn = Some(classification.eccn.clone());
    facts.ic_eccn = Some(classification.ic_eccn.clone());
    let active = book.active(date, view);
    let mut warnings = classification.warnings.clone();
    let mut missing: Vec<String> = Vec::new();
    let note_missing = |o: &Outcome, missing: &mut Vec<String>| {
        for m in &o.missing {
            let n = m.meta().name.to_string();
            if !missing.contains(&n) {
                missing.push(n);
            }
        }
    };
    // Requirements and prohibitions.
    let none = |_: &str| Tri::False;
    let cx = EvalCtx {
        facts: &facts,
        date,
        countries,
        applied: &none,
    };
    let mut fired: Vec<(&str, Tri)> = Vec::new();
    let mut requirements = Vec::new();
    let mut prohibitions = Vec::new();
    let mut escalations: Vec<Finding> = Vec::new();
    let mut req_provisions: Vec<(&Provision, Tri)> = Vec::new();
    let mut cleared = Vec::new();
    for p in &active {
        let is_req = matches!(p.kind, ProvisionKind::Require { .. });
        let is_pro = matches!(p.kind, ProvisionKind::Prohibit);
        let is_esc = matches!(p.kind, ProvisionKind::Escalate);
        if !is_req && !is_pro && !is_esc {
            continue;
        }
        let t = eval_tri(&p.when, &cx);
        fired.push((p.id.as_str(), t));
        if t == Tri::False {
            if full && concerns_item(&p.when, &cx) {
                cleared.push(finding(p, &eval(&p.when, &cx)));
            }
            continue;
        }
        let o = eval(&p.when, &cx);
        if o.value == Tri::Unknown {
            note_missing(&o, &mut missing);
            warnings.push(format!(
                "`{}` may apply ({}); answered as if it does",
                p.id,
                o.evidence.join("; ")
            ));
        }
        if is_req {
            requirements.push(finding(p, &o));
            req_provisions.push((p, o.value));
        } else if is_esc {
            escalations.push(finding(p, &o));
        } else {
            prohibitions.push(finding(p, &o));
        }
    }
    let applied = |id: &str| {
        fired
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, t)| *t)
            .unwrap_or(Tri::False)
    };
    let cx = EvalCtx {
        facts: &facts,
        date,
        countries,
        applied: &applied,
    };
    // Licence exceptions (evaluated only when something requires a licence).
    let mut exceptions: Vec<ExceptionFinding> = Vec::new();
    if !requirements.is_empty() {
        for p in &active {
            if let ProvisionKind::Exception {
                code,
                notify_days,
                notify_when,
            } = &p.kind
            {
                let o = eval(&p.when, &cx);
                let covers: Vec<String> = req_provisions
                    .iter()
                    .filter(|(r, _)| matches!(&r.kind, ProvisionKind::Require { exceptions, .. } if exceptions.contains(code)))
                    .map(|(r, _)| r.id.clone())
                    .collect();
                let notify = match (notify_days, notify_when) {
                    (Some(d), Some(w)) => (eval(w, &cx).value != Tri::False).then_some(*d),
                    (Some(d), None) => Some(*d),
                    _ => None,
                };
                let mut detail = finding(p, &o).detail;
                if o.value == Tri::Unknown {
                    detail = format!("not established — {detail}");
                    note_missing(&o, &mut missing);
                }
                if let (Tri::True, Some(d)) = (o.value, notify) {
                    detail.push_str(&format!(
                        "; requires notifying BIS at least {d} days before export"
                    ));
                }
                if covers.is_empty() {
                    if o.value != Tri::True {
                        continue; // neither admitted nor available: noise
                    }
                    let reqs: Vec<&str> =
                        req_provisions.iter().map(|(r, _)| r.id.as_str()).collect();
                    detail = format!("eligible, but the requirements here ({}) admit no licence exception — {detail}", reqs.join(", "));
                }
                exceptions.push(ExceptionFinding {
                    code: code.clone(),
                    available: o.value == Tri::True && !covers.is_empty(),
                    citation: p.citation.clone(),
                    detail,
                    rule: p.id.clone(),
                    notify_days: notify.filter(|_| o.value == Tri::True),
                    covers,
                });
            }
        }
    }
    let covered = |id: &str| {
        exceptions
            .iter()
            .any(|e| e.available && e.covers.iter().any(|c| c == id))
    };
    let fold = |prohibited: bool, reqs: &[&Finding], escalate: bool| {
        if prohibited {
            Decision::Prohibited
        } else if reqs.iter().any(|r| !covered(&r.rule)) {
            Decision::LicenseRequired
        } else if escalate {
            Decision::Escalate
        } else if !reqs.is_empty() {
            Decision::LicenseException
        } else {
            Decision::Nlr
        }
    };
    let decision = fold(
        !prohibitions.is_empty(),
        &requirements.iter().collect::<Vec<_>>(),
        !escalations.is_empty(),
    );
    // Review policy.
    let mut review = Vec::new();
    let mut review_policy = None;
    if decision == Decision::LicenseRequired {
        let mut candidates: Vec<(&Provision, Policy, Outcome)> = Vec::new();
        for p in &active {
            if let ProvisionKind::Review { policy, .. } = &p.kind {
                if eval_tri(&p.when, &cx) == Tri::True {
                    candidates.push((p, *policy, eval(&p.when, &cx)));
                }
            }
        }
        let overridden: Vec<String> = candidates
            .iter()
            .flat_map(|(p, _, _)| match &p.kind {
                ProvisionKind::Review { overrides, .. } => overrides.clone(),
                _ => Vec::new(),
            })
            .collect();
        let mut policies: Vec<Policy> = Vec::new();
        for (p, policy, o) in &candidates {
            if overridden.contains(&p.id) {
                continue;
            }
            let mut f = finding(p, o);
            f.detail = format!("{} — {}", policy.describe(), f.detail);
            review.push(f);
            policies.push(*policy);
        }
        for (p, _) in &req_provisions {
            if let ProvisionKind::Require {
                policy: Some(policy),
                ..
            } = &p.kind
            {
                if !covered(&p.id) && !overridden.contains(&p.id) {
                    policies.push(*policy);
                    review.push(Finding {
                        rule: p.id.clone(),
                        citation: p.citation.clone(),
                        detail: format!("{} — default policy of `{}`", policy.describe(), p.id),
                        event: p.event.clone(),
                        certain: true,
                    });
                }
            }
        }
        review_policy = policies.into_iter().max();
    }
    // Notes, red flags and uncertain readings.
    let mut notes = Vec::new();
    let mut red_flags = Vec::new();
    let mut uncertain = Vec::new();
    for p in &active {
        if let ProvisionKind::Note { severity } = &p.kind {
            if eval_tri(&p.when, &cx) != Tri::True {
                continue;
            }
            let o = eval(&p.when, &cx);
            if o.value == Tri::True {
                match severity {
                    Severity::Info => notes.push(finding(p, &o)),
                    Severity::RedFlag => red_flags.push(finding(p, &o)),
                    Severity::Uncertain => uncertain.push(finding(p, &o)),
                }
            }
        }
    }
    if let Some(d) = &q.destination {
        if let Some(n) = &d.note {
            notes.push(Finding {
                rule: "destination-mapping".into(),
                citation: "15 CFR 772.1 / Supp. No. 1 to part 738".into(),
                detail: format!("{} → {}: {}", d.given, d.code, n),
                event: String::new(),
                certain: true,
            });
        }
    }
    if !classification.determined {
        for w in &classification.what_if {
            if !missing.contains(&w.fact) {
                missing.push(w.fact.clone());
            }
        }
    }
    // The answer is determined when the optimistic reading (uncertain findings dropped) gives
    // the same decision as the conservative one.
    let optimistic = {
        let certain_reqs: Vec<&Finding> = requirements.iter().filter(|f| f.certain).collect();
        fold(
            prohibitions.iter().any(|f| f.certain),
            &certain_reqs,
            escalations.iter().any(|f| f.certain),
        )
    };
    let determined = classification.determined && optimistic == decision;
    if !determined && optimistic != decision {
        warnings.push(format!("answered conservatively as {}; if the missing facts clear the uncertain findings, the answer is {}", decision.name(), optimistic.name()));
    }
    // Whether an EAR licence requirement applies at all — also when a licence exception may
    // overcome it (the decision says whether one does).
    let license_required = !requirements.is_empty();
    Determination {
        decision,
        license_required,
        eccn: classification.eccn.clone(),
        date,
        view,
        destination: q
            .destination
            .as_ref()
            .map(|d| d.code.clone())
            .unwrap_or_default(),
        requirements,
        prohibitions,
        escalations,
        exceptions,
        review_policy,
        review,
        notes,
        red_flags,
        uncertain_reading: !uncertain.is_empty(),
        uncertain,
        warnings,
        not_applicable: cleared,
        determined,
        missing_facts: missing,
        classification,
    }
}

impl Determination {
    /// Ids of the provisions that decided the answer (requirements, prohibitions, exceptions used).
    pub fn deciding_rules(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .prohibitions
            .iter()
            .chain(self.requirements.iter())
            .chain(self.escalations.iter())
            .map(|f| f.rule.clone())
            .collect();
        v.extend(
            self.exceptions
                .iter()
                .filter(|e| e.available)
                .map(|e| e.rule.clone()),
        );
        // With nothing required, a controlled item's paragraph still explains the answer; an
        // uncontrolled one has no deciding rule (its "not met" reasons are not decisions).
        if v.is_empty() && self.eccn != "none" {
            v.extend(
                self.classification
                    .reasons
                    .iter()
                    .map(|r: &Reason| r.rule.clone()),
            );
        }
        v
    }
}
