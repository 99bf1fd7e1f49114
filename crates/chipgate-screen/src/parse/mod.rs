//! Parsers for the list file formats, plus format detection. Every parser takes raw bytes and a
//! file name (for error messages), never panics, and returns the records it could read together
//! with one [`LineError`](crate::LineError) per malformed line.

pub mod csl;
pub mod csl_json;
pub mod dpl;
pub mod el_events;
pub mod flat_csl;
pub mod generic;
pub mod ofac;
pub(crate) mod util;

pub use util::stable_id;

/// The lower-cased header of a CSV reader (a leading BOM removed); a header that cannot be
/// read is an error on line 1 of `file`.
pub(crate) fn csv_headers<R: std::io::Read>(
    file: &str,
    rdr: &mut csv::Reader<R>,
) -> Result<Vec<String>, crate::error::ScreenError> {
    Ok(rdr
        .headers()
        .map_err(|e| crate::error::ScreenError::Malformed {
            file: file.into(),
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect())
}

/// Decode list/CSV bytes (UTF-8 or Windows-1252, BOM and trailing 0x1A removed).
pub fn util_decode(bytes: &[u8]) -> String {
    util::decode(bytes)
}

use crate::error::ScreenError;
use serde::{Deserialize, Serialize};

/// A recognised list file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// trade.gov consolidated.csv, current header (with `_id`).
    CslCsv,
    /// trade.gov consolidated.csv, 2019 header (no `_id`).
    CslCsv2019,
    /// trade.gov consolidated JSON (`{"results": [...]}`).
    CslJson,
    /// SanctionToolkit flattened CSL (one row per name/alias).
    FlatCsl,
    /// OFAC legacy primary file (`sdn.csv` / `cons_prim.csv`).
    OfacPrim,
    /// OFAC legacy alias file (`alt.csv` / `cons_alt.csv`).
    OfacAlt,
    /// OFAC legacy address file (`add.csv` / `cons_add.csv`).
    OfacAdd,
    /// BIS Denied Persons List, tab separated.
    Dpl,
    /// Dated Entity List events (add / revise / remove rows from Federal Register rules).
    ElEvents,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::CslCsv => "csl_csv",
            Format::CslCsv2019 => "csl_csv_2019",
            Format::CslJson => "csl_json",
            Format::FlatCsl => "flat_csl",
            Format::OfacPrim => "ofac_prim",
            Format::OfacAlt => "ofac_alt",
            Format::OfacAdd => "ofac_add",
            Format::Dpl => "dpl",
            Format::ElEvents => "el_events",
        }
    }
}

/// Detect the format of a list file from its first bytes.
/// Also refuses (naming the line) a file whose lines exceed the row-size limit, except the
/// JSON list (which may legitimately be one long line).
pub fn detect(file: &str, bytes: &[u8]) -> Result<Format, ScreenError> {
    let format = detect_format(file, bytes)?;
    if format != Format::CslJson {
        util::check_line_lengths(file, bytes)?;
    }
    Ok(format)
}

fn detect_format(file: &str, bytes: &[u8]) -> Result<Format, ScreenError> {
    let text = util::decode(bytes);
    if text.trim().is_empty() {
        return Err(ScreenError::EmptyFile {
            file: file.to_string(),
        });
    }
    let first = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches('\u{feff}');
    let lower = first.to_ascii_lowercase();
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
    {
        return Ok(Format::CslJson);
    }
    if el_events::is_header(first) {
        return Ok(Format::ElEvents);
    }
    if lower.contains("list_internal_id") && lower.contains("sanction_list") {
        return Ok(Format::FlatCsl);
    }
    if lower.starts_with("_id,") || lower.starts_with("\"_id\",") {
        return Ok(Format::CslCsv);
    }
    if lower.starts_with("source,") || lower.starts_with("\"source\",") {
        return Ok(Format::CslCsv2019);
    }
    if lower.starts_with("\"name\"\t") || lower.starts_with("name\t") {
        return Ok(Format::Dpl);
    }
    if first
        .split(',')
        .next()
        .is_some_and(|f| !f.is_empty() && f.trim().chars().all(|c| c.is_ascii_digit()))
    {
        let n = util::csv_field_count(first);
        return match n {
            5 => Ok(Format::OfacAlt),
            6 => Ok(Format::OfacAdd),
            n if n >= 10 => Ok(Format::OfacPrim),
            _ => Err(ScreenError::UnknownFormat {
                file: file.to_string(),
                detail: format!("numeric first column but {n} fields"),
            }),
        };
    }
    Err(ScreenError::UnknownFormat {
        file: file.to_string(),
        detail: format!("header {:?}", truncate(first, 80)),
    })
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
