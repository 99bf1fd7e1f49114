//! Text rendering of answers for people. JSON output goes through serde on the same values.

use chipgate_core::classify::Classification;
use chipgate_core::license::{Decision, Determination};
use chipgate_core::numfmt::fmt_num;
use chipgate_core::timeline::Segment;
use std::fmt::Write;

fn eccn_phrase(eccn: &str) -> String {
    if eccn == "none" {
        "not 3A090/4A090 (residual ECCN not determined)".into()
    } else {
        format!("ECCN {eccn}")
    }
}

/// "TPP 2,368 (296 TOPS × 8 bit), performance density 2.91, memory 4,000 GB/s"
pub fn metrics_line(c: &Classification) -> String {
    let m = &c.metrics;
    let mut parts = Vec::new();
    match (m.tpp, &m.tpp_basis) {
        (Some(t), Some(b)) => parts.push(format!("TPP {} ({})", fmt_num(t), b.describe())),
        (Some(t), None) => parts.push(format!("TPP {}", fmt_num(t))),
        _ => parts.push("TPP unknown".into()),
    }
    parts.push(match m.pd {
        Some(pd) => format!("performance density {}", fmt_num(pd)),
        None => "performance density unknown".into(),
    });
    if let Some(b) = m.memory_bw_gbs {
        parts.push(format!("memory {} GB/s", fmt_num(b)));
    }
    if let Some(b) = m.interconnect_bw_gbs {
        parts.push(format!("I/O {} GB/s", fmt_num(b)));
    }
    if let Some(c) = m.count {
        parts.push(format!("{c} ICs per item"));
    }
    parts.join(", ")
}

/// Puts the applied scenarios in a text answer's headline (its first line): an answer under
/// a scenario must never read like the baseline's.
pub fn with_scenarios(text: String, scenarios: &[String]) -> String {
    if scenarios.is_empty() {
        return text;
    }
    let note = format!(
        " [scenario{}: {}]",
        if scenarios.len() > 1 { "s" } else { "" },
        scenarios.join(", ")
    );
    match text.find('\n') {
        Some(i) => format!("{}{note}{}", &text[..i], &text[i..]),
        None => text + &note,
    }
}

pub fn classification(c: &Classification) -> String {
    let mut s = String::new();
    let flag = if c.determined {
        ""
    } else {
        " (undetermined: answered conservatively)"
    };
    let _ = writeln!(
        s,
        "{} — {} as of {} (view: {}){}",
        c.chip,
        eccn_phrase(&c.eccn),
        c.date,
        c.view.describe(),
        flag
    );
    let _ = writeln!(s, "  {}", metrics_line(c));
    for r in &c.reasons {
        let _ = writeln!(s, "  - {}   [{}; {}]", r.detail, r.rule, r.citation);
    }
    for w in &c.warnings {
        let _ = writeln!(s, "  ! {w}");
    }
    s
}

pub fn determination(d: &Determination, subject: &str) -> String {
    let mut s = String::new();
    let flag = if d.determined {
        ""
    } else {
        " (conservative: facts missing)"
    };
    let uncertain = if d.uncertain_reading {
        " (UNCERTAIN)"
    } else {
        ""
    };
    let _ = writeln!(
        s,
        "{}{}{} — {} as of {} (view: {})",
        d.decision.headline(),
        uncertain,
        flag,
        subject,
        d.date,
        d.view.describe()
    );
    let _ = writeln!(
        s,
        "  item: {} — {}",
        eccn_phrase(&d.eccn),
        metrics_line(&d.classification)
    );
    if d.uncertain_reading {
        let _ = writeln!(
            s,
            "  UNCERTAIN: this answer rests on a reading the sources do not settle:"
        );
        for f in &d.uncertain {
            let _ = writeln!(s, "  ? {}   [{}; {}]", f.detail, f.rule, f.citation);
        }
    }
    if d.requirements.is_empty() && d.prohibitions.is_empty() && d.escalations.is_empty() {
        let _ = writeln!(s, "  no licence requirement applies:");
        for r in d.classification.reasons.iter().take(4) {
            let _ = writeln!(s, "  - {}   [{}; {}]", r.detail, r.rule, r.citation);
        }
        // The requirements that could have caught this item, and why they do not (the core
        // keeps only those whose conditions on the item itself hold).
        for f in d.not_applicable.iter().take(6) {
            let _ = writeln!(
                s,
                "  - not applicable — {}   [{}; {}]",
                f.detail, f.rule, f.citation
            );
        }
    }
    for f in &d.prohibitions {
        let _ = writeln!(
            s,
            "  ✗ {}{}   [{}; {}]",
            if f.certain { "" } else { "(possible) " },
            f.detail,
            f.rule,
            f.citation
        );
    }
    for f in &d.escalations {
        let _ = writeln!(
            s,
            "  ⚠ {}{}   [{}; {}]",
            if f.certain { "" } else { "(possible) " },
            f.detail,
            f.rule,
            f.citation
        );
    }
    for f in &d.requirements {
        let _ = writeln!(
            s,
            "  - {}{}   [{}; {}]",
            if f.certain { "" } else { "(if facts confirm) " },
            f.detail,
            f.rule,
            f.citation
        );
    }
    if d.decision != Decision::Nlr {
        for e in &d.exceptions {
            let word = if e.available {
                "available"
            } else {
                "not available"
            };
            let _ = writeln!(s, "  {} {}: {}   [{}]", word, e.code, e.detail, e.citation);
        }
    }
    if let Some(p) = d.review_policy {
        let _ = writeln!(s, "  review policy: {}", p.describe());
        for r in &d.review {
            let _ = writeln!(s, "    · {}   [{}; {}]", r.detail, r.rule, r.citation);
        }
    }
    for f in &d.red_flags {
        let _ = writeln!(s, "  ⚑ {}   [{}; {}]", f.detail, f.rule, f.citation);
    }
    for f in &d.notes {
        let _ = writeln!(s, "  note: {}   [{}]", f.detail, f.citation);
    }
    for w in &d.warnings {
        let _ = writeln!(s, "  ! {w}");
    }
    if !d.missing_facts.is_empty() {
        let _ = writeln!(
            s,
            "  facts that would change the answer: {}",
            d.missing_facts.join(", ")
        );
    }
    s
}

/// The timeline as text; the last segment runs to `end` (shown as "today" when it is).
pub fn timeline(segments: &[Segment], subject: &str, end: chrono::NaiveDate) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{subject}");
    let end_label = if end == chrono::Utc::now().date_naive() {
        "today".to_string()
    } else {
        end.to_string()
    };
    for seg in segments {
        let until = seg
            .until
            .and_then(|u| u.pred_opt())
            .map(|d| d.to_string())
            .unwrap_or_else(|| end_label.clone());
        let by = if seg.changed_by.is_empty() {
            String::new()
        } else {
            format!(
                "   ← {}",
                seg.changed_by
                    .iter()
                    .map(|e| e.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let flag = if seg.uncertain.is_empty() {
            String::new()
        } else {
            format!(" [UNCERTAIN: {}]", seg.uncertain.join(", "))
        };
        let _ = writeln!(
            s,
            "{} … {:<10}  {:<17} {}{}{}",
            seg.from,
            until,
            seg.decision.name(),
            seg.summary,
            flag,
            by
        );
    }
    s
}

/// One party's screening in a few lines: status, the best hits per list, ownership.
pub fn screening(s: &crate::question::PartyScreening) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  screening {} `{}`: {}",
        s.role.replace('_', " "),
        s.name,
        s.status.as_str().replace('_', " ")
    );
    let mut seen: Vec<&str> = Vec::new();
    let mut shown = 0;
    for h in &s.hits {
        if seen.contains(&h.list.as_str()) {
            continue;
        }
        seen.push(&h.list);
        shown += 1;
        let _ = writeln!(
            out,
            "    {} — `{}` ({}, entry {}, score {:.2}{})",
            h.list,
            h.name,
            h.kind,
            h.entry_id,
            h.score,
            if h.certain { "" } else { ", pending review" }
        );
        if let Some(p) = &h.provenance {
            let _ = writeln!(out, "      listed by {}", p.describe());
        }
    }
    if s.hits.len() > shown {
        let _ = writeln!(
            out,
            "    … {} more hits on the same lists (see --json)",
            s.hits.len() - shown
        );
    }
    if let Some(o) = &s.ownership {
        let _ = writeln!(out, "    {o}");
    }
    out
}
