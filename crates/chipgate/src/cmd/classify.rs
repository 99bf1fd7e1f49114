//! `chipgate classify`: the ECCN paragraph of a chip or spec on a date.

use crate::args::{Common, ItemArgs};
use crate::request::ClassifyRequest;
use crate::{answer, data, render};
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
    let req = ClassifyRequest::from_cli(chip, item, common, exporter_role)?;
    let out = answer::classify(&engine, &req)?;
    if common.json {
        super::print_json(&out)
    } else {
        print!(
            "{}",
            render::with_scenarios(
                render::classification(&out.classification),
                &engine.scenarios
            )
        );
        Ok(())
    }
}
