//! trade.gov Consolidated Screening List CSV (`consolidated.csv`), current header (with `_id`)
//! and the 2019 header (without it; ids fall back to `entity_number` or a stable hash).

use super::generic::{self, ColumnMap};
use crate::error::ScreenError;
use crate::model::Parsed;

/// Parse a CSL CSV file (either header generation).
pub fn parse(file: &str, bytes: &[u8]) -> Result<Parsed, ScreenError> {
    generic::parse(file, bytes, &ColumnMap::csl())
}
