//! The report as one self-contained HTML page (inline CSS, no scripts, no external files),
//! with a pictures section: [`render_html`] takes optional SVG pictures (threshold map,
//! decision timeline) and embeds them inline after the `<!-- pictures -->` marker.

use super::fmt::{count, units, usd};
use super::markdown::TOP;
use super::{GroupRow, Report};
use std::fmt::Write;

/// SVG pictures to embed (each a complete `<svg …>…</svg>` document; an XML prolog is dropped).
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    pub threshold_map: Option<String>,
    pub timeline: Option<String>,
    /// Any further pictures, with a caption.
    pub others: Vec<(String, String)>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn svg_body(svg: &str) -> &str {
    let t = svg.trim_start();
    match (t.starts_with("<?xml"), t.find("?>")) {
        (true, Some(i)) => t[i + 2..].trim_start(),
        _ => t,
    }
}

const CSS: &str = "body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#1d2433}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #dde}
table{border-collapse:collapse;margin:.5em 0;font-size:13px}th,td{border:1px solid #dde;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f5fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.NLR{color:#17692c}.LICENSE_EXCEPTION{color:#8a6d00}.ESCALATE{color:#9c1d6b}.LICENSE_REQUIRED{color:#b34700}.PROHIBITED{color:#b00020;font-weight:600}
code{font-size:12px;background:#f3f5fa;padding:0 3px}.muted{color:#667}figure{margin:1em 0}figcaption{color:#667}";

fn decision(d: chipgate_core::license::Decision) -> String {
    format!("<span class=\"{0}\">{0}</span>", d.name())
}

fn mix(d: &[super::DecisionTally]) -> String {
    d.iter()
        .map(|x| {
            format!(
                "{} {} ({})",
                decision(x.decision),
                count(x.tally.orders),
                usd(x.tally.value_usd)
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn group_table(s: &mut String, title: &str, rows: &[GroupRow], r: &Report) {
    let _ = write!(
        s,
        "<h2>By {title}</h2><table><tr><th>{title}</th><th>orders</th><th>units</th><th>value</th>"
    );
    for sc in &r.scenarios {
        let _ = write!(s, "<th>{}</th>", esc(&sc.id));
    }
    if r.scenarios.len() > 1 {
        s.push_str("<th>orders that flip</th>");
    }
    s.push_str("</tr>\n");
    for g in rows.iter().take(TOP) {
        let members = if g.members.len() > 1 || g.members.first().is_some_and(|m| *m != g.group) {
            format!(
                "<br><span class=\"muted\">{}</span>",
                esc(&g.members.join("; "))
            )
        } else {
            String::new()
        };
        let _ = write!(
            s,
            "<tr><td>{}{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td>",
            esc(&g.group),
            members,
            count(g.total.orders),
            units(g.total.units),
            usd(g.total.value_usd)
        );
        for d in &g.decisions {
            let _ = write!(s, "<td>{}</td>", mix(d));
        }
        if r.scenarios.len() > 1 {
            let _ = write!(
                s,
                "<td class=n>{} ({})</td>",
                count(g.flipped.orders),
                usd(g.flipped.value_usd)
            );
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table>");
    if rows.len() > TOP {
        let _ = write!(
            s,
            "<p class=muted>… and {} more (see the JSON report).</p>",
            rows.len() - TOP
        );
    }
}

/// The HTML report, with `pictures` embedded in the pictures section.
pub fn render_html(r: &Report, pictures: &Pictures) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Order book: {}</title><style>{CSS}</style></head><body>", esc(&r.input));
    let _ = write!(s, "<h1>Order book: {}</h1>\n<p>Evaluated {} (view: {}). {} rows read, {} orders evaluated, <strong>{} rejected</strong>; {} distinct questions decided.</p><ul>", esc(&r.input), esc(&r.mode), esc(&r.view), count(r.stats.rows_read), count(r.stats.orders_evaluated), count(r.stats.rejected), count(r.stats.distinct_questions as u64));
    for sc in &r.scenarios {
        let _ = write!(
            s,
            "<li><code>{}</code>: {}</li>",
            esc(&sc.id),
            esc(&sc.title)
        );
    }
    s.push_str("</ul>\n");
    let dup = super::duplicates_note(r);
    if !dup.is_empty() {
        let _ = write!(
            s,
            "<p><strong>Repeated order ids.</strong> {}</p>",
            esc(&dup)
        );
    }
    if !r.ignored_columns.is_empty() {
        let _ = write!(
            s,
            "<p class=muted>Columns not read: {}.</p>",
            esc(&r.ignored_columns.join(", "))
        );
    }
    s.push_str("<h2>Totals by decision</h2><table><tr><th>decision</th>");
    for sc in &r.scenarios {
        let _ = write!(s, "<th colspan=3>{}</th>", esc(&sc.id));
    }
    s.push_str("</tr>\n");
    for d in super::DECISIONS {
        if r.totals.iter().all(|t| t.iter().all(|x| x.decision != d)) {
            continue;
        }
        let _ = write!(s, "<tr><td>{}</td>", decision(d));
        for t in &r.totals {
            let x = t
                .iter()
                .find(|x| x.decision == d)
                .map(|x| x.tally)
                .unwrap_or_default();
            let _ = write!(
                s,
                "<td class=n>{} orders</td><td class=n>{} units</td><td class=n>{}</td>",
                count(x.orders),
                units(x.units),
                usd(x.value_usd)
            );
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table>\n<section id=\"pictures\">\n<!-- pictures -->\n");
    let mut pics: Vec<(&str, &str)> = Vec::new();
    if let Some(m) = &pictures.threshold_map {
        pics.push(("Threshold map", m));
    }
    if let Some(t) = &pictures.timeline {
        pics.push(("Decision timeline", t));
    }
    for (c, p) in &pictures.others {
        pics.push((c, p));
    }
    for (caption, svg) in pics {
        let _ = writeln!(
            s,
            "<figure>{}<figcaption>{}</figcaption></figure>",
            svg_body(svg),
            esc(caption)
        );
    }
    s.push_str("</section>\n");
    group_table(&mut s, "buyer group", &r.by_buyer_group, r);
    group_table(&mut s, "chip", &r.by_chip, r);
    group_table(&mut s, "destination", &r.by_destination, r);
    if r.scenarios.len() > 1 {
        let _ = writeln!(s, "<h2>What changes</h2><p>{} orders change decision.</p><table><tr><th>scenario</th><th>from</th><th>to</th><th>rules (− baseline only, + scenario only)</th><th>orders</th><th>units</th><th>value</th></tr>", count(r.flips_total));
        for f in &r.flip_summary {
            let _ = writeln!(s, "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>", esc(&f.scenario), decision(f.from), decision(f.to), esc(&f.rule_change), count(f.tally.orders), units(f.tally.units), usd(f.tally.value_usd));
        }
        s.push_str("</table>");
        if !r.flips.is_empty() {
            let _ = write!(s, "<h3>Orders that flip{}</h3><table><tr><th>line</th><th>order</th><th>date</th><th>chip</th><th>buyer</th><th>to</th><th>qty</th><th>value</th>", if (r.flips.len() as u64) < r.flips_total { format!(" (first {} of {})", r.flips.len(), count(r.flips_total)) } else { String::new() });
            for sc in &r.scenarios {
                let _ = write!(s, "<th>{}</th>", esc(&sc.id));
            }
            s.push_str("<th>rules</th></tr>\n");
            for f in &r.flips {
                let _ = write!(s, "<tr><td class=n>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td>", f.line, esc(&f.order_id), f.date, esc(&f.chip), esc(&f.buyer), esc(&f.ship_to), units(f.quantity), f.value_usd.map(usd).unwrap_or_default());
                for d in &f.decisions {
                    let _ = write!(s, "<td>{}</td>", decision(*d));
                }
                let _ = writeln!(
                    s,
                    "<td><code>{}</code></td></tr>",
                    esc(&f
                        .rule_change
                        .iter()
                        .filter(|c| !c.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" / "))
                );
            }
            s.push_str("</table>");
        }
    }
    s.push_str("<h2>Rejected rows</h2>");
    if r.stats.rejected == 0 {
        s.push_str("<p>None.</p>");
    } else {
        let _ = writeln!(
            s,
            "<p>{} rows rejected{}.</p><table><tr><th>line</th><th>order</th><th>reason</th></tr>",
            count(r.stats.rejected),
            super::rejected_note(r)
        );
        for x in &r.rejected {
            let _ = writeln!(
                s,
                "<tr><td class=n>{}</td><td>{}</td><td>{}</td></tr>",
                x.line,
                esc(&x.order_id),
                esc(&x.reason)
            );
        }
        s.push_str("</table>");
    }
    s.push_str("\n</body></html>\n");
    s
}
