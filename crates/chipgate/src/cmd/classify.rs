//! `chipgate classify`: the ECCN paragraph of a chip or spec on a date.

use crate::args::{Common, ItemArgs};
use crate::question::{date_or_today, parse_view, resolve_item};
use crate::{data, render};
use anyhow::Result;
use std::path::Path;

pub fn run(
    data_dir: Option<&Path>,
    chip: Option<&str>,
    item: &ItemArgs,
    common: &Common,
    exporter_role: Option<&str>,
) -> Result<()> {
    let engine = data::engine(data_dir, &common.scenarios)?;
    let spec = resolve_item(&engine, chip, item)?;
    let date = date_or_today("date", common.date.as_deref())?;
    let view = parse_view(&common.view)?;
    let c = engine.classify_as(&spec, date, view, exporter_role)?;
    if common.json {
        let mut v = serde_json::to_value(&c)?;
        if let (Some(m), false) = (v.as_object_mut(), engine.scenarios.is_empty()) {
            m.insert("scenarios".into(), serde_json::json!(engine.scenarios));
        }
        super::print_json(&v)
    } else {
        print!(
            "{}",
            render::with_scenarios(render::classification(&c), &engine.scenarios)
        );
        Ok(())
    }
}
