//! Scenarios: user-written overlays in the rule-file format. A scenario may add events,
//! replace events (same id), withdraw events or provisions, and shift their dates; the result
//! is validated exactly like the built-in rulebook.

use super::load::{assemble, build_event, Ctx, RawEvent, RuleSource, Rulebook};
use super::model::*;
use crate::countries::{toml_date, Countries};
use crate::error::{line_of, DataError, DataErrors};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: String,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    withdraw: Vec<Spanned<String>>,
    #[serde(default)]
    shift: Vec<RawShift>,
    #[serde(default)]
    event: Vec<RawEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShift {
    target: Spanned<String>,
    #[serde(default)]
    effective: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    days: Option<i64>,
}

/// A loaded scenario, applied with [`Rulebook::with_scenario`].
#[derive(Debug, Clone)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub description: String,
    pub source: RuleSource,
}

impl Scenario {
    /// Parses the scenario header (the overlay is validated when applied).
    pub fn parse(source: RuleSource) -> Result<Scenario, DataErrors> {
        let raw: RawScenario = toml::from_str(&source.text).map_err(|e| {
            let line = e
                .span()
                .map(|s| line_of(&source.text, s.start))
                .unwrap_or(1);
            DataErrors(vec![DataError::new(
                &source.name,
                line,
                "",
                e.message().trim().to_string(),
            )])
        })?;
        Ok(Scenario {
            id: raw.id,
            title: raw.title,
            description: raw.description.unwrap_or_default(),
            source,
        })
    }
}

impl Rulebook {
    /// The rulebook with a scenario applied (validated as a whole).
    pub fn with_scenario(
        &self,
        sc: &Scenario,
        countries: &Countries,
    ) -> Result<Rulebook, DataErrors> {
        let file = &sc.source.name;
        let text = &sc.source.text;
        let raw: RawScenario = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
            DataErrors(vec![DataError::new(
                file,
                line,
                "",
                e.message().trim().to_string(),
            )])
        })?;
        let mut errors = Vec::new();
        let mut events = self.events.clone();
        let mut provisions = self.provisions.clone();
        for w in &raw.withdraw {
            let t = w.get_ref();
            let mut hit = false;
            for p in provisions
                .iter_mut()
                .filter(|p| &p.id == t || &p.event == t)
            {
                p.status = Status::Withdrawn;
                hit = true;
            }
            if !hit {
                errors.push(DataError::new(
                    file,
                    line_of(text, w.span().start),
                    "withdraw",
                    format!("no event or provision `{t}` to withdraw"),
                ));
            }
        }
        for s in &raw.shift {
            let t = s.target.get_ref();
            let line = line_of(text, s.target.span().start);
            let new_date: Option<NaiveDate> = match (&s.effective, s.days) {
                (Some(d), None) => match toml_date(d.get_ref()) {
                    Some(v) => Some(v),
                    None => {
                        errors.push(DataError::new(
                            file,
                            line,
                            "shift.effective",
                            "must be a plain date",
                        ));
                        None
                    }
                },
                (None, Some(_)) => None,
                _ => {
                    errors.push(DataError::new(
                        file,
                        line,
                        "shift",
                        "give exactly one of `effective` or `days`",
                    ));
                    continue;
                }
            };
            let mut hit = false;
            for p in provisions
                .iter_mut()
                .filter(|p| &p.id == t || &p.event == t)
            {
                let target = match (new_date, s.days) {
                    (Some(d), _) => Some(d),
                    (None, Some(n)) => p.effective.checked_add_signed(Duration::days(n)),
                    _ => None,
                };
                if let Some(d) = target {
                    let delta = d.signed_duration_since(p.effective);
                    p.effective = d;
                    p.compliance = p
                        .compliance
                        .and_then(|c| c.checked_add_signed(delta))
                        .map(|c| c.max(d));
                }
                hit = true;
            }
            for e in events.iter_mut().filter(|e| &e.id == t) {
                if let Some(d) = new_date {
                    e.effective = Some(d);
                }
            }
            if !hit {
                errors.push(DataError::new(
                    file,
                    line,
                    "shift.target",
                    format!("no event or provision `{t}` to shift"),
                ));
            }
        }
        for re in raw.event {
            // Provision ids this event reuses: allowed only with `replace = true`, which takes
            // the existing provision's place (reuse would otherwise silently add a version).
            let event_id = re.id.get_ref().clone();
            let reused: Vec<(String, bool, usize)> = re
                .provision
                .iter()
                .map(|p| (p.id.get_ref().clone(), p.replace, p.id.span().start))
                .collect();
            let mut cx = Ctx {
                file,
                text,
                errors: &mut errors,
            };
            if let Some((mut e, ps)) = build_event(&mut cx, re, &self.sets, countries) {
                events.retain(|x| x.id != e.id);
                provisions.retain(|p| p.event != e.id);
                for (id, replace, at) in &reused {
                    let existing: Vec<&str> = provisions
                        .iter()
                        .filter(|p| &p.id == id)
                        .map(|p| p.event.as_str())
                        .collect();
                    if existing.is_empty() {
                        if *replace {
                            errors.push(DataError::new(
                                file,
                                line_of(text, *at),
                                "replace",
                                format!("no provision `{id}` to replace"),
                            ));
                        }
                    } else if *replace {
                        provisions.retain(|p| &p.id != id);
                    } else {
                        errors.push(DataError::new(
                            file,
                            line_of(text, *at),
                            "id",
                            format!(
                                "provision `{id}` already exists (event `{}`); event `{event_id}` reusing its id would add a version of it: set `replace = true` on the provision to take its place, or choose a new id",
                                existing.first().copied().unwrap_or_default()
                            ),
                        ));
                    }
                }
                e.file = file.clone();
                events.push(e);
                provisions.extend(ps);
            }
        }
        for p in provisions.iter_mut() {
            p.end = p.until;
            p.end_enforced = p.until;
        }
        let fingerprint = format!("{}+{}", self.fingerprint, sc.id);
        let book = assemble(
            events,
            provisions,
            self.sets.clone(),
            fingerprint,
            &mut errors,
        );
        if errors.is_empty() {
            Ok(book)
        } else {
            Err(DataErrors(errors))
        }
    }
}
