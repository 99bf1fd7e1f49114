//! The second half of a determination: the outcomes of [`super::evaluate`] folded into one
//! decision, and the review policy of a licence requirement. Pure functions of the outcomes:
//! nothing here evaluates a condition.

use super::evaluate::{Fired, Gate, Review};
use super::{Decision, ExceptionFinding, Finding};
use crate::rules::{Policy, ProvisionKind};

/// Whether an available licence exception overcomes the requirement `id`.
pub(super) fn covered(exceptions: &[ExceptionFinding], id: &str) -> bool {
    exceptions
        .iter()
        .any(|e| e.available && e.covers.iter().any(|c| c == id))
}

/// The decision the fired provisions give: all of them (the conservative reading, an unknown
/// fact counted as if it made the provision apply) or, with `certain_only`, only those that
/// certainly apply (the optimistic reading).
pub(super) fn decision(
    fired: &[Fired<'_>],
    exceptions: &[ExceptionFinding],
    certain_only: bool,
) -> Decision {
    let (mut prohibited, mut uncovered, mut escalate, mut required) = (false, false, false, false);
    for f in fired.iter().filter(|f| !certain_only || f.finding.certain) {
        match f.gate {
            Gate::Prohibit => prohibited = true,
            Gate::Escalate => escalate = true,
            Gate::Require => {
                required = true;
                uncovered |= !covered(exceptions, &f.finding.rule);
            }
        }
    }
    if prohibited {
        Decision::Prohibited
    } else if uncovered {
        Decision::LicenseRequired
    } else if escalate {
        Decision::Escalate
    } else if required {
        Decision::LicenseException
    } else {
        Decision::Nlr
    }
}

/// The review policy of a licence requirement: the review provisions that hold, less those
/// another one overrides, plus the default policies of requirements no exception overcomes;
/// the strictest wins.
pub(super) fn review(
    reviews: &[Review<'_>],
    fired: &[Fired<'_>],
    exceptions: &[ExceptionFinding],
) -> (Vec<Finding>, Option<Policy>) {
    let overridden: Vec<&String> = reviews
        .iter()
        .flat_map(|r| match &r.provision.kind {
            ProvisionKind::Review { overrides, .. } => overrides.iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    let is_overridden = |id: &str| overridden.iter().any(|o| *o == id);
    let mut shown = Vec::new();
    let mut policies: Vec<Policy> = Vec::new();
    for r in reviews {
        if is_overridden(&r.provision.id) {
            continue;
        }
        let mut f = super::evaluate::finding(r.provision, &r.outcome);
        f.detail = format!("{} — {}", r.policy.describe(), f.detail);
        shown.push(f);
        policies.push(r.policy);
    }
    for f in fired.iter().filter(|f| f.gate == Gate::Require) {
        let p = f.provision;
        if let ProvisionKind::Require {
            policy: Some(policy),
            ..
        } = &p.kind
        {
            if !covered(exceptions, &p.id) && !is_overridden(&p.id) {
                policies.push(*policy);
                shown.push(Finding {
                    rule: p.id.clone(),
                    citation: p.citation.clone(),
                    detail: format!("{} — default policy of `{}`", policy.describe(), p.id),
                    event: p.event.clone(),
                    certain: true,
                });
            }
        }
    }
    (shown, policies.into_iter().max())
}
