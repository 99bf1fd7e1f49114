//! The answer layer: the one place where a request ([`crate::request`]) becomes an answer.
//! The CLI commands, the HTTP handlers, order books and golden cases all call these functions
//! and only differ in what they do with the answer (render it, audit and serialise it, compare
//! it). The answers are wire types, kept apart from core's domain types: core may grow a field
//! without the JSON contract changing by accident (the answer snapshot tests pin it).
//!
//! Scenarios are applied by the caller (a CLI `--scenario FILE` when the engine is loaded, an
//! HTTP `scenario` by `server::scenarios::engine_for`): an answer function is handed the engine
//! the question is to be asked of.

use crate::question::{date_or_today, parse_date, parse_view, prepare, resolve_item};
use crate::question::{PartyScreening, PartyStatus};
use crate::request::{CheckRequest, ClassifyRequest, ScreenRequest, TimelineRequest};
use crate::screening::PartyContext;
use chipgate_core::classify::Classification;
use chipgate_core::countries::Countries;
use chipgate_core::license::{Decision, Determination};
use chipgate_core::rules::View;
use chipgate_core::timeline::Segment;
use chipgate_core::{Engine, InputError};
use chipgate_screen::{ListInfo, ScreenResult, Screener};
use chrono::NaiveDate;
use serde::Serialize;

/// Why a question got no answer.
#[derive(Debug)]
pub enum AnswerError {
    /// The question itself is wrong (a field is named).
    Input(InputError),
    /// Something the answer needs is not loaded (e.g. no screening lists).
    Unavailable(String),
    /// A fault of chipgate's, not of the question.
    Internal(String),
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerError::Input(e) => write!(f, "{e}"),
            AnswerError::Unavailable(m) | AnswerError::Internal(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for AnswerError {}

impl From<InputError> for AnswerError {
    fn from(e: InputError) -> AnswerError {
        AnswerError::Input(e)
    }
}

impl From<anyhow::Error> for AnswerError {
    fn from(e: anyhow::Error) -> AnswerError {
        match e.downcast::<InputError>() {
            Ok(ie) => AnswerError::Input(ie),
            Err(e) => AnswerError::Internal(format!("{e:#}")),
        }
    }
}

/// `check`: can this order ship? The determination plus what was asked and what screening
/// found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckAnswer {
    pub chip: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_hq: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exporter: Option<String>,
    pub scenarios: Vec<String>,
    #[serde(flatten)]
    pub determination: Determination,
    pub screening: Vec<PartyScreening>,
    /// The screening lists used, with their snapshot dates (when a party was screened).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<ListInfo>,
    /// The as-of date is after the snapshot date of a list used: parties listed since then
    /// are not known to this answer (present when a party was screened).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lists_stale: Option<bool>,
}

impl CheckAnswer {
    /// The worst screening status among the parties.
    pub fn screening_status(&self) -> PartyStatus {
        worst_status(self.screening.iter().map(|s| s.status))
    }
}

/// The worst of some screening statuses (`not_screened` when there are none).
pub fn worst_status(statuses: impl Iterator<Item = PartyStatus>) -> PartyStatus {
    statuses.max_by_key(|s| status_rank(*s)).unwrap_or_default()
}

fn status_rank(s: PartyStatus) -> u8 {
    match s {
        PartyStatus::NotScreened => 0,
        PartyStatus::Clear => 1,
        PartyStatus::PotentialMatch => 2,
        PartyStatus::Match => 3,
    }
}

/// `classify`: the ECCN paragraph of a chip on a date.
#[derive(Debug, Clone, Serialize)]
pub struct ClassifyAnswer {
    #[serde(flatten)]
    pub classification: Classification,
    /// Scenarios overlaid on the rulebook (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<String>,
}

/// `timeline`: the decision over time, segment by segment.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineAnswer {
    pub chip: String,
    pub destination: Option<String>,
    pub buyer_hq: Option<String>,
    pub view: View,
    pub scenarios: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub segments: Vec<Segment>,
}

/// `screen`: one name against the lists.
#[derive(Debug, Clone, Serialize)]
pub struct ScreenAnswer {
    #[serde(flatten)]
    pub result: ScreenResult,
}

/// Answers a check: resolve the item, prepare the question (screening the parties unless
/// the request says not to), decide.
pub fn check(
    engine: &Engine,
    parties: &PartyContext,
    req: &CheckRequest,
) -> Result<CheckAnswer, AnswerError> {
    let spec = resolve_item(engine, req.chip.as_deref(), req.spec.as_ref(), req.count)?;
    let date = date_or_today("date", req.date.as_deref())?;
    let view = parse_view(req.view.as_deref().unwrap_or("enforced"))?;
    let unscreened = PartyContext::default();
    let cx = context(parties, req, &unscreened);
    let prepared = prepare(engine, cx, spec, &req.to, req, date)?;
    let mut det = engine.check(&prepared.question, date, view)?;
    det.warnings.extend(prepared.warnings.iter().cloned());
    let q = &prepared.question;
    let lists_stale = (!prepared.lists.is_empty()).then(|| {
        prepared
            .lists
            .iter()
            .any(|l| l.snapshot_date.is_some_and(|s| s < det.date))
    });
    Ok(CheckAnswer {
        chip: q.spec.display_name(),
        buyer: q.buyer.clone(),
        buyer_hq: q.buyer_hq.clone(),
        exporter: q.exporter.clone().or_else(|| Some(q.spec.vendor.clone())),
        scenarios: engine.scenarios.clone(),
        determination: det,
        screening: prepared.screening,
        lists: prepared.lists,
        lists_stale,
    })
}

/// The party context a request is answered with: `no_screen` drops the lists but keeps a
/// party file the caller loaded (ownership and known listings are the user's own facts, not
/// screening).
fn context<'a>(
    parties: &'a PartyContext,
    req: &CheckRequest,
    unscreened: &'a PartyContext,
) -> &'a PartyContext {
    if !req.screens() && parties.screener.is_some() {
        unscreened
    } else {
        parties
    }
}

/// The order-book path, split in two so a book of millions of rows prepares each distinct set
/// of parties once per screening epoch and decides each distinct question once: first the
/// party and transaction facts of a request (screened as of `date`; the item and destination
/// are filled in per question by the caller)…
pub fn prepare_parties(
    engine: &Engine,
    parties: &PartyContext,
    req: &CheckRequest,
    date: NaiveDate,
) -> Result<crate::question::Prepared, AnswerError> {
    let unscreened = PartyContext::default();
    let cx = context(parties, req, &unscreened);
    Ok(prepare(
        engine,
        cx,
        chipgate_core::spec::ChipSpec::default(),
        &req.to,
        req,
        date,
    )?)
}

/// …then the decision on such a prepared question, without the evidence texts an order book
/// does not show (`tests/orders.rs` proves these decisions equal `check`'s).
pub fn decide_brief(
    engine: &Engine,
    question: &chipgate_core::license::Question,
    date: NaiveDate,
    view: View,
) -> Result<Determination, AnswerError> {
    Ok(engine.check_brief(question, date, view)?)
}

/// Answers a classification.
pub fn classify(engine: &Engine, req: &ClassifyRequest) -> Result<ClassifyAnswer, AnswerError> {
    let spec = resolve_item(engine, req.chip.as_deref(), req.spec.as_ref(), req.count)?;
    let date = date_or_today("date", req.date.as_deref())?;
    let view = parse_view(req.view.as_deref().unwrap_or("enforced"))?;
    let classification = engine.classify_as(&spec, date, view, req.exporter_role.as_deref())?;
    Ok(ClassifyAnswer {
        classification,
        scenarios: engine.scenarios.clone(),
    })
}

/// Answers a timeline: the check asked on every date from `from` to `to_date`, one segment
/// per span with one answer (parties screened as of the last date).
pub fn timeline(
    engine: &Engine,
    parties: &PartyContext,
    req: &TimelineRequest,
) -> Result<TimelineAnswer, AnswerError> {
    let c = &req.check;
    let spec = resolve_item(engine, c.chip.as_deref(), c.spec.as_ref(), c.count)?;
    let from = parse_date("from", req.from.as_deref().unwrap_or("2022-01-01"))?;
    let until = date_or_today("to_date", req.to_date.as_deref())?;
    let view = parse_view(c.view.as_deref().unwrap_or("enforced"))?;
    let unscreened = PartyContext::default();
    let cx = context(parties, c, &unscreened);
    let prepared = prepare(engine, cx, spec, &c.to, c, until)?;
    let segments = engine.timeline(&prepared.question, from, until, view)?;
    let q = prepared.question;
    Ok(TimelineAnswer {
        chip: q.spec.display_name(),
        destination: q.destination.map(|d| d.code),
        buyer_hq: q.buyer_hq,
        view,
        scenarios: engine.scenarios.clone(),
        from,
        to: until,
        segments,
    })
}

/// Answers a screening of one name (`countries` validates the party's country).
pub fn screen(
    countries: &Countries,
    screener: Option<&Screener>,
    req: &ScreenRequest,
) -> Result<ScreenAnswer, AnswerError> {
    let Some(screener) = screener else {
        return Err(AnswerError::Unavailable(
            "no screening lists are loaded".into(),
        ));
    };
    if req.name.trim().is_empty() {
        return Err(InputError::new("name", "must not be empty").into());
    }
    crate::screening::check_name("name", &req.name)?;
    let country = match &req.country {
        Some(c) => Some(countries.destination("country", c)?.given),
        None => None,
    };
    if let Some(t) = req.threshold {
        if !(0.0..=1.0).contains(&t) {
            return Err(InputError::new("threshold", "must be between 0 and 1").into());
        }
    }
    let date = match req.date.as_deref() {
        Some(d) => parse_date("date", d)?,
        None => chrono::Utc::now().date_naive(),
    };
    let q = chipgate_screen::Query {
        name: req.name.clone(),
        country,
        date: Some(date),
        threshold: req.threshold,
        lists: req.lists.clone().filter(|l| !l.is_empty()),
    };
    let result = screener
        .screen(&q)
        .map_err(|e| InputError::new(e.field(), e.to_string()))?;
    Ok(ScreenAnswer { result })
}

/// What a script can ask chipgate to treat as a failure (`--fail-on`), so a pipeline or an
/// ERP job gates on a decision by exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// Any answer that is not a plain go: licence required, prohibited, escalate, or not
    /// determined (missing facts).
    License,
    /// A prohibition (e.g. a listed party with a policy of denial).
    Prohibited,
    /// A screened party matched a list (certain match).
    Match,
    /// A screened party matched a list or may have (potential match, to be reviewed).
    PotentialMatch,
}

impl FailOn {
    /// Whether a check answer trips this gate.
    pub fn trips_check(self, a: &CheckAnswer) -> bool {
        let d = &a.determination;
        match self {
            FailOn::License => {
                !matches!(d.decision, Decision::Nlr | Decision::LicenseException) || !d.determined
            }
            FailOn::Prohibited => d.decision == Decision::Prohibited,
            FailOn::Match => a.screening_status() == PartyStatus::Match,
            FailOn::PotentialMatch => matches!(
                a.screening_status(),
                PartyStatus::Match | PartyStatus::PotentialMatch
            ),
        }
    }

    /// Whether a screening status trips this gate (`license` and `prohibited` never do).
    pub fn trips_screening(self, s: chipgate_screen::Status) -> bool {
        use chipgate_screen::Status;
        match self {
            FailOn::Match => s == Status::Match,
            FailOn::PotentialMatch => matches!(s, Status::Match | Status::PotentialMatch),
            FailOn::License | FailOn::Prohibited => false,
        }
    }
}

/// Whether an order-book run trips a gate: any baseline decision or screening outcome that
/// would trip it for a single order.
pub fn trips_book(gate: FailOn, rep: &crate::orders::report::Report) -> bool {
    let baseline = rep.totals.first().map(Vec::as_slice).unwrap_or_default();
    let any =
        |f: &dyn Fn(Decision) -> bool| baseline.iter().any(|t| t.tally.orders > 0 && f(t.decision));
    match gate {
        FailOn::License => any(&|d| !matches!(d, Decision::Nlr | Decision::LicenseException)),
        FailOn::Prohibited => any(&|d| d == Decision::Prohibited),
        FailOn::Match => rep.stats.screening_matches > 0,
        FailOn::PotentialMatch => {
            rep.stats.screening_matches + rep.stats.screening_potential_matches > 0
        }
    }
}
