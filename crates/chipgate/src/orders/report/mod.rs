//! The order-book report: what the run found, as data (serialisable to JSON) and rendered as
//! Markdown or self-contained HTML. Totals by decision per scenario; the same by buyer group,
//! chip and destination; the orders whose decision differs between the baseline and a
//! scenario with the rules that make the difference; and the rejected rows.

pub mod fmt;
pub mod html;
pub mod markdown;

use super::cache::{Cache, Question};
use super::columns::Columns;
use super::pipeline::{Config, RunStats};
use super::row::Row;
use super::tally::{Tallies, Tally};
use anyhow::{Context, Result};
use chipgate_core::license::Decision;
use chipgate_core::Engine;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub use html::{render_html, Pictures};
pub use markdown::render_markdown;

/// A decision with its totals.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionTally {
    pub decision: Decision,
    #[serde(flatten)]
    pub tally: Tally,
}

/// One compared rulebook: the baseline or a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    pub id: String,
    pub title: String,
}

/// A group (buyer group, chip, destination) with its totals per scenario.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub group: String,
    /// Names filed under the group (buyers), first few.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    pub total: Tally,
    /// Per scenario (baseline first): totals by decision.
    pub decisions: Vec<Vec<DecisionTally>>,
    /// Orders whose decision differs between the baseline and some scenario.
    pub flipped: Tally,
}

/// Orders that change decision in a scenario, grouped by the change and its rules.
#[derive(Debug, Clone, Serialize)]
pub struct FlipGroup {
    pub scenario: String,
    pub from: Decision,
    pub to: Decision,
    /// `-rule` only in the baseline's deciding rules, `+rule` only in the scenario's.
    pub rule_change: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// One order whose decision differs between scenarios.
#[derive(Debug, Clone, Serialize)]
pub struct FlipOrder {
    pub line: u64,
    pub order_id: String,
    pub date: String,
    pub chip: String,
    pub buyer: String,
    pub ship_to: String,
    pub quantity: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_usd: Option<f64>,
    /// Baseline first.
    pub decisions: Vec<Decision>,
    /// Per scenario.
    pub rule_change: Vec<String>,
}

impl FlipOrder {
    pub fn new(id: &str, r: &Row, q: &Question, cache: &Cache) -> FlipOrder {
        let chip = cache
            .chips
            .get(q.chip)
            .and_then(|c| c.as_ref().ok())
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let party = cache.parties.get(q.party).and_then(|p| p.as_ref().ok());
        let buyer = party.and_then(|p| p.args.buyer.clone()).unwrap_or_default();
        let ship_to = cache
            .dests
            .get(q.dest)
            .and_then(|d| d.as_ref().ok())
            .map(|d| d.given.clone())
            .unwrap_or_default();
        FlipOrder {
            line: r.line,
            order_id: id.to_string(),
            date: r.date.to_string(),
            chip,
            buyer,
            ship_to,
            quantity: r.quantity,
            value_usd: r.price.map(|p| p * r.quantity),
            decisions: q.outcomes.iter().map(|o| o.decision).collect(),
            rule_change: q.rule_change.clone(),
        }
    }
}

/// A row that was not evaluated, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Rejected {
    pub line: u64,
    pub order_id: String,
    pub reason: String,
}

/// Everything a run found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub input: String,
    /// "each order as of its own date" or "all orders as of D".
    pub mode: String,
    pub view: String,
    /// Baseline first.
    pub scenarios: Vec<ScenarioInfo>,
    pub stats: RunStats,
    pub ignored_columns: Vec<String>,
    /// Per scenario: totals by decision.
    pub totals: Vec<Vec<DecisionTally>>,
    pub by_buyer_group: Vec<GroupRow>,
    pub by_chip: Vec<GroupRow>,
    pub by_destination: Vec<GroupRow>,
    pub flip_summary: Vec<FlipGroup>,
    pub flips_total: u64,
    /// The first flipping orders in input order (at most the list limit).
    pub flips: Vec<FlipOrder>,
    /// The first rejected rows in input order (at most the list limit); `stats.rejected` counts all.
    pub rejected: Vec<Rejected>,
    /// The first rows repeating an earlier row's order id (at most the list limit);
    /// `stats.duplicate_ids` counts all.
    pub duplicates: Vec<Duplicate>,
}

/// A row whose order id appeared on an earlier row.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub order_id: String,
    pub line: u64,
    /// The first row with this id.
    pub first_line: u64,
}

/// One sentence on repeated order ids (empty when there are none).
pub fn duplicates_note(r: &Report) -> String {
    if r.stats.duplicate_ids == 0 {
        return String::new();
    }
    let lines: Vec<String> = r
        .duplicates
        .iter()
        .take(10)
        .map(|d| {
            format!(
                "`{}` on line {} (first on line {})",
                d.order_id, d.line, d.first_line
            )
        })
        .collect();
    format!(
        "{} rows repeat an order id seen on an earlier row; each is counted in the totals: {}{}.",
        fmt::count(r.stats.duplicate_ids),
        lines.join(", "),
        if r.stats.duplicate_ids > 10 {
            ", …"
        } else {
            ""
        }
    )
}

const DECISIONS: [Decision; 5] = [
    Decision::Nlr,
    Decision::LicenseException,
    Decision::Escalate,
    Decision::LicenseRequired,
    Decision::Prohibited,
];

fn by_decision(m: &BTreeMap<Decision, Tally>) -> Vec<DecisionTally> {
    DECISIONS
        .iter()
        .filter_map(|d| {
            m.get(d).map(|t| DecisionTally {
                decision: *d,
                tally: *t,
            })
        })
        .collect()
}

#[derive(Default)]
struct GroupAcc {
    members: Vec<String>,
    total: Tally,
    decisions: Vec<BTreeMap<Decision, Tally>>,
    flipped: Tally,
}

fn groups(acc: BTreeMap<String, GroupAcc>) -> Vec<GroupRow> {
    let mut rows: Vec<GroupRow> = acc
        .into_iter()
        .map(|(g, a)| GroupRow {
            group: g,
            members: a.members,
            total: a.total,
            decisions: a.decisions.iter().map(by_decision).collect(),
            flipped: a.flipped,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.total
            .value_usd
            .total_cmp(&a.total.value_usd)
            .then(b.total.orders.cmp(&a.total.orders))
            .then(a.group.cmp(&b.group))
    });
    rows
}

/// Folds the per-question tallies into the report.
#[expect(
    clippy::too_many_arguments,
    reason = "each argument is one independent input of the step"
)]
pub fn build(
    cfg: &Config,
    engines: &[Engine],
    cache: &Cache,
    tallies: &Tallies,
    stats: RunStats,
    columns: &Columns,
    flips: Vec<FlipOrder>,
    flips_total: u64,
    rejected: Vec<Rejected>,
) -> Report {
    let n = engines.len();
    let mut scenarios = vec![ScenarioInfo {
        id: "baseline".into(),
        title: format!("baseline ({})", cfg.view.describe()),
    }];
    for (i, e) in engines.get(1..).unwrap_or_default().iter().enumerate() {
        let title = cfg
            .scenario_titles
            .get(i)
            .cloned()
            .or_else(|| {
                let path = cfg.scenarios.get(i)?;
                crate::data::load_scenario(path).ok().map(|s| s.title)
            })
            .unwrap_or_default();
        scenarios.push(ScenarioInfo {
            id: e.scenarios.last().cloned().unwrap_or_default(),
            title,
        });
    }
    let mut totals: Vec<BTreeMap<Decision, Tally>> = vec![BTreeMap::new(); n];
    let mut buyers: BTreeMap<String, GroupAcc> = BTreeMap::new();
    let mut chips: BTreeMap<String, GroupAcc> = BTreeMap::new();
    let mut dests: BTreeMap<String, GroupAcc> = BTreeMap::new();
    let mut flip_groups: BTreeMap<(usize, Decision, Decision, String), Tally> = BTreeMap::new();
    for (i, t) in tallies.0.iter().enumerate() {
        if t.orders == 0 {
            continue;
        }
        let Some(Ok(q)) = cache.questions.get(i) else {
            continue;
        };
        let party = cache.parties.get(q.party).and_then(|p| p.as_ref().ok());
        let group = party.map(|p| p.group.clone()).unwrap_or_default();
        let buyer = party.and_then(|p| p.args.buyer.clone());
        let chip = cache
            .chips
            .get(q.chip)
            .and_then(|c| c.as_ref().ok())
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let dest = cache
            .dests
            .get(q.dest)
            .and_then(|d| d.as_ref().ok())
            .map(|d| d.code.clone())
            .unwrap_or_default();
        for (s, o) in q.outcomes.iter().enumerate() {
            if let Some(m) = totals.get_mut(s) {
                m.entry(o.decision).or_default().merge(t);
            }
        }
        for (s, (o, change)) in q.outcomes[1..].iter().zip(&q.rule_change).enumerate() {
            if o.decision != q.outcomes[0].decision {
                flip_groups
                    .entry((s + 1, q.outcomes[0].decision, o.decision, change.clone()))
                    .or_default()
                    .merge(t);
            }
        }
        for (map, key, member) in [
            (&mut buyers, group, buyer),
            (&mut chips, chip, None),
            (&mut dests, dest, None),
        ] {
            let a = map.entry(key).or_insert_with(|| GroupAcc {
                decisions: vec![BTreeMap::new(); n],
                ..Default::default()
            });
            a.total.merge(t);
            if q.flips {
                a.flipped.merge(t);
            }
            for (s, o) in q.outcomes.iter().enumerate() {
                if let Some(m) = a.decisions.get_mut(s) {
                    m.entry(o.decision).or_default().merge(t);
                }
            }
            if let Some(m) = member {
                if !a.members.contains(&m) && a.members.len() < 12 {
                    a.members.push(m);
                }
            }
        }
    }
    let mut flip_summary: Vec<FlipGroup> = flip_groups
        .into_iter()
        .map(|((s, from, to, rule_change), tally)| FlipGroup {
            scenario: scenarios.get(s).map(|x| x.id.clone()).unwrap_or_default(),
            from,
            to,
            rule_change,
            tally,
        })
        .collect();
    flip_summary.sort_by(|a, b| {
        b.tally
            .value_usd
            .total_cmp(&a.tally.value_usd)
            .then(b.tally.orders.cmp(&a.tally.orders))
    });
    Report {
        input: cfg.input.display().to_string(),
        mode: match cfg.as_of {
            Some(d) => format!("all orders as of {d}"),
            None => "each order as of its own date".into(),
        },
        view: cfg.view.name().to_string(),
        scenarios,
        stats,
        ignored_columns: columns.ignored.clone(),
        totals: totals.iter().map(by_decision).collect(),
        by_buyer_group: groups(buyers),
        by_chip: groups(chips),
        by_destination: groups(dests),
        flip_summary,
        flips_total,
        flips,
        rejected,
        duplicates: Vec::new(),
    }
}

/// Writes the report; the format follows the extension (`.md`, `.html`/`.htm`, `.json`).
pub fn write(path: &Path, report: &Report, pictures: &Pictures) -> Result<()> {
    let text = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html") | Some("htm") => render_html(report, pictures),
        Some("json") => serde_json::to_string_pretty(report)?,
        Some("md") | Some("markdown") => render_markdown(report),
        _ => {
            crate::outfile::require_extension("report", path, REPORT_EXTENSIONS)?;
            render_markdown(report)
        }
    };
    crate::outfile::write(path, text.as_bytes())
        .with_context(|| format!("writing report {}", path.display()))
}

/// The report formats, by extension.
pub const REPORT_EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm", "json"];

/// The terminal summary: totals by decision, one column per scenario.
pub fn summary_table(r: &Report) -> String {
    let mut s = String::new();
    let width = 34;
    s.push_str(&format!("{:<22}", ""));
    for sc in &r.scenarios {
        let label = if sc.id == "baseline" {
            r.scenarios
                .first()
                .map(|x| x.title.clone())
                .unwrap_or_default()
        } else {
            sc.id.clone()
        };
        s.push_str(&format!("{label:<width$}"));
    }
    s.push('\n');
    for d in DECISIONS {
        let cells: Vec<Option<Tally>> = r
            .totals
            .iter()
            .map(|t| t.iter().find(|x| x.decision == d).map(|x| x.tally))
            .collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        s.push_str(&format!("{:<22}", d.name()));
        for c in cells {
            let t = c.unwrap_or_default();
            let cell = format!(
                "{:>9} orders {:>10}",
                fmt::count(t.orders),
                fmt::usd(t.value_usd)
            );
            s.push_str(&format!("{cell:<width$}"));
        }
        s.push('\n');
    }
    s.push_str(&format!(
        "\n{} rows read, {} evaluated, {} rejected; {} distinct questions ({} party combinations, {} chips, {} date boundaries)\n",
        fmt::count(r.stats.rows_read),
        fmt::count(r.stats.orders_evaluated),
        fmt::count(r.stats.rejected),
        fmt::count(r.stats.distinct_questions as u64),
        fmt::count(r.stats.distinct_parties as u64),
        fmt::count(r.stats.distinct_chips as u64),
        r.stats.date_boundaries
    ));
    let dup = duplicates_note(r);
    if !dup.is_empty() {
        s.push_str(&format!("warning: {dup}\n"));
    }
    if r.scenarios.len() > 1 {
        s.push_str(&format!(
            "{} orders change decision under a scenario",
            fmt::count(r.flips_total)
        ));
        if let Some(f) = r.flip_summary.first() {
            s.push_str(&format!(
                "; largest change: {} {} → {} ({} orders, {}) by {}",
                f.scenario,
                f.from.name(),
                f.to.name(),
                fmt::count(f.tally.orders),
                fmt::usd(f.tally.value_usd),
                f.rule_change
            ));
        }
        s.push('\n');
    }
    s
}

/// " (first N listed; all are on standard error)" when the report lists fewer rejected rows
/// than it counts.
pub(crate) fn rejected_note(r: &Report) -> String {
    if (r.rejected.len() as u64) < r.stats.rejected {
        format!(
            " (first {} listed; all are on standard error)",
            r.rejected.len()
        )
    } else {
        String::new()
    }
}
