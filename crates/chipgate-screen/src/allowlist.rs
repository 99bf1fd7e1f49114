//! Reviewed false positives: a reviewer records that a query name is not a given list entry,
//! why, and until when. Screening keeps such hits in the answer, marked suppressed with the
//! record, so the decision stays visible. Stored as JSON (array of records) or CSV.

use crate::error::ScreenError;
use crate::normalize::normalize;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One reviewed false positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowRecord {
    pub reviewer: String,
    pub query_name: String,
    pub entry_id: String,
    pub reason: String,
    /// Last day the record applies (None: no end).
    pub until: Option<NaiveDate>,
}

/// A set of reviewed false positives.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    records: Vec<(String, AllowRecord)>,
}

impl AllowList {
    pub fn new(records: Vec<AllowRecord>) -> AllowList {
        let mut a = AllowList::default();
        for r in records {
            a.add(r);
        }
        a
    }

    pub fn add(&mut self, r: AllowRecord) {
        self.records.push((normalize(&r.query_name).key(), r));
    }

    pub fn records(&self) -> impl Iterator<Item = &AllowRecord> {
        self.records.iter().map(|(_, r)| r)
    }

    /// The record suppressing (query, entry) on `date`, if any. Query names compare normalised.
    pub fn find(&self, query: &str, entry_id: &str, date: NaiveDate) -> Option<&AllowRecord> {
        if self.records.is_empty() {
            return None;
        }
        let key = normalize(query).key();
        self.records
            .iter()
            .find(|(k, r)| *k == key && r.entry_id == entry_id && r.until.is_none_or(|u| date <= u))
            .map(|(_, r)| r)
    }

    /// Load from a `.json` (array of records) or `.csv` (reviewer,query_name,entry_id,reason,until) file.
    pub fn load(path: &Path) -> Result<AllowList, ScreenError> {
        let bytes = std::fs::read(path).map_err(|e| ScreenError::io(path, e))?;
        let file = path.display().to_string();
        let text = String::from_utf8_lossy(&bytes);
        if text.trim().is_empty() {
            return Ok(AllowList::default());
        }
        if text.trim_start().starts_with('[') {
            let recs: Vec<AllowRecord> =
                serde_json::from_str(&text).map_err(|e| ScreenError::Malformed {
                    file,
                    line: e.line() as u64,
                    message: e.to_string(),
                })?;
            return Ok(AllowList::new(recs));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut recs = Vec::new();
        for r in rdr.deserialize::<AllowRecord>() {
            match r {
                Ok(r) => recs.push(r),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Err(ScreenError::Malformed {
                        file,
                        line,
                        message: e.to_string(),
                    });
                }
            }
        }
        Ok(AllowList::new(recs))
    }

    /// Save as JSON.
    pub fn save(&self, path: &Path) -> Result<(), ScreenError> {
        let recs: Vec<&AllowRecord> = self.records().collect();
        let s =
            serde_json::to_string_pretty(&recs).map_err(|e| ScreenError::Invalid(e.to_string()))?;
        std::fs::write(path, s).map_err(|e| ScreenError::io(path, e))
    }
}
