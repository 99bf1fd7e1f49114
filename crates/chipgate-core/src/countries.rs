//! Destinations: ISO 3166-1 alpha-2 codes, the EAR's "treat as" mappings (Hong Kong → China),
//! and Country Groups whose membership is dated (Cambodia leaves D:5 on 2026-02-03).
//!
//! Membership windows are half-open `[from, until)`, like every window in chipgate.

use crate::error::{line_of, DataError, DataErrors, InputError};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A destination after normalisation: the code the rules see, and what the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// The code rules compare against (HK becomes CN).
    pub code: String,
    /// The code as given, upper-cased.
    pub given: String,
    /// Why the code was mapped, when it was.
    pub note: Option<String>,
}

/// One dated membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub code: String,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
}

impl Membership {
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.from.map(|f| date >= f).unwrap_or(true) && self.until.map(|u| date < u).unwrap_or(true)
    }
}

/// A Country Group with its dated members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub title: String,
    pub members: Vec<Membership>,
}

/// The registry of codes, names, mappings and groups.
#[derive(Debug, Clone, Default)]
pub struct Countries {
    names: BTreeMap<String, String>,
    treat_as: BTreeMap<String, (String, String)>,
    groups: BTreeMap<String, Group>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountries {
    #[serde(default)]
    treat_as: BTreeMap<String, RawTreatAs>,
    names: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTreatAs {
    #[serde(rename = "as")]
    as_code: String,
    note: String,
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "read by serde to accept the key; the engine has no use for the value"
    )]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroups {
    group: BTreeMap<String, RawGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    title: String,
    #[expect(
        dead_code,
        reason = "read by serde to accept the key; the engine has no use for the value"
    )]
    snapshot: Option<toml::value::Datetime>,
    members: Vec<RawMember>,
    #[expect(
        dead_code,
        reason = "read by serde to accept the key; the engine has no use for the value"
    )]
    #[serde(default)]
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawMember {
    Code(String),
    Dated(RawDated),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDated {
    code: String,
    from: Option<toml::value::Datetime>,
    until: Option<toml::value::Datetime>,
    note: Option<String>,
    #[expect(
        dead_code,
        reason = "read by serde to accept the key; the engine has no use for the value"
    )]
    source: Option<String>,
}

/// Converts a TOML date (date only) to a NaiveDate.
pub(crate) fn toml_date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    if d.time.is_some() || d.offset.is_some() {
        return None;
    }
    let date = d.date?;
    NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )
}

fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> DataError {
    let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
    DataError::new(file, line, "", e.message().to_string())
}

impl Countries {
    /// Loads codes (`countries.toml`) and groups (`country_groups.toml`).
    pub fn load(
        countries_file: &str,
        countries_text: &str,
        groups_file: &str,
        groups_text: &str,
    ) -> Result<Countries, DataErrors> {
        let mut errors = Vec::new();
        let raw: RawCountries = toml::from_str(countries_text)
            .map_err(|e| DataErrors(vec![toml_error(countries_file, countries_text, &e)]))?;
        let find_line =
            |text: &str, needle: &str| text.find(needle).map(|o| line_of(text, o)).unwrap_or(1);
        let mut out = Countries::default();
        for (code, name) in raw.names {
            if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                errors.push(DataError::new(
                    countries_file,
                    find_line(countries_text, &format!("{code} =")),
                    code.clone(),
                    "country codes are two upper-case letters",
                ));
            }
            out.names.insert(code, name);
        }
        for (code, t) in raw.treat_as {
            if !out.names.contains_key(&t.as_code) {
                errors.push(DataError::new(
                    countries_file,
                    find_line(countries_text, &format!("{code} =")),
                    format!("treat_as.{code}.as"),
                    format!("unknown country code `{}`", t.as_code),
                ));
            }
            out.treat_as.insert(code, (t.as_code, t.note));
        }
        let groups: RawGroups = toml::from_str(groups_text)
            .map_err(|e| DataErrors(vec![toml_error(groups_file, groups_text, &e)]))?;
        for (name, g) in groups.group {
            let line = find_line(groups_text, &format!("[group.\"{name}\"]"));
            let mut members = Vec::new();
            for m in g.members {
                let mem = match m {
                    RawMember::Code(code) => Membership {
                        code,
                        from: None,
                        until: None,
                        note: None,
                    },
                    RawMember::Dated(d) => {
                        let from = d.from.as_ref().map(toml_date);
                        let until = d.until.as_ref().map(toml_date);
                        if from == Some(None) || until == Some(None) {
                            errors.push(DataError::new(
                                groups_file,
                                line,
                                format!("group.\"{name}\".members.{}", d.code),
                                "dates must be plain dates (YYYY-MM-DD)",
                            ));
                        }
                        let (from, until) = (from.flatten(), until.flatten());
                        if let (Some(f), Some(u)) = (from, until) {
                            if u <= f {
                                errors.push(DataError::new(
                                    groups_file,
                                    line,
                                    format!("group.\"{name}\".members.{}", d.code),
                                    "`until` must be after `from` (windows are [from, until))",
                                ));
                            }
                        }
                        Membership {
                            code: d.code,
                            from,
                            until,
                            note: d.note,
                        }
                    }
                };
                if !out.names.contains_key(&mem.code) {
                    errors.push(DataError::new(
                        groups_file,
                        line,
                        format!("group.\"{name}\".members"),
                        format!("unknown country code `{}`", mem.code),
                    ));
                }
                members.push(mem);
            }
            out.groups.insert(
                name.clone(),
                Group {
                    name,
                    title: g.title,
                    members,
                },
            );
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(DataErrors(errors))
        }
    }

    /// Normalises user input (`cn`, ` HK `) to a destination, or explains what is wrong.
    pub fn destination(&self, field: &str, input: &str) -> Result<Destination, InputError> {
        let given = input.trim().to_ascii_uppercase();
        if !self.names.contains_key(&given) {
            let hint = self
                .names
                .iter()
                .filter(|(_, n)| n.to_lowercase() == input.trim().to_lowercase())
                .map(|(c, _)| c.clone())
                .next()
                .map(|c| format!("did you mean `{c}`?"))
                .unwrap_or_else(|| "use an ISO 3166-1 alpha-2 code such as CN, MY or DE".into());
            return Err(
                InputError::new(field, format!("unknown country code `{}`", input.trim()))
                    .with_hint(hint),
            );
        }
        match self.treat_as.get(&given) {
            Some((code, note)) => Ok(Destination {
                code: code.clone(),
                given,
                note: Some(note.clone()),
            }),
            None => Ok(Destination {
                code: given.clone(),
                given,
                note: None,
            }),
        }
    }

    pub fn is_code(&self, code: &str) -> bool {
        self.names.contains_key(code)
    }

    pub fn name<'a>(&'a self, code: &'a str) -> &'a str {
        self.names.get(code).map(String::as_str).unwrap_or(code)
    }

    pub fn has_group(&self, group: &str) -> bool {
        self.groups.contains_key(group)
    }

    pub fn group(&self, group: &str) -> Option<&Group> {
        self.groups.get(group)
    }

    /// Whether `code` is in `group` on `date`.
    pub fn in_group(&self, group: &str, code: &str, date: NaiveDate) -> bool {
        self.groups
            .get(group)
            .map(|g| {
                g.members
                    .iter()
                    .any(|m| m.code == code && m.active_on(date))
            })
            .unwrap_or(false)
    }

    /// The groups `code` belongs to on `date`.
    pub fn groups_of(&self, code: &str, date: NaiveDate) -> Vec<&str> {
        self.groups
            .values()
            .filter(|g| {
                g.members
                    .iter()
                    .any(|m| m.code == code && m.active_on(date))
            })
            .map(|g| g.name.as_str())
            .collect()
    }

    /// Every date on which some membership starts or ends (timeline boundaries).
    pub fn change_dates(&self) -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = self
            .groups
            .values()
            .flat_map(|g| g.members.iter().flat_map(|m| [m.from, m.until]))
            .flatten()
            .collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }
}
