//! Reference data endpoints (catalog and rulebook), which answer no export question and so
//! are not audited. The JSON mirrors `chipgate chips list|show --json` and
//! `chipgate rules list --json` field for field (the CLI builds the same objects inline in
//! `cmd/chips.rs` and `cmd/rules.rs`; keep them in step).

use super::error::ApiError;
use super::scenarios::engine_for;
use crate::question::{date_or_today, parse_view};
use crate::request::RulesQuery;
use chipgate_core::metrics::compute;
use chipgate_core::rules::Standing;
use chipgate_core::Engine;
use serde_json::{json, Value};

/// `GET /v1/chips`.
pub fn chips(engine: &Engine) -> Value {
    let rows: Vec<_> = engine.catalog.chips.iter().map(|c| json!({"name": c.name, "vendor": c.vendor, "aliases": c.aliases, "datacenter": c.datacenter, "metrics": compute(c)})).collect();
    Value::Array(rows)
}

/// `GET /v1/chips/{name}`.
pub fn chip(engine: &Engine, name: &str) -> Result<Value, ApiError> {
    let c = engine
        .catalog
        .find(name)
        .map_err(|e| ApiError::from(e).with_field("name"))?;
    Ok(json!({"spec": c, "metrics": compute(c)}))
}

/// `GET /v1/rules?date=&view=&scenario=`.
pub fn rules(engine: &Engine, q: &RulesQuery) -> Result<Value, ApiError> {
    let engine = engine_for(engine, q.scenario.as_deref())?;
    let date = date_or_today("date", q.date.as_deref())?;
    let view = parse_view(q.view.as_deref().unwrap_or("enforced"))?;
    let standings = engine.book.standings(date, view);
    let rows: Vec<_> = standings
        .iter()
        .map(|(p, s)| json!({"id": p.id, "event": p.event, "type": p.kind.type_name(), "citation": p.citation, "effective": p.effective, "until": p.end, "status": p.status.name(), "standing": s, "in_force": *s == Standing::Active}))
        .collect();
    Ok(json!({"date": date, "view": view, "provisions": rows}))
}
