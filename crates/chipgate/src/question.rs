//! Turns command-line (or HTTP, or order-row) inputs into a core `Question`: resolves the chip
//! or spec, validates the countries, maps end-use text, and screens the parties.

use crate::args::{ItemArgs, PartyArgs};
use anyhow::{anyhow, Context, Result};
use chipgate_core::catalog::normalise;
use chipgate_core::facts::SetFact;
use chipgate_core::license::Question;
use chipgate_core::rules::View;
use chipgate_core::spec::ChipSpec;
use chipgate_core::{Engine, InputError};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Read;
use std::path::Path;

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
    View::parse(s).ok_or_else(|| InputError::new("view", format!("unknown view `{s}` (expected `enforced` or `law`)")))
}

/// Resolves a catalog chip name or a spec file (`-` = standard input).
pub fn resolve_item(engine: &Engine, chip: Option<&str>, item: &ItemArgs) -> Result<ChipSpec> {
    let mut spec = match (chip, item.spec.as_deref()) {
        (Some(_), Some(_)) => return Err(InputError::new("spec", "give a chip name or --spec, not both").into()),
        (Some(name), None) => engine.catalog.find(name)?.clone(),
        (None, Some("-")) => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).context("reading the spec from standard input")?;
            ChipSpec::from_json(&text)?
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading spec file {path}"))?;
            ChipSpec::from_json(&text)?
        }
        (None, None) => return Err(InputError::new("chip", "name a catalog chip or give --spec FILE").into()),
    };
    if let Some(c) = item.count {
        spec.count = Some(c);
    }
    spec.validate()?;
    Ok(spec)
}

/// One party's screening outcome as shown in answers.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PartyScreening {
    pub role: String,
    pub name: String,
    pub status: String,
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
}

/// A question ready for the engine, with what was learnt while preparing it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub question: Question,
    pub warnings: Vec<String>,
    pub screening: Vec<PartyScreening>,
}

/// A local party file row (name, list, date added, optional HQ/parent/share).
#[derive(Debug, Clone)]
pub struct PartyRow {
    pub name: String,
    pub list: String,
    pub date_added: Option<NaiveDate>,
    pub hq_country: Option<String>,
}

/// Maps a list name as people write it to chipgate's list kind.
pub fn list_kind(name: &str) -> String {
    let n = normalise(name);
    let kind = if n.contains("entity") {
        "entity_list"
    } else if n.contains("denied") || n == "dpl" {
        "dpl"
    } else if n.contains("unverified") || n == "uvl" {
        "unverified"
    } else if n.contains("military end") || n == "meu" {
        "meu"
    } else if n.contains("specially designated") || n == "sdn" {
        "sdn"
    } else if n.contains("cmic") || n.contains("military industrial") {
        "cmic"
    } else {
        "other"
    };
    kind.to_string()
}

/// Reads a party file (CSV with header name,list,date_added[,hq_country]).
pub fn read_parties(path: &Path) -> Result<Vec<PartyRow>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading party file {}", path.display()))?;
    let mut rows = Vec::new();
    let mut lines = text.lines().enumerate();
    let header: Vec<String> = match lines.next() {
        Some((_, h)) => h.split(',').map(|s| s.trim().to_ascii_lowercase()).collect(),
        None => return Err(anyhow!("{}: empty party file", path.display())),
    };
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(ci), Some(cl)) = (col("name"), col("list")) else {
        return Err(anyhow!("{}:1: header must name columns `name` and `list`", path.display()));
    };
    let cd = col("date_added");
    let ch = col("hq_country");
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let get = |c: Option<usize>| c.and_then(|c| cells.get(c)).map(|s| s.to_string()).filter(|s| !s.is_empty());
        let name = get(Some(ci)).ok_or_else(|| anyhow!("{}:{}: missing name", path.display(), i + 1))?;
        let list = get(Some(cl)).ok_or_else(|| anyhow!("{}:{}: missing list", path.display(), i + 1))?;
        let date_added = match get(cd) {
            Some(d) => Some(parse_date("date_added", &d).map_err(|e| anyhow!("{}:{}: {e}", path.display(), i + 1))?),
            None => None,
        };
        rows.push(PartyRow {
            name,
            list,
            date_added,
            hq_country: get(ch),
        });
    }
    Ok(rows)
}

/// Screens one party against the local party file (exact match after normalisation).
pub fn screen_local(role: &str, name: &str, rows: &[PartyRow], date: NaiveDate) -> (PartyScreening, SetFact) {
    let n = normalise(name);
    let mut fact = SetFact::default();
    let mut s = PartyScreening {
        role: role.into(),
        name: name.into(),
        status: "clear".into(),
        ..Default::default()
    };
    for r in rows.iter().filter(|r| normalise(&r.name) == n) {
        if r.date_added.map(|d| d > date).unwrap_or(false) {
            continue;
        }
        let kind = list_kind(&r.list);
        if !fact.definite.contains(&kind) {
            fact.definite.push(kind.clone());
        }
        s.status = "match".into();
        s.hits.push(PartyHit {
            list: r.list.clone(),
            kind,
            entry_id: r.name.clone(),
            name: r.name.clone(),
            score: 1.0,
            certain: true,
            source: "party file".into(),
        });
    }
    (s, fact)
}

/// Builds the question from parsed arguments.
pub fn prepare(engine: &Engine, spec: ChipSpec, to: &str, p: &PartyArgs, date: NaiveDate) -> Result<Prepared> {
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
    }
    if let Some(r) = &p.exporter_role {
        const ROLES: &[&str] = &["designer", "front_end_fabricator", "osat", "distributor", "other"];
        if !ROLES.contains(&r.as_str()) {
            return Err(InputError::new("exporter-role", format!("unknown role `{r}` (expected one of {})", ROLES.join(", "))).into());
        }
    }
    let rows = match &p.parties {
        Some(path) => read_parties(path)?,
        None => Vec::new(),
    };
    let mut screening = Vec::new();
    let mut buyer_lists = SetFact::default();
    let mut end_user_lists = SetFact::default();
    let mut buyer_hq = buyer_hq;
    for (role, name, target) in [("buyer", &p.buyer, &mut buyer_lists), ("end_user", &p.end_user, &mut end_user_lists)] {
        if let Some(name) = name {
            let (s, fact) = screen_local(role, name, &rows, date);
            target.definite.extend(fact.definite);
            if role == "buyer" && buyer_hq.is_none() {
                if let Some(hq) = rows.iter().find(|r| normalise(&r.name) == normalise(name)).and_then(|r| r.hq_country.clone()) {
                    buyer_hq = Some(hq);
                }
            }
            screening.push(s);
        }
    }
    let question = Question {
        spec,
        destination: Some(destination),
        buyer: p.buyer.clone(),
        buyer_hq,
        end_user: p.end_user.clone(),
        end_user_hq,
        end_use,
        exporter: p.exporter.clone(),
        exporter_role: p.exporter_role.clone(),
        approved_designer: p.approved_designer.then_some(true),
        ship_from,
        quantity: p.quantity,
        buyer_lists,
        end_user_lists,
        owner_lists: SetFact::default(),
    };
    Ok(Prepared {
        question,
        warnings,
        screening,
    })
}
