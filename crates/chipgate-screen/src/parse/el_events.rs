//! Dated Entity List events (`fr_doc, fr_citation, publication_date, effective_date, country,
//! name, aliases, address_city, license_requirement, review_policy, footnote, action,
//! source_url, confidence`): one row per add / revise / remove published in a Federal Register
//! rule. The rows are folded into entries that count from the listing's effective date (the
//! publication date when the effective date was not seen, and the entry says so) until a removal
//! takes effect, each carrying its [`Provenance`].
//!
//! A listed name without a legal form ("Moore Threads", "Biren Technology") is read as the name
//! of a group that the rule lists through its subsidiaries: the entry is marked `group`, and the
//! screener lets it match company names that contain it.

use super::util::{csv_rows, line_error, row_fields};
use crate::error::ScreenError;
use crate::model::{Entry, Parsed, Provenance};
use crate::normalize::normalize;
use chrono::NaiveDate;

/// The CSL's source name for the Entity List: hits on these entries read like CSL ones.
pub const ENTITY_LIST_SOURCE: &str = "Entity List (EL) - Bureau of Industry and Security";

/// What footnote 4 adds to a listing, shown with every hit on such an entry.
pub const FOOTNOTE_4: &str = "footnote 4: the Entity List foreign direct product rule (15 CFR 734.9(e)) applies — \
     foreign-made items produced from US software or technology are subject to the EAR when this entity is a party";

/// Whether a header line is this format's.
pub fn is_header(first_line: &str) -> bool {
    let l = first_line.to_ascii_lowercase();
    l.starts_with("fr_doc,") && l.contains("action") && l.contains("effective_date")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Add,
    Revise,
    Remove,
}

/// Parse the events file into entries (one per added name), applying revisions and removals.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed, ScreenError> {
    let text = super::util_decode(bytes);
    let (headers, rows) = csv_rows(&text, b',', true);
    let headers: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let required = [
        "fr_doc",
        "publication_date",
        "effective_date",
        "name",
        "action",
    ];
    if let Some(missing) = required.iter().find(|n| col(n).is_none()) {
        return Err(ScreenError::Malformed {
            file: file.into(),
            line: 1,
            message: format!("missing column `{missing}` (Entity List events need {required:?})"),
        });
    }
    let mut out = Parsed::default();
    let err = |out: &mut Parsed, line: u64, message: String| {
        out.errors.push(line_error(file, line, message));
    };
    for row in rows {
        let Some((line, rec)) = row_fields(file, row, 1.., headers.len(), &mut out.errors) else {
            continue;
        };
        let get = |n: &str| {
            col(n)
                .and_then(|i| rec.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let date = |n: &str| -> Result<Option<NaiveDate>, String> {
            match get(n) {
                None => Ok(None),
                Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| format!("`{n}`: {s:?} is not a YYYY-MM-DD date")),
            }
        };
        let (Some(fr_doc), Some(name)) = (get("fr_doc"), get("name")) else {
            err(&mut out, line, "`fr_doc` and `name` are required".into());
            continue;
        };
        let action = match get("action").map(str::to_ascii_lowercase).as_deref() {
            Some("add") => Action::Add,
            Some("revise") => Action::Revise,
            Some("remove") => Action::Remove,
            other => {
                err(
                    &mut out,
                    line,
                    format!("`action`: {other:?} is not one of add, revise, remove"),
                );
                continue;
            }
        };
        let (publication, effective) = match (date("publication_date"), date("effective_date")) {
            (Ok(p), Ok(e)) => (p, e),
            (Err(m), _) | (_, Err(m)) => {
                err(&mut out, line, m);
                continue;
            }
        };
        let Some(start) = effective.or(publication) else {
            err(
                &mut out,
                line,
                "neither `effective_date` nor `publication_date` is given".into(),
            );
            continue;
        };
        let basis = if effective.is_some() {
            "effective date"
        } else {
            "publication date (effective date not seen)"
        };
        let cite = get("fr_citation").map(str::to_string);
        let rule = match &cite {
            Some(c) => format!("FR Doc. {fr_doc} ({c})"),
            None => format!("FR Doc. {fr_doc}"),
        };
        let key = normalize(name).key();
        let country = get("country").map(str::to_string);
        match action {
            Action::Add => {
                let (aliases, notes) = split_aliases(get("aliases").unwrap_or(""));
                let mut e = Entry::new(entry_id(fr_doc, name), ENTITY_LIST_SOURCE, name);
                e.aliases = aliases;
                e.countries = country.into_iter().collect();
                e.addresses = get("address_city")
                    .map(str::to_string)
                    .into_iter()
                    .collect();
                e.start_date = Some(start);
                e.federal_register = cite.clone();
                e.entity_type = Some("Entity".into());
                e.group = normalize(name).set_aside().next().is_none();
                e.footnotes = notes;
                if let Some(l) = get("license_requirement") {
                    e.footnotes.push(format!("licence requirement: {l}"));
                }
                if let Some(p) = get("review_policy") {
                    e.footnotes.push(format!("licence review policy: {p}"));
                }
                let footnote = get("footnote").map(str::to_string);
                if footnote.as_deref() == Some("FN4") {
                    e.footnotes.push(FOOTNOTE_4.into());
                }
                e.provenance = Some(Provenance {
                    fr_doc: fr_doc.to_string(),
                    fr_citation: cite,
                    publication_date: publication,
                    effective_date: effective,
                    date_basis: basis.into(),
                    confidence: get("confidence").unwrap_or("unstated").to_string(),
                    footnote,
                    license_requirement: get("license_requirement").map(str::to_string),
                    review_policy: get("review_policy").map(str::to_string),
                    sources: get("source_url")
                        .map(|s| {
                            s.split(" | ")
                                .map(str::trim)
                                .filter(|x| !x.is_empty())
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default(),
                    changes: Vec::new(),
                });
                out.entries.push(e);
            }
            Action::Revise | Action::Remove => {
                let target = out.entries.iter_mut().rev().find(|e| {
                    normalize(&e.name).key() == key
                        && (country.is_none()
                            || e.countries.iter().any(|c| Some(c) == country.as_ref()))
                });
                let Some(e) = target else {
                    err(
                        &mut out,
                        line,
                        format!("{name:?}: a {} of an entry this file does not add (only entries added here can be revised or removed)",
                            if action == Action::Remove { "removal" } else { "revision" }),
                    );
                    continue;
                };
                let what = get("aliases").unwrap_or("");
                let change = if action == Action::Remove {
                    e.end_date = Some(start);
                    format!("removed by {rule}, from {start} ({basis})")
                } else if what.is_empty() {
                    format!("revised by {rule}, from {start} ({basis})")
                } else {
                    format!("revised by {rule}, from {start} ({basis}): {what}")
                };
                e.footnotes.push(change.clone());
                if let Some(p) = e.provenance.as_mut() {
                    p.changes.push(change);
                }
            }
        }
    }
    Ok(out)
}

/// Aliases separated by ` | `; a bracketed remark after an alias (`[English rendering of …]`)
/// is kept as a note, not as part of the name.
fn split_aliases(s: &str) -> (Vec<String>, Vec<String>) {
    let mut aliases = Vec::new();
    let mut notes = Vec::new();
    for a in s.split(" | ").map(str::trim).filter(|a| !a.is_empty()) {
        match a.find('[') {
            Some(i) => {
                let name = a[..i].trim();
                let note = a[i..].trim_matches(|c| c == '[' || c == ']' || c == ' ');
                if !name.is_empty() {
                    aliases.push(name.to_string());
                    notes.push(format!("alias {name:?}: {note}"));
                }
            }
            None => aliases.push(a.to_string()),
        }
    }
    (aliases, notes)
}

/// A stable id: the FR document and a slug of the name (`2023-23048/moore-threads`).
fn entry_id(fr_doc: &str, name: &str) -> String {
    let slug: Vec<String> = normalize(name)
        .tokens
        .iter()
        .map(|t| t.text.replace(' ', "-"))
        .collect();
    let mut s = slug.join("-");
    if s.is_empty() {
        s = super::stable_id(&[name]);
    }
    s.truncate(60);
    format!("{fr_doc}/{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "fr_doc,fr_citation,publication_date,effective_date,country,name,aliases,address_city,license_requirement,review_policy,footnote,action,source_url,confidence\n\
2023-23048,88 FR 71991,2023-10-19,2023-10-17,China,Moore Threads,,,For all items subject to the EAR,Presumption of denial,FN4,add,https://a | https://b,medium\n\
2025-19508,,2025-10-09,,China,Arrow (China) Electronics Trading Co,,,,Presumption of denial,,add,,medium\n\
2025-19858,,2025-11-12,,China,Arrow (China) Electronics Trading Co,,,,,,remove,,medium\n\
2025-19858,,2025-11-12,,China,Nobody Ltd,,,,,,remove,,medium\n\
2025-19858,,2025-11-12,,China,Bad Date Co,,,,,,add,,medium\n\
x,,2025-13-01,,China,Bad Date Co,,,,,,add,,medium\n\
x,,2025-11-01,,China,Odd Co,,,,,,delete,,medium\n";

    #[test]
    fn events_fold_into_dated_entries() {
        let p = parse("el.csv", CSV.as_bytes()).expect("parses");
        assert_eq!(p.entries.len(), 3, "{:?}", p.entries);
        let mt = &p.entries[0];
        assert!(mt.group, "no legal form: a group name");
        assert_eq!(mt.start_date, NaiveDate::from_ymd_opt(2023, 10, 17));
        assert!(mt.footnotes.iter().any(|f| f.contains("734.9(e)")));
        let prov = mt.provenance.as_ref().expect("provenance");
        assert_eq!(prov.fr_doc, "2023-23048");
        assert_eq!(prov.sources.len(), 2);
        assert_eq!(prov.date_basis, "effective date");
        let arrow = &p.entries[1];
        assert!(!arrow.group, "a legal form: a company name");
        assert_eq!(arrow.start_date, NaiveDate::from_ymd_opt(2025, 10, 9));
        assert_eq!(arrow.end_date, NaiveDate::from_ymd_opt(2025, 11, 12));
        assert!(arrow.listed_on(NaiveDate::from_ymd_opt(2025, 11, 11).expect("d")));
        assert!(!arrow.listed_on(NaiveDate::from_ymd_opt(2025, 11, 12).expect("d")));
        assert!(arrow
            .provenance
            .as_ref()
            .is_some_and(|p| p.date_basis.contains("publication")));
        let lines: Vec<u64> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![5, 7, 8], "{:?}", p.errors);
    }

    #[test]
    fn missing_column_is_named() {
        let e = parse("el.csv", b"fr_doc,name\nx,y\n").expect_err("rejects");
        assert!(e.to_string().contains("publication_date"), "{e}");
    }
}
