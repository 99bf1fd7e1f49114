//! `chipgate plot`: pictures.

use crate::args::PlotCommand;
use anyhow::{bail, Result};
use std::path::Path;

pub fn run(_data: Option<&Path>, _c: &PlotCommand) -> Result<()> {
    bail!("`plot` is not wired yet")
}
