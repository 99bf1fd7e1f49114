//! Per-order results (`--out`): CSV, JSON Lines or a spreadsheet (`.xlsx`, the CSV columns), one line per input row in input order —
//! rejected rows too, with the reason in `error`. The result columns of a distinct question
//! are formatted once and copied for each order that shares it.
//!
//! Columns: `order_id, line, date` (the date evaluated: the order's, or `--as-of`),
//! `decision, license_required, eccn, rules, screening`, then per scenario
//! `decision@ID, license_required@ID, eccn@ID, rules@ID, rule_change@ID`, then `error`.
//! `rules` are the deciding rules (`Determination::deciding_rules`) separated by spaces;
//! `rule_change@ID` is set when the decision differs from the baseline: `-rule` only in the
//! baseline's deciding rules, `+rule` only in the scenario's.

use super::cache::Question;
use chrono::{Datelike, NaiveDate};
use std::io::Write;

/// The per-order output formats, by extension.
pub const OUT_EXTENSIONS: &[&str] = &["csv", "jsonl", "ndjson", "json", "xlsx"];

/// Output format, from the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Csv,
    Jsonl,
}

impl OutFormat {
    pub fn from_path(p: &std::path::Path) -> OutFormat {
        match p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("jsonl") | Some("ndjson") | Some("json") => OutFormat::Jsonl,
            _ => OutFormat::Csv,
        }
    }
}

/// Appends a CSV field, quoted when needed.
pub fn csv_field(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        || s.starts_with(' ')
        || s.ends_with(' ')
    {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

fn json_str(buf: &mut Vec<u8>, s: &str) {
    if serde_json::to_writer(&mut *buf, s).is_err() {
        buf.extend_from_slice(b"\"\"");
    }
}

/// YYYY-MM-DD without going through `fmt`.
pub fn push_date(buf: &mut Vec<u8>, d: NaiveDate) {
    let y = d.year();
    if !(0..=9999).contains(&y) {
        let _ = write!(buf, "{d}");
        return;
    }
    let (y, m, dd) = (y as u32, d.month(), d.day());
    buf.extend_from_slice(&[
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (dd / 10) as u8,
        b'0' + (dd % 10) as u8,
    ]);
}

/// Formats result lines.
pub struct OrderOutput {
    pub format: OutFormat,
    scenarios: Vec<String>,
    /// Per question: the formatted result columns (up to and including `error`'s separator).
    suffixes: Vec<Box<[u8]>>,
}

impl OrderOutput {
    pub fn new(format: OutFormat, scenarios: &[String]) -> OrderOutput {
        OrderOutput {
            format,
            scenarios: scenarios.to_vec(),
            suffixes: Vec::new(),
        }
    }

    /// The header line (CSV) or nothing (JSON Lines).
    pub fn header(&self) -> Vec<u8> {
        if self.format == OutFormat::Jsonl {
            return Vec::new();
        }
        let mut cols: Vec<String> = [
            "order_id",
            "line",
            "date",
            "decision",
            "license_required",
            "eccn",
            "rules",
            "screening",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for s in &self.scenarios {
            for c in [
                "decision",
                "license_required",
                "eccn",
                "rules",
                "rule_change",
            ] {
                cols.push(format!("{c}@{s}"));
            }
        }
        cols.push("error".into());
        let mut buf = Vec::new();
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            csv_field(&mut buf, c);
        }
        buf.push(b'\n');
        buf
    }

    /// Formats the result columns of questions added since the last call.
    pub fn add_questions(&mut self, questions: &[Result<Question, String>]) {
        for q in &questions[self.suffixes.len().min(questions.len())..] {
            let mut buf = Vec::new();
            if let Ok(q) = q {
                self.format_question(&mut buf, q);
            }
            self.suffixes.push(buf.into_boxed_slice());
        }
    }

    fn format_question(&self, buf: &mut Vec<u8>, q: &Question) {
        let base = &q.outcomes[0];
        match self.format {
            OutFormat::Csv => {
                let _ = write!(buf, "{},{},", base.decision.name(), base.license_required);
                csv_field(buf, &base.eccn);
                buf.push(b',');
                csv_field(buf, &base.rules.join(" "));
                buf.push(b',');
                csv_field(buf, &q.screening);
                for (o, change) in q.outcomes[1..].iter().zip(&q.rule_change) {
                    let _ = write!(buf, ",{},{},", o.decision.name(), o.license_required);
                    csv_field(buf, &o.eccn);
                    buf.push(b',');
                    csv_field(buf, &o.rules.join(" "));
                    buf.push(b',');
                    csv_field(buf, change);
                }
                buf.push(b',');
            }
            OutFormat::Jsonl => {
                let _ = write!(
                    buf,
                    "\"decision\":\"{}\",\"license_required\":{},\"eccn\":",
                    base.decision.name(),
                    base.license_required
                );
                json_str(buf, &base.eccn);
                buf.extend_from_slice(b",\"rules\":");
                let _ = serde_json::to_writer(&mut *buf, &base.rules);
                buf.extend_from_slice(b",\"screening\":");
                json_str(buf, &q.screening);
                for ((o, change), s) in q.outcomes[1..]
                    .iter()
                    .zip(&q.rule_change)
                    .zip(&self.scenarios)
                {
                    let _ = write!(
                        buf,
                        ",\"decision@{s}\":\"{}\",\"license_required@{s}\":{},\"eccn@{s}\":",
                        o.decision.name(),
                        o.license_required
                    );
                    json_str(buf, &o.eccn);
                    let _ = write!(buf, ",\"rules@{s}\":");
                    let _ = serde_json::to_writer(&mut *buf, &o.rules);
                    let _ = write!(buf, ",\"rule_change@{s}\":");
                    json_str(buf, change);
                }
                buf.extend_from_slice(b",\"error\":null}");
            }
        }
    }

    /// Appends one order's line: its result (`Ok(question)`) or the reason it was rejected.
    pub fn row(
        &self,
        buf: &mut Vec<u8>,
        id: &str,
        line: u64,
        date: Option<NaiveDate>,
        result: Result<u32, &str>,
    ) {
        match self.format {
            OutFormat::Csv => {
                csv_field(buf, id);
                let _ = write!(buf, ",{line},");
                if let Some(d) = date {
                    push_date(buf, d);
                }
                buf.push(b',');
                match result.map(|q| self.suffixes.get(q as usize)) {
                    Ok(Some(s)) => buf.extend_from_slice(s),
                    Ok(None) => {
                        self.empty_csv(buf);
                        buf.extend_from_slice(b"internal: result missing");
                    }
                    Err(reason) => {
                        self.empty_csv(buf);
                        csv_field(buf, reason);
                    }
                }
                buf.push(b'\n');
            }
            OutFormat::Jsonl => {
                buf.extend_from_slice(b"{\"order_id\":");
                json_str(buf, id);
                let _ = write!(buf, ",\"line\":{line},\"date\":");
                match date {
                    Some(d) => {
                        buf.push(b'"');
                        push_date(buf, d);
                        buf.push(b'"');
                    }
                    None => buf.extend_from_slice(b"null"),
                }
                buf.push(b',');
                match result.map(|q| self.suffixes.get(q as usize)) {
                    Ok(Some(s)) => buf.extend_from_slice(s),
                    Ok(None) => buf.extend_from_slice(b"\"error\":\"internal: result missing\"}"),
                    Err(reason) => {
                        buf.extend_from_slice(b"\"decision\":null,\"error\":");
                        json_str(buf, reason);
                        buf.push(b'}');
                    }
                }
                buf.push(b'\n');
            }
        }
    }

    fn empty_csv(&self, buf: &mut Vec<u8>) {
        for _ in 0..(5 + 5 * self.scenarios.len()) {
            buf.push(b',');
        }
    }
}
