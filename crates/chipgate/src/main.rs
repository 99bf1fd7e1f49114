//! `chipgate` entry point: parse, dispatch, map errors to exit codes (0 = an answer,
//! 2 = bad usage or bad input, with a message naming the field). Never panics on input.

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
        } => cmd::classify::run(
            data,
            chip.as_deref(),
            item,
            common,
            exporter_role.as_deref(),
        ),
        Command::Check {
            chip,
            item,
            to,
            parties,
            common,
            audit,
        } => cmd::check::run(
            data,
            chip.as_deref(),
            item,
            to,
            parties,
            common,
            audit.as_deref(),
        ),
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
        } => cmd::timeline::run(
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
        ),
        Command::Rules { command } => cmd::rules::run(data, command),
        Command::Chips { command } => cmd::chips::run(data, command),
        Command::Test { files } => match cmd::golden::run(data, files) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::from(1),
            Err(e) => Err(e),
        },
        Command::Screen(a) => cmd::screen::run(data, a),
        Command::Lists { command } => cmd::lists::run(command),
        Command::Orders(a) => match cmd::orders::run(data, a) {
            Ok(()) => Ok(()),
            Err(e) => Err(e),
        },
        Command::Serve(a) => cmd::serve::run(data, a),
        Command::Keys { command } => cmd::keys::run(command),
        Command::Audit { command } => match cmd::audit::run(command) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::from(1),
            Err(e) => Err(e),
        },
        Command::Plot { command } => cmd::plot::run(data, command),
        Command::Completions { shell } => cmd::docs::completions(*shell),
        Command::Man { out } => cmd::docs::man(out),
        Command::Headroom {
            chip,
            item,
            to,
            common,
        } => cmd::headroom::run(data, chip.as_deref(), item, to.as_deref(), common),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
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
