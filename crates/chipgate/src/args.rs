//! Command-line arguments (clap). The names here are a contract other programs script against:
//! extend freely, never rename.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "chipgate", version, about = "Is this AI chip export-controlled, can this order ship, under which rule — and what if?")]
pub struct Cli {
    /// Use data files from DIR instead of the built-in rules, catalog and countries.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by the questions.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// As-of date (YYYY-MM-DD); today when omitted.
    #[arg(long)]
    pub date: Option<String>,
    /// `enforced` (BIS's enforcement posture, default) or `law` (text in force).
    #[arg(long, default_value = "enforced")]
    pub view: String,
    /// Overlay a scenario file (repeatable; applied in order).
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenarios: Vec<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// How the item is named: a catalog chip or a spec file.
#[derive(Args, Debug, Clone, Default)]
pub struct ItemArgs {
    /// Chip spec JSON file (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    pub spec: Option<String>,
    /// Number of ICs in a computer, assembly or component (makes it a 4A090 question).
    #[arg(long)]
    pub count: Option<u32>,
}

/// Facts about the parties and the transaction.
#[derive(Args, Debug, Clone, Default)]
pub struct PartyArgs {
    /// Buyer name (screened against the lists).
    #[arg(long)]
    pub buyer: Option<String>,
    /// Country where the buyer, or its ultimate parent, is headquartered.
    #[arg(long = "buyer-hq")]
    pub buyer_hq: Option<String>,
    /// End-user name (screened against the lists).
    #[arg(long = "end-user")]
    pub end_user: Option<String>,
    /// Country where the end user, or its ultimate parent, is headquartered.
    #[arg(long = "end-user-hq")]
    pub end_user_hq: Option<String>,
    /// End use, free text (e.g. "supercomputer", "cloud inference").
    #[arg(long = "end-use")]
    pub end_use: Option<String>,
    /// Exporter name (defaults to the chip's vendor).
    #[arg(long)]
    pub exporter: Option<String>,
    /// Exporter role: designer, front_end_fabricator, osat, distributor, other.
    #[arg(long = "exporter-role")]
    pub exporter_role: Option<String>,
    /// The IC designer is approved or authorized (Supp. No. 6 to part 740).
    #[arg(long = "approved-designer")]
    pub approved_designer: bool,
    /// Country the item ships from (default US).
    #[arg(long = "ship-from")]
    pub ship_from: Option<String>,
    /// Units in the order.
    #[arg(long)]
    pub quantity: Option<f64>,
    /// Party file (CSV: name,list,date_added[,hq_country,parent,share]) screened in addition to the lists.
    #[arg(long, value_name = "FILE")]
    pub parties: Option<PathBuf>,
    /// Do not screen the parties against the built-in/imported lists.
    #[arg(long = "no-screen")]
    pub no_screen: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Classify a chip (ECCN paragraph) as of a date.
    Classify {
        /// Catalog chip name (forgiving: `H20`, `nvidia h20`).
        chip: Option<String>,
        #[command(flatten)]
        item: ItemArgs,
        #[command(flatten)]
        common: Common,
        #[arg(long = "exporter-role")]
        exporter_role: Option<String>,
    },
    /// Can this order ship? Licence determination with reasons.
    Check {
        /// Catalog chip name.
        #[arg(long)]
        chip: Option<String>,
        #[command(flatten)]
        item: ItemArgs,
        /// Destination country (ISO 3166-1 alpha-2).
        #[arg(long)]
        to: String,
        #[command(flatten)]
        parties: PartyArgs,
        #[command(flatten)]
        common: Common,
        /// Append the decision to this audit database.
        #[arg(long, value_name = "DB")]
        audit: Option<PathBuf>,
    },
    /// The decision over time, segment by segment.
    Timeline {
        #[arg(long)]
        chip: Option<String>,
        #[command(flatten)]
        item: ItemArgs,
        /// Destination country.
        #[arg(long)]
        to: String,
        /// First date (default 2022-01-01).
        #[arg(long)]
        from: Option<String>,
        /// Last date (default today).
        #[arg(long = "to-date")]
        to_date: Option<String>,
        #[command(flatten)]
        parties: PartyArgs,
        #[arg(long, default_value = "enforced")]
        view: String,
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// The rulebook: list, show, diff, catalog.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// The chip catalog.
    Chips {
        #[command(subcommand)]
        command: ChipsCommand,
    },
    /// Run golden test cases (JSON Lines of questions with expected answers).
    Test {
        /// Case files.
        files: Vec<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Provisions and their standing on a date.
    List {
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "enforced")]
        view: String,
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// One event or provision with all its versions.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Which provisions and which catalog chips' classifications changed between two dates.
    Diff {
        from: String,
        to: String,
        #[arg(long, default_value = "enforced")]
        view: String,
        #[arg(long)]
        json: bool,
    },
    /// The Markdown rules catalogue, generated from the rule data.
    Catalog {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ChipsCommand {
    /// Every catalog chip with its metrics.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One chip's spec, metrics and sources.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
}
