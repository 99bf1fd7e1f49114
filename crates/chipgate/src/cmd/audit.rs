//! `chipgate audit`: verify and export the audit log.

use crate::args::AuditCommand;
use anyhow::{bail, Result};

pub fn run(_c: &AuditCommand) -> Result<bool> {
    bail!("`audit` is not wired yet")
}
