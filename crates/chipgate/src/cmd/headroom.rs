//! `chipgate headroom`: distance to each threshold.

use crate::args::{Common, ItemArgs};
use anyhow::{bail, Result};
use std::path::Path;

pub fn run(
    _data: Option<&Path>,
    _chip: Option<&str>,
    _item: &ItemArgs,
    _to: Option<&str>,
    _c: &Common,
) -> Result<()> {
    bail!("`headroom` is not wired yet")
}
