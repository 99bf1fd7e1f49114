//! The decision over time for one question: evaluated at every date where the answer may
//! change ([`change_dates`]: a provision starts, ends or reaches its compliance date, a Country
//! Group changes, or a condition's test of the calendar turns), merged into segments, each
//! naming the rule events that opened it.

use crate::countries::Countries;
use crate::expr::{Node, YearTurns};
use crate::license::{determine, Decision, Question};
use crate::rules::{Policy, ProvisionKind, Rulebook, View};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A rule event that changed the answer at the start of a segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRef {
    pub id: String,
    pub title: String,
    pub kind: String,
    /// A short label for pictures, when the rule file gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
}

/// A span of dates with one answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    pub from: NaiveDate,
    /// Exclusive end; `None` = still the answer at the end of the range.
    pub until: Option<NaiveDate>,
    pub decision: Decision,
    pub eccn: String,
    pub review_policy: Option<Policy>,
    /// Requirements, prohibitions and exceptions that decided the answer.
    pub rules: Vec<String>,
    pub summary: String,
    pub changed_by: Vec<EventRef>,
    pub determined: bool,
    /// UNCERTAIN flags raised over the segment (rule ids): the answer rests on an unsettled reading.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncertain: Vec<String>,
}

/// Every date in `(from, to]` on which the answer to some question may differ from the day
/// before, in either view, sorted: the provision windows of the rulebook (with any scenario
/// overlaid), the Country Group changes, and 1 January of each year a condition's test of
/// `year` turns on (of every year when a condition reads `year` in a way not analysed).
/// Between two consecutive dates, every question has one answer.
pub fn change_dates(
    book: &Rulebook,
    countries: &Countries,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<NaiveDate> {
    let mut dates = book.boundaries();
    dates.extend(countries.change_dates());
    let turns = year_turns(book);
    let jan1 = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1);
    dates.extend(turns.years.iter().filter_map(|y| jan1(*y)));
    if turns.every_year {
        dates.extend((from.year().saturating_add(1)..=to.year()).filter_map(jan1));
    }
    dates.retain(|d| from < *d && *d <= to);
    dates.sort_unstable();
    dates.dedup();
    dates
}

/// The calendar turns of every condition in the rulebook, whatever its window or status.
fn year_turns(book: &Rulebook) -> YearTurns {
    let mut turns = YearTurns::default();
    for p in &book.provisions {
        let mut nodes: Vec<&Node> = vec![&p.when];
        if let ProvisionKind::Exception {
            notify_when: Some(n),
            ..
        } = &p.kind
        {
            nodes.push(n);
        }
        for n in nodes {
            turns.merge(n.year_turns());
        }
    }
    turns
}

/// The answer to `q` from `from` to `to` (inclusive) in `view`.
pub fn timeline(
    book: &Rulebook,
    countries: &Countries,
    q: &Question,
    from: NaiveDate,
    to: NaiveDate,
    view: View,
) -> Vec<Segment> {
    let mut dates: Vec<NaiveDate> = vec![from];
    dates.extend(change_dates(book, countries, from, to));
    let mut out: Vec<Segment> = Vec::new();
    for d in dates {
        let det = determine(book, countries, q, d, view, false);
        let mut rules: Vec<String> = det
            .prohibitions
            .iter()
            .chain(det.requirements.iter())
            .chain(det.escalations.iter())
            .map(|f| f.rule.clone())
            .collect();
        rules.extend(
            det.exceptions
                .iter()
                .filter(|e| e.available)
                .map(|e| format!("{} ({})", e.rule, e.code)),
        );
        rules.extend(det.review.iter().map(|r| format!("review:{}", r.rule)));
        if rules.is_empty() {
            // Nothing requires a licence: the classification provisions in force are the reasons.
            rules.extend(
                det.classification
                    .reasons
                    .iter()
                    .take(1)
                    .map(|r| format!("classify:{}", r.rule)),
            );
        }
        let summary = summarise(&det);
        let uncertain: Vec<String> = det.uncertain.iter().map(|f| f.rule.clone()).collect();
        let same = out
            .last()
            .map(|s| {
                s.decision == det.decision
                    && s.review_policy == det.review_policy
                    && s.rules == rules
                    && s.eccn == det.eccn
                    && s.uncertain == uncertain
            })
            .unwrap_or(false);
        if same {
            continue;
        }
        if let Some(last) = out.last_mut() {
            last.until = Some(d);
        }
        let changed_by = book
            .events_on(d, view)
            .into_iter()
            .map(|e| EventRef {
                id: e.id.clone(),
                title: e.title.clone(),
                kind: e.kind.name().to_string(),
                short: e.short.clone(),
            })
            .collect();
        out.push(Segment {
            from: d,
            until: None,
            decision: det.decision,
            eccn: det.eccn.clone(),
            review_policy: det.review_policy,
            rules,
            summary,
            changed_by,
            determined: det.determined,
            uncertain,
        });
    }
    out
}

fn summarise(det: &crate::license::Determination) -> String {
    let first = |v: &[crate::license::Finding]| v.first().map(|f| f.detail.clone());
    match det.decision {
        Decision::Nlr => {
            let why = det
                .classification
                .reasons
                .first()
                .map(|r| r.detail.clone())
                .unwrap_or_default();
            format!(
                "no licence required ({}){}",
                if det.eccn == "none" {
                    "not 3A090/4A090, residual ECCN not determined".to_string()
                } else {
                    format!("ECCN {}", det.eccn)
                },
                if why.is_empty() {
                    String::new()
                } else {
                    format!(": {why}")
                }
            )
        }
        Decision::LicenseException => {
            let codes: Vec<&str> = det
                .exceptions
                .iter()
                .filter(|e| e.available)
                .map(|e| e.code.as_str())
                .collect();
            format!("licence exception {} available", codes.join("/"))
        }
        Decision::Escalate => format!(
            "BIS authorization needed (escalate) — {}",
            first(&det.escalations).unwrap_or_default()
        ),
        Decision::LicenseRequired => format!(
            "licence required{} — {}",
            det.review_policy
                .map(|p| format!(" ({})", p.describe()))
                .unwrap_or_default(),
            first(&det.requirements).unwrap_or_default()
        ),
        Decision::Prohibited => format!(
            "prohibited — {}",
            first(&det.prohibitions).unwrap_or_default()
        ),
    }
}
