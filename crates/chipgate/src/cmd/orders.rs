//! `chipgate orders`: order-book evaluation.

use crate::args::OrdersArgs;
use anyhow::{bail, Result};
use std::path::Path;

pub fn run(_data: Option<&Path>, _a: &OrdersArgs) -> Result<()> {
    bail!("`orders` is not wired yet")
}
