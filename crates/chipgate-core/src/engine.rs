//! The engine: catalog, countries, rulebook and end-use vocabulary loaded together, with the
//! questions people ask as methods. Loading takes bytes; the binary decides where they come
//! from (embedded data or `--data DIR`).

use crate::catalog::{normalise, Catalog};
use crate::classify::{classify, Classification};
use crate::countries::Countries;
use crate::error::{line_of, DataError, DataErrors, InputError};
use crate::license::{determine, facts_of, Determination, Question};
use crate::rules::{RuleSource, Rulebook, Scenario, View};
use crate::spec::ChipSpec;
use crate::timeline::{change_dates, timeline, Segment};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The data files, as (name, text) pairs.
#[derive(Debug, Clone, Default)]
pub struct DataFiles {
    pub countries: RuleSource,
    pub country_groups: RuleSource,
    pub sets: RuleSource,
    pub end_uses: RuleSource,
    pub rules: Vec<RuleSource>,
    pub chips: Vec<RuleSource>,
}

/// One recognised end use.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndUse {
    pub label: String,
    pub keywords: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndUses {
    end_use: BTreeMap<String, EndUse>,
}

/// Everything loaded and validated.
#[derive(Debug, Clone)]
pub struct Engine {
    pub catalog: Catalog,
    pub countries: Countries,
    pub book: Rulebook,
    pub end_uses: BTreeMap<String, EndUse>,
    /// Applied scenario ids, in order.
    pub scenarios: Vec<String>,
}

impl Engine {
    /// Loads and validates all data; reports every problem found.
    pub fn load(files: &DataFiles) -> Result<Engine, DataErrors> {
        let mut errors = Vec::new();
        let countries = Countries::load(
            &files.countries.name,
            &files.countries.text,
            &files.country_groups.name,
            &files.country_groups.text,
        )?;
        let catalog = Catalog::load(
            &files
                .chips
                .iter()
                .map(|f| (f.name.clone(), f.text.clone()))
                .collect::<Vec<_>>(),
        );
        let book = Rulebook::load(&files.sets, &files.rules, &countries);
        let end_uses = match toml::from_str::<RawEndUses>(&files.end_uses.text) {
            Ok(r) => r.end_use,
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| line_of(&files.end_uses.text, s.start))
                    .unwrap_or(1);
                errors.push(DataError::new(
                    &files.end_uses.name,
                    line,
                    "",
                    e.message().trim().to_string(),
                ));
                BTreeMap::new()
            }
        };
        let catalog = match catalog {
            Ok(c) => Some(c),
            Err(e) => {
                errors.extend(e.0);
                None
            }
        };
        let book = match book {
            Ok(b) => Some(b),
            Err(e) => {
                errors.extend(e.0);
                None
            }
        };
        match (catalog, book) {
            (Some(catalog), Some(book)) if errors.is_empty() => Ok(Engine {
                catalog,
                countries,
                book,
                end_uses,
                scenarios: Vec::new(),
            }),
            _ => Err(DataErrors(errors)),
        }
    }

    /// A copy of the engine with a scenario overlaid.
    pub fn with_scenario(&self, sc: &Scenario) -> Result<Engine, DataErrors> {
        let book = self.book.with_scenario(sc, &self.countries)?;
        let mut e = self.clone();
        e.book = book;
        e.scenarios.push(sc.id.clone());
        Ok(e)
    }

    /// Refuses dates before the first encoded text rather than guessing.
    pub fn check_date(&self, date: NaiveDate) -> Result<(), InputError> {
        match self.book.earliest {
            Some(first) if date < first => Err(InputError::new(
                "date",
                format!("{date} is before the first rule encoded ({first})"),
            )
            .with_hint("chipgate answers from the earliest encoded rule onwards")),
            _ => Ok(()),
        }
    }

    /// Classifies a spec on a date.
    pub fn classify(
        &self,
        spec: &ChipSpec,
        date: NaiveDate,
        view: View,
    ) -> Result<Classification, InputError> {
        self.classify_as(spec, date, view, None)
    }

    /// Classifies a spec as handled by an exporter in `role` (the foundry presumption reads it).
    pub fn classify_as(
        &self,
        spec: &ChipSpec,
        date: NaiveDate,
        view: View,
        exporter_role: Option<&str>,
    ) -> Result<Classification, InputError> {
        self.check_date(date)?;
        spec.validate()?;
        let q = Question {
            spec: spec.clone(),
            exporter_role: exporter_role.map(str::to_string),
            ..Default::default()
        };
        let facts = facts_of(&q, date);
        Ok(classify(
            &self.book,
            &self.countries,
            &spec.display_name(),
            &facts,
            date,
            view,
        ))
    }

    /// Determines the licence position of a question.
    pub fn check(
        &self,
        q: &Question,
        date: NaiveDate,
        view: View,
    ) -> Result<Determination, InputError> {
        self.decide(q, date, view, true)
    }

    /// As [`Engine::check`] without the evidence of requirements that do not apply: for order
    /// books and servers that need the decision and the deciding rules.
    pub fn check_brief(
        &self,
        q: &Question,
        date: NaiveDate,
        view: View,
    ) -> Result<Determination, InputError> {
        self.decide(q, date, view, false)
    }

    fn decide(
        &self,
        q: &Question,
        date: NaiveDate,
        view: View,
        full: bool,
    ) -> Result<Determination, InputError> {
        self.check_date(date)?;
        q.spec.validate()?;
        if q.destination.is_none() {
            return Err(InputError::new("to", "a destination country is required"));
        }
        Ok(determine(&self.book, &self.countries, q, date, view, full))
    }

    /// The decision over time.
    pub fn timeline(
        &self,
        q: &Question,
        from: NaiveDate,
        to: NaiveDate,
        view: View,
    ) -> Result<Vec<Segment>, InputError> {
        self.check_date(from)?;
        if to < from {
            return Err(InputError::new("to-date", format!("{to} is before {from}")));
        }
        q.spec.validate()?;
        Ok(timeline(&self.book, &self.countries, q, from, to, view))
    }

    /// Every date in `(from, to]` on which the answer to some question may differ from the day
    /// before (see [`crate::timeline::change_dates`]): timelines and order books split time there.
    pub fn change_dates(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        change_dates(&self.book, &self.countries, from, to)
    }

    /// Maps free end-use text to recognised codes; returns (codes, unrecognised parts).
    pub fn end_uses_of(&self, text: &str) -> (Vec<String>, Vec<String>) {
        let mut codes = Vec::new();
        let mut unknown = Vec::new();
        for part in text
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let norm = normalise(part);
            let mut hit = false;
            for (code, eu) in &self.end_uses {
                let matches = normalise(code) == norm
                    || eu.keywords.iter().any(|k| {
                        let k = normalise(k);
                        !k.is_empty() && (format!(" {norm} ").contains(&format!(" {k} ")))
                    });
                if matches && !codes.contains(code) {
                    codes.push(code.clone());
                    hit = true;
                }
            }
            if !hit {
                unknown.push(part.to_string());
            }
        }
        (codes, unknown)
    }
}
