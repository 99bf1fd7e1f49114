//! Order books: runs every order of a CSV or JSON Lines file through the rules — as of each
//! order's date or one date, under the baseline and under scenario overlays — writes the
//! per-order decisions and a report of what is at stake (totals by decision, buyer group,
//! chip and destination; the orders that flip and the rules that flip them; rejected rows).
//!
//! Scale comes from deciding each distinct question once: orders that agree on every column
//! a decision can depend on (chip or spec, destination, party columns, date segment, and the
//! quantity only where a rule in force reads it) share one decision per engine. Input is
//! streamed in chunks, rows are parsed and formatted on all cores, results are written in
//! input order.
//!
//! Entry points: [`evaluate`] (returns the [`Report`], writes `--out`), [`report::write`],
//! [`report::render_html`] (takes optional SVG [`Pictures`]), [`report::render_markdown`],
//! [`generate::write_orders`] (synthetic order books for benchmarks).

pub mod cache;
pub mod chunk;
pub mod columns;
pub mod generate;
pub mod group;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod record;
pub mod report;
pub mod row;
pub mod segments;
pub mod tally;

pub use pipeline::{
    engines, evaluate, evaluate_stream, evaluate_with, Config, RunStats, CHUNK_ROWS,
};
pub use record::Format;
pub use report::{render_html, render_markdown, Pictures, Report};
