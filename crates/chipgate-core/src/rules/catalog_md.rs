//! The rules catalogue, generated from the rule data (never written by hand).

use super::load::Rulebook;
use super::model::*;
use std::fmt::Write;

/// Markdown listing every event and provision with dates, status, citation and condition.
pub fn catalog_markdown(book: &Rulebook) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# chipgate rules catalogue\n");
    let _ = writeln!(
        out,
        "Generated from the rule files (fingerprint `{}`). Windows are half-open `[effective, until)`; \
         the `enforced` view starts a provision at its compliance date when later.\n",
        book.fingerprint
    );
    let mut events: Vec<&Event> = book.events.iter().collect();
    events.sort_by_key(|e| (e.effective, e.announced, e.id.clone()));
    let _ = writeln!(
        out,
        "| effective | event | kind | citation |\n|---|---|---|---|"
    );
    for e in &events {
        let _ = writeln!(
            out,
            "| {} | [{}](#{}) | {} | {} |",
            e.effective
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
            e.title.replace('|', "/"),
            e.id,
            e.kind.name(),
            e.citation.replace('|', "/")
        );
    }
    for e in events {
        let _ = writeln!(out, "\n## <a id=\"{}\"></a>{}\n", e.id, e.title);
        let _ = writeln!(
            out,
            "- id: `{}` ({}; file `{}`)",
            e.id,
            e.kind.name(),
            e.file
        );
        if let Some(a) = e.announced {
            let _ = writeln!(out, "- announced: {a}");
        }
        if let Some(d) = e.effective {
            let _ = writeln!(out, "- effective: {d}");
        }
        let _ = writeln!(out, "- citation: {}", e.citation);
        if !e.notes.is_empty() {
            let _ = writeln!(out, "- notes: {}", e.notes.trim());
        }
        for s in &e.sources {
            let _ = writeln!(out, "- source: <{s}>");
        }
        let _ = writeln!(out, "\n| provision | type | window | status | condition | citation |\n|---|---|---|---|---|---|");
        for p in book.provisions.iter().filter(|p| p.event == e.id) {
            let window = format!(
                "[{}, {}){}",
                p.effective,
                p.end.map(|d| d.to_string()).unwrap_or_else(|| "…".into()),
                p.compliance
                    .map(|c| format!(" compliance {c}"))
                    .unwrap_or_default()
            );
            let extra = match &p.kind {
                ProvisionKind::Classify { eccn, .. } => format!(" → {eccn}"),
                ProvisionKind::Require { exceptions, .. } if !exceptions.is_empty() => {
                    format!(" (exceptions: {})", exceptions.join(", "))
                }
                ProvisionKind::Exception { code, .. } => format!(" {code}"),
                ProvisionKind::Review { policy, .. } => format!(" → {}", policy.describe()),
                ProvisionKind::Note {
                    severity: Severity::RedFlag,
                } => " (red flag)".into(),
                ProvisionKind::Note {
                    severity: Severity::Uncertain,
                } => " (UNCERTAIN)".into(),
                ProvisionKind::Posture {
                    targets,
                    status,
                    views,
                } => format!(
                    " {} → {} in {}",
                    targets.join(", "),
                    status.name(),
                    views.iter().map(|v| v.name()).collect::<Vec<_>>().join("/")
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "| `{}` | {}{} | {} | {} | `{}` | {} |",
                p.id,
                p.kind.type_name(),
                extra.replace('|', "/"),
                window,
                p.status.name(),
                p.when_text.replace('|', "\\|").replace('\n', " "),
                p.citation.replace('|', "/")
            );
        }
    }
    out
}
