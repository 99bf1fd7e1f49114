//! Rulebook types: events, provisions and their closed set of kinds.

use crate::expr::Node;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which clock a question is asked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// BIS's announced enforcement posture, with compliance dates (the default).
    #[default]
    Enforced,
    /// The text of the EAR in force, whatever the enforcement posture.
    Law,
}

impl View {
    pub fn name(self) -> &'static str {
        match self {
            View::Enforced => "enforced",
            View::Law => "law",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            View::Enforced => "as enforced",
            View::Law => "text in force",
        }
    }

    pub fn parse(s: &str) -> Option<View> {
        match s {
            "enforced" | "as-enforced" | "as_enforced" => Some(View::Enforced),
            "law" | "text" => Some(View::Law),
            _ => None,
        }
    }
}

/// Legal status of a provision version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    InForce,
    Proposed,
    Withdrawn,
    Suspended,
    NotEnforced,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::InForce => "in_force",
            Status::Proposed => "proposed",
            Status::Withdrawn => "withdrawn",
            Status::Suspended => "suspended",
            Status::NotEnforced => "not_enforced",
        }
    }
}

/// What kind of regulatory event a file records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Rule,
    Letter,
    Guidance,
    Reversal,
    Proposal,
    Baseline,
    Scenario,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Rule => "rule",
            EventKind::Letter => "letter",
            EventKind::Guidance => "guidance",
            EventKind::Reversal => "reversal",
            EventKind::Proposal => "proposal",
            EventKind::Baseline => "baseline",
            EventKind::Scenario => "scenario",
        }
    }
}

/// Licence review policy, ordered from least to most strict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    PresumptionOfApproval,
    CaseByCase,
    PresumptionOfDenial,
    PolicyOfDenial,
}

impl Policy {
    pub fn name(self) -> &'static str {
        match self {
            Policy::PresumptionOfApproval => "presumption_of_approval",
            Policy::CaseByCase => "case_by_case",
            Policy::PresumptionOfDenial => "presumption_of_denial",
            Policy::PolicyOfDenial => "policy_of_denial",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Policy::PresumptionOfApproval => "presumption of approval",
            Policy::CaseByCase => "case-by-case review",
            Policy::PresumptionOfDenial => "presumption of denial",
            Policy::PolicyOfDenial => "policy of denial",
        }
    }
}

/// Severity of a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    #[default]
    Info,
    RedFlag,
    /// The answer rests on a reading the sources do not settle (shown as UNCERTAIN).
    Uncertain,
}

/// Classification stage: the IC itself, or a system containing ICs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    #[default]
    Ic,
    System,
}

/// The closed set of provision types.
#[derive(Debug, Clone, PartialEq)]
pub enum ProvisionKind {
    /// The item falls in `eccn` (paragraph = provision id) when the condition holds.
    Classify { eccn: String, stage: Stage },
    /// Takes the item out of the listed classify provisions when the condition holds (a note).
    Exclude { paragraphs: Vec<String> },
    /// A licence requirement; `exceptions` lists licence-exception codes that may overcome it.
    Require {
        exceptions: Vec<String>,
        policy: Option<Policy>,
    },
    /// The transaction may not proceed (denied party, SDN).
    Prohibit,
    /// No licence requirement as such, but the transaction needs BIS's word before it proceeds
    /// (e.g. BIS guidance that dealing in an item risks violating General Prohibition 10).
    Escalate,
    /// A licence exception and when it is available.
    Exception {
        code: String,
        notify_days: Option<u32>,
        notify_when: Option<Node>,
    },
    /// The licence review policy when the condition holds; may override other reviews or
    /// requirements' default policies by id.
    Review {
        policy: Policy,
        overrides: Vec<String>,
    },
    /// Information to show (revenue share, tariff band, guidance red flag).
    Note { severity: Severity },
    /// Sets the targeted events or provisions aside in the named views while in force.
    Posture {
        targets: Vec<String>,
        status: Status,
        views: Vec<View>,
    },
}

impl ProvisionKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            ProvisionKind::Classify { .. } => "classify",
            ProvisionKind::Exclude { .. } => "exclude",
            ProvisionKind::Require { .. } => "require",
            ProvisionKind::Prohibit => "prohibit",
            ProvisionKind::Escalate => "escalate",
            ProvisionKind::Exception { .. } => "exception",
            ProvisionKind::Review { .. } => "review",
            ProvisionKind::Note { .. } => "note",
            ProvisionKind::Posture { .. } => "posture",
        }
    }
}

/// A regulatory event (one rule file).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub title: String,
    /// A few words for pictures ("H20 letters").
    pub short: Option<String>,
    pub kind: EventKind,
    pub announced: Option<NaiveDate>,
    pub effective: Option<NaiveDate>,
    pub citation: String,
    pub status: Status,
    pub sources: Vec<String>,
    pub notes: String,
    pub file: String,
}

/// One provision version.
#[derive(Debug, Clone, PartialEq)]
pub struct Provision {
    pub id: String,
    pub event: String,
    pub kind: ProvisionKind,
    pub summary: String,
    pub citation: String,
    pub effective: NaiveDate,
    /// Explicit end of the window (exclusive).
    pub until: Option<NaiveDate>,
    /// End after version chaining (the next version's start, or `until`), law view.
    pub end: Option<NaiveDate>,
    /// The same in the enforced view (the next version may start at its compliance date).
    pub end_enforced: Option<NaiveDate>,
    /// Compliance date: the enforced view starts here when later than `effective`.
    pub compliance: Option<NaiveDate>,
    pub status: Status,
    pub when: Node,
    /// The source text of the condition, for catalogues.
    pub when_text: String,
    pub replaces: Vec<String>,
    pub notes: String,
    pub file: String,
    pub line: usize,
}

impl Provision {
    /// Exclusive end in a view.
    pub fn end_in(&self, view: View) -> Option<NaiveDate> {
        match view {
            View::Law => self.end,
            View::Enforced => self.end_enforced,
        }
    }

    /// First day the provision applies in a view.
    pub fn start(&self, view: View) -> NaiveDate {
        match (view, self.compliance) {
            (View::Enforced, Some(c)) if c > self.effective => c,
            _ => self.effective,
        }
    }
}
