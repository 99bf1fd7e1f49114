//! `chipgate serve`: the HTTP API.

use crate::args::ServeArgs;
use anyhow::{bail, Result};
use std::path::Path;

pub fn run(_data: Option<&Path>, _a: &ServeArgs) -> Result<()> {
    bail!("`serve` is not wired yet")
}
