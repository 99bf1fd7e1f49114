//! `chipgate-screen`: party screening of buyers and end users against US export-control and
//! sanctions lists (trade.gov CSL, OFAC SDN / non-SDN, BIS DPL), answering what each hit means
//! for an export, as of a date, across scripts, with reviewed false positives and ownership.
//!
//! Typical use:
//! ```no_run
//! use chipgate_screen::{ListSet, Query, Screener};
//! let screener = Screener::new(ListSet::builtin()?);
//! let r = screener.screen(&Query::name("Huawei Technologies Co Ltd"))?;
//! for h in &r.hits {
//!     println!("{} {} {} {}", h.list, h.kind.as_str(), h.effect.as_str(), h.citation);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod aliases;
pub mod allowlist;
pub mod builtin;
pub mod compounds;
pub mod country;
pub mod diff;
pub mod error;
mod fxhash;
pub mod index;
pub mod initials;
pub mod kind;
mod literal_cache;
pub mod model;
pub mod normalize;
pub mod ownership;
mod palladius;
pub mod parse;
pub mod party_file;
mod readings;
pub mod respace;
pub mod score;
pub mod screener;
pub mod snapshot;
mod sorted_table;
pub mod store;
mod tables;
pub mod update;

pub use allowlist::{AllowList, AllowRecord};
pub use diff::{diff, ListDiff};
pub use error::{LineError, ScreenError};
pub use kind::{ExportEffect, ListKind};
pub use model::{Entry, List, ListInfo, ListSet, Parsed, Provenance};
pub use normalize::{normalize, NormalizedName};
pub use ownership::{Ownership, OwnershipInfo};
pub use parse::Format;
pub use party_file::{ListedParty, PartyFile};
pub use score::Explanation;
pub use screener::{
    Comparison, Hit, Query, QueryError, ScreenResult, Screener, Status, Thresholds, MAX_NAME_CHARS,
};
pub use store::{load_file, ListStore, StoredList};
