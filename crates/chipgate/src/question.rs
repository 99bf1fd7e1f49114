//! Turns a [`CheckRequest`] (from a command line, an HTTP body, an order row or a golden case)
//! into a core `Question`: resolves the chip or spec, validates the countries, maps end-use
//! text, and screens the parties. Called only by [`crate::answer`] and the order-book cache.

use crate::request::CheckRequest;
use crate::screening::PartyContext;
use anyhow::Result;
use chipgate_core::catalog::normalise;
use chipgate_core::facts::SetFact;
use chipgate_core::license::Question;
use chipgate_core::rules::View;
use chipgate_core::spec::ChipSpec;
use chipgate_core::{Engine, InputError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

/// Parses a YYYY-MM-DD date, naming the field on error.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, InputError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| InputError::new(field, format!("`{s}` is not a date (expected YYYY-MM-DD)")))
}

/// The as-of date: given, or today (UTC).
pub fn date_or_today(field: &str, s: Option<&str>) -> Result<NaiveDate, InputError> {
    match s {
        Some(s) => parse_date(field, s),
        None => Ok(chrono::Utc::now().date_naive()),
    }
}

pub fn parse_view(s: &str) -> Result<View, InputError> {
    View::parse(s).ok_or_else(|| {
        InputError::new(
            "view",
            format!("unknown view `{s}` (expected `enforced` or `law`)"),
        )
    })
}

/// Resolves a catalog chip name or a spec object (a request's `spec`), with the IC count
/// applied.
pub fn resolve_item(
    engine: &Engine,
    chip: Option<&str>,
    spec: Option<&Value>,
    count: Option<u32>,
) -> Result<ChipSpec, InputError> {
    let mut spec = match (chip, spec) {
        (Some(_), Some(_)) => {
            return Err(InputError::new(
                "spec",
                "give a chip name or a spec, not both",
            ))
        }
        (Some(name), None) => engine.catalog.find(name)?.clone(),
        (None, Some(v)) if v.is_object() => ChipSpec::from_json(&v.to_string())?,
        (None, Some(_)) => return Err(InputError::new("spec", "must be a chip spec JSON object")),
        (None, None) => {
            return Err(InputError::new(
                "chip",
                "name a catalog chip or give a spec (--spec FILE, or `spec` in a request)",
            ))
        }
    };
    if let Some(c) = count {
        spec.count = Some(c);
    }
    spec.validate()?;
    Ok(spec)
}

/// The outcome of screening one party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PartyStatus {
    /// Not screened against the lists (`--no-screen`, or no lists loaded); a party file may
    /// still have named it.
    #[default]
    NotScreened,
    Clear,
    PotentialMatch,
    Match,
}

impl PartyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyStatus::NotScreened => "not_screened",
            PartyStatus::Clear => "clear",
            PartyStatus::PotentialMatch => "potential_match",
            PartyStatus::Match => "match",
        }
    }
}

impl std::fmt::Display for PartyStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One party's screening outcome as shown in answers.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PartyScreening {
    pub role: String,
    pub name: String,
    pub status: PartyStatus,
    pub hits: Vec<PartyHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ownership: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartyHit {
    pub list: String,
    pub kind: String,
    pub entry_id: String,
    pub name: String,
    pub score: f64,
    pub certain: bool,
    pub source: String,
    /// Where a dated listing comes from (Federal Register document, dates, confidence,
    /// footnote), for Entity List events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<chipgate_screen::Provenance>,
    /// How the name matched (the scorer's explanation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

/// A question ready for the engine, with what was learnt while preparing it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub question: Question,
    pub warnings: Vec<String>,
    pub screening: Vec<PartyScreening>,
    /// The lists the parties were screened against, with their snapshot dates.
    pub lists: Vec<chipgate_screen::ListInfo>,
}

/// Maps a list name as people write it in a party file (`entity_list`, `Entity List`,
/// `Specially Designated Nationals (SDN)`) to chipgate's list kind — the screening crate's
/// mapping, so a party file and a list file mean the same thing.
pub fn list_kind(name: &str) -> String {
    let key = normalise(name).replace(' ', "_");
    chipgate_screen::ListKind::parse(&key)
        .unwrap_or_else(|| chipgate_screen::ListKind::from_source(name))
        .as_str()
        .to_string()
}

/// The country table (codes, names, groups) of the built-in data or `--data DIR`, without
/// loading the rules.
pub fn countries(data: Option<&std::path::Path>) -> Result<chipgate_core::countries::Countries> {
    let f = crate::data::files(data)?;
    chipgate_core::countries::Countries::load(
        &f.countries.name,
        &f.countries.text,
        &f.country_groups.name,
        &f.country_groups.text,
    )
    .map_err(|e| anyhow::anyhow!("invalid data:\n{e}"))
}

/// Builds the question from a request's party and transaction facts (its item, destination
/// and date are given resolved; `to` is the destination as written).
pub fn prepare(
    engine: &Engine,
    parties: &PartyContext,
    spec: ChipSpec,
    to: &str,
    p: &CheckRequest,
    date: NaiveDate,
) -> Result<Prepared> {
    let mut warnings = Vec::new();
    let destination = engine.countries.destination("to", to)?;
    let hq = |field: &str, v: &Option<String>| -> Result<Option<String>, InputError> {
        match v {
            Some(c) => Ok(Some(engine.countries.destination(field, c)?.code)),
            None => Ok(None),
        }
    };
    let buyer_hq = hq("buyer-hq", &p.buyer_hq)?;
    let end_user_hq = hq("end-user-hq", &p.end_user_hq)?;
    let ship_from = match &p.ship_from {
        Some(c) => Some(engine.countries.destination("ship-from", c)?.given),
        None => None,
    };
    let mut end_use = Vec::new();
    if let Some(text) = &p.end_use {
        let (codes, unknown) = engine.end_uses_of(text);
        end_use = codes;
        for u in unknown {
            warnings.push(format!("end use `{u}` is not one chipgate recognises ({}); no end-use control was evaluated for it", engine.end_uses.keys().cloned().collect::<Vec<_>>().join(", ")));
        }
    }
    if let Some(q) = p.quantity {
        if !q.is_finite() || q < 0.0 {
            return Err(InputError::new("quantity", "must be a number ≥ 0").into());
        }
        if q > crate::orders::row::MAX_QUANTITY {
            return Err(InputError::new(
                "quantity",
                format!(
                    "{q} is out of range (at most {})",
                    crate::orders::report::fmt::count(crate::orders::row::MAX_QUANTITY as u64)
                ),
            )
            .into());
        }
        if q.fract() != 0.0 {
            return Err(
                InputError::new("quantity", format!("must be a whole number (got {q})")).into(),
            );
        }
    }
    if let Some(r) = &p.exporter_role {
        const ROLES: &[&str] = &[
            "designer",
            "front_end_fabricator",
            "osat",
            "distributor",
            "other",
        ];
        if !ROLES.contains(&r.as_str()) {
            return Err(InputError::new(
                "exporter-role",
                format!("unknown role `{r}` (expected one of {})", ROLES.join(", ")),
            )
            .into());
        }
    }
    let mut screening = Vec::new();
    let mut buyer_lists = SetFact::default();
    let mut end_user_lists = SetFact::default();
    let mut owner_lists = SetFact::default();
    let mut buyer_hq = buyer_hq;
    let mut end_user_hq = end_user_hq;
    let mut buyer_parent_hq = None;
    let mut end_user_parent_hq = None;
    for (role, name) in [("buyer", &p.buyer), ("end_user", &p.end_user)] {
        let Some(name) = name else { continue };
        crate::screening::check_name(if role == "buyer" { "buyer" } else { "end-user" }, name)?;
        let o = parties
            .screen(role, name, None, date)
            .map_err(|e| InputError::new(role, e.to_string()))?;
        let (target, hq, parent_hq) = if role == "buyer" {
            (&mut buyer_lists, &mut buyer_hq, &mut buyer_parent_hq)
        } else {
            (
                &mut end_user_lists,
                &mut end_user_hq,
                &mut end_user_parent_hq,
            )
        };
        target.definite.extend(o.lists.definite);
        target.possible.extend(o.lists.possible);
        owner_lists.definite.extend(o.owner_lists.definite);
        owner_lists.possible.extend(o.owner_lists.possible);
        if hq.is_none() {
            if let Some(h) = o.hq {
                *hq = Some(
                    engine
                        .countries
                        .destination(&format!("{role} headquarters (party file)"), &h)?
                        .code,
                );
            }
        }
        if let Some(h) = o.parent_hq {
            *parent_hq = Some(
                engine
                    .countries
                    .destination(&format!("{role} parent headquarters (party file)"), &h)?
                    .code,
            );
        }
        screening.push(o.screening);
    }
    if !screening.is_empty() {
        for l in &parties.lists {
            if let Some(snap) = l.snapshot_date.filter(|s| *s < date) {
                warnings.push(format!("screened against `{}` as of its snapshot {snap}, older than {date}: import a newer list with `chipgate lists import` or `lists update`", l.name));
            }
        }
    }
    if p.end_user.is_none() && end_user_hq.is_none() {
        // No separate end user named: the buyer is the end user.
        end_user_hq = buyer_hq.clone();
        end_user_parent_hq = buyer_parent_hq.clone();
        end_user_lists = buyer_lists.clone();
    }
    if p.buyer.is_some() && buyer_hq.is_none() {
        warnings.push("buyer headquarters unknown: give --buyer-hq or an ownership file with --parties (the headquarters rule depends on it)".into());
    }
    let question = Question {
        spec,
        destination: Some(destination),
        buyer: p.buyer.clone(),
        buyer_hq,
        buyer_parent_hq,
        end_user: p.end_user.clone(),
        end_user_hq,
        end_user_parent_hq,
        end_use,
        exporter: p.exporter.clone(),
        exporter_role: p.exporter_role.clone(),
        approved_designer: p.approved_designer.unwrap_or(false).then_some(true),
        ship_from,
        quantity: p.quantity,
        buyer_lists,
        end_user_lists,
        owner_lists,
    };
    let lists = if screening.is_empty() || parties.screener.is_none() {
        Vec::new()
    } else {
        parties.lists.clone()
    };
    Ok(Prepared {
        question,
        warnings,
        screening,
        lists,
    })
}
