//! `chipgate keys`: API keys.

use crate::args::KeysCommand;
use anyhow::{bail, Result};

pub fn run(_c: &KeysCommand) -> Result<()> {
    bail!("`keys` is not wired yet")
}
