//! `chipgate completions SHELL` and `chipgate man --out DIR`: shell completion scripts
//! (clap_complete) and roff man pages (clap_mangen), generated from the same argument
//! definitions as `--help`, so they never drift from the binary.

use crate::args::Cli;
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::path::Path;

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "chipgate", &mut out);
    Ok(())
}

/// Writes `chipgate.1` and `chipgate-SUB.1` (nested subcommands too) into `dir`.
pub fn man(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let cmd = Cli::command();
    let mut n = 0usize;
    write_pages(&cmd, "chipgate", dir, &mut n)?;
    println!("wrote {n} man pages to {}", dir.display());
    Ok(())
}

fn write_pages(cmd: &clap::Command, name: &str, dir: &Path, n: &mut usize) -> Result<()> {
    let cmd = cmd.clone().name(name.to_string());
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut buf)
        .with_context(|| format!("rendering the man page of {name}"))?;
    crate::outfile::write(&dir.join(format!("{name}.1")), &buf)?;
    *n += 1;
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, n)?;
    }
    Ok(())
}
