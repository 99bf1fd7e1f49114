//! The rulebook: every rule, letter, guidance and proposal as data.
//!
//! One TOML file per regulatory event (an IFR, a letter, a guidance document). An event holds
//! *provisions*, each of one closed type (classify, exclude, require, prohibit, exception,
//! review, note, posture) with a condition in the [`crate::expr`] language, a citation and a
//! half-open window `[effective, until)`. Provisions sharing an id are versions of one another;
//! a provision may `replace` others (ending them while it is in force), and a posture provision
//! sets other provisions aside (not enforced, suspended) in the views it names.
//!
//! Two views answer the two questions people ask: `law` (the text in force) and `enforced`
//! (BIS's announced enforcement posture, with compliance dates). Scenarios overlay the same
//! format to ask "what if".

mod catalog_md;
mod load;
mod model;
mod resolve;
mod scenario;

pub use catalog_md::catalog_markdown;
pub use load::{eccn_rank, RuleSource, Rulebook, ECCN_ORDER};
pub use model::{
    Event, EventKind, Policy, Provision, ProvisionKind, Severity, Stage, Status, View,
};
pub use resolve::Standing;
pub use scenario::Scenario;
