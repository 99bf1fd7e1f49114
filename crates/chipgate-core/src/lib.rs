//! chipgate-core: the pure engine behind chipgate.
//!
//! Everything here is a function of its inputs: chip specs, the rulebook (parsed from bytes
//! handed in by the caller), the country groups, and the facts of one question. No file or
//! network I/O happens in this crate and no input makes it panic; the binary crate does the
//! I/O around it. Layers, from the bottom up:
//!
//! * [`spec`] and [`metrics`]: what a chip is and the numbers the rules compare (TPP, PD, …);
//! * [`countries`]: ISO codes and EAR Country Groups with dated membership;
//! * [`expr`]: the small, closed, typed condition language rule files are written in;
//! * [`rules`]: rule files (one per regulatory event) loaded, validated and resolved as of a date;
//! * [`classify`], [`license`], [`timeline`]: the answers, each carrying the rules that decided it.

// Panic-free means no indexing that can go out of bounds: `.get()` and patterns instead.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod catalog;
pub mod classify;
pub mod countries;
pub mod engine;
pub mod error;
pub mod expr;
pub mod facts;
pub mod license;
pub mod metrics;
pub mod numfmt;
pub mod rules;
pub mod spec;
pub mod timeline;

pub use chrono::NaiveDate as Date;
pub use engine::{DataFiles, Engine};
pub use error::{DataError, InputError};
