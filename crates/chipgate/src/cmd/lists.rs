//! `chipgate lists`: import, update and diff screening lists.

use crate::args::ListsCommand;
use anyhow::{bail, Result};

pub fn run(_c: &ListsCommand) -> Result<()> {
    bail!("`lists` is not wired yet")
}
