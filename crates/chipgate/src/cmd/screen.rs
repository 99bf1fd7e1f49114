//! `chipgate screen`: screening names against the lists (wired to chipgate-screen).

use crate::args::ScreenArgs;
use anyhow::{bail, Result};
use std::path::Path;

pub fn run(_data: Option<&Path>, _a: &ScreenArgs) -> Result<()> {
    bail!("`screen` is not wired yet")
}
