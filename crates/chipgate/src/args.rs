//! Command-line arguments (clap). The names here are a contract other programs script against:
//! extend freely, never rename.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "chipgate",
    version,
    after_help = "Exit status: 0 answered (or verified), 1 a verification failed (`test`, `audit verify`) or an answer tripped a `--fail-on` gate, 2 bad usage or bad input (the message names the field).",
    about = "Is this AI chip export-controlled, can this order ship, under which rule — and what if?"
)]
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
    /// Party file (CSV). Ownership rows `entity,parent,share,hq_country` (optional `id`;
    /// parent by id or name; share 0–1 or percent) give headquarters, ultimate parents and
    /// ≥ 50 % owners; rows `name,list[,date_added]` name parties known to be listed. Names
    /// match as written (case, spacing and, when unambiguous, punctuation folded).
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
        /// Exporter role (designer, front_end_fabricator, osat, distributor, other), for rules that depend on it.
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
        /// Exit with status 1 when an answer trips this gate (repeatable): `license` (anything
        /// but a plain go), `prohibited`, `match` (a certain list match), `potential-match`.
        #[arg(long = "fail-on", value_enum, value_name = "WHAT")]
        fail_on: Vec<crate::answer::FailOn>,
    },
    /// The decision over time, segment by segment.
    Timeline {
        /// Catalog chip name.
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
        /// `enforced` (BIS's enforcement posture, default) or `law` (text in force).
        #[arg(long, default_value = "enforced")]
        view: String,
        /// Overlay a scenario file (repeatable; applied in order).
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// Print JSON instead of text.
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
    /// Screen names against the lists (Entity List, SDN, DPL, …).
    Screen(ScreenArgs),
    /// Manage screening lists: import, update, diff.
    Lists {
        #[command(subcommand)]
        command: ListsCommand,
    },
    /// Evaluate an order book (CSV or JSON Lines), optionally against scenarios.
    Orders(OrdersArgs),
    /// Run the HTTP API server.
    Serve(ServeArgs),
    /// Manage API keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Verify or export the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Pictures: the threshold map and the decision timeline.
    Plot {
        #[command(subcommand)]
        command: PlotCommand,
    },
    /// Shell completion script (bash, zsh, fish, elvish, powershell) on standard output.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Man pages: chipgate.1 and one page per subcommand, written to DIR.
    Man {
        /// Directory to write the pages to (created if missing).
        #[arg(long, value_name = "DIR", default_value = "man")]
        out: PathBuf,
    },
    /// How far a chip is from each threshold, and the largest throughput its die could have.
    Headroom {
        /// Catalog chip name.
        #[arg(long)]
        chip: Option<String>,
        #[command(flatten)]
        item: ItemArgs,
        /// Destination (for the decision line).
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Args, Debug, Clone, Default)]
pub struct ScreenArgs {
    #[command(subcommand)]
    pub action: Option<ScreenAction>,
    /// Name to screen.
    pub name: Option<String>,
    /// Country of the party (ISO alpha-2), used to rank hits.
    #[arg(long)]
    pub country: Option<String>,
    /// As-of date: entries count from their start date.
    #[arg(long)]
    pub date: Option<String>,
    /// Score threshold for a potential match (0–1).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Only these lists (list kinds or source-list names).
    #[arg(long, num_args = 1..)]
    pub lists: Vec<String>,
    /// CSV of names (header `id,name`, optional `country`, `date`).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// JSON Lines output for --file (default: standard output).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Local list store directory (default: $CHIPGATE_HOME/lists or ~/.chipgate/lists).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 1 when an answer trips this gate (repeatable): `license` (anything
    /// but a plain go), `prohibited`, `match` (a certain list match), `potential-match`.
    #[arg(long = "fail-on", value_enum, value_name = "WHAT")]
    pub fail_on: Vec<crate::answer::FailOn>,
}

#[derive(Subcommand, Debug, Clone)]
pub enum ScreenAction {
    /// Record a reviewed false positive.
    Allow {
        /// The screened name.
        #[arg(long)]
        name: String,
        /// The list entry id it was matched to.
        #[arg(long)]
        entry: String,
        /// Who reviewed the hit.
        #[arg(long)]
        reviewer: String,
        /// Why the name is not the listed party.
        #[arg(long)]
        reason: String,
        /// Last day the suppression holds (YYYY-MM-DD).
        #[arg(long)]
        until: String,
        /// Local list store directory (default: $CHIPGATE_HOME/lists or ~/.chipgate/lists).
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum ListsCommand {
    /// Import list files into the local store.
    Import {
        /// List files (CSL CSV/JSON, OFAC legacy CSV, BIS DPL; Windows-1252 or UTF-8).
        files: Vec<PathBuf>,
        /// Local list store directory (default: $CHIPGATE_HOME/lists or ~/.chipgate/lists).
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
    /// Fetch the current Consolidated Screening List.
    Update {
        #[arg(
            long,
            default_value = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
        )]
        /// Where to download the Consolidated Screening List from.
        url: String,
        /// Local list store directory (default: $CHIPGATE_HOME/lists or ~/.chipgate/lists).
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
    },
    /// Entries added, removed and changed between two list files.
    Diff {
        /// The older list file.
        old: PathBuf,
        /// The newer list file.
        new: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The lists in use and their snapshot dates.
    Show {
        /// Local list store directory (default: $CHIPGATE_HOME/lists or ~/.chipgate/lists).
        #[arg(long, value_name = "DIR")]
        store: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug, Clone, Default)]
pub struct OrdersArgs {
    /// Order book (CSV or JSON Lines; `-` = standard input).
    pub file: PathBuf,
    /// Scenario overlays to compare against the baseline (repeatable).
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenarios: Vec<PathBuf>,
    /// Evaluate every order as of this date instead of its own date.
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    /// `enforced` (BIS's enforcement posture, default) or `law` (text in force).
    #[arg(long, default_value = "enforced")]
    pub view: String,
    /// Per-order results (.csv or .jsonl).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Report (.md, .html or .json).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Rename input columns: `--map theirs=ours` (repeatable).
    #[arg(long = "map", value_name = "FROM=TO")]
    pub map: Vec<String>,
    /// Party file used in addition to the lists.
    #[arg(long, value_name = "FILE")]
    pub parties: Option<PathBuf>,
    /// Do not screen buyers and end users.
    #[arg(long = "no-screen")]
    pub no_screen: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 1 when an answer trips this gate (repeatable): `license` (anything
    /// but a plain go), `prohibited`, `match` (a certain list match), `potential-match`.
    #[arg(long = "fail-on", value_enum, value_name = "WHAT")]
    pub fail_on: Vec<crate::answer::FailOn>,
    /// Rows per streamed chunk (default 65,536).
    #[arg(long = "chunk-rows", hide = true)]
    pub chunk_rows: Option<usize>,
    /// Write N synthetic orders to FILE instead of evaluating (benchmarks).
    #[arg(long, hide = true, value_name = "N")]
    pub generate: Option<u64>,
    /// Seed for --generate.
    #[arg(long, hide = true, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on (`127.0.0.1:0` picks a free port and prints it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Database for keys and the audit log: an SQLite file, or a `postgres://` URL (one
    /// audit chain shared by several servers).
    #[arg(long, default_value = "chipgate.db")]
    pub db: PathBuf,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = 1_048_576)]
    pub max_body: usize,
    /// Largest order batch in rows.
    #[arg(long, default_value_t = 100_000)]
    pub max_batch: usize,
    /// Request time limit in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Most requests handled at once (others wait, within the time limit).
    #[arg(long = "max-inflight", default_value_t = 256)]
    pub max_inflight: usize,
    /// Seconds a client may take to send a request's headers.
    #[arg(long = "header-timeout", default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds an authenticated client may take to send a request's body.
    #[arg(long = "body-timeout", default_value_t = 10)]
    pub body_timeout: u64,
    /// Most requests one API key may have in flight (more get 429 at once).
    #[arg(long = "max-per-key", default_value_t = 32)]
    pub max_per_key: usize,
    /// Signing key for periodic audit checkpoints (from `chipgate audit keygen`).
    #[arg(
        long = "checkpoint-key",
        value_name = "FILE",
        requires = "checkpoint_dir"
    )]
    pub checkpoint_key: Option<PathBuf>,
    /// Directory for the checkpoint files (`checkpoint-SEQ.json` and `latest.json`).
    #[arg(
        long = "checkpoint-dir",
        value_name = "DIR",
        requires = "checkpoint_key"
    )]
    pub checkpoint_dir: Option<PathBuf>,
    /// Seconds between checkpoints (one is written only when new records arrived).
    #[arg(long = "checkpoint-every", default_value_t = 300)]
    pub checkpoint_every: u64,
    /// Log format on standard error: `text` (colours only on a terminal) or `json`.
    #[arg(long = "log-format", default_value = "text", value_name = "FORMAT")]
    pub log_format: String,
}

#[derive(Subcommand, Debug, Clone)]
pub enum KeysCommand {
    /// Create a key (printed once; only its hash is stored).
    Create {
        /// A name for the key (unique among active keys).
        #[arg(long)]
        name: String,
        /// What the key may do, comma-separated: `check` (classify, check, timeline, chips,
        /// rules), `screen` (screen, match), `orders` (order books, jobs), `admin` (reload).
        #[arg(long, value_delimiter = ',', default_value = "check,screen,orders")]
        scopes: Vec<String>,
        /// Most requests a minute the key may make on one server (429 with Retry-After
        /// beyond it); no limit when omitted.
        #[arg(long = "rate-per-minute", value_name = "N")]
        rate_per_minute: Option<u32>,
        /// Database for keys and the audit log: an SQLite file, or a `postgres://` URL (one
        /// audit chain shared by several servers).
        #[arg(long, default_value = "chipgate.db")]
        db: PathBuf,
    },
    /// List keys.
    List {
        /// Database for keys and the audit log: an SQLite file, or a `postgres://` URL (one
        /// audit chain shared by several servers).
        #[arg(long, default_value = "chipgate.db")]
        db: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key by id or name.
    Revoke {
        /// Key id or name.
        id: String,
        /// Database for keys and the audit log: an SQLite file, or a `postgres://` URL (one
        /// audit chain shared by several servers).
        #[arg(long, default_value = "chipgate.db")]
        db: PathBuf,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum AuditCommand {
    /// Check the hash chain; exits non-zero at the first broken or missing record.
    Verify {
        /// The audit database: an SQLite file or a `postgres://` URL.
        #[arg(long, default_value = "chipgate.db")]
        db: PathBuf,
        /// Also check a signed checkpoint: its record must still exist with the same hash
        /// (detects truncation, an emptied log and rewrites before it).
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
        /// The public key (hex, from `audit keygen`) the checkpoint must be signed with.
        #[arg(long = "public-key", value_name = "HEX", requires = "checkpoint")]
        public_key: Option<String>,
    },
    /// Write records as JSON Lines.
    Export {
        /// The audit database: an SQLite file or a `postgres://` URL.
        #[arg(long, default_value = "chipgate.db")]
        db: PathBuf,
        /// First day (YYYY-MM-DD, UTC) to export.
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD, UTC) to export.
        #[arg(long)]
        to: Option<String>,
    },
    /// Create an Ed25519 signing key for checkpoints (keep it apart from the database).
    Keygen {
        /// Key file to create (refuses to overwrite; created 0600).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
    },
    /// Verify the chain, then write a signed checkpoint of its head.
    Checkpoint {
        /// The audit database: an SQLite file or a `postgres://` URL.
        #[arg(long, default_value = "chipgate.db")]
        db: PathBuf,
        /// Signing key file (from `audit keygen`).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// Checkpoint file to write (store it away from the database too).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug, Clone)]
pub enum PlotCommand {
    /// TPP × performance density map with regions and catalog chips.
    Map {
        /// Date (YYYY-MM-DD) of the thresholds drawn; today when omitted.
        #[arg(long)]
        date: Option<String>,
        /// Colour chips by their decision for this destination.
        #[arg(long)]
        to: Option<String>,
        /// `enforced` (BIS's enforcement posture, default) or `law` (text in force).
        #[arg(long, default_value = "enforced")]
        view: String,
        /// Overlay a scenario file (repeatable; applied in order).
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// Chip specs to plot instead of the catalog (JSON array or JSON Lines).
        #[arg(long, value_name = "FILE")]
        chips: Option<PathBuf>,
        /// Output file (.svg or .png).
        #[arg(long)]
        out: PathBuf,
    },
    /// The decision over time as coloured bands with rule events.
    Timeline {
        /// Catalog chip name.
        #[arg(long)]
        chip: Option<String>,
        #[command(flatten)]
        item: ItemArgs,
        /// Destination country (ISO 3166-1 alpha-2).
        #[arg(long)]
        to: String,
        /// Country where the buyer, or its ultimate parent, is headquartered.
        #[arg(long = "buyer-hq")]
        buyer_hq: Option<String>,
        /// First date (default 2022-06-01).
        #[arg(long)]
        from: Option<String>,
        /// `enforced` (BIS's enforcement posture, default) or `law` (text in force).
        #[arg(long, default_value = "enforced")]
        view: String,
        /// Overlay a scenario file (repeatable; applied in order).
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// Output file (.svg or .png).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Provisions and their standing on a date.
    List {
        /// Date (YYYY-MM-DD); today when omitted.
        #[arg(long)]
        date: Option<String>,
        /// `enforced` (BIS's enforcement posture, default) or `law` (text in force).
        #[arg(long, default_value = "enforced")]
        view: String,
        /// Overlay a scenario file (repeatable; applied in order).
        #[arg(long = "scenario", value_name = "FILE")]
        scenarios: Vec<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// One event or provision with all its versions.
    Show {
        /// Event or provision id (as `rules list` shows them).
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Which provisions and which catalog chips' classifications changed between two dates.
    Diff {
        /// First date (YYYY-MM-DD).
        from: String,
        /// Second date (YYYY-MM-DD).
        to: String,
        /// `enforced` (BIS's enforcement posture, default) or `law` (text in force).
        #[arg(long, default_value = "enforced")]
        view: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The Markdown rules catalogue, generated from the rule data.
    Catalog {
        /// Write the catalogue to FILE (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ChipsCommand {
    /// Every catalog chip with its metrics.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// One chip's spec, metrics and sources.
    Show {
        /// Catalog chip name (forgiving: `H20`, `nvidia h20`).
        name: String,
        /// Print JSON (`{"spec", "metrics"}`; accepted as is by `--spec`).
        #[arg(long)]
        json: bool,
    },
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn missing(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if id == "help" || id == "version" || a.is_hide_set() {
                continue;
            }
            if a.get_help().is_none() && a.get_long_help().is_none() {
                out.push(format!("{path} --{id}"));
            }
        }
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() {
                out.push(format!("{path} {} (no about)", sub.get_name()));
            }
            missing(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_option_has_help_text() {
        let mut out = Vec::new();
        missing(&Cli::command(), "chipgate", &mut out);
        assert!(out.is_empty(), "options without help:\n{}", out.join("\n"));
    }
}
