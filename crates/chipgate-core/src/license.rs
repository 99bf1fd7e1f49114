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

mod evaluate;
mod fold;

use crate::classify::{classify_with, Classification, Reason};
use crate::countries::{Countries, Destination};
use crate::facts::{Facts, SetFact};
use crate::rules::{Policy, Rulebook, View};
use crate::spec::ChipSpec;
use chrono::NaiveDate;
use evaluate::Gate;
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

fn hq_set(own: &Option<String>, parent: &Option<String>) -> Option<Vec<String>> {
    let mut v: Vec<String> = own.iter().chain(parent.iter()).cloned().collect();
    v.dedup();
    (!v.is_empty()).then_some(v)
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

/// Determines the licence position of a question on `date` in `view`: classify the item,
/// evaluate every provision in force once ([`evaluate`]), then fold the outcomes into the
/// decision ([`fold`]).
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
    let outcomes = evaluate::evaluate(&active, &facts, date, countries, full);

    // The conservative reading counts a provision an unknown fact may fire; the optimistic one
    // drops it. The answer is determined when both agree (and the classification is).
    let decision = fold::decision(&outcomes.fired, &outcomes.exceptions, false);
    let optimistic = fold::decision(&outcomes.fired, &outcomes.exceptions, true);
    let (review, review_policy) = if decision == Decision::LicenseRequired {
        fold::review(&outcomes.reviews, &outcomes.fired, &outcomes.exceptions)
    } else {
        (Vec::new(), None)
    };
    let mut warnings = classification.warnings.clone();
    warnings.extend(outcomes.warnings);
    let determined = classification.determined && optimistic == decision;
    if optimistic != decision {
        warnings.push(format!("answered conservatively as {}; if the missing facts clear the uncertain findings, the answer is {}", decision.name(), optimistic.name()));
    }
    let mut missing = outcomes.missing;
    if !classification.determined {
        for w in &classification.what_if {
            if !missing.contains(&w.fact) {
                missing.push(w.fact.clone());
            }
        }
    }
    let mut notes = outcomes.notes;
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
    let (mut requirements, mut prohibitions, mut escalations) =
        (Vec::new(), Vec::new(), Vec::new());
    for f in outcomes.fired {
        match f.gate {
            Gate::Require => requirements.push(f.finding),
            Gate::Prohibit => prohibitions.push(f.finding),
            Gate::Escalate => escalations.push(f.finding),
        }
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
        exceptions: outcomes.exceptions,
        review_policy,
        review,
        notes,
        red_flags: outcomes.red_flags,
        uncertain_reading: !outcomes.uncertain.is_empty(),
        uncertain: outcomes.uncertain,
        warnings,
        not_applicable: outcomes.not_applicable,
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
