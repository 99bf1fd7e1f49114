//! The report as Markdown (tables readable as plain text too).

use super::fmt::{count, units, usd};
use super::{DecisionTally, GroupRow, Report};
use std::fmt::Write;

/// Rows shown per group table (the JSON report has all).
pub const TOP: usize = 25;

/// "NLR 212 ($2.1 bn) · LICENSE_REQUIRED 992 ($16.0 bn)"
pub fn mix(d: &[DecisionTally]) -> String {
    d.iter()
        .map(|x| {
            format!(
                "{} {} ({})",
                x.decision.name(),
                count(x.tally.orders),
                usd(x.tally.value_usd)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn esc(s: &str) -> String {
    s.replace('|', "\\|")
}

fn group_table(s: &mut String, title: &str, rows: &[GroupRow], r: &Report) {
    let _ = writeln!(s, "\n## By {title}\n");
    let mut head = format!("| {title} | orders | units | value |");
    let mut rule = "|---|---:|---:|---:|".to_string();
    for sc in &r.scenarios {
        head.push_str(&format!(" {} |", esc(&sc.id)));
        rule.push_str("---|");
    }
    if r.scenarios.len() > 1 {
        head.push_str(" orders that flip |");
        rule.push_str("---:|");
    }
    let _ = writeln!(s, "{head}\n{rule}");
    for g in rows.iter().take(TOP) {
        let name = if g.members.len() > 1 || g.members.first().is_some_and(|m| *m != g.group) {
            format!("{} ({})", g.group, g.members.join("; "))
        } else {
            g.group.clone()
        };
        let mut line = format!(
            "| {} | {} | {} | {} |",
            esc(&name),
            count(g.total.orders),
            units(g.total.units),
            usd(g.total.value_usd)
        );
        for d in &g.decisions {
            line.push_str(&format!(" {} |", mix(d)));
        }
        if r.scenarios.len() > 1 {
            line.push_str(&format!(
                " {} ({}) |",
                count(g.flipped.orders),
                usd(g.flipped.value_usd)
            ));
        }
        let _ = writeln!(s, "{line}");
    }
    if rows.len() > TOP {
        let _ = writeln!(
            s,
            "\n… and {} more (see the JSON report).",
            rows.len() - TOP
        );
    }
}

pub fn render_markdown(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Order book: {}\n", r.input);
    let _ = writeln!(s, "Evaluated {} (view: {}). {} rows read, {} orders evaluated, **{} rejected**; {} distinct questions decided.\n", r.mode, r.view, count(r.stats.rows_read), count(r.stats.orders_evaluated), count(r.stats.rejected), count(r.stats.distinct_questions as u64));
    for sc in &r.scenarios {
        let _ = writeln!(s, "- `{}`: {}", sc.id, sc.title);
    }
    if !r.ignored_columns.is_empty() {
        let _ = writeln!(s, "\nColumns not read: {}.", r.ignored_columns.join(", "));
    }
    let dup = super::duplicates_note(r);
    if !dup.is_empty() {
        let _ = writeln!(s, "\n**Repeated order ids.** {dup}");
    }
    let _ = writeln!(s, "\n## Totals by decision\n");
    let mut head = "| decision |".to_string();
    let mut rule = "|---|".to_string();
    for sc in &r.scenarios {
        head.push_str(&format!(" {} orders | units | value |", esc(&sc.id)));
        rule.push_str("---:|---:|---:|");
    }
    let _ = writeln!(s, "{head}\n{rule}");
    for d in super::DECISIONS {
        if r.totals.iter().all(|t| t.iter().all(|x| x.decision != d)) {
            continue;
        }
        let mut line = format!("| {} |", d.name());
        for t in &r.totals {
            let x = t
                .iter()
                .find(|x| x.decision == d)
                .map(|x| x.tally)
                .unwrap_or_default();
            line.push_str(&format!(
                " {} | {} | {} |",
                count(x.orders),
                units(x.units),
                usd(x.value_usd)
            ));
        }
        let _ = writeln!(s, "{line}");
    }
    group_table(&mut s, "buyer group", &r.by_buyer_group, r);
    group_table(&mut s, "chip", &r.by_chip, r);
    group_table(&mut s, "destination", &r.by_destination, r);
    if r.scenarios.len() > 1 {
        let _ = writeln!(
            s,
            "\n## What changes\n\n{} orders change decision.\n",
            count(r.flips_total)
        );
        let _ = writeln!(s, "| scenario | from | to | rules (− baseline only, + scenario only) | orders | units | value |\n|---|---|---|---|---:|---:|---:|");
        for f in &r.flip_summary {
            let _ = writeln!(
                s,
                "| {} | {} | {} | `{}` | {} | {} | {} |",
                esc(&f.scenario),
                f.from.name(),
                f.to.name(),
                esc(&f.rule_change),
                count(f.tally.orders),
                units(f.tally.units),
                usd(f.tally.value_usd)
            );
        }
        if !r.flips.is_empty() {
            let _ = writeln!(
                s,
                "\n### Orders that flip{}\n",
                if (r.flips.len() as u64) < r.flips_total {
                    format!(" (first {} of {})", r.flips.len(), count(r.flips_total))
                } else {
                    String::new()
                }
            );
            let mut head = "| line | order | date | chip | buyer | to | qty | value |".to_string();
            let mut rule = "|---:|---|---|---|---|---|---:|---:|".to_string();
            for sc in &r.scenarios {
                head.push_str(&format!(" {} |", esc(&sc.id)));
                rule.push_str("---|");
            }
            head.push_str(" rules |");
            rule.push_str("---|");
            let _ = writeln!(s, "{head}\n{rule}");
            for f in &r.flips {
                let mut line = format!(
                    "| {} | {} | {} | {} | {} | {} | {} | {} |",
                    f.line,
                    esc(&f.order_id),
                    f.date,
                    esc(&f.chip),
                    esc(&f.buyer),
                    f.ship_to,
                    units(f.quantity),
                    f.value_usd.map(usd).unwrap_or_default()
                );
                for d in &f.decisions {
                    line.push_str(&format!(" {} |", d.name()));
                }
                line.push_str(&format!(
                    " `{}` |",
                    esc(&f
                        .rule_change
                        .iter()
                        .filter(|c| !c.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" / "))
                ));
                let _ = writeln!(s, "{line}");
            }
        }
    }
    let _ = writeln!(s, "\n## Rejected rows\n");
    if r.stats.rejected == 0 {
        let _ = writeln!(s, "None.");
    } else {
        let _ = writeln!(
            s,
            "{} rows rejected{}.\n\n| line | order | reason |\n|---:|---|---|",
            count(r.stats.rejected),
            super::rejected_note(r)
        );
        for x in &r.rejected {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                x.line,
                esc(&x.order_id),
                esc(&x.reason)
            );
        }
    }
    s
}
