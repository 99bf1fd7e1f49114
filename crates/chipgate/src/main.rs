//! `chipgate` entry point: parse, dispatch, map outcomes to exit codes (0 = an answer, 1 = a
//! verification failed or an answer tripped a `--fail-on` gate, 2 = bad usage or bad input,
//! with a message naming the field). Never panics on input.

use chipgate_cli::args::{Cli, Command};
use chipgate_cli::cmd;
use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the server and order books allocate many small strings per answer; the system
/// allocator was about a quarter of the server's CPU time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Whether an error comes from writing to a closed pipe (`chipgate … | head`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A reader that stops reading (`head`, `less` quitting) ends chipgate quietly: `print!`
/// panics on a closed standard output, and that panic is turned into a silent exit 0.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if msg.contains("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    let data = cli.data.as_deref();
    let result = match &cli.command {
        Command::Classify {
            chip,
            item,
            common,
            exporter_role,
        } => done(cmd::classify::run(
            data,
            chip.as_deref(),
            item,
            common,
            exporter_role.as_deref(),
        )),
        Command::Check {
            chip,
            item,
            to,
            parties,
            common,
            audit,
            fail_on,
        } => gate(cmd::check::run(
            data,
            chip.as_deref(),
            item,
            to,
            parties,
            common,
            audit.as_deref(),
            fail_on,
        )),
        Command::Timeline {
            chip,
            item,
            to,
            from,
            to_date,
            parties,
            view,
            scenarios,
            json,
        } => done(cmd::timeline::run(
            data,
            chip.as_deref(),
            item,
            to,
            from.as_deref(),
            to_date.as_deref(),
            parties,
            view,
            scenarios,
            *json,
        )),
        Command::Rules { command } => done(cmd::rules::run(data, command)),
        Command::Chips { command } => done(cmd::chips::run(data, command)),
        Command::Test { files } => gate(cmd::golden::run(data, files)),
        Command::Screen(a) => gate(cmd::screen::run(data, a)),
        Command::Lists { command } => done(cmd::lists::run(command)),
        Command::Orders(a) => gate(cmd::orders::run(data, a)),
        Command::Serve(a) => done(cmd::serve::run(data, a)),
        Command::Keys { command } => done(cmd::keys::run(command)),
        Command::Audit { command } => gate(cmd::audit::run(command)),
        Command::Plot { command } => done(cmd::plot::run(data, command)),
        Command::Completions { shell } => done(cmd::docs::completions(*shell)),
        Command::Man { out } => done(cmd::docs::man(out)),
        Command::Headroom {
            chip,
            item,
            to,
            common,
        } => done(cmd::headroom::run(
            data,
            chip.as_deref(),
            item,
            to.as_deref(),
            common,
        )),
    };
    match result {
        Ok(Outcome::Answered) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<chipgate_core::InputError>() {
                Some(ie) => eprintln!("error: {ie}"),
                None => eprintln!("error: {e:#}"),
            }
            ExitCode::from(2)
        }
    }
}

/// How a command ended when it did not fail on its input.
enum Outcome {
    /// Exit 0.
    Answered,
    /// Exit 1: a verification failed or an answer tripped a `--fail-on` gate.
    Failed,
}

impl From<()> for Outcome {
    fn from((): ()) -> Outcome {
        Outcome::Answered
    }
}

/// A command that answers or fails on its input.
fn done(r: anyhow::Result<()>) -> anyhow::Result<Outcome> {
    r.map(Outcome::from)
}

/// A command that reports pass/fail (`Ok(false)` = exit 1).
fn gate(r: anyhow::Result<bool>) -> anyhow::Result<Outcome> {
    r.map(|ok| {
        if ok {
            Outcome::Answered
        } else {
            Outcome::Failed
        }
    })
}
