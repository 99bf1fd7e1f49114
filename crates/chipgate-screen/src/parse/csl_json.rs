//! trade.gov Consolidated Screening List JSON (`{"results": [{...}, ...]}`). Each result object is
//! located in the text first (so errors carry its line number), then parsed on its own, so one
//! malformed record does not lose the others.

use super::util::{parse_date, stable_id};
use crate::aliases::clean_name;
use crate::error::{LineError, ScreenError};
use crate::model::{Entry, Parsed};
use serde_json::Value;

/// Parse a CSL JSON document.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed, ScreenError> {
    let text = super::util::decode(bytes);
    if text.trim().is_empty() {
        return Err(ScreenError::EmptyFile {
            file: file.to_string(),
        });
    }
    let objects = locate_results(&text).ok_or_else(|| ScreenError::Malformed {
        file: file.to_string(),
        line: 1,
        message: "no `results` array found".into(),
    })?;
    let mut out = Parsed::default();
    for (start, end) in objects {
        let line = 1 + text.as_bytes()[..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        let slice = &text[start..end];
        let v: Value = match serde_json::from_str(slice) {
            Ok(v) => v,
            Err(e) => {
                out.errors.push(LineError {
                    file: file.to_string(),
                    line,
                    message: format!("invalid JSON record: {e}"),
                });
                continue;
            }
        };
        match entry_from(&v) {
            Ok(e) => out.entries.push(e),
            Err(message) => out.errors.push(LineError {
                file: file.to_string(),
                line,
                message,
            }),
        }
    }
    Ok(out)
}

fn s(v: &Value, k: &str) -> Option<String> {
    match v.get(k)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(v: &Value, k: &str) -> Vec<String> {
    match v.get(k) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.trim().to_string()),
                _ => None,
            })
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) => super::util::split_multi(s),
        _ => Vec::new(),
    }
}

fn entry_from(v: &Value) -> Result<Entry, String> {
    if !v.is_object() {
        return Err("record is not an object".into());
    }
    let raw = s(v, "name").ok_or("missing `name`")?;
    let source = s(v, "source").ok_or("missing `source`")?;
    let mut names = clean_name(&raw);
    if names.is_empty() {
        return Err("name has no usable text".into());
    }
    let id = s(v, "id")
        .or_else(|| s(v, "_id"))
        .or_else(|| s(v, "entity_number"))
        .unwrap_or_else(|| stable_id(&[&source, &raw]));
    let mut e = Entry::new(id, source, names.remove(0));
    e.aliases = names;
    for a in strings(v, "alt_names") {
        for n in clean_name(&a) {
            if n != e.name && !e.aliases.contains(&n) {
                e.aliases.push(n);
            }
        }
    }
    if let Some(Value::Array(addrs)) = v.get("addresses") {
        for a in addrs {
            let parts: Vec<String> = ["address", "city", "state", "postal_code", "country"]
                .iter()
                .filter_map(|k| s(a, k))
                .collect();
            if !parts.is_empty() {
                e.addresses.push(parts.join(", "));
            }
            if let Some(c) = s(a, "country") {
                if !e.countries.contains(&c) {
                    e.countries.push(c);
                }
            }
        }
    }
    for k in ["nationalities", "citizenships"] {
        for c in strings(v, k) {
            if !e.countries.contains(&c) {
                e.countries.push(c);
            }
        }
    }
    if let Some(d) = s(v, "start_date") {
        e.start_date = Some(parse_date(&d).ok_or_else(|| format!("bad start_date {d:?}"))?);
    }
    e.programs = strings(v, "programs");
    e.federal_register = s(v, "federal_register_notice");
    for k in ["license_requirement", "license_policy", "remarks"] {
        if let Some(x) = s(v, k) {
            e.footnotes.push(x);
        }
    }
    e.entity_type = s(v, "type");
    Ok(e)
}

/// Byte ranges of the objects in the top-level `"results"` array.
fn locate_results(text: &str) -> Option<Vec<(usize, usize)>> {
    let b = text.as_bytes();
    let key = text.find("\"results\"")?;
    let mut i = key + "\"results\"".len();
    while i < b.len() && b[i] != b'[' {
        if !(b[i] == b':' || b[i].is_ascii_whitespace()) {
            return None;
        }
        i += 1;
    }
    i += 1;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut esc = false;
    let mut start = 0usize;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
        } else {
            match c {
                b'"' => in_str = true,
                b'{' | b'[' => {
                    if depth == 0 {
                        start = i;
                    }
                    depth += 1;
                }
                b'}' | b']' => {
                    if depth == 0 {
                        return Some(out); // end of the results array
                    }
                    depth -= 1;
                    if depth == 0 {
                        out.push((start, i + 1));
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    if depth > 0 {
        out.push((start, b.len()));
    }
    Some(out)
}
